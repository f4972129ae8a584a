"""Sentence tone: TextBlob (the default) or VADER, the two sentiment scorers.

Both scorers return ``polarity`` in [-1, 1] and ``subjectivity`` in [0, 1]:
- TextBlob: the pattern lexicon's polarity and subjectivity, averaged over the opinion words it
  knows. It reads adjectives, not events: “a chatbot … called Tay was manipulated by users into
  spewing racist and sexist messages” scores 0.0, and “Microsoft hasn't always had the best luck
  with bots” scores +1.0 (it sees “best”, not the negation of the whole clause).
- VADER: the compound score (valence lexicon with rules for negation, intensifiers and “but”);
  ``subjectivity`` is 1 - VADER's neutral proportion (the share of the sentence carrying valence).
  It scores the Tay sentence -0.80 but still reads “hasn't always had the best luck” as clearly
  positive (+0.80), and the Google-lags-Amazon aside only faintly negative (-0.13).
Curly quotes and apostrophes are made straight first: both lexicons were built on ASCII text and
TextBlob misses “hasn’t” written with a curly apostrophe.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

SCORERS = ("textblob", "vader")
SCORER_NAMES = {"textblob": "TextBlob", "vader": "VADER"}  # each scorer as the analyst reads it
_STRAIGHTEN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "′": "'"})


def normalise_quotes(text: str) -> str:
    """Replace curly quotes and apostrophes with straight ones (same length)."""
    return text.translate(_STRAIGHTEN)


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _textblob_scores(text: str) -> tuple[float, float]:
    from textblob import TextBlob

    sentiment = TextBlob(text).sentiment
    return float(sentiment.polarity), float(sentiment.subjectivity)


def _vader_scores(text: str) -> tuple[float, float]:
    scores = _vader().polarity_scores(text)
    subjectivity = 1.0 - scores["neu"] if text.strip() else 0.0
    return float(scores["compound"]), float(subjectivity)


def score_texts(texts: Iterable[str], *, scorer: str = "textblob") -> pd.DataFrame:
    """Score each text. Returns a DataFrame with columns ``polarity``, ``subjectivity``, one row per text.

    >>> score_texts(["A great day."])["polarity"].iloc[0] > 0
    np.True_
    """
    if scorer not in SCORERS:
        raise ValueError(f"unknown sentiment scorer {scorer!r}; choose one of {', '.join(SCORERS)}")
    scores = _textblob_scores if scorer == "textblob" else _vader_scores
    cache: dict[str, tuple[float, float]] = {}
    rows = []
    for text in texts:
        clean = normalise_quotes(text)
        if clean not in cache:
            cache[clean] = scores(clean)
        rows.append(cache[clean])
    return pd.DataFrame(rows, columns=["polarity", "subjectivity"], dtype=float)
