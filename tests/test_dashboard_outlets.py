"""The dashboard with many outlets and stories (AppTest): the outlet picker past 12 outlets, groups
compared as outlets, the charts' top outlets plus "Others" in distinct colours, and the Emphasis tab's
roll-up with one story in detail. The fixture: ``tests/data/outlets`` (24 ECB+ articles, 16 made-up
outlets "Outlet 01 (Online News)" … "Outlet 08 (Opinion)" in 8 groups, 6 stories)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import analysis as an
from analysis import charts
from analysis.loaders import load_corpus
from tests.helpers import ROOT, run_app

FIXTURE = ROOT / "tests" / "data" / "outlets" / "articles.jsonl"


@pytest.fixture
def app(monkeypatch):
    return run_app(monkeypatch, "--data", str(FIXTURE), timeout=180)


def _rerun(at, **state):
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _outlets_metric(at) -> str:
    return next(m.value for m in at.metric if m.label == "Outlets")


def _specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_outlet_picker_past_twelve_outlets(app):
    assert app.session_state["outlet_mode"] == "All" and _outlets_metric(app) == "16"
    assert not [m for m in app.sidebar.multiselect if m.key == "outlets"]  # no 16 chips
    _rerun(app, outlet_mode="By group")
    groups = app.sidebar.multiselect(key="outlet_groups")
    assert groups.options == [f"Outlet {i:02d}" for i in range(1, 9)]
    groups.set_value(["Outlet 01", "Outlet 02"]).run()
    chosen = set(load_corpus([FIXTURE]).articles.query("outlet_group in ['Outlet 01', 'Outlet 02']")["outlet"])
    assert _outlets_metric(app) == str(len(chosen)) == "4"
    _rerun(app, outlet_mode="Pick")
    app.sidebar.multiselect(key="outlets").set_value(["Outlet 03 (Opinion)", "Outlet 05 (Opinion)"]).run()
    assert not app.exception and _outlets_metric(app) == "2"
    assert app.query_params["outlet"] == ["Outlet 03 (Opinion)", "Outlet 05 (Opinion)"]


def test_sixteen_outlets_draw_twelve_in_distinct_colours_and_others(app):
    volume, tone = _specs(app)[:2]
    names = [trace["x"][0] for trace in volume["data"]]
    assert len(names) == charts.MAX_OUTLETS and "4 others: 4 articles" in volume["layout"]["title"]["subtitle"]["text"]
    colors = [trace["marker"]["color"] for trace in volume["data"]]
    assert len(set(colors)) == len(colors) and charts.OTHERS_COLOR not in colors
    assert [trace["x"][0] for trace in tone["data"]][-1] == "Others"
    _rerun(app, tab="Entities")
    heatmap = next(s for s in _specs(app) if s["data"][0]["type"] == "heatmap")
    assert heatmap["data"][0]["x"][-1] == "Others" and len(heatmap["data"][0]["x"]) == charts.MAX_OUTLETS + 1


def test_compare_outlet_groups(app):
    app.toggle(key="by_group").set_value(True).run()
    assert not app.exception and _outlets_metric(app) == "8"
    articles = next(f.value for f in app.dataframe if "outlet_group" in f.value.columns)
    assert set(articles["outlet"]) == {f"Outlet {i:02d}" for i in range(1, 9)}
    assert (articles["outlet"] == articles["outlet_group"]).all()


def test_emphasis_rolls_up_the_stories_and_shows_one_in_detail(app):
    _rerun(app, tab="Emphasis")
    titles = [s["layout"]["title"]["text"] for s in _specs(app)]
    assert titles[:2] == ["Only this outlet names it: in how many stories",
                          "Words each outlet leans on across stories (combined z)"]
    story = app.selectbox(key="emphasis_story")
    assert len(story.options) == 6 and story.value.endswith("· 4 outlets, 4 articles")
    rollup = next(f.value for f in app.dataframe if list(f.value.columns) == an.rollup.ROLLUP)
    analysis = an.analyse(load_corpus([FIXTURE]).articles)
    tables = an.build_tables(analysis)
    expected = an.outlet_rollup(tables["articles"], tables["entities"], tables["terms"])
    pd.testing.assert_frame_equal(rollup.reset_index(drop=True), expected, check_dtype=False)
    # one story in detail: its exclusive entities only, and its angles
    first = story.value
    story.select_index(2).run()
    assert not app.exception and app.selectbox(key="emphasis_story").value != first
    picked = app.selectbox(key="emphasis_story").value.split(" · ")[0]
    exclusive = next(s for s in _specs(app) if s["layout"]["title"]["text"].startswith("Only this outlet mentions"))
    shown = {y for trace in exclusive["data"] for y in trace["y"]}
    in_story = tables["entities"][(tables["entities"]["story"] == picked) & tables["entities"]["exclusive"]]
    assert shown and all(any(label.startswith(e + " (") for e in in_story["entity"]) for label in shown)
    assert app.get("html"), "unique-angle cards"


def test_the_stories_matrix_folds_outlets_past_twelve_into_others(app):
    _rerun(app, tab="Stories")
    matrix = app.dataframe(key="stories_matrix").value
    articles = load_corpus([FIXTURE]).articles
    per_outlet = articles.groupby("outlet").size()
    apart = [c.strip() for c in matrix.columns if c.endswith(" ")]
    assert len(apart) == charts.MAX_OUTLETS and "Others" in matrix.columns and "Skipped by" not in matrix.columns
    assert per_outlet.drop(apart).max() <= per_outlet[apart].min()  # the outlets with most articles stay apart
    rest = articles[~articles["outlet"].isin(apart)]
    folded = rest.groupby("story").agg(n=("outlet", "size"), k=("outlet", "nunique"))
    cells = sorted(c.split(" (")[0] for c in matrix["Others"] if c)  # "3 in 2 outlets (1 copy)" -> "3 in 2 outlets"
    expected = [f"{n} in {k} outlet{'' if k == 1 else 's'}" for n, k in zip(folded["n"], folded["k"], strict=True)]
    assert cells == sorted(expected)
    assert matrix["Outlets"].sum() == articles.groupby("story")["outlet"].nunique().sum()
