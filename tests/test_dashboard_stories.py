"""The dashboard's Stories view, story picker and "Hide copies", by AppTest on the ECB+ fixture
(``tests/data/storyview``, credit beside it).

Wire copies (``copy_of``) are what ``analysis.grouping`` is to mark (the shared contract); until it
does, the fixture's ``copy_of`` values are joined to the analysed articles here, as it will give them.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

import analysis as an
from analysis.loaders import article_id
from tests.helpers import ROOT, run_app

FIXTURE = ROOT / "tests" / "data" / "storyview"
TARA, LOHAN, NICHOLS = "ecb-1a", "ecb-1b", "ecb-3a"


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """A copy of the fixture (its own cache keys) whose analysed articles carry ``copy_of``."""
    shutil.copy(FIXTURE / "articles.jsonl", tmp_path / "articles.jsonl")
    rows = [json.loads(line) for line in (FIXTURE / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    copies = {article_id(row["text"]): row["copy_of"] for row in rows}
    plain = an.apply_sentiment

    def with_copies(articles, extracted, **options):
        analysed = plain(articles, extracted, **options)
        table = analysed.articles.copy()
        given = table["article_id"].map(copies).fillna("")
        if "copy_of" in table.columns:  # grouping marks copies itself: the fixture's marks are the reference
            table["copy_of"] = given
        else:
            table.insert(list(table.columns).index("story") + 1, "copy_of", given)
        return an.Analysis(table, analysed.sentences, analysed.mentions, analysed.sentiment)

    monkeypatch.setattr(an, "apply_sentiment", with_copies)
    return tmp_path


def _stories_tab(at):
    at.session_state["tab"] = "Stories"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _header(at) -> str:
    return next(c.value for c in at.caption if " from " in c.value)


def test_the_picker_lists_stories_by_name_with_counts_and_all_by_default(monkeypatch, corpus):
    at = run_app(monkeypatch, "--data", str(corpus))
    picker = at.sidebar.multiselect(key="stories")
    assert picker.value == []  # every story, no wall of chips
    assert picker.placeholder == "All 4 stories"
    assert picker.options[:2] == [
        "Tara Reid, Promises Treatment Center · 2024-01-05 — 5 articles (1 copy), 3 outlets",
        "Lindsay Lohan, Betty Ford Center · 2024-02-21 — 5 articles (1 copy), 2 outlets",
    ]
    assert "18 articles, 2 of them copies, from 3 outlets" in _header(at)


def test_stories_matrix_counts_articles_per_outlet_and_marks_copies(monkeypatch, corpus):
    at = _stories_tab(run_app(monkeypatch, "--data", str(corpus)))
    matrix = at.dataframe(key="stories_matrix").value.set_index("Story")
    tara = "Tara Reid, Promises Treatment Center · 2024-01-05"
    assert matrix.loc[tara, ["Articles", "Copies", "Daily Planet ", "Gazette ", "Herald "]].tolist() == [
        5, 1, "1", "2 (1 copy)", "2"]
    nichols = "Brian Nichols, Atlanta · 2024-01-13"
    assert matrix.loc[nichols, ["Gazette ", "Herald ", "Skipped by"]].tolist() == ["", "", "Gazette; Herald"]
    assert list(matrix.index)[:2] == [tara, "Lindsay Lohan, Betty Ford Center · 2024-02-21"]  # by size
    at.radio(key="stories_sort").set_value("Date").run()
    assert at.dataframe(key="stories_matrix").value["First day"].tolist() == [
        "2024-02-22", "2024-02-21", "2024-01-13", "2024-01-05"]


def test_choosing_a_story_filters_every_other_view(monkeypatch, corpus):
    at = _stories_tab(run_app(monkeypatch, "--data", str(corpus)))
    at.selectbox(key="stories_focus").set_value(NICHOLS).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.sidebar.multiselect(key="stories").value == [NICHOLS]
    assert at.query_params["story"] == NICHOLS
    assert "4 articles from 1 outlet" in _header(at)
    # the matrix still lists every story, to choose another
    assert len(at.dataframe[0].value) == 4
    at.session_state["tab"] = "Overview"
    at.run()
    overview = at.dataframe[0].value  # the Overview's articles table
    assert len(overview) == 4 and set(overview["story"]) == {NICHOLS}
    at.session_state["tab"] = "Stories"
    at.run()
    at.button(key="stories_clear").click().run()
    assert at.sidebar.multiselect(key="stories").value == []
    assert "18 articles" in _header(at)


def test_hide_copies_leaves_them_out_of_every_count(monkeypatch, corpus):
    at = run_app(monkeypatch, "--data", str(corpus))
    box = at.sidebar.checkbox(key="hide_copies")
    assert box.label == "Hide copies (2)"
    box.check().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "16 articles from 3 outlets" in _header(at)
    assert at.query_params["copies"] == "hide"
    _stories_tab(at)
    matrix = at.dataframe(key="stories_matrix").value.set_index("Story")
    assert "Copies" not in matrix.columns  # none left to mark
    assert matrix["Articles"].sum() == 16
    assert matrix.loc["Tara Reid, Promises Treatment Center · 2024-01-05", "Gazette "] == "1"


def test_a_shared_link_opens_one_story_with_copies_hidden(monkeypatch, corpus):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr("sys.argv", ["dashboard.py", "--data", str(corpus)])
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update({"story": LOHAN, "copies": "hide", "tab": "stories"})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.sidebar.multiselect(key="stories").value == [LOHAN]
    assert at.sidebar.checkbox(key="hide_copies").value is True
    assert "4 articles from 2 outlets" in _header(at)


def test_the_copies_grouping_finds_are_counted_and_can_be_hidden(monkeypatch):
    """The fixture's files carry no ``copy_of``: ``analysis.grouping`` finds its two wire copies (a
    Gazette reprint of Tara Reid's Herald story a day later, one of Lohan's), and the app says so."""
    at = run_app(monkeypatch, "--data", str(FIXTURE))
    assert [c.label for c in at.sidebar.checkbox if c.key == "hide_copies"] == ["Hide copies (2)"]
    assert "18 articles, 2 of them copies, from 3 outlets" in _header(at)
    stories = pd.Series(at.sidebar.multiselect(key="stories").options)
    assert stories.str.contains(" — 4 articles, 1 outlet").sum() == 2
    assert stories.str.contains(r" — 5 articles \(1 copy\)", regex=True).sum() == 2


def test_a_large_store_lists_its_stories_from_sql(monkeypatch, tmp_path):
    """Above the full limit the matrix and the picker come from the store's SQL (``Store.stories_table``),
    with the copies the store's placements found."""
    from analysis.store import open_store

    store = open_store(tmp_path / "s.duckdb")
    store.ingest(an.load_corpus([FIXTURE]).articles, jobs=1)
    at = _stories_tab(run_app(monkeypatch, "--store", str(tmp_path / "s.duckdb"), "--full-limit", "5"))
    picker = at.sidebar.multiselect(key="stories")
    assert picker.options[2] == "Brian Nichols, Atlanta · 2024-01-13 — 4 articles, 1 outlet"
    assert [c.label for c in at.sidebar.checkbox if c.key == "hide_copies"] == ["Hide copies (2)"]
    matrix = at.dataframe(key="stories_matrix").value.set_index("Story")
    tara = "Tara Reid, Promises Treatment Center · 2024-01-05"
    assert matrix.loc[tara, ["Articles", "Gazette "]].tolist() == [5, "2 (1 copy)"]
    at.selectbox(key="stories_focus").set_value(TARA).run()
    assert not at.exception, [e.message for e in at.exception]
    assert "5 articles, 1 of them a copy, from 3 outlets" in _header(at)
