"""What each outlet covered and skipped: ``analysis.stories`` on real text (the ECB+ fixture in
``tests/data/storyview``, credit beside it), invariants, the CLI's ``stories.csv`` and the store's equal table.

The fixture's ``copy_of`` values are what ``analysis.grouping`` is to give (the shared contract):
they are joined to the analysed articles here, so the copy counts are tested with or without it."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis as an
from analysis.loaders import article_id
from analysis.schema import STORIES
from analysis.selection import Selection
from analysis.store import open_store
from tests.helpers import ROOT, run_cli

FIXTURE = ROOT / "tests" / "data" / "storyview"
OUTLETS = ["Daily Planet", "Gazette", "Herald"]


def _copies() -> dict[str, str]:
    rows = [json.loads(line) for line in (FIXTURE / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    return {article_id(row["text"]): row["copy_of"] for row in rows}


@pytest.fixture(scope="module")
def storyview() -> an.Analysis:
    analysed = an.analyse(an.load_corpus([FIXTURE]).articles)
    articles = analysed.articles.copy()
    given = articles["article_id"].map(_copies()).fillna("")
    if "copy_of" in articles.columns:  # grouping marks copies itself: the fixture's marks are the reference
        articles["copy_of"] = given
    else:
        articles.insert(list(articles.columns).index("story") + 1, "copy_of", given)
    return an.Analysis(articles, analysed.sentences, analysed.mentions, analysed.sentiment)


def test_stories_of_the_fixture_by_hand(storyview):
    table = an.stories_table(storyview.articles, storyview.mentions).set_index("story")
    assert list(table.reset_index().columns) == STORIES
    assert list(table.index) == ["ecb-1a", "ecb-1b", "ecb-3a", "ecb-13a"]  # most articles first, then first day
    # Tara Reid enters rehab: named in all five articles, the Promises clinic in five too (fewer mentions)
    assert table.loc["ecb-1a"].to_dict() == {
        "name": "Tara Reid, Promises Treatment Center · 2024-01-05", "first_date": "2024-01-05",
        "last_date": "2024-01-07", "articles": 5, "copies": 1, "outlets": 3, "missing_outlets": ""}
    assert table.loc["ecb-1b", "name"] == "Lindsay Lohan, Betty Ford Center · 2024-02-21"
    assert (table.loc["ecb-1b", "copies"], table.loc["ecb-1b", "missing_outlets"]) == (1, "Herald")
    # the Brian Nichols sentencing: one outlet only, the two others skipped it
    assert table.loc["ecb-3a", "name"] == "Brian Nichols, Atlanta · 2024-01-13"
    assert table.loc["ecb-3a", ["outlets", "missing_outlets"]].tolist() == [1, "Gazette; Herald"]
    assert table.loc["ecb-13a", "missing_outlets"] == "Daily Planet; Herald"


def test_without_copy_of_there_are_no_copies(storyview):
    plain = storyview.articles.drop(columns="copy_of")
    table = an.stories_table(plain, storyview.mentions)
    assert table["copies"].eq(0).all() and table["articles"].sum() == 18


def test_missing_outlets_are_among_the_ones_given(storyview):
    table = an.stories_table(storyview.articles, storyview.mentions, outlets=[*OUTLETS, "Clarion"])
    assert table.set_index("story").loc["ecb-1a", "missing_outlets"] == "Clarion"


def test_coverage_matrix_marks_copies_and_leaves_skipped_stories_blank(storyview):
    coverage = an.story_coverage(storyview.articles)
    stories = an.stories_table(storyview.articles, storyview.mentions)
    matrix = an.coverage_matrix(coverage, stories, OUTLETS).set_index("story")
    assert matrix.loc["ecb-1a", OUTLETS].tolist() == ["1", "2 (1 copy)", "2"]
    assert matrix.loc["ecb-3a", OUTLETS].tolist() == ["4", "", ""]


def test_stories_without_dates_or_entities_are_named_by_what_they_have():
    articles = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "X"], "story": ["quiet", ""],
                             "published": ["", ""]})
    mentions = pd.DataFrame({"article_id": ["a"], "story": ["quiet"], "entity": ["Tay"]})
    table = an.stories_table(articles, mentions).set_index("story")
    assert table["name"].to_dict() == {"quiet": "Tay", "": "(no story)"}
    assert table[["first_date", "last_date"]].eq("").all().all()


_ROW = st.tuples(st.sampled_from(["s", "t", "u"]), st.sampled_from(["X", "Y", "Z"]),
                 st.sampled_from(["", "2024-01-01", "2024-01-03"]), st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROW, min_size=1, max_size=30))
def test_counts_add_up(rows):
    articles = pd.DataFrame([{"article_id": f"a{i}", "story": s, "outlet": o, "published": d,
                              "copy_of": "a0" if c else ""} for i, (s, o, d, c) in enumerate(rows)])
    before = articles.copy()
    table = an.stories_table(articles, pd.DataFrame(columns=["article_id", "story", "entity"]))
    pd.testing.assert_frame_equal(articles, before)  # not mutated
    assert table["articles"].sum() == len(articles) and table["copies"].sum() == articles["copy_of"].ne("").sum()
    assert table["story"].is_unique and table["name"].is_unique
    n_outlets = articles["outlet"].nunique()
    missing = table["missing_outlets"].map(lambda m: len(m.split("; ")) if m else 0)
    assert (table["outlets"] + missing).eq(n_outlets).all()
    dated = table[table["first_date"] != ""]
    assert (dated["first_date"] <= dated["last_date"]).all()
    coverage = an.story_coverage(articles)
    assert coverage["articles"].sum() == len(articles) and (coverage["copies"] <= coverage["articles"]).all()


def test_cli_export_writes_stories_csv(tmp_path):
    result = run_cli("export", str(FIXTURE), "--outlet", "Daily Planet", "--outlet", "Gazette",
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(tmp_path / "stories.csv", keep_default_na=False).set_index("story")
    # Herald's articles are filtered out: the 1a story has three, and no selected outlet skipped it
    assert table.loc["ecb-1a", ["articles", "outlets", "missing_outlets"]].tolist() == [3, 2, ""]
    assert table.loc["ecb-3a", "missing_outlets"] == "Gazette"
    one = run_cli("export", str(FIXTURE), "--story", "ecb-3a", "--out", str(tmp_path / "one"))
    assert one.returncode == 0, one.stderr
    # one story chosen: still missing from the two outlets the selection keeps
    assert pd.read_csv(tmp_path / "one" / "stories.csv", keep_default_na=False)["missing_outlets"].tolist() == [
        "Gazette; Herald"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = open_store(tmp_path_factory.mktemp("stories") / "s.duckdb")
    opened.ingest(an.load_corpus([FIXTURE]).articles, jobs=1)
    return opened


@pytest.mark.parametrize("selection", [
    Selection(), Selection(outlets=("Gazette", "Herald")), Selection(stories=("ecb-1b", "ecb-3a")),
    Selection(since="2024-02-01"), Selection(outlets=("Nowhere",)),
])
def test_the_store_gives_the_same_stories_table(store, selection):
    everything = store.analysis()
    chosen = an.select(everything, selection)
    outlets = selection.outlets_among(everything.articles["outlet"])
    expected = an.build_tables(chosen, outlets=outlets)["stories"]
    pd.testing.assert_frame_equal(store.stories_table(selection), expected)


def test_cli_export_through_the_store_agrees_with_a_plain_export(tmp_path):
    plain = run_cli("export", str(FIXTURE), "--out", str(tmp_path / "plain"))
    stored = run_cli("export", str(FIXTURE), "--store", str(tmp_path / "s.duckdb"), "--out", str(tmp_path / "store"))
    assert plain.returncode == 0 and stored.returncode == 0, plain.stderr + stored.stderr
    assert (tmp_path / "plain" / "stories.csv").read_bytes() == (tmp_path / "store" / "stories.csv").read_bytes()


def test_hide_copies_in_the_store_sql(tmp_path):
    """``Selection.hide_copies`` in SQL: the store's copy groups find the fixture's two wire copies
    (its ``copy_of`` marks, which the loader does not read), and hiding leaves them out."""
    opened = open_store(tmp_path / "s.duckdb")
    opened.ingest(an.load_corpus([FIXTURE]).articles, jobs=1)
    hidden = Selection(hide_copies=True)
    marked = {c: o for c, o in _copies().items() if o}
    assert opened.copies() == len(marked) == 2
    table = opened.articles_table(Selection())
    assert dict(zip(table.loc[table["copy_of"] != "", "article_id"], table.loc[table["copy_of"] != "", "copy_of"],
                    strict=True)) == marked
    assert opened.export_key(hidden) != opened.export_key(Selection())
    kept = opened.articles_table(hidden)
    assert len(kept) == 16 and not set(kept["article_id"]) & set(marked)
    assert opened.stories_table(hidden)["articles"].sum() == 16
