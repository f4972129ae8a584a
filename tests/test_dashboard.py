"""The dashboard through Streamlit's AppTest, and its CSV downloads against the CLI's files."""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import analysis as an
from analysis.charts.sentiment import WEAK
from analysis.schema import TABLES
from analysis.selection import Selection
from analysis.similarity import load_model
from app import data, options, sidebar, widgets
from app.page import TABS
from tests.helpers import run_app

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard.py"

MESSAGES = ["Google lags behind Amazon on GPU virtual machines", "Microsoft Azure is OpenAI's preferred cloud platform"]


def _run(monkeypatch, *args: str) -> AppTest:
    return run_app(monkeypatch, *args)


@pytest.fixture
def app(monkeypatch) -> AppTest:
    return _run(monkeypatch)


def _open(at: AppTest, tab: str) -> AppTest:
    """Open a tab (only the open tab's content runs)."""
    at.session_state["tab"] = tab
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


TABLE_TAB = {"articles": "Overview", "entities": "Entities", "sentences": "Sentiment", "messages": "Emphasis"}


def _table(at: AppTest, name: str) -> pd.DataFrame:
    """The dataframe on screen showing table ``name`` with exactly its exported columns."""
    _open(at, TABLE_TAB[name])
    columns = TABLES[name]
    for frame in at.dataframe:
        if list(frame.value.columns) == columns:
            return frame.value
    raise AssertionError(f"no table with columns {columns}")


def _chart_text(at: AppTest) -> str:
    return " ".join(chart.proto.spec for chart in at.get("plotly_chart"))


def _downloads(at: AppTest) -> dict[str, object]:
    """Every download button of every tab, by label."""
    buttons = {}
    for tab in TABS:
        _open(at, tab)
        buttons.update({button.proto.label: button.proto for button in at.get("download_button")})
    return buttons


def test_app_runs_and_every_tab_renders(app):
    assert [tab.label for tab in app.tabs] == TABS
    # the bundled corpus: 2 articles from 2 outlets
    assert [m.value for m in app.metric][:2] == ["2", "2"]
    assert app.sidebar.multiselect(key="outlets").value == ["TechCrunch", "TechRepublic"]
    charts = {}
    for name in TABS:
        _open(app, name)
        tab = next(t for t in app.tabs if t.label == name)
        assert len(tab.children) > 0, name
        assert all(len(t.children) == 0 for t in app.tabs if t.label != name)  # only the open tab ran
        charts[name] = len(app.get("plotly_chart"))
    assert charts == {"Overview": 2, "Stories": 0, "Entities": 2, "Share of voice": 2, "Sentiment": 3, "Emphasis": 2,
                      "Articles": 0}
    assert app.get("html"), "the article reader"


def test_download_buttons_under_every_table(app):
    buttons = _downloads(app)
    labels = set(buttons)
    for name in ["articles", "entities", "voice", "mentions", "sentences", "terms", "quotes", "messages", "stories"]:
        assert f"Download {name}.csv" in labels
    assert "All tables (zip)" in labels
    for label, proto in buttons.items():
        assert proto.ignore_rerun, label  # on_click="ignore"


def test_outlet_filter_changes_tables_and_charts(app):
    before = _table(app, "entities")
    assert {"Tay", "Peter Thiel"} <= set(before["entity"])
    app.sidebar.multiselect(key="outlets").set_value(["TechRepublic"]).run()
    assert not app.exception
    entities = _table(app, "entities")
    assert set(entities["outlet"]) == {"TechRepublic"}
    assert "Tay" in set(entities["entity"])
    assert "Peter Thiel" not in set(entities["entity"])
    assert set(_table(app, "articles")["outlet"]) == {"TechRepublic"}
    _open(app, "Entities").slider(key="top_n").set_value(40).run()  # every entity of the outlet
    specs = _chart_text(app)
    assert "Tay" in specs and "Peter Thiel" not in specs and "TechCrunch" not in specs


def test_empty_selection_says_what_to_do(app):
    app.sidebar.multiselect(key="outlets").set_value([]).run()
    assert not app.exception
    assert [info.value for info in app.info] == [widgets.SELECT_OUTLET]
    assert not app.tabs and not app.dataframe


def test_entity_type_and_minimum_mentions_filter_the_entity_table(app):
    app.sidebar.multiselect(key="entity_types").set_value(["person"]).run()
    people = _table(app, "entities")
    assert set(people["label"]) == {"person"}
    app.sidebar.number_input(key="min_mentions").set_value(3).run()
    # the only person named three times: Satya Nadella in TechRepublic ("Satya Nadella", "Nadella", "Satya Nadella")
    rows = _table(app, "entities")[["outlet", "entity", "mentions"]].values.tolist()
    assert rows == [["TechRepublic", "Satya Nadella", 3]]
    assert "Download entities-filtered.csv" in _downloads(app)


def test_sentiment_engine_switch(app):
    def tay(at):
        sentences = _table(at, "sentences")
        return sentences[sentences["text"].str.contains("called Tay")]["polarity"].iloc[0]

    assert tay(app) == pytest.approx(0.0)  # TextBlob reads no opinion word in the Tay sentence
    app.sidebar.radio(key="engine").set_value("vader").run()
    assert not app.exception
    assert tay(app) == pytest.approx(-0.80, abs=0.005)
    assert "VADER" in _chart_text(app)


def test_key_messages_fill_the_pull_through_matrix(app):
    app.sidebar.text_area(key="messages").set_value("\n".join(MESSAGES) + "\n\n").run()
    assert not app.exception
    table = _table(app, "messages")
    assert sorted(set(table["message"])) == sorted(MESSAGES)
    assert set(table["outlet"]) == {"TechCrunch", "TechRepublic"}
    assert "Key-message pull-through" in _chart_text(app)


def test_csv_offered_equals_the_cli_export(tmp_path, bundled_articles):
    """What the dashboard offers for a selection is byte for byte what the CLI writes for it."""
    messages_file = tmp_path / "messages.txt"
    messages_file.write_text("\n".join(MESSAGES) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "export", "--out", str(out), "--outlet", "TechRepublic",
         "--messages", str(messages_file)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # the dashboard's own chain: load the default corpus, extract, score, then the selection's
    # tables, built on demand (the Overview needs articles only)
    corpus = an.load_corpus([options.DEFAULT_DATA])
    aliases = an.read_aliases()
    full = an.apply_sentiment(corpus.articles, an.extract(corpus.articles, aliases=aliases), sentiment="textblob")
    messages = tuple(sidebar.parse_messages("\n".join(MESSAGES)))
    selection = Selection(outlets=("TechRepublic",))
    lazy = data.lazy_tables("csv-test", "textblob", selection, messages, full)
    assert list(lazy) == ["articles"]
    assert widgets.csv_data(lazy["articles"])() == (out / "articles.csv").read_bytes()
    tables = dict(lazy.complete())
    assert set(tables) == set(TABLES)
    for name, table in tables.items():
        offered = widgets.csv_data(table)()  # what the download button serves
        assert offered == (out / f"{name}.csv").read_bytes(), name
    assert b"Tay" in (out / "entities.csv").read_bytes() and b"Peter Thiel" not in (out / "entities.csv").read_bytes()
    # and the zip
    archive = zipfile.ZipFile(io.BytesIO(data.zipped("csv-test", "textblob", selection, messages, lazy)))
    assert archive.namelist() == [f"{name}.csv" for name in TABLES]
    for name in TABLES:
        assert archive.read(f"{name}.csv") == (out / f"{name}.csv").read_bytes(), name


def test_data_argument_opens_another_corpus_and_escapes_it(monkeypatch, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(
        '---\noutlet: "Alpha <b>News</b>"\ntitle: "Hello <script>alert(1)</script>"\npublished: "2020-01-01"\n---\n'
        "Microsoft met OpenAI. <img src=x onerror=alert(1)> was in the text.\n",
        encoding="utf-8",
    )
    (corpus / "b.md").write_text(
        '---\noutlet: "Beta"\npublished: "2020-01-03"\n---\nMicrosoft and Google talked about Azure.\n',
        encoding="utf-8",
    )
    at = _run(monkeypatch, "--data", str(corpus))
    assert at.sidebar.multiselect(key="outlets").value == ["Alpha <b>News</b>", "Beta"]
    assert at.sidebar.date_input(key="dates").value == (
        pd.Timestamp("2020-01-01").date(), pd.Timestamp("2020-01-03").date()
    )
    spec = _chart_text(at)
    assert "<b>News" not in spec and "&lt;b&gt;News" in spec
    page = _open(at, "Articles").get("html")[0].proto.body
    assert "<img" not in page and "<script" not in page and "<b>" not in page
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "<img src=x onerror=alert(1)> was in the text." in shown  # as text
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_missing_corpus_is_one_clear_message(monkeypatch, tmp_path):
    at = _run(monkeypatch, "--data", str(tmp_path / "nowhere"))
    assert len(at.error) == 1 and "Corpus not found" in at.error[0].value


def test_uploads_add_good_files_and_explain_bad_ones(app):
    good = (
        "jsonl_upload.jsonl",
        json.dumps({"outlet": "Gamma", "title": "Azure grows", "published": "2016-11-16",
                    "text": "Microsoft said Azure grew. OpenAI agreed."}).encode() + b"\n",
        "application/json",
    )
    bad = ("<img src=x onerror=alert(1)>.md", b"\x00\x01\x02binary", "text/markdown")
    empty = ("notes.csv", b"", "text/csv")
    app.sidebar.file_uploader(key="uploads").set_value([good, bad, empty]).run()
    assert not app.exception, [e.message for e in app.exception]
    assert "Gamma" in app.sidebar.multiselect(key="outlets").options
    assert "Gamma" in set(_table(app, "articles")["outlet"])
    errors = [e.value for e in app.sidebar.error]
    assert len(errors) == 2, errors  # one message per bad file
    assert any("onerror" in e and "\\<img" in e for e in errors)  # the name is escaped, shown as text
    assert any("notes" in e for e in errors)
    assert any("Added 1 uploaded article" in s.value for s in app.sidebar.success)


def test_first_render_and_filter_change_are_fast(monkeypatch, app):
    """Warm process (models loaded by earlier tests): a first render and a filter change stay interactive."""
    start = time.perf_counter()
    at = _run(monkeypatch)
    first = time.perf_counter() - start
    start = time.perf_counter()
    at.sidebar.multiselect(key="outlets").set_value(["TechCrunch"]).run()
    change = time.perf_counter() - start
    print(f"\nfirst render (warm process) {first:.2f}s, filter change {change:.2f}s")
    assert first < 5 and change < 5


def test_command_line_and_messages_parsing():
    assert options.data_sources(["dashboard.py"]) == [options.DEFAULT_DATA]
    assert options.data_sources(["dashboard.py", "--data", "/tmp/a", "/tmp/b"]) == [Path("/tmp/a"), Path("/tmp/b")]
    assert options.data_sources(["x", "--data", "/tmp/a", "--other", "--data", "/tmp/c"]) == [
        Path("/tmp/a"), Path("/tmp/c")
    ]
    assert sidebar.parse_messages(" Azure is preferred \n\n\nGoogle lags\nAzure is preferred") == [
        "Azure is preferred", "Google lags"
    ]
    assert sidebar.parse_messages(None) == []


def test_cache_keys_follow_what_each_step_reads(bundled_articles):
    aliases = an.read_aliases()
    text_only = ["article_id", "title"]
    renamed = bundled_articles.assign(outlet=bundled_articles["outlet"].str.upper())
    retitled = bundled_articles.assign(title="Another headline")
    key = data.corpus_key
    assert key(bundled_articles, aliases) == key(bundled_articles.copy(), aliases)
    assert key(renamed, aliases) != key(bundled_articles, aliases)  # tone tables join the metadata
    # a new outlet needs no new extraction
    assert key(renamed, aliases, columns=text_only) == key(bundled_articles, aliases, columns=text_only)
    assert key(retitled, aliases, columns=text_only) != key(bundled_articles, aliases, columns=text_only)


def test_downloads_are_formula_safe():
    """Every download goes through ``to_csv_bytes``: text that a spreadsheet would run is neutralised."""
    table = pd.DataFrame(
        {"title": ['=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "ok"], "polarity": [-0.5, 0.0, 1.0]}
    )
    lines = widgets.csv_data(table)().decode("utf-8").splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[2].startswith("'@SUM(A1)")
    assert lines[1].endswith(",-0.5")  # numbers stay numbers


def test_store_mode_reads_analysed_articles(monkeypatch, tmp_path, bundled_articles):
    """``-- --store PATH`` shows what ``python -m analysis ingest`` stored, with no file reading."""
    from analysis.store import open_store

    path = tmp_path / "coverage.duckdb"
    open_store(path).ingest(bundled_articles[bundled_articles["outlet"] == "TechRepublic"], jobs=1)
    at = _run(monkeypatch, "--store", str(path))
    assert at.sidebar.multiselect(key="outlets").value == ["TechRepublic"]
    assert any("1 analysed articles" in c.value for c in at.sidebar.caption)
    entities = _table(at, "entities")
    assert "Tay" in set(entities["entity"]) and "Peter Thiel" not in set(entities["entity"])
    # the same tables as the CLI's pipeline on the same article
    expected = an.build_tables(an.analyse(bundled_articles[bundled_articles["outlet"] == "TechRepublic"]))["entities"]
    assert an.to_csv_bytes(entities) == an.to_csv_bytes(expected)
    missing = _run(monkeypatch, "--store", str(tmp_path / "none.duckdb"))
    assert len(missing.error) == 1 and "ingest" in missing.error[0].value


def test_store_caption_names_tones_scored_on_every_read(monkeypatch, tmp_path, bundled_articles):
    """A store without an engine's tones (ingested for TextBlob only, or before a new VADER) says
    so when that engine is chosen, with the command that stores them."""
    from analysis.store import open_store

    path = tmp_path / "coverage.duckdb"
    open_store(path).ingest(bundled_articles, jobs=1, scorers=("textblob",))
    at = _run(monkeypatch, "--store", str(path))
    assert not any("scored on every read" in c.value for c in at.sidebar.caption)
    at.sidebar.radio(key="engine").set_value("vader").run()
    caption = next(c.value for c in at.sidebar.caption if "analysed articles" in c.value)
    assert "the tone of 2 is scored on every read" in caption and "python -m analysis ingest --store" in caption
    open_store(path).rescore(jobs=1)
    at.run()
    assert not any("scored on every read" in c.value for c in at.sidebar.caption)


def test_emphasis_with_one_outlet_asks_for_another(app):
    app.sidebar.multiselect(key="outlets").set_value(["TechCrunch"]).run()
    _open(app, "Emphasis")
    assert any("at least two outlets" in info.value for info in app.info)
    assert "exclusive entities" not in _chart_text(app).lower()
    _open(app.sidebar.multiselect(key="outlets").set_value(["TechCrunch", "TechRepublic"]).run(), "Emphasis")
    spec = _chart_text(app)
    assert "Tay (TechRepublic)" in spec and "Peter Thiel (TechCrunch)" in spec  # the exclusive entities


def test_large_store_reads_aggregates_and_bounds_the_sentence_views(monkeypatch, tmp_path, bundled_articles):
    """A store holding more than the full limit (lowered to 1 by the environment variable): the
    Overview and Entities come from the store's SQL tables over the whole selection, the sentence
    views from the most recent article only, each saying so; a selection within the limit loads whole."""
    from analysis.store import open_store

    path = tmp_path / "coverage.duckdb"
    open_store(path).ingest(bundled_articles, jobs=1)
    monkeypatch.setenv(options.FULL_LIMIT_ENV, "1")
    st.cache_resource.clear()  # a new process: nothing loaded, nothing warmed
    load_model.cache_clear()
    at = _run(monkeypatch, "--store", str(path))
    assert at.sidebar.multiselect(key="outlets").value == ["TechCrunch", "TechRepublic"]
    # the Overview aligns nothing, but the vectors the sentence views need load in the background
    deadline = time.monotonic() + 60
    while load_model.cache_info().currsize == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert load_model.cache_info().currsize == 1
    assert any("Uploads are off" in c.value for c in at.sidebar.caption)
    # the store's path in the command to run, as typed: a code span shows no Markdown escape
    assert any(f"--store {path}`" in c.value for c in at.sidebar.caption)
    assert not at.sidebar.get("file_uploader")
    # Overview and Entities: both articles, both outlets (the whole selection)
    assert [m.value for m in at.metric][:2] == ["2", "2"]
    entities = _table(at, "entities")
    assert {"Tay", "Peter Thiel"} <= set(entities["entity"])
    expected = an.build_tables(an.analyse(bundled_articles))["entities"]
    key = ["story", "outlet", "entity"]
    got, want = entities.sort_values(key).reset_index(drop=True), expected.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got.drop(columns=["polarity", "subjectivity", "first_seen", "emphasis", "share"]),
                                  want.drop(columns=["polarity", "subjectivity", "first_seen", "emphasis", "share"]))
    for column in ["polarity", "subjectivity", "first_seen", "emphasis", "share"]:
        assert got[column].fillna(-9).to_numpy() == pytest.approx(want[column].fillna(-9).to_numpy()), column
    # sentence views: one article (both were published the same day: the first in ingest order, TechCrunch)
    note = "at most 1 article: here the 1 most recent of the 2 selected"
    sentences = _table(at, "sentences")
    assert sentences["article_id"].nunique() == 1 and set(sentences["outlet"]) == {"TechCrunch"}
    assert any(note in i.value for i in at.info)
    _open(at, "Emphasis")
    assert any(i.value.startswith("Emphasis compares at most 1 article") for i in at.info)
    assert not at.exception
    at.sidebar.text_area(key="messages").set_value("\n".join(MESSAGES)).run()
    recent = an.analyse(bundled_articles[bundled_articles["outlet"] == "TechCrunch"])
    pulled = an.build_tables(recent, messages=MESSAGES)["messages"]  # made from the aligned sample's sentences
    assert an.to_csv_bytes(_table(at, "messages")) == an.to_csv_bytes(pulled)
    _open(at, "Articles")
    assert any(note in i.value for i in at.info) and at.get("html")
    _open(at, "Entities").toggle(key="show_mentions").set_value(True).run()
    assert any("Mentions list at most 1 article" in c.value for c in at.caption)
    assert "Download mentions-recent.csv" in {b.proto.label for b in at.get("download_button")}
    buttons = _downloads(at)
    assert {"Download articles.csv", "Download entities.csv", "Download sentences-recent.csv"} <= set(buttons)
    # within the limit: the whole selection loads, tables equal to the CLI's pipeline, no note
    at.sidebar.multiselect(key="outlets").set_value(["TechRepublic"]).run()
    assert not at.exception
    alone = _table(at, "entities")
    only = bundled_articles[bundled_articles["outlet"] == "TechRepublic"]
    assert an.to_csv_bytes(alone) == an.to_csv_bytes(an.build_tables(an.analyse(only))["entities"])
    assert not any("most recent" in i.value for i in at.info)


def test_full_limit_and_recent_ids():
    assert options.full_limit(["dashboard.py"], {}) == options.FULL_LIMIT
    assert options.full_limit(["dashboard.py"], {options.FULL_LIMIT_ENV: "25"}) == 25
    assert options.full_limit(["dashboard.py", "--full-limit", "3"], {options.FULL_LIMIT_ENV: "25"}) == 3
    assert options.full_limit(["dashboard.py"], {options.FULL_LIMIT_ENV: "many"}) == options.FULL_LIMIT
    articles = pd.DataFrame({"article_id": list("abcd"), "published": ["2020-01-02", "", "2020-03-01", "2020-01-02"]})
    assert data.recent_ids(articles, 3) == ["c", "a", "d"]
    assert data.recent_ids(articles, 10) == ["c", "a", "d", "b"]


def test_no_bare_expression_in_the_app():
    """Streamlit's "magic" writes a bare expression of the main script onto the page (an entities
    table once appeared under the key messages this way); the app has none."""
    import ast

    tree = ast.parse((ROOT / "dashboard.py").read_text())
    docstrings = {
        id(node.body[0]) for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
        and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    bare = [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and not isinstance(node.value, (ast.Call, ast.Await))
        and id(node) not in docstrings
    ]
    assert bare == []


def test_tone_dots_show_their_evidence_and_angles_what_they_carry(app):
    _open(app, "Sentiment")
    assert not app.exception
    spec = next(json.loads(c.proto.spec) for c in app.get("plotly_chart")
                if "Tone toward each top entity" in c.proto.spec)
    dots = [t for t in spec["data"] if t.get("type") == "scatter" and "error_x" in t]
    assert dots and all("mentions" in t["hovertemplate"] and "95% interval" in t["hovertemplate"] for t in dots)
    weak = [t for t in dots if t["marker"]["color"] == WEAK]
    assert weak and all("fewer than 3 mentions" in t["hovertemplate"] for t in weak)  # the seeds name most once
    _open(app, "Emphasis")
    assert not app.exception
    angles = next(t.value for t in app.dataframe if "information" in t.value.columns)
    assert not angles.empty and (angles["content_words"] >= 2).all()
    assert "ranked by what they carry" in " ".join(c.value for c in app.caption)


def _wire_upload(corpus: pd.DataFrame) -> tuple[pd.Series, tuple[str, bytes, str]]:
    """TechCrunch's article and a wire copy of it (a new first line, no story given) to upload."""
    original = corpus.set_index("outlet").loc["TechCrunch"]
    text = "(Reuters) Published with permission.\n\n" + original["text"]
    return original, ("wire.jsonl", json.dumps({"outlet": "Wire", "title": original["title"],
                                                "published": "2016-11-16", "text": text}).encode() + b"\n",
                      "application/json")


@pytest.mark.parametrize("mode", ["files", "store"])
def test_an_upload_on_a_story_the_corpus_holds_joins_it(monkeypatch, tmp_path, bundled_articles, mode):
    """A wire copy of TechCrunch's article uploaded beside the bundled corpus (files, or a store of
    them) joins the bundled story and is marked a copy of TechCrunch's article."""
    from analysis.store import open_store

    args: tuple[str, ...] = ()
    if mode == "store":
        open_store(tmp_path / "s.duckdb").ingest(bundled_articles, jobs=1)
        args = ("--store", str(tmp_path / "s.duckdb"))
    app = _run(monkeypatch, *args)
    original, upload = _wire_upload(bundled_articles)
    app.sidebar.file_uploader(key="uploads").set_value([upload]).run()
    assert not app.exception, [e.message for e in app.exception]
    articles = _table(app, "articles").set_index("outlet")
    assert articles.loc["Wire", "story"] == original["story"] == "Microsoft–OpenAI partnership"
    assert articles.loc["Wire", "copy_of"] == original["article_id"]
