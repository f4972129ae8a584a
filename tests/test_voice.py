"""Share of voice: the period rule, the counts and shares, and the store's SQL equal to pandas."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import Selection, build_tables, outlet_share, voice_table
from analysis.schema import VOICE
from analysis.store import open_store
from analysis.voice import DAY_SPAN, period_unit, periods, typed_voice_table
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
    # the counts are the mentions table's but TechRepublic naming itself (its "SEE:" line), the
    # shares sum to 1 per outlet and period
    assert bundled.mentions["self_mention"].sum() == 1
    assert voice["mentions"].sum() == len(bundled.mentions) - 1
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
        kept = typed_voice_table(whole[whole["entity"].isin(entities)])
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
    # every mention but TechRepublic naming itself
    assert store.voice_table(sentiment="vader")["mentions"].sum() == (~chosen.mentions["self_mention"]).sum()


# --- the Share of voice tab (AppTest) -----------------------------------------------------------


def _app(monkeypatch, *args: str):
    import sys
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(sys, "argv", ["dashboard.py", *args])
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=60)
    at.run()
    at.session_state["tab"] = "Share of voice"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_share_of_voice_view_compares_picked_entities(monkeypatch, bundled):
    at = _app(monkeypatch)
    picks = at.multiselect(key="voice_entities")
    assert picks.value == ["Microsoft", "OpenAI", "Microsoft Azure"]  # the three most mentioned
    picks.set_value(["Microsoft", "Google"]).run()
    assert not at.exception
    [table] = [f.value for f in at.dataframe]
    expected = voice_table(bundled.mentions, bundled.articles, entities=["Microsoft", "Google"])
    pd.testing.assert_frame_equal(table.reset_index(drop=True), expected)
    charts = {c.proto.spec and json_title(c.proto.spec): c.proto.spec for c in at.get("plotly_chart")}
    voice = next(spec for title, spec in charts.items() if title.startswith("Share of voice on 2016-11-15"))
    data = _json(voice)["data"]
    bars = {trace["name"]: trace for trace in data if trace.get("showlegend") is False}  # the legend keys aside
    assert set(bars) == {"Microsoft", "Google"}
    # an outlet's colour for its bars, a pattern for each entity
    assert bars["Microsoft"]["marker"]["color"] == ["#0072B2", "#D55E00"]
    assert bars["Microsoft"]["marker"]["pattern"]["shape"] != bars["Google"]["marker"]["pattern"]["shape"]
    # TechCrunch, TechRepublic (56 entity mentions, 55 without its "SEE:" line naming itself)
    assert _values(bars["Microsoft"]["y"]) == pytest.approx([11 / 42, 17 / 55])
    assert _values(bars["Google"]["y"]) == pytest.approx([1 / 42, 1 / 55])
    assert any(title.startswith("Each outlet's share of each story") for title in charts)
    assert "Download voice.csv" in {b.proto.label for b in at.get("download_button")}
    at.toggle(key="voice_raw").set_value(True).run()
    titles = [json_title(c.proto.spec) for c in at.get("plotly_chart")]
    assert any(t.startswith("Mentions on 2016-11-15") for t in titles)
    assert any(t.startswith("Articles per story and outlet") for t in titles)


def test_share_of_voice_over_days_per_outlet(monkeypatch, tmp_path):
    for i, (outlet, day, text) in enumerate([
        ("Planet", "2024-03-01", "Microsoft and Google met. Microsoft spoke."),
        ("Planet", "2024-03-02", "Google answered Microsoft."),
        ("Gazette", "2024-03-01", "Google alone was named here."),
        ("Gazette", "2024-03-03", "Microsoft replied to Google and Google again."),
    ]):
        (tmp_path / f"{i}.md").write_text(f'---\noutlet: "{outlet}"\npublished: "{day}"\n---\n{text}\n',
                                          encoding="utf-8")
    at = _app(monkeypatch, "--data", str(tmp_path))
    at.multiselect(key="voice_entities").set_value(["Microsoft", "Google"]).run()
    specs = [_json(c.proto.spec) for c in at.get("plotly_chart")]
    voice = next(s for s in specs if json_title(s).startswith("Share of voice per day"))
    lines = {(t["name"], t["xaxis"]): _values(t["y"]) for t in voice["data"] if t.get("showlegend") is False}
    assert len(lines) == 4  # two outlets, two entities
    # one panel per outlet (Gazette first), a point per day an outlet published: 0 where it did not name it
    assert lines[("Microsoft", "x")] == pytest.approx([0.0, 1 / 3])  # Gazette, 1 and 3 March
    assert lines[("Google", "x2")] == pytest.approx([1 / 3, 1 / 2])  # Planet, 1 and 2 March
    time = next(s for s in specs if json_title(s).startswith("Each outlet's share of the selection"))
    assert {t["name"] for t in time["data"]} == {"Gazette", "Planet"}


def test_share_of_voice_of_a_large_store_reads_the_picks_from_sql(monkeypatch, tmp_path, bundled_articles):
    import streamlit as st

    from app import options

    path = tmp_path / "coverage.duckdb"
    store = open_store(path)
    store.ingest(bundled_articles, jobs=1)
    monkeypatch.setenv(options.FULL_LIMIT_ENV, "1")
    st.cache_resource.clear()
    at = _app(monkeypatch, "--store", str(path))
    at.multiselect(key="voice_entities").set_value(["Tay", "Google"]).run()
    [table] = [f.value for f in at.dataframe]
    pd.testing.assert_frame_equal(table.reset_index(drop=True), store.voice_table(entities=["Tay", "Google"]))
    assert set(table["entity"]) == {"Tay", "Google"} and len(table) == 3  # Tay in TechRepublic only


def _json(spec):
    import json

    return json.loads(spec) if isinstance(spec, str) else spec


def json_title(spec) -> str:
    return _json(spec)["layout"]["title"]["text"]


def _values(array) -> list[float]:
    """A plotly array as numbers (plotly may send it as base64 typed data)."""
    import base64

    import numpy as np

    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)
