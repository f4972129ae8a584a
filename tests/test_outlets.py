"""Many outlets and many stories: the ``outlet_group`` field and the "Name (Section)" rule, outlets
folded into "Others" with distinct colours on screen, and the roll-up of exclusives and distinctive
terms over stories. Real text: ``tests/data/outlets`` (24 ECB+ articles over 16 made-up outlets in 6
stories; see its README for the corpus credit)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis as an
from analysis import charts
from analysis.loaders import load_corpus
from analysis.outlets import OTHERS, outlet_group
from analysis.rollup import DISTINCTIVE, EXCLUSIVE, ROLLUP, outlet_rollup
from tests.helpers import ROOT

FIXTURE = ROOT / "tests" / "data" / "outlets" / "articles.jsonl"


# --- outlet_group: the field and the rule ---------------------------------------------------------------


@pytest.mark.parametrize(("outlet", "group"), [
    ("Fox News (Online News)", "Fox News"),
    ("Fox News (Opinion)", "Fox News"),
    ("Fox News(Opinion)", "Fox News"),
    ("TechCrunch", "TechCrunch"),
    ("BBC News (UK) (Politics)", "BBC News (UK)"),  # only the last section goes
    ("(Opinion)", "(Opinion)"),  # nothing before the section: not a section
    ("Fox News (Opinion) Extra", "Fox News (Opinion) Extra"),  # not at the end
    ("", ""),
])
def test_the_section_rule_groups_name_section_as_name(outlet, group):
    assert outlet_group(outlet) == group


def test_a_given_group_wins_over_the_rule():
    assert outlet_group("Fox News (Opinion)", " Fox Corporation ") == "Fox Corporation"
    assert outlet_group("Fox News (Opinion)", "   ") == "Fox News"


def test_outlet_group_is_read_from_every_format(tmp_path):
    (tmp_path / "a.csv").write_text(
        "outlet,outlet_group,title,text\n"
        "Daily Planet (Sport),Planet Media,Cup final,The home side won the cup final on Sunday.\n"
        "Daily Planet (Sport),,Transfer,The club signed a striker from abroad for a record fee.\n",
        encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"outlet": "Herald", "outlet_group": "Herald Group", "text": "Rain is expected all week."}) + "\n"
        + json.dumps({"outlet": "Herald (Opinion)", "text": "The council should fix the roads first."}) + "\n",
        encoding="utf-8")
    (tmp_path / "c.md").write_text(
        "---\noutlet: Gazette (Business)\noutlet_group: Gazette Media\ntitle: Rates\n---\nThe bank held rates.\n",
        encoding="utf-8")
    (tmp_path / "d.md").write_text("---\noutlet: Gazette (Business)\n---\nShares rose on the news today.\n",
                                   encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert corpus.skipped.empty
    got = dict(zip(corpus.articles["text"].str[:12], corpus.articles["outlet_group"], strict=True))
    assert got == {
        "The home sid": "Planet Media", "The club sig": "Daily Planet",
        "Rain is expe": "Herald Group", "The council ": "Herald",
        "The bank hel": "Gazette Media", "Shares rose ": "Gazette",
    }


def test_outlet_group_is_written_at_the_end_of_articles_csv(outlets_analysis):
    table = an.build_tables(outlets_analysis)["articles"]
    assert list(table.columns)[-1] == "outlet_group"
    assert set(table["outlet_group"]) == {f"Outlet {i:02d}" for i in range(1, 9)}
    assert (table["outlet"].str.replace(r" \((Online News|Opinion)\)$", "", regex=True) == table["outlet_group"]).all()


# --- the fixture analysed once -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outlets_analysis():
    return an.analyse(load_corpus([FIXTURE]).articles)


@pytest.fixture(scope="module")
def grouped_tables(outlets_analysis):
    return an.build_tables(an.group_outlets(outlets_analysis))


def test_grouping_compares_groups_as_outlets_without_touching_the_input(outlets_analysis):
    before = outlets_analysis.articles.copy()
    grouped = an.group_outlets(outlets_analysis)
    pd.testing.assert_frame_equal(outlets_analysis.articles, before)
    assert outlets_analysis.articles["outlet"].nunique() == 16
    assert sorted(grouped.articles["outlet"].unique()) == [f"Outlet {i:02d}" for i in range(1, 9)]
    assert set(grouped.mentions["outlet"]) <= set(grouped.articles["outlet"])
    # every mention keeps its article, now under that article's group
    outlet_of = grouped.articles.set_index("article_id")["outlet"]
    assert (grouped.mentions["article_id"].map(outlet_of) == grouped.mentions["outlet"]).all()
    assert (grouped.sentences["article_id"].map(outlet_of) == grouped.sentences["outlet"]).all()


# --- the roll-up over stories ---------------------------------------------------------------------------


def test_rollup_facts_on_real_text(grouped_tables):
    t = grouped_tables
    rollup = outlet_rollup(t["articles"], t["entities"], t["terms"])
    assert list(rollup.columns) == ROLLUP
    row = rollup[(rollup["outlet"] == "Outlet 03") & (rollup["item"] == "prison")].iloc[0]
    # Outlet 03 covered the two prison-escape stories (3a, 3b) and two others, each beside another outlet
    assert (row["kind"], row["stories"], row["compared"]) == (DISTINCTIVE, 2, 4)
    assert an.rollup.rollup_sentence(row) == "in 2 of 4 stories Outlet 03 uses “prison” more than the others"
    # Tara Reid's story (1a): People (magazine: a name ends in its last capitalised word, analysis.names)
    # is named by one group alone there
    people = rollup[(rollup["kind"] == EXCLUSIVE) & (rollup["item"] == "People")]
    assert len(people) >= 1 and (people["stories"] >= 1).all()
    exclusive = t["entities"][t["entities"]["exclusive"].astype(bool)]
    for r in rollup[rollup["kind"] == EXCLUSIVE].itertuples():
        mine = exclusive[(exclusive["outlet"] == r.outlet) & (exclusive["entity"] == r.item)]
        assert (r.stories, r.count) == (mine["story"].nunique(), mine["mentions"].sum())


_names = st.sampled_from(["A", "B", "C", "D"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["s1", "s2", "s3", "s4"]), _names, st.sampled_from(["X", "Y", "Z"]),
                          st.integers(1, 4)), min_size=1, max_size=30))
def test_rollup_counts_stories_where_one_outlet_alone_names_an_entity(rows):
    """Against a brute-force count: stories where an outlet names the entity and no other outlet
    present in the story does; ``compared`` the outlet's stories that hold another outlet."""
    mentions = pd.DataFrame(rows, columns=["story", "outlet", "entity", "mentions"])
    articles = mentions[["story", "outlet"]].drop_duplicates().assign(article_id=lambda f: f["story"] + f["outlet"])
    entities = mentions.groupby(["story", "outlet", "entity"], as_index=False)["mentions"].sum()
    namers = entities.groupby(["story", "entity"])["outlet"].transform("nunique")
    present = entities.groupby("story")["outlet"].transform("nunique")
    entities = entities.assign(label="person", exclusive=(namers == 1) & (present >= 2))
    terms = pd.DataFrame({"story": [], "outlet": [], "term": [], "count": [], "z": []})
    rollup = outlet_rollup(articles, entities, terms)
    for outlet in articles["outlet"].unique():
        stories = set(articles.loc[articles["outlet"] == outlet, "story"])
        compared = sum(articles.loc[articles["story"] == s, "outlet"].nunique() >= 2 for s in stories)
        for entity in ["X", "Y", "Z"]:
            alone = [s for s in stories if compared and articles.loc[articles["story"] == s, "outlet"].nunique() >= 2
                     and set(entities.loc[(entities["story"] == s) & (entities["entity"] == entity), "outlet"])
                     == {outlet}]
            got = rollup[(rollup["outlet"] == outlet) & (rollup["item"] == entity)]
            assert (int(got["stories"].iloc[0]) if len(got) else 0) == len(alone)
            if len(got):
                assert int(got["compared"].iloc[0]) == compared >= len(alone)


def test_rollup_of_nothing_is_an_empty_table_with_its_columns():
    empty = pd.DataFrame({c: [] for c in ["story", "outlet", "entity", "label", "mentions", "exclusive"]})
    terms = pd.DataFrame({c: [] for c in ["story", "outlet", "term", "count", "z"]})
    got = outlet_rollup(pd.DataFrame({"story": [], "outlet": []}), empty, terms)
    assert got.empty and list(got.columns) == ROLLUP


# --- colours and "Others" -------------------------------------------------------------------------------


@given(st.sets(st.text(min_size=1, max_size=12), min_size=1, max_size=len(charts.PALETTE)))
def test_up_to_the_palette_every_outlet_has_its_own_colour(outlets):
    colors = charts.outlet_colors(outlets)
    assert len(set(colors.values())) == len(outlets)
    assert charts.NEUTRAL not in colors.values() or len(outlets) == len(charts.PALETTE)


@given(st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda s: s != OTHERS), st.integers(1, 50),
                       min_size=1, max_size=120), st.integers(1, charts.MAX_OUTLETS))
def test_screen_colours_are_distinct_among_the_outlets_drawn(counts, limit):
    colors = charts.screen_colors(pd.Series(counts), limit=limit)
    drawn = [o for o in colors if o != OTHERS]
    assert len(set(colors.values())) == len(colors)  # Others' grey too is nobody else's
    assert len(drawn) <= limit + 1
    assert (OTHERS in colors) == (len(drawn) < len(counts))
    # the outlets drawn are the ones with most articles
    if OTHERS in colors:
        assert min(counts[o] for o in drawn) >= max(counts[o] for o in counts if o not in drawn)


def test_seventy_outlets_make_twelve_bars_and_a_mean_for_the_others():
    articles = pd.DataFrame({
        "article_id": [f"a{i}" for i in range(140)],
        "outlet": [f"Outlet {i % 70 + 1:02d} (Opinion)" for i in range(140)],
        "words": [100 + i for i in range(140)], "sentences": 5, "polarity": [(i % 7) / 10 for i in range(140)],
        "subjectivity": 0.5, "published": "2020-01-01",
    })
    extra = pd.DataFrame({"article_id": ["b1", "b2"], "outlet": "Outlet 70 (Opinion)", "words": 10, "sentences": 1,
                          "polarity": 0.0, "subjectivity": 0.5, "published": "2020-01-02"})
    articles = pd.concat([articles, extra], ignore_index=True)
    colors = charts.screen_colors(articles.groupby("outlet")["article_id"].nunique())
    assert colors["Outlet 70 (Opinion)"] == charts.PALETTE[0]  # the most articles, the first colour
    volume = charts.volume_chart(articles, colors=colors)
    names = [trace.x[0] for trace in volume.data]
    assert len(names) == charts.MAX_OUTLETS and "Outlet 70 (Opinion)" in names  # by name; the sum of 58 left out
    assert "58 others: 116 articles" in volume.layout.title.subtitle.text
    assert len({trace.marker.color for trace in volume.data}) == len(volume.data)
    tone = charts.tone_chart(articles, colors=colors)
    assert [trace.x[0] for trace in tone.data][-1] == OTHERS  # a mean is comparable: Others drawn, last
    folded = articles[~articles["outlet"].isin(names)]
    assert tone.data[-1].y[0] == pytest.approx(folded["polarity"].mean())
    assert tone.data[-1].marker.color == charts.OTHERS_COLOR


def test_heatmap_labels_of_many_outlets_leave_room_under_the_title(grouped_tables, outlets_analysis):
    entities = an.build_tables(outlets_analysis)["entities"]
    articles = outlets_analysis.articles
    colors = charts.screen_colors(articles.groupby("outlet")["article_id"].nunique(), limit=8)
    fig = charts.entity_heatmap(entities, colors=colors)
    columns = list(fig.data[0].x)
    assert len(columns) == 9 and columns[-1] == OTHERS
    assert fig.layout.xaxis.tickangle == -40
    longest = max(len(c) for c in columns)
    assert fig.layout.margin.t >= 70 + 5 * longest  # about 5 px a slanted character
    # Others sums what the folded outlets say of each entity
    mentions = entities[~entities["outlet"].isin(columns)].groupby("entity")["mentions"].sum()
    grid = pd.DataFrame(fig.data[0].customdata, index=list(fig.data[0].y), columns=columns)
    for entity in grid.index:
        assert grid.loc[entity, OTHERS] == mentions.get(entity, 0)
    assert not math.isnan(fig.data[0].z[0][0])


def test_terms_and_quotes_without_alignment_equal_the_exported_ones(outlets_analysis):
    """The dashboard's shortcut over many stories (app.data.LazyTables.terms/quotes) reads the
    unaligned sentences: the tables must be the CLI's."""
    from analysis.quotes import extract_quotes
    from analysis.schema import QUOTES, TERMS

    tables = an.build_tables(outlets_analysis)
    pd.testing.assert_frame_equal(an.distinctive_terms(outlets_analysis.sentences)[TERMS], tables["terms"])
    quotes = extract_quotes(outlets_analysis.sentences, mentions=outlets_analysis.mentions)[QUOTES]
    pd.testing.assert_frame_equal(quotes.reset_index(drop=True), tables["quotes"])
    pd.testing.assert_frame_equal(an.build_entities(outlets_analysis), tables["entities"])
    assert len(tables["terms"]) and len(tables["quotes"])
