"""A target-aware convolutional tone model over the project's static word vectors (numpy inference).

Each sentence becomes a sequence of words: its static MiniLM vector (``analysis.similarity``),
VADER's lexicon valence (positive and negative apart), a negation flag and a capital flag. A 1-D
convolution reads the sentence once (target-free, so sentences with several mentions are read once);
each mention then adds a learned vector for every word's signed distance from it (0 inside the
mention), and max-, target- and attention-pooling of the result feed a linear layer: P(negative),
P(neutral), P(positive). Training may correct the static vectors of the WordPieces it sees
(``piece_ids``, ``piece_vectors`` in the weights): the convolution then reads the corrected ones.
Trained with torch by ``training/train_tone_cnn.py``; run here with numpy.

A sentence longer than :data:`MAX_WORDS` words is read in a window of that many around each mention.
Every sentence and mention is computed on its own (no matrix product across rows), so a mention's
score never depends on the other rows scored with it (the store's tables equal whatever partitions
the ingest used, bit for bit).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .sentiment import _vader, normalise_quotes
from .similarity import load_model as load_static_model

CNN_PATH = Path(__file__).resolve().parent.parent / "data" / "tone_cnn.npz"
MAX_DISTANCE = 12  # words; farther words share the last distance bucket of their side
MAX_WORDS = 120  # a sentence's words read (around the mention when longer)
_WORDS = re.compile(r"[^\W_]+|[^\w\s]")
_NEGATIONS = frozenset({"not", "no", "never", "without", "nor", "neither", "cannot", "hardly", "t", "didn", "doesn",
                        "isn", "wasn", "aren", "weren", "don", "won", "wouldn", "couldn", "shouldn", "hasn",
                        "haven", "hadn", "ain"})
EXTRA = 4  # per-word features after the vector: valence +, valence -, negation, capital


@dataclass(frozen=True)
class SentenceWords:
    """One sentence's words: ``x`` (words x (vector + :data:`EXTRA`)), each word's ``[start, end)``."""

    x: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def _split(texts: Sequence[str]) -> tuple[list[list[tuple[int, int]]], list[str]]:
    """Each text's word spans, and all the words in turn."""
    spans: list[list[tuple[int, int]]] = []
    words: list[str] = []
    for text in texts:
        text = text if text.isascii() else normalise_quotes(text)
        found = [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(text)]
        spans.append([(s, e) for s, e, _ in found])
        words.extend(w for _, _, w in found)
    return spans, words


def _extras(words: Sequence[str]) -> np.ndarray:
    """Per word: VADER valence / 4 (positive, negative), negation, capital (:data:`EXTRA` columns)."""
    lexicon = _vader().lexicon
    out = np.zeros((len(words), EXTRA), np.float32)
    for i, word in enumerate(words):
        lower = word.lower()
        valence = lexicon.get(lower, 0.0)
        out[i] = (max(valence, 0.0) / 4.0, min(valence, 0.0) / 4.0, lower in _NEGATIONS, word[:1].isupper())
    return out


def _piece_means(table: np.ndarray, words: Sequence[str]) -> np.ndarray:
    """Per word: the mean of ``table``'s rows of its WordPiece ids (zero for a word without any)."""
    tokens = load_static_model().tokenise(list(words))
    lengths = np.diff(tokens.offsets)
    out = np.zeros((len(words), table.shape[1]), np.float32)
    starts = tokens.offsets[:-1]
    for rank in range(int(lengths.max(initial=0))):  # pieces in turn (most words have one): cheaper than reduceat
        longer = np.flatnonzero(lengths > rank)
        out[longer] += table[tokens.ids[starts[longer] + rank]]
    has = lengths > 0
    out[has] /= lengths[has, None]
    return out


def _by_text(spans: list[list[tuple[int, int]]], rows: np.ndarray) -> list[SentenceWords]:
    out, at = [], 0
    for found in spans:
        n = len(found)
        bounds = np.array(found, np.int64).reshape(n, 2)
        out.append(SentenceWords(rows[at : at + n], bounds[:, 0], bounds[:, 1]))
        at += n
    return out


def sentence_words(texts: Sequence[str]) -> list[SentenceWords]:
    """:class:`SentenceWords` of each text: its words' static vectors (the mean of their WordPiece
    vectors) then :data:`EXTRA` features (what the convolution reads, as training sees it)."""
    spans, words = _split(texts)
    return _by_text(spans, np.hstack([_piece_means(load_static_model().unit, words), _extras(words)]))


def mention_window(words: SentenceWords, start: int, end: int) -> tuple[slice, np.ndarray]:
    """The words read for a mention at ``[start, end)`` (at most :data:`MAX_WORDS`, centred on it)
    and each one's distance bucket: 0 inside the mention, 1..MAX_DISTANCE left, then right."""
    inside = (words.starts < end) & (words.ends > start)
    n = len(words.starts)
    if inside.any():
        first, last = int(np.argmax(inside)), n - 1 - int(np.argmax(inside[::-1]))
    else:  # a mention between words: the word after it counts as the mention
        first = last = min(int(np.searchsorted(words.starts, start)), max(n - 1, 0))
    lo = max(0, min(first - MAX_WORDS // 2, n - MAX_WORDS))
    window = slice(lo, min(n, lo + MAX_WORDS))
    position = np.arange(window.start, window.stop)
    left = np.clip(first - position, 0, MAX_DISTANCE)
    right = np.clip(position - last, 0, MAX_DISTANCE)
    bucket = np.where(position < first, left, np.where(position > last, MAX_DISTANCE + right, 0))
    return window, bucket


class ToneCNN:
    """The convolution, distance vectors, attention and output layer (numpy float32)."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.conv = weights["conv"]  # (width * input, filters)
        self.conv_bias = weights["conv_bias"]
        self.distance = weights["distance"]  # (2 * MAX_DISTANCE + 1, filters)
        self.query = weights["query"]  # (filters,)
        self.distance_attention = weights["distance_attention"]  # (2 * MAX_DISTANCE + 1,)
        self.out = weights["out"]  # (3, 3 * filters)
        self.out_bias = weights["out_bias"]
        self.width = int(weights["width"])
        # WordPieces whose static vector training corrected, and their corrected vectors (optional)
        self.piece_ids = weights.get("piece_ids", np.zeros(0, np.int32))
        self.piece_vectors = weights.get("piece_vectors")
        # the light model's weight in the mix (analysis.tone.probabilities), chosen in training
        self.light_weight = float(weights["light_weight"]) if "light_weight" in weights else 0.5
        self._piece_table: np.ndarray | None = None
        extra = self.conv.reshape(self.width, -1, self.conv.shape[1])[:, -EXTRA:]
        self.extra_taps = [[row for row in tap] for tap in extra]  # per tap, per extra feature: (filters,)

    @property
    def piece_table(self) -> np.ndarray:
        """Every WordPiece's vector (as corrected in training, where it was) through each tap of the
        convolution: (vocabulary, width x filters).
        A word's contribution is the mean of its pieces' rows (the convolution is linear), so a
        sentence needs no matrix product of its own. Computed once, on first use."""
        if self._piece_table is None:
            unit = load_static_model().unit
            if len(self.piece_ids):
                unit = unit.copy()
                unit[self.piece_ids] = self.piece_vectors
            taps = self.conv.reshape(self.width, -1, self.conv.shape[1])[:, : unit.shape[1]]
            self._piece_table = np.hstack([unit @ tap for tap in taps]).astype(np.float32)
        return self._piece_table

    def convolve(self, projected: np.ndarray) -> np.ndarray:
        """The convolution (``same`` padding) of one sentence's words given each word through each
        tap (words x (width x filters)): words x filters."""
        n, f = len(projected), self.conv.shape[1]
        half = self.width // 2
        out = np.broadcast_to(self.conv_bias, (n, f)).copy()
        for tap in range(self.width):
            shift = tap - half  # the word ``shift`` places after the output's word
            lo, hi = max(0, -shift), min(n, n - shift)
            if lo < hi:
                out[lo:hi] += projected[lo + shift : hi + shift, tap * f : (tap + 1) * f]
        return out

    def logits(self, convolved: np.ndarray, bucket: np.ndarray) -> np.ndarray:
        """The three logits for one mention: ``convolved`` rows of its window, their distance buckets."""
        h = np.maximum(convolved + self.distance[bucket], 0.0)
        inside = bucket == 0
        target = h[inside].mean(axis=0) if inside.any() else np.zeros(h.shape[1], np.float32)
        scores = (h * self.query).sum(axis=1) + self.distance_attention[bucket]
        weights = np.exp(scores - scores.max())
        attended = (h * (weights / weights.sum())[:, None]).sum(axis=0)
        pooled = np.concatenate([h.max(axis=0), target, attended])
        return (self.out * pooled).sum(axis=1) + self.out_bias

    def probabilities(self, texts: Sequence[str], starts: Sequence[int], ends: Sequence[int]) -> np.ndarray:
        """P(negative), P(neutral), P(positive) per mention (rows sum to 1)."""
        out = np.full((len(texts), 3), 1.0 / 3.0)
        distinct: dict[str, int] = {}
        for text in texts:
            distinct.setdefault(str(text), len(distinct))
        spans, words = _split(list(distinct))
        # each word through each tap: its pieces' mean row of the table, plus its extra features
        # times their weights one by one (sums of products, no matrix product: no row depends on others)
        projected = _piece_means(self.piece_table, words)
        extras = _extras(words)
        f = self.conv.shape[1]
        for tap in range(self.width):
            for j in range(EXTRA):
                projected[:, tap * f : (tap + 1) * f] += extras[:, j : j + 1] * self.extra_taps[tap][j]
        sentences = _by_text(spans, projected)
        convolved: dict[tuple[int, int], np.ndarray] = {}  # (sentence, window start): its convolution
        for i, (text, start, end) in enumerate(zip(texts, starts, ends, strict=True)):
            k = distinct[str(text)]
            if not len(sentences[k].starts):
                continue
            window, bucket = mention_window(sentences[k], int(start), int(end))
            if (k, window.start) not in convolved:
                convolved[k, window.start] = self.convolve(sentences[k].x[window])
            z = self.logits(convolved[k, window.start], bucket).astype(np.float64)
            p = np.exp(z - z.max())
            out[i] = p / p.sum()
        return out


@lru_cache(maxsize=1)
def load_cnn(path: str | None = None) -> ToneCNN:
    """The shipped convolutional tone model (loaded once per process)."""
    with np.load(Path(path) if path else CNN_PATH) as data:
        return ToneCNN({k: data[k] for k in data.files})
