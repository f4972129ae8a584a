"""Share of voice: the period rule, the counts and shares, and the store's SQL equal to pandas."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import Selection, build_tables, outlet_share, voice_table
from analysis.schema import VOICE
from analysis.store import open_store
from analysis.voice import DAY_SPAN, period_unit, periods
from tests.helpers import TECHCRUNCH, make_corpus


def test_period_is_a_day_up_to_the_span_then_a_week():
    assert DAY_SPAN == 31
    assert period_unit(pd.Series(["2016-11-01", "2016-12-02"])) == "day"  # 31 days apart
    assert period_unit(pd.Series(["2016-11-01", "2016-12-03"])) == "week"  # 32
    assert period_unit(pd.Series(["", "not a date"])) == "day"
    # weeks are named by their Monday (2016-11-14); a Sunday belongs to the week before it
    assert periods(pd.Series(["2016-11-14", "2016-11-20", "2016-11-21", ""]), unit="week").tolist() == [
        "2016-11-14", "2016-11-14", "2016-11-21", ""
    ]
    assert periods(pd.Series(["2016-11-15T08:00:00"]), unit="day").tolist() == ["2016-11-15"]


def test_bundled_voice_facts(bundled):
    voice = build_tables(bundled)["voice"]
    assert list(voice.columns) == VOICE
    assert set(voice["period"]) == {"2016-11-15"}  # both articles appeared that day
    top = voice.groupby("outlet").head(1).set_index("outlet")
    assert top.loc[TECHCRUNCH, ["entity", "mentions"]].tolist() == ["Microsoft", 11]
    assert top.loc[TECHCRUNCH, "share"] == pytest.approx(11 / 42)
    # the counts are the mentions table's, the shares sum to 1 per outlet and period
    assert voice["mentions"].sum() == len(bundled.mentions)
    assert voice.groupby(["period", "outlet"])["share"].sum().to_numpy() == pytest.approx(1.0)
    # one period: each row equals the outlet's share of the entities table summed over stories
    entities = build_tables(bundled)["entities"][["outlet", "entity", "mentions", "share"]]
    merged = voice.merge(entities, on=["outlet", "entity"], suffixes=("", "_entities"), validate="one_to_one")
    assert len(merged) == len(voice) == len(entities)
    assert (merged["mentions"] == merged["mentions_entities"]).all()
    assert merged["share"].to_numpy() == pytest.approx(merged["share_entities"].to_numpy())


def test_undated_articles_count_in_an_empty_period_listed_last():
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "published": ["", "2016-11-15", "2017-01-02"]})
    mentions = pd.DataFrame({"article_id": ["a", "b", "c", "c"], "outlet": ["X"] * 4,
                             "entity": ["Tay", "Azure", "Azure", "Tay"]})
    voice = voice_table(mentions, articles)
    assert voice.values.tolist() == [
        ["2016-11-14", "X", "Azure", 1, 1.0],  # a week: the articles span 48 days
        ["2017-01-02", "X", "Azure", 1, 0.5],
        ["2017-01-02", "X", "Tay", 1, 0.5],
        ["", "X", "Tay", 1, 1.0],
    ]
    assert voice_table(mentions.iloc[0:0], articles).columns.tolist() == VOICE


def test_outlet_share_per_period_and_story():
    articles = pd.DataFrame({
        "article_id": list("abcde"), "outlet": ["X", "X", "Y", "Y", "Y"], "story": ["s", "s", "s", "t", "t"],
        "published": ["2016-11-15", "2016-11-15", "2016-11-15", "2016-11-16", ""],
    })
    per_day = outlet_share(articles)
    assert per_day.values.tolist() == [["2016-11-15", "X", 2, 2 / 3], ["2016-11-15", "Y", 1, 1 / 3],
                                       ["2016-11-16", "Y", 1, 1.0]]
    per_story = outlet_share(articles, by="story")
    assert per_story.values.tolist() == [["s", "X", 2, 2 / 3], ["s", "Y", 1, 1 / 3], ["t", "Y", 2, 1.0]]


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory, bundled_articles):
    """A store of 24 generated articles published every five days from September 2016 (every
    sixth undated): the whole store spans weeks, a narrow selection days."""
    corpus = make_corpus(bundled_articles, 24, seed=11)
    days = pd.date_range("2016-09-01", periods=24, freq="5D").strftime("%Y-%m-%d")
    corpus["published"] = [("" if i % 6 == 5 else day) for i, day in enumerate(days)]
    store = open_store(tmp_path_factory.mktemp("voice") / "s.duckdb")
    store.ingest(corpus, jobs=1)
    return store


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    outlets=st.none() | st.lists(st.sampled_from(["Daily Planet", "Gazette", "Herald"]), min_size=1, unique=True),
    since=st.none() | st.sampled_from(["2016-09-20", "2016-10-25"]),
    until=st.none() | st.sampled_from(["2016-10-10", "2016-11-30"]),
    sentiment=st.sampled_from(["textblob", "vader"]),
    entities=st.none() | st.lists(st.sampled_from(["Microsoft", "OpenAI", "Elon Musk", "Nobody"]), unique=True),
)
def test_sql_voice_equals_pandas(dated_store, outlets, since, until, sentiment, entities):
    selection = Selection(outlets=outlets, since=since, until=until)
    chosen = dated_store.analysis(selection, sentiment=sentiment)
    expected = voice_table(chosen.mentions, chosen.articles, entities=entities)
    got = dated_store.voice_table(selection, sentiment=sentiment, entities=entities)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    if entities is not None:  # a few entities' rows: the whole table's, shares of every mention
        whole = voice_table(chosen.mentions, chosen.articles)
        kept = whole[whole["entity"].isin(entities)].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, kept, check_exact=True)


def test_the_dated_store_covers_weeks_days_and_the_undated(dated_store):
    whole = dated_store.voice_table()
    assert "" in set(whole["period"])
    assert all(pd.Timestamp(p).weekday() == 0 for p in set(whole["period"]) - {""})  # weeks: Mondays
    narrow = dated_store.voice_table(Selection(since="2016-10-01", until="2016-10-20"))
    assert sorted(set(narrow["period"])) == ["2016-10-01", "2016-10-06", "2016-10-11", "2016-10-16"]  # days
    assert dated_store.voice_table(Selection(outlets=())).empty


def test_sql_voice_without_stored_tones_counts_in_pandas(tmp_path, bundled_articles):
    store = open_store(tmp_path / "s.duckdb")
    store.ingest(bundled_articles, jobs=1, scorers=("textblob",))
    chosen = store.analysis(sentiment="vader")
    expected = voice_table(chosen.mentions, chosen.articles)
    pd.testing.assert_frame_equal(store.voice_table(sentiment="vader"), expected, check_exact=True)
    assert store.voice_table(sentiment="vader")["mentions"].sum() == len(chosen.mentions)
