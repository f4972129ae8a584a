"""The dashboard's figure builders: one colour per outlet, the numbers they plot, escaping, empty states."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import charts
from analysis.charts.sentiment import WEAK
from analysis.entities import entity_table, tone_interval
from analysis.schema import ENTITIES, MESSAGES, TERMS

HOSTILE = "<img src=x onerror=alert(1)>"
COLORS = charts.outlet_colors(["TechCrunch", "TechRepublic", HOSTILE])


def _articles(rows):
    columns = ["article_id", "outlet", "title", "published", "words", "sentences", "polarity", "subjectivity"]
    return pd.DataFrame(rows, columns=columns)


ARTICLES = _articles([
    ("a1", "TechCrunch", "One", "2016-11-15", 100, 5, 0.2, 0.4),
    ("a2", "TechCrunch", "Two", "2016-11-16", 50, 3, -0.4, 0.6),
    ("b1", "TechRepublic", "", "2016-11-15", 30, 2, 0.1, 0.2),
])


def _traces_by_name(fig):
    return {trace.name: trace for trace in fig.data if trace.name}


def _entities(rows):
    """Entity rows: (story, outlet, entity, label, mentions, share, polarity, exclusive); the tone
    toward each is its polarity here."""
    columns = ["story", "outlet", "entity", "label", "mentions", "share", "polarity", "exclusive"]
    frame = pd.DataFrame(rows, columns=columns)
    low, high = tone_interval(frame["polarity"], frame["mentions"])
    return frame.assign(articles=1, subjectivity=0.5, emphasis=float("nan"), first_seen=0.5, tone=frame["polarity"],
                        negative_mentions=0, positive_mentions=0, tone_low=low, tone_high=high)[ENTITIES]


ENTITY_ROWS = _entities([
    ("s", "TechCrunch", "Microsoft", "organization", 6, 0.6, 0.3, False),
    ("s", "TechCrunch", "Peter Thiel", "person", 4, 0.4, 0.0, True),
    ("s", "TechRepublic", "Microsoft", "organization", 3, 0.75, 0.1, False),
    ("s", "TechRepublic", "Tay", "product", 1, 0.25, -0.8, True),
])


def test_outlet_colors_are_stable_and_distinct():
    forward = charts.outlet_colors(["b", "a", "c"])
    assert forward == charts.outlet_colors(["c", "a", "b", "a"])
    assert list(forward) == ["a", "b", "c"]
    assert len(set(forward.values())) == 3


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=len(charts.PALETTE), unique=True))
def test_outlet_colors_one_distinct_colour_per_outlet(outlets):
    colors = charts.outlet_colors(outlets)
    assert set(colors) == set(outlets)
    assert len(set(colors.values())) == len(outlets)
    # a smaller selection never changes the colour of the outlets left (the dashboard maps the whole corpus)
    assert charts.outlet_colors(outlets) == colors


def test_volume_chart_sums_words_per_outlet_in_its_colour():
    fig = charts.volume_chart(ARTICLES, colors=COLORS)
    traces = _traces_by_name(fig)
    assert list(traces["TechCrunch"].y) == [150]  # 100 + 50
    assert list(traces["TechRepublic"].y) == [30]
    assert traces["TechCrunch"].marker.color == COLORS["TechCrunch"]
    assert traces["TechRepublic"].marker.color == COLORS["TechRepublic"]
    assert traces["TechCrunch"].text == ("2 articles",)
    assert "Words" in fig.layout.yaxis.title.text


def test_tone_chart_is_the_mean_article_tone():
    fig = charts.tone_chart(ARTICLES, colors=COLORS, scorer="VADER")
    traces = _traces_by_name(fig)
    assert traces["TechCrunch"].y[0] == pytest.approx(-0.1)  # (0.2 - 0.4) / 2
    assert traces["TechRepublic"].y[0] == pytest.approx(0.1)
    assert "VADER" in fig.layout.title.text
    low, high = fig.layout.yaxis.range
    assert low == -high  # symmetric around neutral


def test_timeline_counts_articles_per_day_and_skips_undated():
    frame = pd.concat([ARTICLES, _articles([("c1", "TechRepublic", "", "", 10, 1, 0.0, 0.0)])], ignore_index=True)
    fig = charts.timeline_chart(frame, colors=COLORS)
    traces = _traces_by_name(fig)
    assert list(traces["TechCrunch"].y) == [1, 1]
    assert list(traces["TechRepublic"].y) == [1]  # the undated article is left out
    assert fig.layout.barmode == "stack"  # outlets with the same counts stack instead of hiding one another
    assert "per day" in fig.layout.title.text
    undated = charts.timeline_chart(frame.assign(published=""), colors=COLORS)
    assert "publication date" in undated.layout.annotations[0].text


def test_timeline_counts_weeks_over_a_long_span():
    """Past ``WEEKLY_AFTER_DAYS`` a bar is a week (from its Monday): 2016-11-15 and -17 share one."""
    frame = _articles([("a", "TechCrunch", "", "2016-11-15", 10, 1, 0.0, 0.0),
                       ("b", "TechCrunch", "", "2016-11-17", 10, 1, 0.0, 0.0),
                       ("c", "TechCrunch", "", "2017-06-01", 10, 1, 0.0, 0.0)])
    fig = charts.timeline_chart(frame, colors=COLORS)
    trace = _traces_by_name(fig)["TechCrunch"]
    assert [str(x)[:10] for x in trace.x] == ["2016-11-14", "2017-05-29"]
    assert list(trace.y) == [2, 1]
    assert "per week" in fig.layout.title.text
    short = charts.timeline_chart(frame.iloc[:2], colors=COLORS)
    assert list(_traces_by_name(short)["TechCrunch"].y) == [1, 1]


def test_outlet_entities_sums_stories_and_recomputes_share():
    two_stories = pd.concat([ENTITY_ROWS, ENTITY_ROWS.assign(story="t")], ignore_index=True)
    per = charts.outlet_entities(two_stories)
    row = per[(per["outlet"] == "TechCrunch") & (per["entity"] == "Microsoft")].iloc[0]
    assert row["mentions"] == 12
    assert row["share"] == pytest.approx(0.6)
    assert per.groupby("outlet")["share"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_top_entities_chart_share_and_raw_counts():
    share = _traces_by_name(charts.top_entities_chart(ENTITY_ROWS, colors=COLORS, n=2, measure="share"))
    # the top two by total mentions: Microsoft (9), Peter Thiel (4)
    assert dict(zip(share["TechCrunch"].y, share["TechCrunch"].x, strict=True)) == {
        "Microsoft": 0.6, "Peter Thiel": 0.4
    }
    assert dict(zip(share["TechRepublic"].y, share["TechRepublic"].x, strict=True)) == {"Microsoft": 0.75}
    raw = _traces_by_name(charts.top_entities_chart(ENTITY_ROWS, colors=COLORS, n=2, measure="mentions"))
    assert dict(zip(raw["TechCrunch"].y, raw["TechCrunch"].x, strict=True)) == {"Microsoft": 6, "Peter Thiel": 4}
    assert raw["TechRepublic"].marker.color == COLORS["TechRepublic"]
    with pytest.raises(ValueError):
        charts.top_entities_chart(ENTITY_ROWS, colors=COLORS, measure="words")


def test_heatmap_leaves_unmentioned_cells_empty():
    fig = charts.entity_heatmap(ENTITY_ROWS, n=10)
    heat = fig.data[0]
    assert list(heat.x) == ["TechCrunch", "TechRepublic"]
    assert list(heat.y) == ["Microsoft", "Peter Thiel", "Tay"]
    assert [list(r) for r in heat.text] == [["60%", "75%"], ["40%", ""], ["", "25%"]]


def test_entity_tone_chart_plots_the_tone_toward_it_per_outlet():
    fig = charts.entity_tone_chart(ENTITY_ROWS, colors=COLORS, n=3)
    republic = [t for t in fig.data if t.name == "TechRepublic"]
    points = {y: (x, t.marker.color) for t in republic for y, x in zip(t.y, t.x, strict=True)}
    # Microsoft from 3 mentions in the outlet's colour; Tay from one mention greyed out, ringed in it
    assert points == {"Microsoft": (pytest.approx(0.1), COLORS["TechRepublic"]), "Tay": (pytest.approx(-0.8), WEAK)}
    weak = next(t for t in republic if t.marker.color == WEAK)
    assert weak.marker.line.color == COLORS["TechRepublic"] and weak.showlegend is False
    assert "1 mentions" not in weak.hovertemplate and "%{customdata[0]} mentions" in weak.hovertemplate
    assert "fewer than 3 mentions" in weak.hovertemplate
    crunch = next(t for t in fig.data if t.name == "TechCrunch")
    assert crunch.marker.color == COLORS["TechCrunch"]
    # the error bars reach the interval's ends, wider from 4 mentions than from 6
    low, high = tone_interval([0.3, 0.0], [6, 4])
    assert list(crunch.error_x.array) == pytest.approx(list(high - [0.3, 0.0]))
    assert list(crunch.error_x.arrayminus) == pytest.approx(list([0.3, 0.0] - low))
    assert crunch.error_x.array[1] > crunch.error_x.array[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 1), st.integers(0, 500)), min_size=1, max_size=30))
def test_tone_interval_contains_the_mean_and_stays_in_range(cases):
    tone, n = zip(*cases, strict=True)
    low, high = tone_interval(list(tone), list(n))
    for t, k, lo, hi in zip(tone, n, low, high, strict=True):
        if k == 0:
            assert math.isnan(lo) and math.isnan(hi)
        else:
            assert -1 <= lo <= t <= hi <= 1
    # more mentions, a narrower interval (same mean)
    lo, hi = tone_interval([tone[0]] * 2, [2, 50])
    assert hi[1] - lo[1] < hi[0] - lo[0]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(["X", "Y", "Z"]), st.integers(1, 8),
                          st.floats(-1, 1)), min_size=1, max_size=12))
def test_entity_tone_dots_are_grey_exactly_under_three_mentions(rows):
    table = _entities([("s", o, e, "person", m, 0.5, t, False) for o, e, m, t in rows])
    table = table.drop_duplicates(["outlet", "entity"])
    fig = charts.entity_tone_chart(table, colors={"A": "#111111", "B": "#222222"}, n=10)
    per = table.set_index(["outlet", "entity"])["mentions"]
    for trace in fig.data:
        if trace.type != "scatter":
            continue
        for y in trace.y:
            assert (trace.marker.color == WEAK) == (per[(trace.name, y)] < 3)


def test_tone_arc_one_line_per_article_one_legend_entry_per_outlet():
    sentences = pd.DataFrame({
        "article_id": ["a1", "a1", "a2", "b1"], "outlet": ["TechCrunch", "TechCrunch", "TechCrunch", "TechRepublic"],
        "position": [0, 1, 0, 0], "polarity": [0.1, -0.2, 0.3, 0.0], "subjectivity": 0.5, "text": ["x", "y", "z", "w"],
    })
    fig = charts.tone_arc_chart(sentences, ARTICLES, colors=COLORS)
    lines = [t for t in fig.data if t.type == "scatter"]
    assert len(lines) == 3
    assert [t.showlegend for t in lines] == [True, False, True]
    assert list(lines[0].y) == [0.1, -0.2] and list(lines[0].x) == [1, 2]
    assert all(t.line.color == COLORS[t.name] for t in lines)


def test_exclusive_chart_shows_only_exclusive_entities():
    fig = charts.exclusive_chart(ENTITY_ROWS, colors=COLORS)
    labels = [y for trace in fig.data for y in trace.y]
    assert labels == ["Peter Thiel (TechCrunch)", "Tay (TechRepublic)"]
    none = charts.exclusive_chart(ENTITY_ROWS.assign(exclusive=False), colors=COLORS)
    assert "two outlets" in none.layout.annotations[0].text


def test_terms_chart_ranks_by_z_per_outlet():
    terms = pd.DataFrame(
        [("s", "TechCrunch", "gpu", 2, 0.9), ("s", "TechCrunch", "google", 1, 1.4),
         ("s", "TechCrunch", "amazon", 1, 0.2), ("s", "TechRepublic", "tay", 1, 1.1)],
        columns=TERMS,
    )
    fig = charts.terms_chart(terms, colors=COLORS, n=2)
    traces = _traces_by_name(fig)
    assert list(traces["TechCrunch"].y) == ["gpu", "google"]  # drawn bottom-up: google (1.4) on top
    assert list(traces["TechRepublic"].y) == ["tay"]
    assert [a.text for a in fig.layout.annotations][:2] == ["TechCrunch", "TechRepublic"]
    # twelve outlets: rows of four panels (plotly refused them all in one row)
    many = pd.DataFrame([("s", f"Outlet {i:02d}", "word", 1, 1.0) for i in range(12)], columns=TERMS)
    grid = charts.terms_chart(many, colors=COLORS)
    assert len(grid.data) == 12 and {t.xaxis for t in grid.data} >= {"x", "x4", "x12"}


def test_messages_chart_marks_found_cells():
    messages = pd.DataFrame(
        [("s", "TechCrunch", "Google lags behind", True, 0.81, "Google has lagged behind", "a1", 0.4),
         ("s", "TechRepublic", "Google lags behind", False, 0.22, "Google", "b1", float("nan"))],
        columns=MESSAGES,
    )
    heat = charts.messages_chart(messages).data[0]
    assert [list(r) for r in heat.text] == [["✓ 0.81", "✗ 0.22"]]
    empty = charts.messages_chart(messages.iloc[0:0])
    assert "sidebar" in empty.layout.annotations[0].text


def test_messages_chart_counts_stories_not_the_best_of_them():
    """Over several stories a cell says in how many the outlet carried the message, not its best score."""
    messages = pd.DataFrame(
        [("s1", "X", "Reid entered rehab", True, 0.90, "Reid checked into rehab", "a1", 0.0),
         ("s2", "X", "Reid entered rehab", False, 0.40, "Reid left", "a2", float("nan")),
         ("s3", "X", "Reid entered rehab", False, 0.10, "Rehab", "a3", float("nan")),
         ("s1", "Y", "Reid entered rehab", False, 0.30, "Reid did not", "b1", float("nan"))],
        columns=MESSAGES,
    )
    heat = charts.messages_chart(messages).data[0]
    assert [list(r) for r in heat.text] == [["1/3 stories", "✗ 0.30"]]
    assert [list(r) for r in heat.z] == [[pytest.approx(1 / 3), 0.0]]


@pytest.mark.parametrize(
    "builder", ["volume", "tone", "timeline", "top", "heatmap", "entity_tone", "exclusive", "terms"]
)
def test_untrusted_names_are_escaped(builder):
    """Plotly renders some HTML in labels: an outlet or entity named with markup must stay text."""
    articles = _articles(
        [("h1", HOSTILE, HOSTILE, "2016-11-15", 10, 1, 0.1, 0.1), ("h2", HOSTILE, "", "2016-11-16", 5, 1, 0, 0)]
    )
    entities = _entities([("s", HOSTILE, "<script>alert(1)</script>", "person", 2, 1.0, 0.2, True)])
    terms = pd.DataFrame([("s", HOSTILE, "<script>", 2, 1.0)], columns=TERMS)
    fig = {
        "volume": lambda: charts.volume_chart(articles, colors=COLORS),
        "tone": lambda: charts.tone_chart(articles, colors=COLORS),
        "timeline": lambda: charts.timeline_chart(articles, colors=COLORS),
        "top": lambda: charts.top_entities_chart(entities, colors=COLORS),
        "heatmap": lambda: charts.entity_heatmap(entities),
        "entity_tone": lambda: charts.entity_tone_chart(entities, colors=COLORS),
        "exclusive": lambda: charts.exclusive_chart(entities, colors=COLORS),
        "terms": lambda: charts.terms_chart(terms, colors=COLORS),
    }[builder]()
    spec = json.dumps(fig.to_plotly_json(), default=str)
    assert "<img" not in spec and "<script" not in spec
    assert "&lt;" in spec


def test_empty_inputs_give_a_message_not_an_error():
    no_articles = ARTICLES.iloc[0:0]
    no_entities = ENTITY_ROWS.iloc[0:0]
    for fig in [
        charts.volume_chart(no_articles, colors=COLORS),
        charts.top_entities_chart(no_entities, colors=COLORS),
        charts.entity_heatmap(no_entities),
        charts.entity_tone_chart(no_entities, colors=COLORS),
        charts.terms_chart(pd.DataFrame(columns=TERMS), colors=COLORS),
    ]:
        assert fig.layout.annotations and fig.layout.annotations[0].text


def test_bundled_entity_chart_follows_the_selection(bundled):
    """On the real seeds: Tay is TechRepublic's alone (1 mention), Peter Thiel TechCrunch's (1 mention)."""
    table = entity_table(bundled.mentions, bundled.sentences, bundled.articles)
    colors = charts.outlet_colors(bundled.articles["outlet"])
    traces = _traces_by_name(charts.top_entities_chart(table, colors=colors, n=100, measure="mentions"))
    republic = dict(zip(traces["TechRepublic"].y, traces["TechRepublic"].x, strict=True))
    crunch = dict(zip(traces["TechCrunch"].y, traces["TechCrunch"].x, strict=True))
    assert republic["Tay"] == 1 and "Tay" not in crunch
    assert crunch["Peter Thiel"] == 1 and "Peter Thiel" not in republic
    exclusive = [y for t in charts.exclusive_chart(table, colors=colors).data for y in t.y]
    assert "Tay (TechRepublic)" in exclusive and "Peter Thiel (TechCrunch)" in exclusive


def test_unique_angles_pairs_each_sentence_with_its_closest_counterpart():
    sentences = pd.DataFrame({
        "article_id": ["a1", "a1", "a1", "b1", "b1"],
        "outlet": ["TechCrunch", "TechCrunch", "TechCrunch", "TechRepublic", "TechRepublic"],
        "story": "s", "position": [0, 1, 2, 0, 1], "is_title": [True, False, False, False, False],
        "text": ["Headline", "Google lags behind Amazon in cloud.", "Azure is preferred.", "Azure is primary.",
                 "Tay was a chatbot on Twitter."],
        "entities": ["", "Google; Amazon", "Azure", "Azure", "Tay; Twitter"],
        "best_match": [0.1, 0.05, 0.9, 0.9, 0.02], "unique": [False, True, False, False, True],
        "matched_outlet": ["TechRepublic", "TechRepublic", "TechRepublic", "TechCrunch", "TechCrunch"],
        "matched_text": [
            "Azure is primary.", "Tay was a chatbot on Twitter.", "Azure is primary.", "Azure is preferred.",
            "Google lags behind Amazon in cloud.",
        ],
    })
    angles = charts.unique_angles(sentences, n=1)
    assert angles[["outlet", "sentence", "unique", "closest_sentence"]].values.tolist() == [
        ["TechCrunch", "Google lags behind Amazon in cloud.", True, "Tay was a chatbot on Twitter."],
        ["TechRepublic", "Tay was a chatbot on Twitter.", True, "Google lags behind Amazon in cloud."],
    ]
    assert len(charts.unique_angles(sentences, n=5)) == 4  # the headline is left out
    # without their entity, "Azure is preferred." and "Azure is primary." are two-word fragments
    assert len(charts.unique_angles(sentences.drop(columns="entities"), n=5)) == 2
    assert charts.unique_angles(sentences.assign(best_match=float("nan"))).empty


def test_unique_angles_on_the_seeds(bundled):
    """The least-matched sentences: TechRepublic's Tay aside and TechCrunch's Google-lags aside rank low."""
    from analysis import build_tables

    angles = charts.unique_angles(build_tables(bundled)["sentences"], n=5)
    republic = angles[angles["outlet"] == "TechRepublic"]["sentence"].str.cat(sep=" | ")
    crunch = angles[angles["outlet"] == "TechCrunch"]["sentence"].str.cat(sep=" | ")
    assert "Tay" in republic
    assert "Google has lagged behind" in crunch


def test_heatmap_writes_a_small_share_as_under_one_percent_not_zero():
    rows = _entities([("s", "A", "Big", "organization", 996, 0.996, 0.0, False),
                      ("s", "A", "Rare", "organization", 4, 0.004, 0.0, True),
                      ("s", "B", "Big", "organization", 10, 1.0, 0.0, False)])
    heat = charts.entity_heatmap(rows, n=10).data[0]
    text = dict(zip(heat.y, (list(r) for r in heat.text), strict=True))
    assert text == {"Big": ["100%", "100%"], "Rare": ["<1%", ""]}
