"""Unique angles: each outlet's sentences that no other outlet wrote, ranked by what they carry.

A sentence is an angle candidate when another outlet covers its story (``best_match`` is known,
``analysis.align``), it is not a headline and it is not a fragment. A fragment carries no claim:
fewer than two content words ("Crazy!", ".", "Thank you."), or fewer than three without a named
entity ("I love y'all."). Content words are the words that are neither stop words nor house style
(:func:`analysis.terms.tokens`: honorifics, weekdays, months, time stamps), so a dateline such as
"Published August 02, 2013" is a fragment; numbers add to ``information`` but are not content words.

Candidates are ranked unique first (``best_match`` under the threshold), then by
``(1 - best_match) * information``: how unlike anything the other outlets wrote, times how much it
says. ``information`` is the summed inverse document frequency of the sentence's distinct content
words over the sentences given (smoothed: ``ln((1 + N) / (1 + df)) + 1``), so a sentence of rare
words and names outranks one of common words, and a long sentence outranks a short one only by
the words it adds. The effect on real text is measured by ``python -m bench.angles`` (README,
"Unique angles").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .terms import _TOKEN, _straight, _term

ANGLES = [
    "story", "outlet", "sentence", "best_match", "unique", "closest_outlet", "closest_sentence", "article_id",
    "position", "content_words", "entities", "information",
]
CONTENT = ["content_words", "entities", "information"]
_NUMBER = re.compile(r"\d[\d.,:/%-]*")


def content_terms(text: str) -> list[str]:
    """The distinct content words (lower case) and numbers of ``text``, in order.

    >>> content_terms("I love y'all.")
    ['love']
    >>> content_terms("Tara Reid, 33, entered rehab on Monday; the rehab is in Malibu.")
    ['tara', 'reid', '33', 'entered', 'rehab', 'malibu']
    """
    out: dict[str, None] = {}
    for token in _TOKEN.findall(_straight(str(text))):
        term = _term(token, False) or (token if _NUMBER.fullmatch(token) else None)
        if term:
            out.setdefault(term)
    return list(out)


def sentence_content(sentences: pd.DataFrame) -> pd.DataFrame:
    """What each sentence carries, indexed like ``sentences`` (needs ``text``; ``entities``, the
    ``"; "``-joined names of the ``sentences`` table, is optional). Not modified.

    Returns DataFrame[content_words, entities, information]: the number of distinct content words
    (:func:`content_terms` without the numbers), of distinct named entities, and the summed smoothed
    IDF of the content words and numbers, the documents being the given sentences' distinct texts.

    >>> s = pd.DataFrame({"text": ["Crazy!", "Microsoft shut Tay down.", "Microsoft apologised."],
    ...                   "entities": ["", "Microsoft; Tay", "Microsoft"]})
    >>> sentence_content(s)[["content_words", "entities"]].values.tolist()
    [[1, 0], [3, 2], [2, 1]]
    """
    texts = sentences["text"].fillna("").astype(str) if len(sentences) else pd.Series(dtype=str)
    codes, distinct = pd.factorize(texts.to_numpy(dtype=object))
    terms = [content_terms(t) for t in distinct]
    df: dict[str, int] = {}
    for words in terms:
        for word in words:
            df[word] = df.get(word, 0) + 1
    n = len(distinct)
    information = np.array([sum(np.log((1 + n) / (1 + df[w])) + 1 for w in words) for words in terms], dtype=float)
    count = np.array([sum(not _NUMBER.fullmatch(w) for w in words) for words in terms], dtype=np.int64)
    if "entities" in sentences:
        names = sentences["entities"].fillna("").astype(str)
        entities = names.map(lambda s: len({e for e in s.split("; ") if e})).to_numpy(dtype=np.int64)
    else:
        entities = np.zeros(len(sentences), dtype=np.int64)
    return pd.DataFrame({
        "content_words": count[codes] if n else np.zeros(0, np.int64),
        "entities": entities,
        "information": information[codes] if n else np.zeros(0),
    }, index=sentences.index)


def is_fragment(content: pd.DataFrame) -> pd.Series:
    """True where a sentence carries no claim (``content`` from :func:`sentence_content`): fewer
    than two content words, or fewer than three and no named entity."""
    words, entities = content["content_words"], content["entities"]
    return (words < 2) | ((words < 3) & (entities == 0))


def rank_angles(sentences: pd.DataFrame, *, n: int = 5) -> pd.DataFrame:
    """Each outlet's ``n`` best angle cards per story, each beside its closest counterpart.

    Args:
        sentences: the ``sentences`` table (story, outlet, text, best_match, unique, matched_outlet,
            matched_text, article_id, position; ``is_title`` and ``entities`` optional). Not modified.
        n: cards per story and outlet.

    Returns:
        Columns :data:`ANGLES`: story, outlet, sentence (its text), best_match, unique,
        closest_outlet, closest_sentence (the other outlet's closest sentence), article_id,
        position, content_words, entities, information (:func:`sentence_content`); sorted by
        story, outlet and rank (the module's ranking). Headlines and fragments are left out; empty
        when nothing was matched (one outlet in every story).

    >>> s = pd.DataFrame({"story": "s", "outlet": ["A", "A", "B"], "article_id": ["a", "a", "b"],
    ...                   "position": [1, 2, 1], "unique": [True, True, True],
    ...                   "text": ["Crazy!", "Microsoft took Tay offline within a day.", "Tay was a bot."],
    ...                   "best_match": [0.1, 0.3, 0.3], "matched_outlet": ["B", "B", "A"],
    ...                   "matched_text": ["Tay was a bot.", "Tay was a bot.", "Crazy!"]})
    >>> rank_angles(s)["sentence"].tolist()
    ['Microsoft took Tay offline within a day.']
    """
    have = sentences.dropna(subset=["best_match"]) if "best_match" in sentences else sentences.iloc[0:0]
    if "is_title" in have:
        have = have[~have["is_title"].astype(bool)]
    if have.empty:
        return _empty()
    # IDF over every sentence given (all outlets and stories of the selection), not only the candidates
    content = sentence_content(sentences).loc[have.index]
    keep = ~is_fragment(content)
    have, content = have[keep], content[keep]
    if have.empty:
        return _empty()
    unique = have["unique"].fillna(False).astype(bool) if "unique" in have else pd.Series(False, index=have.index)
    ranked = have.assign(
        **content, unique=unique, _unique=unique.astype(int),
        _score=(1.0 - have["best_match"].astype(float)) * content["information"],
    ).sort_values(["story", "outlet", "_unique", "_score", "article_id", "position"],
                  ascending=[True, True, False, False, True, True], kind="stable")
    top = ranked.groupby(["story", "outlet"], sort=True).head(n)
    out = top.rename(columns={"text": "sentence", "matched_outlet": "closest_outlet",
                              "matched_text": "closest_sentence"})
    return out[ANGLES].reset_index(drop=True)


def _empty() -> pd.DataFrame:
    dtypes = {"best_match": "float64", "information": "float64", "content_words": "int64", "entities": "int64",
              "unique": "bool"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in ANGLES})
