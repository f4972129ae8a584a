"""Selection: one value for outlets, stories, dates and ids, the same in pandas and in DuckDB."""

from __future__ import annotations

import duckdb
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.selection import Selection

OUTLETS = ["TechCrunch", "TechRepublic", "O'Brien Daily"]
STORIES = ["a", "b", "it's"]
DAYS = ["", "2016-11-14", "2016-11-15", "2016-11-15T10:00:00", "2016-12-01", "2016"]

articles = st.lists(
    st.tuples(st.sampled_from(OUTLETS), st.sampled_from(STORIES), st.sampled_from(DAYS)), max_size=12,
).map(lambda rows: pd.DataFrame(
    [(f"id{i}", o, s, d) for i, (o, s, d) in enumerate(rows)],
    columns=["article_id", "outlet", "story", "published"],
).astype(str))
subsets = lambda values: st.none() | st.lists(st.sampled_from(values), unique=True).map(tuple)  # noqa: E731
selections = st.builds(
    Selection, outlets=subsets(OUTLETS), stories=subsets(STORIES),
    since=st.none() | st.sampled_from(DAYS[1:]), until=st.none() | st.sampled_from(DAYS[1:]),
)


@settings(max_examples=80, deadline=None)
@given(articles, selections)
def test_sql_and_pandas_choose_the_same_articles(frame, selection):
    chosen = selection.apply(frame)
    assert len(chosen) <= len(frame)
    assert frame.equals(frame.astype(str))  # input untouched
    con = duckdb.connect()
    con.register("a", frame)
    clause, params = selection.sql("a")
    rows = con.execute(f"SELECT article_id FROM a WHERE {clause} ORDER BY article_id", params).fetchall()
    ids = [row[0] for row in rows]
    assert ids == sorted(chosen["article_id"])


def test_equal_choices_are_one_cache_key():
    assert Selection(outlets=["X", "Y"], since="2016-11-15T08:00") == Selection(outlets=("X", "Y"), since="2016-11-15")
    assert len({Selection(stories=["s"]), Selection(stories=("s",))}) == 1
    assert Selection().is_everything and not Selection(outlets=()).is_everything


def test_empty_tuple_selects_nothing_and_none_everything():
    frame = pd.DataFrame({"article_id": ["x"], "outlet": ["X"], "story": ["s"], "published": [""]})
    assert Selection(outlets=()).apply(frame).empty
    assert len(Selection().apply(frame)) == 1
    assert Selection(since="2016-01-01").apply(frame).empty  # undated only without a date filter
