"""Distinctive terms: what words each outlet leans on, compared with the other outlets of its story.

The score is the log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi and Quinn
(2008), "Fightin' Words" (Political Analysis 16(4), eq. 16, 19, 22). For a term w, an outlet i and
the rest of the selection j (the other outlets of the same story):

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
    var_w   = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

where y are term counts, n total term counts, a_w the prior count of w and a_0 the sum of a_w. The
prior is the term's share of the whole selection (every story and outlet) times a_0 =
``prior_mass`` (by default the selection's total term count, so a_w is the term's count in the
whole selection: a conservative prior that shrinks rare terms towards zero). With few articles most |z| stay under 1.96: rank by z.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd
from spacy.lang.en.stop_words import STOP_WORDS

TERMS_COLUMNS = ["story", "outlet", "term", "count", "z"]

_WORD = re.compile(r"[^\W\d_](?:[\w\-]*\w)?")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_STOP = frozenset(STOP_WORDS) | {"s", "t", "n't", "'s", "ve", "ll", "re", "d", "m", "said", "says"}


def tokens(text: str) -> list[str | None]:
    """Lower-cased word tokens of ``text``; stop words and possessive endings become None.

    None keeps the place of a removed word so that no bigram spans it.

    >>> tokens("Microsoft’s Azure is the preferred cloud")
    ['microsoft', 'azure', None, None, 'preferred', 'cloud']
    """
    text = text.translate(_APOSTROPHES)
    out: list[str | None] = []
    for match in re.finditer(r"[^\W_](?:[\w\-']*\w)?|[^\w\s]", text):
        word = match.group(0).lower()
        if word.endswith("'s"):
            word = word[:-2]
        if not _WORD.fullmatch(word) or word in _STOP or word.replace("'", "") in _STOP:
            out.append(None)
        else:
            out.append(word)
    return out


def term_counts(texts: Iterable[str], *, bigrams: bool = True) -> Counter[str]:
    """Counts of unigrams and (when ``bigrams``) of adjacent non-stop word pairs in ``texts``.

    >>> sorted(term_counts(["preferred cloud platform"]).items())
    [('cloud', 1), ('cloud platform', 1), ('platform', 1), ('preferred', 1), ('preferred cloud', 1)]
    """
    counts: Counter[str] = Counter()
    for text in texts:
        words = tokens(text)
        counts.update(w for w in words if w)
        if bigrams:
            counts.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a and b)
    return counts


def log_odds_z(
    counts_i: pd.Series, counts_j: pd.Series, prior: pd.Series, *, a0: float | None = None
) -> pd.Series:
    """Monroe et al.'s z-score of each term of ``prior`` for group i against group j.

    All three Series are indexed by term; missing counts are zero. ``prior`` holds the prior counts
    a_w (all positive); ``a0`` is their total over the whole vocabulary (default: ``prior.sum()``).
    Returns z indexed like ``prior``.

    >>> z = log_odds_z(pd.Series({"a": 3}), pd.Series({"b": 3}), pd.Series({"a": 1.0, "b": 1.0}))
    >>> round(float(z["a"]), 3), round(float(z["b"]), 3)
    (2.48, -2.48)
    """
    y_i = counts_i.reindex(prior.index, fill_value=0).astype(float)
    y_j = counts_j.reindex(prior.index, fill_value=0).astype(float)
    a = prior.astype(float)
    a0 = float(a.sum()) if a0 is None else float(a0)
    n_i, n_j = float(y_i.sum()), float(y_j.sum())
    rest_i, rest_j = n_i + a0 - y_i - a, n_j + a0 - y_j - a
    # Both are zero only when the term is the selection's whole vocabulary: no odds, no evidence.
    defined = (rest_i > 0) & (rest_j > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y_i + a) / rest_i) - np.log((y_j + a) / rest_j)
    delta = delta.where(defined, 0.0)
    return delta / np.sqrt(1.0 / (y_i + a) + 1.0 / (y_j + a))


def distinctive_terms(
    sentences: pd.DataFrame,
    *,
    min_count: int = 2,
    bigrams: bool = True,
    prior_mass: float | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Each outlet's distinctive terms against the other outlets of the same story.

    Args:
        sentences: one row per sentence with at least ``story``, ``outlet`` and ``text``
            (headlines included). Not modified.
        min_count: keep terms the outlet used at least this often in the story.
        bigrams: count adjacent non-stop word pairs as well as single words.
        prior_mass: a_0, the total prior count; None uses the selection's total term count.
        top: keep only the ``top`` highest z per story and outlet (None keeps all).

    Returns:
        DataFrame[story, outlet, term, count, z], one row per story, outlet and term, sorted by
        story, outlet and z (highest first). ``count`` is the outlet's count of the term in the
        story. Stories with a single outlet have no rest to compare with and give no rows.

    >>> s = pd.DataFrame({"story": "", "outlet": ["A", "A", "B"],
    ...                   "text": ["Tay chatbot Tay.", "Azure cloud.", "Azure cloud."]})
    >>> distinctive_terms(s)[["outlet", "term"]].values.tolist()
    [['A', 'tay']]
    """
    if sentences.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                             zip(TERMS_COLUMNS, ["str", "str", "str", "int64", "float64"])})
    story = sentences["story"].fillna("").astype(str)
    outlet = sentences["outlet"].astype(str)
    texts = sentences["text"].fillna("").astype(str)

    per_group = {
        key: term_counts(group, bigrams=bigrams)
        for key, group in texts.groupby([story, outlet], sort=True)
    }
    selection: Counter[str] = Counter()
    for counts in per_group.values():
        selection.update(counts)
    total = sum(selection.values())
    if total == 0:
        return distinctive_terms(sentences.iloc[0:0])
    share = pd.Series(selection, dtype=float) / total
    mass = float(total if prior_mass is None else prior_mass)

    frames = []
    for story_name in sorted({s for s, _ in per_group}):
        outlets = {o: c for (s, o), c in per_group.items() if s == story_name}
        if len(outlets) < 2:
            continue
        story_total: Counter[str] = Counter()
        for counts in outlets.values():
            story_total.update(counts)
        prior = share.reindex(list(story_total)) * mass
        for name, counts in outlets.items():
            own = pd.Series(counts, dtype=float)
            rest = pd.Series(story_total, dtype=float).sub(own, fill_value=0)
            z = log_odds_z(own, rest, prior, a0=mass)
            kept = own[own >= min_count]
            if kept.empty:
                continue
            frame = pd.DataFrame({
                "story": story_name,
                "outlet": name,
                "term": kept.index.astype(str),
                "count": kept.to_numpy().astype("int64"),
                "z": z.reindex(kept.index).to_numpy(),
            }).sort_values(["z", "term"], ascending=[False, True], kind="stable")
            if top is not None:
                frame = frame.head(top)
            frames.append(frame)
    if not frames:
        return distinctive_terms(sentences.iloc[0:0])
    return pd.concat(frames, ignore_index=True)[TERMS_COLUMNS]
