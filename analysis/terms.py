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
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd
from analysis.schema import STOP_WORDS

TERMS_COLUMNS = ["story", "outlet", "term", "count", "z"]

_WORD = re.compile(r"[^\W\d_](?:[\w\-]*\w)?")
_APOSTROPHES = ("’", "‘", "ʼ")  # read as "'"
_STOP = frozenset(STOP_WORDS) | {"s", "t", "n't", "'s", "ve", "ll", "re", "d", "m", "said", "says"}


_TOKEN = re.compile(r"[^\W_](?:[\w\-']*\w)?|[^\w\s]")


def tokens(text: str) -> list[str | None]:
    """Lower-cased word tokens of ``text``; stop words and possessive endings become None.

    None keeps the place of a removed word so that no bigram spans it.

    >>> tokens("Microsoft’s Azure is the preferred cloud")
    ['microsoft', 'azure', None, None, 'preferred', 'cloud']
    """
    if not text.isascii():  # str.replace is ~30x faster than str.translate with a dict
        for mark in _APOSTROPHES:
            text = text.replace(mark, "'")
    return [_keep(token) for token in _TOKEN.findall(text)]


@lru_cache(maxsize=100_000)
def _keep(token: str) -> str | None:
    """The term a raw token stands for, or None for a stop word or a non-word."""
    word = token.lower()
    if word.endswith("'s"):
        word = word[:-2]
    if not _WORD.fullmatch(word) or word in _STOP or word.replace("'", "") in _STOP:
        return None
    return word


def _terms(text: str, bigrams: bool) -> list[str]:
    """The unigrams, then (when ``bigrams``) the adjacent non-stop pairs of ``text``."""
    words = tokens(text)
    out = [w for w in words if w]
    if bigrams:
        out.extend(f"{a} {b}" for a, b in zip(words, words[1:]) if a and b)
    return out


def term_counts(texts: Iterable[str], *, bigrams: bool = True) -> Counter[str]:
    """Counts of unigrams and (when ``bigrams``) of adjacent non-stop word pairs in ``texts``.

    >>> sorted(term_counts(["preferred cloud platform"]).items())
    [('cloud', 1), ('cloud platform', 1), ('platform', 1), ('preferred', 1), ('preferred cloud', 1)]
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_terms(text, bigrams))
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
    z = _z(y_i.to_numpy(), y_j.to_numpy(), a.to_numpy(), float(y_i.sum()), float(y_j.sum()), a0)
    return pd.Series(z, index=prior.index)


def _z(y_i: np.ndarray, y_j: np.ndarray, a: np.ndarray, n_i, n_j, a0: float) -> np.ndarray:
    """:func:`log_odds_z` on aligned arrays (``n_i``, ``n_j``: the groups' totals, scalars or arrays)."""
    rest_i, rest_j = n_i + a0 - y_i - a, n_j + a0 - y_j - a
    # Both are zero only when the term is the selection's whole vocabulary: no odds, no evidence.
    defined = (rest_i > 0) & (rest_j > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y_i + a) / rest_i) - np.log((y_j + a) / rest_j)
    delta = np.where(defined, delta, 0.0)
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

    # Term lists per distinct text (a corpus repeats boilerplate), counted per story and outlet.
    terms_of: dict[str, list[str]] = {}
    groups = []  # (story, outlet, Counter) sorted by story and outlet
    for (story_name, outlet_name), group in texts.groupby([story, outlet], sort=True):
        lists = []
        for text in group:
            found = terms_of.get(text)
            if found is None:
                found = terms_of[text] = _terms(text, bigrams)
            lists.append(found)
        groups.append((story_name, outlet_name, Counter(chain.from_iterable(lists))))

    # One row per story, outlet and term.
    sizes = np.array([len(c) for _, _, c in groups], dtype=np.int64)
    group_of = np.repeat(np.arange(len(groups)), sizes)
    own = np.fromiter(chain.from_iterable(c.values() for _, _, c in groups), dtype=np.float64, count=int(sizes.sum()))
    term_code, vocabulary = pd.factorize(
        pd.Series(list(chain.from_iterable(c.keys() for _, _, c in groups)), dtype=object))
    total = int(own.sum())
    if total == 0:
        return distinctive_terms(sentences.iloc[0:0])
    story_names = sorted({s for s, _, _ in groups})
    story_code_of_group = np.array([story_names.index(s) for s, _, _ in groups], dtype=np.int64)
    story_of = story_code_of_group[group_of]
    outlets_per_story = np.bincount(story_code_of_group, minlength=len(story_names))

    selection = np.bincount(term_code, weights=own, minlength=len(vocabulary))
    mass = float(total if prior_mass is None else prior_mass)
    prior = (selection / total)[term_code] * mass
    story_term = story_of * len(vocabulary) + term_code
    st_code, _ = pd.factorize(story_term)
    in_story = np.bincount(st_code, weights=own)[st_code]
    n_group = np.bincount(group_of, weights=own, minlength=len(groups))
    n_story = np.bincount(story_code_of_group, weights=n_group, minlength=len(story_names))
    n_i = n_group[group_of]
    n_j = n_story[story_of] - n_i

    keep = (own >= min_count) & (outlets_per_story[story_of] >= 2)
    z = _z(own[keep], in_story[keep] - own[keep], prior[keep], n_i[keep], n_j[keep], mass)
    kept_groups = group_of[keep]
    out = pd.DataFrame({
        "story": pd.Series([groups[g][0] for g in kept_groups], dtype=str),
        "outlet": pd.Series([groups[g][1] for g in kept_groups], dtype=str),
        "term": pd.Series(vocabulary[term_code[keep]], dtype=str),
        "count": own[keep].astype("int64"),
        "z": z,
        "group": kept_groups,
    })
    if out.empty:
        return distinctive_terms(sentences.iloc[0:0])
    out = out.sort_values(["group", "z", "term"], ascending=[True, False, True], kind="stable")
    if top is not None:
        out = out.groupby("group", sort=False).head(top)
    return out[TERMS_COLUMNS].reset_index(drop=True)
