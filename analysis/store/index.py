"""The store's story index (:class:`analysis.grouping.StoryIndex`) kept in tables, so an ingest reads
only what placing its articles looks up and appends what it adds, never rewriting the whole index.

- ``index_articles``: one row per placed article, in placing order (``number``): its story, copy
  group and MinHash sketch (uint64 bytes).
- ``index_stories``: one row per story: its first and last day ordinals, size, centroid (terms and
  weights), norm and the weeks it is posted under; a changed story's row is replaced.
- ``index_postings``: the inverted index, append-only: (term, week or key, seq, story); a posting
  list is its ``POSTINGS`` most recent rows (by ``seq``), exactly the list kept in memory.
- ``index_anchors``: sketch hash -> article number, append-only; the ``ANCHOR_POSTINGS`` most recent.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from .. import grouping
from ..grouping import IndexLog, Prepared, StoryIndex

INDEX_TABLES = """
CREATE TABLE IF NOT EXISTS index_articles (
    number BIGINT NOT NULL, article_id VARCHAR NOT NULL, story VARCHAR NOT NULL, copy_group VARCHAR NOT NULL,
    sketch BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS index_stories (
    story VARCHAR NOT NULL, first INTEGER, last INTEGER, size BIGINT NOT NULL, norm DOUBLE NOT NULL,
    weeks INTEGER[] NOT NULL, terms VARCHAR[] NOT NULL, weights DOUBLE[] NOT NULL
);
CREATE TABLE IF NOT EXISTS index_postings (term VARCHAR NOT NULL, week INTEGER NOT NULL, seq BIGINT NOT NULL,
    story VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS index_anchors (hash UBIGINT NOT NULL, number BIGINT NOT NULL);
"""


def _query(con: duckdb.DuckDBPyConnection, sql: str, name: str, table: pd.DataFrame, params=()) -> list[tuple]:
    con.register(name, table)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.unregister(name)


def load_index(con: duckdb.DuckDBPyConnection, prepared: list[Prepared]) -> StoryIndex:
    """The part of the stored index that placing ``prepared`` reads (:func:`analysis.grouping.needs`),
    with a log attached for :func:`save_index`."""
    need = grouping.needs(prepared)
    count = con.execute("SELECT count(*) FROM index_articles").fetchall()[0][0]
    index = StoryIndex(count=count, log=IndexLog(first=count))
    if not count:
        return index
    keys = pd.DataFrame(sorted(need.postings), columns=["term", "week"]).astype({"term": "str", "week": "int32"})
    rows = _query(con, "SELECT term, week, story FROM (SELECT p.*, row_number() OVER (PARTITION BY p.term, p.week "
                       "ORDER BY p.seq DESC) AS r FROM index_postings p JOIN wanted_keys k USING (term, week)) "
                       "WHERE r <= ? ORDER BY term, week, seq", "wanted_keys", keys, [grouping.POSTINGS])
    for term, week, story in rows:
        index.postings.setdefault((term, week), []).append(story)
    hashes = pd.DataFrame({"hash": np.array(sorted(need.anchors), dtype=np.uint64)})
    rows = _query(con, "SELECT hash, number FROM (SELECT a.*, row_number() OVER (PARTITION BY a.hash "
                       "ORDER BY a.number DESC) AS r FROM index_anchors a JOIN wanted_hashes USING (hash)) "
                       "WHERE r <= ? ORDER BY hash, number", "wanted_hashes", hashes, [grouping.ANCHOR_POSTINGS])
    for value, number in rows:
        index.anchors.setdefault(int(value), []).append(number)
    numbers = pd.DataFrame({"number": sorted({n for ns in index.anchors.values() for n in ns})}, dtype="int64")
    ids = pd.DataFrame({"article_id": sorted(need.article_ids)}, dtype="str")
    con.register("wanted_ids", ids)
    try:
        rows = _query(con, "SELECT number, article_id, story, copy_group, sketch FROM index_articles "
                           "WHERE number IN (SELECT number FROM wanted_numbers) "
                           "OR article_id IN (SELECT article_id FROM wanted_ids)", "wanted_numbers", numbers)
    finally:
        con.unregister("wanted_ids")
    for number, article_id, story, group, sketch in rows:
        index.sketches[number] = np.frombuffer(sketch, dtype=np.uint64)
        index.groups[number] = group
        index.article_story[number] = story
        index.numbers[article_id] = number
        index.placed[article_id] = (story, group)
    wanted = {s for ss in index.postings.values() for s in ss} | set(need.stories) | set(index.article_story.values())
    stories = pd.DataFrame({"story": sorted(wanted)}, dtype="str")
    rows = _query(con, "SELECT s.* FROM index_stories s JOIN wanted_stories USING (story)", "wanted_stories", stories)
    for story, first, last, size, norm, weeks, terms, weights in rows:
        index.stories[story] = grouping.StoryProfile(centroid=dict(zip(terms, weights, strict=True)), norm=norm,
                                               first=first, last=last, size=size, weeks=list(weeks))
    return index


def save_index(con: duckdb.DuckDBPyConnection, index: StoryIndex) -> None:
    """Append what placing added to ``index`` (loaded by :func:`load_index`, or a fresh one with a
    log) to the stored index: new articles, postings and anchors; changed stories replaced."""
    log = index.log
    if log is None:
        raise ValueError("the index has no log: load it with load_index")
    new = {n: a for a, n in index.numbers.items() if n >= log.first}
    order = sorted(new)
    articles = pd.DataFrame({
        "number": pd.Series(order, dtype="int64"),
        "article_id": pd.Series([new[n] for n in order], dtype="str"),
        "story": pd.Series([index.article_story[n] for n in order], dtype="str"),
        "copy_group": pd.Series([index.groups[n] for n in order], dtype="str"),
        "sketch": pd.Series([index.sketches[n].astype(np.uint64).tobytes() for n in order], dtype=object),
    })
    if order:
        _query(con, "INSERT INTO index_articles SELECT * FROM new_articles", "new_articles", articles)
    terms, weeks, stories = [], [], []
    for (term, week), added in log.postings.items():
        posting = index.postings[term, week]
        for story in posting[len(posting) - min(added, len(posting)):]:
            terms.append(term)
            weeks.append(week)
            stories.append(story)
    start = con.execute("SELECT coalesce(max(seq) + 1, 0) FROM index_postings").fetchall()[0][0]
    postings = pd.DataFrame({"term": pd.Series(terms, dtype="str"), "week": pd.Series(weeks, dtype="int32"),
                             "seq": np.arange(start, start + len(terms), dtype=np.int64),
                             "story": pd.Series(stories, dtype="str")})
    if terms:
        _query(con, "INSERT INTO index_postings SELECT * FROM new_postings", "new_postings", postings)
    hashes, numbers = [], []
    for number in order:
        for value in index.sketches[number][: grouping.ANCHORS].tolist():
            hashes.append(value)
            numbers.append(number)
    anchors = pd.DataFrame({"hash": np.array(hashes, dtype=np.uint64), "number": np.array(numbers, dtype=np.int64)})
    if hashes:
        _query(con, "INSERT INTO index_anchors SELECT * FROM new_anchors", "new_anchors", anchors)
    changed = sorted(log.stories)
    if not changed:
        index.log = IndexLog(first=index.count)
        return
    rows = [index.stories[s] for s in changed]
    table = pd.DataFrame({
        "story": pd.Series(changed, dtype="str"),
        "first": pd.Series([r.first for r in rows], dtype="Int32"),
        "last": pd.Series([r.last for r in rows], dtype="Int32"),
        "size": pd.Series([r.size for r in rows], dtype="int64"),
        "norm": pd.Series([r.norm for r in rows], dtype="float64"),
        "weeks": pd.Series([list(r.weeks) for r in rows], dtype=object),
        "terms": pd.Series([list(r.centroid) for r in rows], dtype=object),
        "weights": pd.Series([list(r.centroid.values()) for r in rows], dtype=object),
    })
    con.register("changed_stories", table)
    try:
        con.execute("DELETE FROM index_stories WHERE story IN (SELECT story FROM changed_stories)")
        con.execute("INSERT INTO index_stories SELECT story, first, last, size, norm, weeks::INTEGER[], "
                    "terms::VARCHAR[], weights::DOUBLE[] FROM changed_stories")
    finally:
        con.unregister("changed_stories")
    index.log = IndexLog(first=index.count)
