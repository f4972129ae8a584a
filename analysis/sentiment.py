"""Sentence tone: TextBlob (the default) or VADER.

Both engines return ``polarity`` in [-1, 1] and ``subjectivity`` in [0, 1]:
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

import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

ENGINES = ("textblob", "vader")
_STRAIGHTEN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "′": "'"})


def normalise_quotes(text: str) -> str:
    """Replace curly quotes and apostrophes with straight ones (same length)."""
    return text.translate(_STRAIGHTEN)


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _pattern_sentiment():
    """TextBlob's default analyser (``TextBlob(text).sentiment`` is ``textblob.en.sentiment(text)``),
    built from TextBlob's own ``_text`` module and lexicon with ``textblob.en``'s settings.

    Importing ``textblob`` imports NLTK (0.2-0.4 s, half the first scoring's time) for features
    this module never uses; ``_text`` needs only the standard library. Checked against
    ``TextBlob(text).sentiment`` in the doctest of ``_textblob_scores``.
    """
    spec = importlib.util.find_spec("textblob")  # locates the package without importing it
    folder = Path(next(iter(spec.submodule_search_locations or ()), ""))
    text_spec = importlib.util.spec_from_file_location("analysis._textblob_text", folder / "_text.py")
    if text_spec is None or text_spec.loader is None or not (folder / "en" / "en-sentiment.xml").exists():
        from textblob.en import sentiment  # another TextBlob layout: the package itself

        return sentiment
    text = importlib.util.module_from_spec(text_spec)
    text_spec.loader.exec_module(text)

    class Sentiment(text.Sentiment):  # textblob.en.Sentiment
        def load(self, path=None):
            text.Sentiment.load(self, path)
            # Map "terrible" to adverb "terribly" (+1% accuracy)
            if not path:
                for w, pos in list(dict.items(self)):
                    if "JJ" in pos:
                        if w.endswith("y"):
                            w = w[:-1] + "i"
                        if w.endswith("le"):
                            w = w[:-2]
                        p, s, i = pos["JJ"]
                        self.annotate(w + "ly", "RB", p, s, i)

    parser = text.Parser(lexicon=None, default=("NN", "NNP", "CD"), language="en")  # tokeniser only
    return Sentiment(
        path=str(folder / "en" / "en-sentiment.xml"),
        synset="wordnet_id",
        negations=("no", "not", "n't", "never"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ly"),
        tokenizer=parser.find_tokens,
        language="en",
    )


def _textblob_scores(text: str) -> tuple[float, float]:
    """TextBlob's polarity and subjectivity.

    >>> from textblob import TextBlob
    >>> texts = ["Microsoft hasn't always had the best luck with bots.", "Not a very good, terribly slow day!",
    ...          "It was manipulated into spewing racist and sexist messages.", "", "Nice. Awful? Not bad at all"]
    >>> all(_textblob_scores(t) == tuple(TextBlob(t).sentiment) for t in texts)
    True
    """
    polarity, subjectivity = _pattern_sentiment()(text)[:2]
    return float(polarity), float(subjectivity)


def _vader_scores(text: str) -> tuple[float, float]:
    scores = _vader().polarity_scores(text)
    subjectivity = 1.0 - scores["neu"] if text.strip() else 0.0
    return float(scores["compound"]), float(subjectivity)


def score_texts(texts: Iterable[str], *, engine: str = "textblob") -> pd.DataFrame:
    """Score each text. Returns a DataFrame with columns ``polarity``, ``subjectivity``, one row per text.

    >>> score_texts(["A great day."])["polarity"].iloc[0] > 0
    np.True_
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown sentiment engine {engine!r}; choose one of {', '.join(ENGINES)}")
    scorer = _textblob_scores if engine == "textblob" else _vader_scores
    cache: dict[str, tuple[float, float]] = {}
    rows = []
    for text in texts:
        clean = normalise_quotes(text)
        if clean not in cache:
            cache[clean] = scorer(clean)
        rows.append(cache[clean])
    return pd.DataFrame(rows, columns=["polarity", "subjectivity"], dtype=float)
