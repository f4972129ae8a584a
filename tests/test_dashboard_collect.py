"""The dashboard's "Add from links or feeds" box (AppTest), against the local site of tests/fake_web.py."""

from __future__ import annotations

import dataclasses

import pytest
from streamlit.testing.v1 import AppTest

from analysis import reader
from app import data
from tests.fake_web import guard_network, serve
from tests.helpers import run_app


@pytest.fixture
def site(monkeypatch):
    guard_network(monkeypatch)
    # the dashboard's policy without the 1 s delay, so the test is quick; addresses as the app decides
    monkeypatch.setattr(data, "COLLECT_POLICY", dataclasses.replace(data.COLLECT_POLICY, delay=0, backoff=0.05))
    with serve() as running:
        yield running


def _app(monkeypatch, *args: str) -> AppTest:
    return run_app(monkeypatch, *args, timeout=120)


def _collect(at: AppTest, text: str) -> AppTest:
    at.sidebar.text_area(key="links").set_value(text)
    at.sidebar.button(key="collect").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_links_and_feeds_join_every_view(monkeypatch, site):
    at = _app(monkeypatch, "--allow-private")
    before = at.sidebar.multiselect(key="outlets").options
    at = _collect(at, f"{site.base}/feed.atom\n/etc/passwd\n{site.base}/missing.html\n{site.base}/report.pdf")
    assert "Harbour Herald" in at.sidebar.multiselect(key="outlets").options
    assert at.sidebar.multiselect(key="outlets").value == [*before, "Harbour Herald"]
    # one line per unusable URL, escaped (shown as text, not markdown); the file path was never opened
    assert [e.value for e in at.sidebar.error] == [reader.escape_markdown(line) for line in [
        "/etc/passwd: not a URL (one link per line)",
        f"{site.base}/missing.html: HTTP 404 (not found)",
        f"{site.base}/report.pdf: not HTML or a feed or sitemap (application/pdf)",
    ]]
    assert any("Collected 2 articles" in s.value for s in at.sidebar.success)
    articles = at.dataframe[0].value
    assert {"Harbour dredging starts on Tuesday", "Ferry riders switch to the bridge"} <= set(articles["title"])
    at.session_state["tab"] = "Entities"
    at.run()
    entities = next(frame.value for frame in at.dataframe if "entity" in frame.value.columns)
    assert "Harbour Herald" in set(entities["outlet"])
    at.session_state["tab"] = "Overview"
    # a second click fetches the feed again and none of its articles
    fetched = len(site.requests)
    at = _collect(at, f"{site.base}/feed.atom")
    assert [path for path, _, _ in site.requests[fetched:]] == ["/robots.txt", "/feed.atom"]
    assert any("Nothing new" in i.value for i in at.sidebar.info)
    assert "Harbour Herald" in set(at.dataframe[0].value["outlet"])


def test_an_empty_box_fetches_nothing(monkeypatch, site):
    at = _collect(_app(monkeypatch, "--allow-private"), "  \n")
    assert [i.value for i in at.sidebar.info] == ["Paste links first, one per line."]
    assert site.requests == [] and not at.sidebar.error


def test_private_addresses_are_refused_unless_the_app_allows_them(monkeypatch, site):
    at = _collect(_app(monkeypatch), f"{site.base}/feed.atom")
    assert len(at.sidebar.error) == 1 and "private address" in at.sidebar.error[0].value
    assert site.requests == []
