"""``python -m analysis collect`` into a store, against the local site of tests/fake_web.py.

The collecting runs in this process (``main``), where ``guard_network`` keeps every lookup and
connection on the loopback address; one test runs the real command in a new process, on a port
where nothing listens, so it cannot reach anything either.
"""

from __future__ import annotations

import pytest

from analysis.__main__ import main
from analysis.schema import FETCHES
from analysis.store import open_store
from tests.fake_web import free_port, guard_network, serve
from tests.helpers import run_cli


@pytest.fixture
def site(monkeypatch):
    guard_network(monkeypatch)
    with serve() as running:
        yield running


def _collect(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(["collect", *args])
    lines = [line.rsplit("\r", 1)[-1] for line in capsys.readouterr().err.splitlines()]
    return code, [line for line in lines if line and not line.startswith(("fetching", "analysing"))]


def test_collect_into_the_store_then_only_what_is_new(site, capsys, tmp_path):
    store = tmp_path / "coverage.duckdb"
    base = site.base
    sources = tmp_path / "sources.txt"
    sources.write_text(f"{base}/feed.rss\n{base}/feed.atom\n{base}/missing.html\n{base}/report.pdf\n", encoding="utf-8")
    common = ["--store", str(store), "--delay", "0", "--allow-private", "--jobs", "1"]

    code, lines = _collect(capsys, str(sources), f"{base}/news/ferry.html?utm_source=newsletter", *common)
    assert code == 0
    assert [line for line in lines if line.startswith("skipped")] == [
        f"skipped {base}/missing.html: HTTP 404 (not found)",
        f"skipped {base}/report.pdf: not HTML or a feed or sitemap (application/pdf)",
    ]
    assert lines[-1].startswith("collected 5 articles (fetched 9 URLs, no link collected before)")
    opened = open_store(store)
    stored = opened.analysis()
    assert set(stored.articles["title"]) == {
        "Ferry riders switch to the bridge", "Bridge tolls to rise in the summer", "",
        "Harbour festival dates announced", "Harbour dredging starts on Tuesday",
    }
    assert set(stored.articles["source"]) >= {f"{base}/news/ferry.html", f"{base}/news/plain.html"}
    assert not stored.sentences.empty
    log = opened.fetch_log()
    assert list(log.columns) == FETCHES and len(log) == 9
    assert dict(zip(log["url"], log["status"], strict=True))[f"{base}/missing.html"] == 404

    # the second run fetches the feeds again, and of their links only those that failed
    before = len(site.requests)
    code, lines = _collect(capsys, str(sources), *common)
    assert code == 0 and lines[-1].startswith("nothing new: fetched 4 URLs, 5 links collected before")
    assert sorted(path for path, _, _ in site.requests[before:]) == [
        "/feed.atom", "/feed.rss", "/missing.html", "/report.pdf", "/robots.txt"]
    assert len(open_store(store).analysis().articles) == 5


def test_collect_since_and_max(site, capsys, tmp_path):
    store = tmp_path / "coverage.duckdb"
    code, lines = _collect(capsys, f"{site.base}/feed.rss", "--since", "2024-03-04", "--max", "1",
                           "--store", str(store), "--delay", "0", "--allow-private", "--jobs", "1")
    assert code == 0
    assert list(open_store(store).analysis().articles["title"]) == ["Bridge tolls to rise in the summer"]


def test_private_addresses_need_allow_private(site, capsys, tmp_path):
    code, lines = _collect(capsys, f"{site.base}/feed.rss", "--store", str(tmp_path / "s.duckdb"))
    assert code == 2
    assert lines == [
        f"skipped {site.base}/feed.rss: private address (127.0.0.1)",
        "error: nothing could be collected (fetched 1 URL, no link collected before; each failure is listed above)",
    ]
    assert site.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last week"], "--since expects a day as YYYY-MM-DD, not 'last week'"),
        (["--max", "0"], "--max must be at least 1"),
        (["--delay", "-1"], "--delay must be between 0 and 3600 seconds"),
    ],
)
def test_collect_usage_errors(capsys, tmp_path, args, message):
    code, lines = _collect(capsys, "https://news.example/story", *args, "--store", str(tmp_path / "s.duckdb"))
    assert (code, lines) == (2, [f"error: {message}"])


def test_collect_command_exits_2_when_nothing_could_be_used(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}/story.html"
    done = run_cli("collect", dead, "--allow-private", "--store", str(tmp_path / "s.duckdb"), timeout=120)
    assert done.returncode == 2
    assert f"skipped {dead}: connection refused" in done.stderr.splitlines()
    assert "Traceback" not in done.stderr
