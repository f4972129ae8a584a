"""The report: one self-contained HTML page of a selection, from the CLI and from the dashboard."""

from __future__ import annotations

import re

import pytest

from analysis import Selection, analyse, build_tables, load_files, select
from analysis.report import CSP, report_html
from analysis.schema import TABLES
from tests.helpers import run_cli

MESSAGES = ["Google lags behind Amazon on GPU virtual machines"]


@pytest.fixture(scope="module")
def page(bundled) -> str:
    return report_html(build_tables(bundled, messages=MESSAGES), selection=Selection(), messages=MESSAGES,
                       generated="2026-12-05 10:00 UTC")


def test_one_page_holds_everything_it_shows(page):
    # plotly.js once, in the page; no file or address to fetch; a policy that forbids fetching
    assert page.count("<script") - page.count("Plotly.newPlot") == 2  # plotly.js and the print script
    assert page.count("* plotly.js v") == 1
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    for section in ["selection", "overview", "entities", "voice", "sentiment", "emphasis", "tables"]:
        assert f'<section id="{section}">' in page
    assert page.count('class="chart"') == 12 and page.count("Plotly.newPlot") == 12
    assert "2 articles from 2 outlets · tone by TextBlob · made 2026-12-05 10:00 UTC" in page


def test_the_report_says_what_the_views_show(page):
    # exclusive entities per outlet, with their mentions
    exclusive = re.search(r'<ul class="exclusive">(.*?)</ul>', page, flags=re.S).group(1)
    assert "<b>TechRepublic</b>: Satya Nadella (3)" in exclusive and "Tay (1)" in exclusive
    assert "<b>TechCrunch</b>: Donald Trump (1)" in exclusive and "Peter Thiel (1)" in exclusive
    # unique angles beside their closest counterpart
    assert "Back in April, a chatbot from Microsoft called Tay was manipulated" in page
    assert "unique · 0.39" in page and "closest in TechCrunch" in page
    # key-message pull-through, quotes, each table's first rows
    assert "Key-message pull-through: which outlet carried which message" in page
    assert "<td>Google lags behind Amazon on GPU virtual machines</td>" in page
    assert "committed to democratizing AI and making it accessible to everyone" in page
    for name in TABLES:
        assert f"<h3>{name}.csv</h3>" in page
    assert "98 rows; the first 10 shown" in page  # mentions.csv
    # the share of voice of the three most mentioned entities
    assert "Compared: Microsoft, OpenAI, Microsoft Azure." in page
    assert "Share of voice on 2016-11-15" in page


def test_article_text_is_escaped(tmp_path):
    corpus = load_files([("evil.md", (
        b'---\noutlet: "Evil <img src=y onerror=alert(3)> Times"\ntitle: "Breaking <script>alert(1)</script> news"\n'
        b'published: "2016-11-15"\n---\nMicrosoft said <script>alert(2)</script> would not run.\n\n'
        b'OpenAI answered <img src=x onerror=alert(4)> today. "This <b>quote</b> is long enough," said Sam Altman.\n'
    )), ("calm.md", b'---\noutlet: "Calm"\npublished: "2016-11-16"\n---\nMicrosoft and OpenAI met.\n')])
    tables = build_tables(analyse(corpus.articles))
    page = report_html(tables)
    body = page.split("</head>", 1)[1]
    for raw in ["<script>alert", "<img src=x", "<img src=y", "<b>quote</b>"]:
        assert raw not in body, raw
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body
    assert "Evil &lt;img src=y onerror=alert(3)&gt; Times" in body


def test_report_of_a_filtered_selection_with_picked_entities(bundled):
    chosen = select(bundled, Selection(outlets=["TechRepublic"]))
    page = report_html(build_tables(chosen), selection=Selection(outlets=["TechRepublic"]), entities=["Tay", "Azure"],
                       sentiment="vader")
    assert "<dt>Outlets</dt><dd>TechRepublic</dd>" in page and "tone by VADER" in page
    assert "Compared: Tay, Azure." in page
    assert "No entity is named by one outlet alone" in page
    assert "Unique angles need at least two outlets" in page
    assert "TechCrunch" not in page.split("</head>", 1)[1]


def test_cli_report(tmp_path):
    out = tmp_path / "report.html"
    messages = tmp_path / "messages.txt"
    messages.write_text(MESSAGES[0] + "\n", encoding="utf-8")
    done = run_cli("report", "--out", str(out), "--messages", str(messages), "--entity", "Tay", "--entity", "Google")
    assert done.returncode == 0, done.stderr
    assert "wrote the report of 2 articles from 2 outlets" in done.stderr
    page = out.read_text(encoding="utf-8")
    assert "Compared: Tay, Google." in page and "Key messages</dt><dd>Google lags behind Amazon" in page
    assert 4_000_000 < len(page.encode()) < 7_000_000  # plotly.js (4.8 MB) and the rest
    folder = run_cli("report", "--out", str(tmp_path))
    assert folder.returncode == 2 and "expects a file" in folder.stderr
    nowhere = run_cli("report", "--out", str(tmp_path / "no" / "such" / "report.html"))
    assert nowhere.returncode == 2 and "does not exist" in nowhere.stderr
    none = run_cli("report", "--out", str(out), "--outlet", "Nobody")
    assert none.returncode == 2 and "no article matches" in none.stderr


def test_cli_report_through_the_store(tmp_path):
    store = tmp_path / "s.duckdb"
    assert run_cli("ingest", "data/corpus", "--store", str(store), "--jobs", "1").returncode == 0
    out = tmp_path / "r.html"
    done = run_cli("report", "--store", str(store), "--outlet", "TechCrunch", "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "<dt>Outlets</dt><dd>TechCrunch</dd>" in page and "1 article from 1 outlet" in page


def test_dashboard_report_equals_the_cli_report(monkeypatch, bundled):
    """"Download report" serves the report ``python -m analysis report`` writes for the same selection."""
    import sys
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from app import data

    selection = Selection(outlets=("TechRepublic",))
    lazy = data.lazy_tables("report-test", "textblob", selection, tuple(MESSAGES), bundled)
    served = data.report("report-test", "textblob", selection, tuple(MESSAGES), None, "", lazy,
                         {"TechCrunch": "#0072B2", "TechRepublic": "#D55E00"}).decode("utf-8")
    written = report_html(build_tables(select(bundled, selection), messages=MESSAGES), selection=selection,
                          messages=MESSAGES, colors={"TechCrunch": "#0072B2", "TechRepublic": "#D55E00"})
    assert re.sub(r" · made [^<]*", "", served) == written

    monkeypatch.setattr(sys, "argv", ["dashboard.py"])
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=60).run()
    [button] = [b.proto for b in at.get("download_button") if b.proto.label == "Download report"]
    assert button.ignore_rerun
