"""Tone toward each entity mention: the tone its sentence takes toward that target, not the sentence's.

"Smith praised the plan while attacking Jones" is positive toward Smith and negative toward Jones;
sentence scorers (``analysis.sentiment``) give both the same number. This model reads the words
on each side of the mention, nearer words counting more:

- the project's static MiniLM vectors (``analysis.similarity``) of the words left and right of the
  mention, distance-weighted (two decay lengths) and in whole, plus the mention's own vector;
- VADER's lexicon valence of the words on each side (positive and negative apart, decayed with
  distance), negations near the mention, and VADER's compound score of the six words next to it;
- a multinomial logistic regression over these (weights in ``data/tone_model.npz``, numpy only).

:func:`score_mentions` mixes this light model's probabilities with those of a target-aware
convolutional network over the same static vectors, corrected in training (``analysis.tone_cnn``,
trained by ``training/train_tone_cnn.py``), with the light model's weight chosen in training
(``ToneCNN.light_weight``): cross-validated macro-F1 0.699 against 0.656 for the light model alone.

Trained on NewsMTSC (Hamborg & Donnay, EACL 2021; MIT) by ``training/train_tone.py``, which
also holds the cross-validation it was chosen by (README, "Tone toward entities").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import tone_cnn
from .sentiment import _vader, normalise_quotes
from .similarity import load_model as load_static_model
from .tone_cnn import load_cnn
from .utils import short_hash

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "tone_model.npz"
LABELS = ("negative", "neutral", "positive")
DECAYS = (2.0, 6.0)  # words: a word d words away weighs exp(-d / decay)
NEAR_WORDS = 6  # the words next to the mention that VADER reads on each side


def _side_vectors(texts: Sequence[str], *, reverse: bool, decayed: bool = True) -> np.ndarray:
    """Per text: decayed sums for each of :data:`DECAYS`, then the SIF-weighted mean, of its token vectors.

    ``reverse``: distance counts from the text's end (the words left of a mention); without
    ``decayed`` the decayed sums stay zero (the mention itself needs only its mean)."""
    model = load_static_model()
    tokens = model.tokenise(list(texts))
    n, dim = len(tokens), model.vectors.shape[1]
    out = np.zeros((n, dim * (len(DECAYS) + 1)), np.float32)
    lengths = np.diff(tokens.offsets)
    if not lengths.sum():
        return out
    owner = np.repeat(np.arange(n), lengths)
    rank = np.arange(len(tokens.ids)) - tokens.offsets[owner]
    distance = (lengths[owner] - 1 - rank) if reverse else rank
    vectors = model.unit[tokens.ids] * model.weights[tokens.ids, None]
    has = lengths > 0
    starts = tokens.offsets[:-1][has]
    for k, decay in enumerate(DECAYS if decayed else ()):  # each text's pieces are contiguous: reduceat
        weighted = vectors * np.exp(-distance / decay).astype(np.float32)[:, None]
        out[has, k * dim : (k + 1) * dim] = np.add.reduceat(weighted, starts, axis=0)
    out[has, len(DECAYS) * dim :] = np.add.reduceat(vectors, starts, axis=0) / lengths[has, None]
    return out


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_NEGATIONS = frozenset({"not", "no", "never", "n't", "without", "nor", "neither", "cannot", "hardly"})


def _valence(texts: Sequence[str], *, reverse: bool) -> np.ndarray:
    """Per text: VADER's lexicon valence of its words, positive and negative apart, decayed with
    the distance from the mention for each of :data:`DECAYS`, and a decayed count of negations."""
    lexicon = _vader().lexicon
    out = np.zeros((len(texts), 3 * len(DECAYS)), np.float32)
    for i, text in enumerate(texts):
        words = _WORD.findall(text.lower())
        if reverse:
            words.reverse()
        for d, word in enumerate(words):
            valence = lexicon.get(word, 0.0)
            negation = word in _NEGATIONS or word.endswith("n't")
            if not valence and not negation:
                continue
            for k, decay in enumerate(DECAYS):
                w = np.exp(-d / decay)
                out[i, 3 * k] += w * max(valence, 0.0)
                out[i, 3 * k + 1] += w * min(valence, 0.0)
                out[i, 3 * k + 2] += w * negation
    return out


def _vader_compound(texts: Sequence[str]) -> np.ndarray:
    analyser = _vader()
    cache: dict[str, float] = {}
    out = np.empty(len(texts), np.float32)
    for i, text in enumerate(texts):
        if text not in cache:
            cache[text] = analyser.polarity_scores(text)["compound"] if text.strip() else 0.0
        out[i] = cache[text]
    return out


def features(texts: Sequence[str], starts: Sequence[int], ends: Sequence[int]) -> np.ndarray:
    """One row of features per mention: sentence ``texts[i]``, the mention at ``[starts[i], ends[i])``.

    >>> features(["Smith praised Jones."], [0], [5]).shape
    (1, 911)
    """
    texts = [t if t.isascii() else normalise_quotes(t) for t in map(str, texts)]
    lefts = [t[:s] for t, s in zip(texts, starts, strict=True)]
    rights = [t[e:] for t, e in zip(texts, ends, strict=True)]
    targets = [t[s:e] for t, s, e in zip(texts, starts, ends, strict=True)]
    static = load_static_model()
    target_vectors = _side_vectors(targets, reverse=False, decayed=False)[:, -static.vectors.shape[1] :]
    near_left = [" ".join(x.split()[-NEAR_WORDS:]) for x in lefts]
    near_right = [" ".join(x.split()[:NEAR_WORDS]) for x in rights]
    # VADER's rules (negation, "but") on the words next to the mention; on whole clauses it
    # added 0.002 macro-F1 for 3x the cost (README, "Tone toward entities")
    lexicon = np.stack(
        [
            _vader_compound(near_left),
            _vader_compound(near_right),
            np.array([len(x.split()) for x in lefts], np.float32) / 20.0,
        ],
        axis=1,
    )
    return np.hstack(
        [_side_vectors(lefts, reverse=True), _side_vectors(rights, reverse=False), target_vectors, lexicon,
         _valence(lefts, reverse=True), _valence(rights, reverse=False)]
    ).astype(np.float32)


class ToneModel:
    """A multinomial logistic regression over :func:`features` (standardised)."""

    def __init__(self, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.mean, self.scale, self.coef, self.intercept = mean, scale, coef, intercept

    def probabilities(self, texts: Sequence[str], starts: Sequence[int], ends: Sequence[int]) -> np.ndarray:
        """P(negative), P(neutral), P(positive) per mention (rows sum to 1)."""
        if not len(texts):
            return np.zeros((0, len(LABELS)))
        x = (features(texts, starts, ends) - self.mean) / self.scale
        # einsum's own loop, not BLAS: a mention's score must not depend on the rows scored with it
        # (the store's tables equal whatever partitions the ingest used, bit for bit)
        logits = np.einsum("ij,kj->ik", x.astype(np.float64), self.coef.astype(np.float64)) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def save(self, path: str | Path) -> None:
        np.savez_compressed(path, mean=self.mean, scale=self.scale, coef=self.coef, intercept=self.intercept)


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> ToneModel:
    """The shipped tone model (loaded once per process)."""
    with np.load(Path(path) if path else MODEL_PATH) as data:
        return ToneModel(*(data[k].astype(np.float32) for k in ("mean", "scale", "coef", "intercept")))


def probabilities(texts: Sequence[str], starts: Sequence[int], ends: Sequence[int]) -> np.ndarray:
    """P(negative), P(neutral), P(positive) per mention: the light model's and the convolutional
    model's (``analysis.tone_cnn``) probabilities, mixed with the light model's weight chosen in
    training (``ToneCNN.light_weight``; README, "Tone toward entities")."""
    if not len(texts):
        return np.zeros((0, len(LABELS)))
    cnn = load_cnn()
    w = cnn.light_weight
    return w * load_model().probabilities(texts, starts, ends) + (1 - w) * cnn.probabilities(texts, starts, ends)


def warm_tone_model() -> None:
    """Load the models, the static vectors and VADER now (before worker processes fork)."""
    load_model()
    load_cnn()
    load_static_model()
    _vader()


@lru_cache(maxsize=1)
def tone_version() -> str:
    """The version of the entity tones: a hash of the two models' modules and weights."""
    sources = (Path(__file__), MODEL_PATH, Path(tone_cnn.__file__), tone_cnn.CNN_PATH)
    return "tone+" + short_hash(*(path.read_bytes() for path in sources), length=12)


def score_mentions(texts: Sequence[str], starts: Sequence[int], ends: Sequence[int]) -> pd.DataFrame:
    """Tone toward each mention. Returns columns ``tone`` (negative, neutral or positive: the most
    probable) and ``tone_score`` (P(positive) - P(negative), in [-1, 1]), one row per mention.

    >>> score_mentions([], [], []).columns.tolist()
    ['tone', 'tone_score']
    """
    p = probabilities(texts, starts, ends)
    labels = np.array(LABELS, dtype=object)[p.argmax(axis=1)] if len(p) else np.array([], object)
    return pd.DataFrame({"tone": pd.Series(labels, dtype="str"),
                         "tone_score": pd.Series((p[:, 2] - p[:, 0]) if len(p) else [], dtype=float)})


def mention_tones(sentences: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """:func:`score_mentions` of each mention (``article_id``, ``sentence``, ``start``, ``end``:
    offsets in the article) read from its sentence (``article_id``, ``position``, ``start``,
    ``text``), one row per mention in order. Does not mutate its inputs."""
    if mentions.empty:
        return score_mentions([], [], [])
    at = sentences.set_index(["article_id", "position"])[["start", "text"]].reindex(
        pd.MultiIndex.from_frame(mentions[["article_id", "sentence"]])
    )
    offset = at["start"].to_numpy(dtype=float)
    return score_mentions(
        at["text"].fillna("").tolist(),
        (mentions["start"].to_numpy() - offset).astype(int).tolist(),
        (mentions["end"].to_numpy() - offset).astype(int).tolist(),
    )
