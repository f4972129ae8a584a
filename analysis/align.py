"""Unique angles: align each sentence with the closest sentence another outlet wrote on the story.

Similarity is :func:`analysis.similarity.pair_similarity` (token matching with static MiniLM
vectors, so a paraphrase counts as the same point). Only sentences of the same story are compared:
per story, one matrix product of mean-pooled vectors shortlists ``candidates`` sentences of the
other outlets for each sentence, and only those are token-matched.

A sentence whose best match is under ``UNIQUE_THRESHOLD`` (0.53) is ``unique``: a point only its
outlet made. The cut was chosen on 55 hand-labelled sentences (``tests/test_align.py`` checks the
clear cases; the measurements and the known misses are in ``bench/README.md``, "The similarity
model: quality and speed"): with so few examples, treat it as a guide and rank by ``best_match``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from .cpu import cores, one_blas_thread
from .similarity import TokenTable, embed, pair_similarity, token_table, tokenise

UNIQUE_THRESHOLD = 0.53
CANDIDATES = 10
_BLOCK = 128  # sentences shortlisted at a time (see align_sentences)


def align_sentences(
    sentences: pd.DataFrame, *, threshold: float = UNIQUE_THRESHOLD, candidates: int = CANDIDATES
) -> pd.DataFrame:
    """Match every sentence with its closest counterpart from another outlet of the same story.

    Args:
        sentences: one row per sentence with at least ``article_id``, ``outlet``, ``story``
            (``""`` or missing is the default story), ``position`` and ``text``. Not modified.
        threshold: a sentence whose ``best_match`` is below this is ``unique``.
        candidates: how many sentences of other outlets, shortlisted by mean-vector cosine, are
            rescored by token matching for each sentence.

    Returns:
        A copy of ``sentences`` (same index and order) with the columns added:
        ``best_match`` (0-1 similarity to the closest sentence another outlet wrote in the same
        story; NaN when no other outlet covers the story), ``matched_outlet``,
        ``matched_article_id``, ``matched_position`` and ``matched_text`` (that sentence; missing
        when there is none) and ``unique`` (``best_match < threshold``; False without another
        outlet).

    >>> s = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"], "story": "",
    ...                   "position": [0, 1, 0],
    ...                   "text": ["Microsoft will democratize AI.", "Tay spewed racist messages.",
    ...                            "Microsoft is committed to democratizing AI."]})
    >>> align_sentences(s)[["matched_position", "unique"]].values.tolist()
    [[0, False], [0, True], [0, False]]
    """
    out = sentences.copy()
    n = len(out)
    best = np.full(n, np.nan)
    match = np.full(n, -1, dtype=np.int64)
    if n:
        # Vectors and token tables once per distinct text (a corpus repeats boilerplate sentences),
        # both from one tokenisation.
        distinct, texts = pd.factorize(out["text"].fillna("").astype(str).to_numpy(dtype=object))
        pieces = tokenise(list(texts))
        vectors = embed(pieces)[distinct]
        tokens = token_table(pieces)
        story = (out["story"].fillna("").astype(str) if "story" in out else pd.Series("", index=out.index)).to_numpy()
        outlet = pd.factorize(out["outlet"].astype(str).to_numpy(dtype=object))[0]  # codes: compared n² times
        codes = pd.factorize(story)[0]
        order = np.argsort(codes, kind="stable")
        stories = np.split(order, np.flatnonzero(np.diff(codes[order])) + 1)

        def align_story(rows: np.ndarray) -> None:  # writes best and match of its own rows only
            outlets = outlet[rows]
            if len(np.unique(outlets)) < 2:
                return
            k = min(candidates, len(rows) - 1)
            own, cand = np.repeat(np.arange(len(rows)), k), np.empty(len(rows) * k, np.int64)
            other = np.empty(len(rows) * k, bool)
            # Shortlist by mean-vector cosine, then rescore the shortlist by token matching. The
            # cosines go a block of rows at a time: all n x n of them at once took 37 s and 14 GB
            # for a story of 30,000 short sentences, blocks of 128 rows take 5.6 s and 0.4 GB
            # (and the same time as one block on the dashboard's sample).
            for first in range(0, len(rows), _BLOCK):
                block = slice(first, first + _BLOCK)
                shortlist = np.clip(vectors[rows[block]] @ vectors[rows].T, 0.0, 1.0)
                shortlist[outlets[block, None] == outlets[None, :]] = -1.0
                top = np.argpartition(-shortlist, k - 1, axis=1)[:, :k]
                cells = slice(first * k, first * k + top.size)
                cand[cells] = top.ravel()
                other[cells] = np.take_along_axis(shortlist, top, axis=1).ravel() >= 0
            scores = _pair_scores(tokens, distinct[rows[own]], distinct[rows[cand]])
            scores = np.where(other, scores, -1.0).reshape(len(rows), k)
            pick = scores.argmax(axis=1)
            best[rows] = scores[np.arange(len(rows)), pick]
            match[rows] = rows[cand.reshape(len(rows), k)[np.arange(len(rows)), pick]]

        # Stories are independent and numpy lets go of the GIL in the products: a thread per core,
        # each with one BLAS thread (OpenBLAS's own threads would fight them: no gain at all).
        # The dashboard's sample of new text (500 articles, 24 stories) aligns in 0.36 s instead
        # of 0.50 s; the results are the same, bit for bit.
        threads = min(cores(), len(stories))
        if threads > 1:
            with one_blas_thread(), ThreadPoolExecutor(threads) as pool:
                list(pool.map(align_story, stories))
        else:
            for rows in stories:
                align_story(rows)

    found = match >= 0
    taken = np.where(found, match, 0)

    def matched(column: str, dtype: str) -> pd.Series:
        values = out[column].to_numpy()[taken] if n else np.array([])
        series = pd.Series(values, index=out.index).astype(dtype)
        return series.where(found)

    out["best_match"] = best
    out["matched_outlet"] = matched("outlet", "string")
    out["matched_article_id"] = matched("article_id", "string")
    out["matched_position"] = matched("position", "Int64")
    out["matched_text"] = matched("text", "string")
    out["unique"] = found & (np.nan_to_num(best, nan=1.0) < threshold)
    return out


def _pair_scores(tokens: TokenTable, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """``pair_similarity`` of the text pairs (ia[k], ib[k]), each distinct pair scored once.

    F1 is symmetric, so (i, j) and (j, i) are one pair, scored in the order (smaller, larger) text
    index: two sentences that shortlist each other cost one token match, and a pair's score never
    depends on which of the two asked. Repeated pairs have the same token counts as the pair kept,
    so the batches (grouped by token counts) pad to the same lengths and every score is the same,
    bit for bit.
    """
    lo, hi = np.minimum(ia, ib).astype(np.int64), np.maximum(ia, ib).astype(np.int64)
    keys = lo * (len(tokens.ids) + 1) + hi
    _, first, back = np.unique(keys, return_index=True, return_inverse=True)
    return pair_similarity(tokens, tokens, lo[first], hi[first])[back.ravel()]
