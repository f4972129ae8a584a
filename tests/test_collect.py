"""Collecting from the web, against a site served on 127.0.0.1 by the tests (tests/fake_web.py).

Only the loopback network is allowed to the fetcher (``LOCAL``), and only where a test means to
reach the site; ``guard_network`` fails any lookup or connection that would leave the machine.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from analysis.collect import Collection, Fetcher, FetchPolicy, collect, collected_urls, normalise_url, parse_listing
from analysis.collect.fetch import USER_AGENT
from tests.fake_web import certificate, free_port, guard_network, serve

LOCAL = ("127.0.0.0/8",)
FAST = FetchPolicy(delay=0, backoff=0.05, connect_timeout=2, read_timeout=2, allow_private=LOCAL)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    guard_network(monkeypatch)


@pytest.fixture(scope="module")
def site():
    with serve() as running:
        yield running


def reasons(result: Collection) -> dict[str, str]:
    return dict(zip(result.failed["url"], result.failed["reason"], strict=True))


# --- URLs and listings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8000/a.html?utm_source=twitter", "http://127.0.0.1:8000/a.html"),
        ("http://127.0.0.1:8000/a.html?utm_source=rss&utm_medium=feed#top", "http://127.0.0.1:8000/a.html"),
        ("HTTP://News.Example:80/Story?b=2&a=1&fbclid=x", "http://news.example/Story?a=1&b=2"),
        ("https://news.example/story", "https://news.example/story"),
        ("ftp://news.example/file", None),
        ("file:///etc/passwd", None),
        ("http:///no-host", None),
        ("http://news.example:99999/", None),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


def test_parse_listing_reads_rss_atom_and_sitemaps():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel>
        <item><link>https://a.example/one?utm_source=rss</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
        <item><guid>https://a.example/two</guid></item>
        <item><guid isPermaLink="false">tag:a.example,2024:3</guid></item></channel></rss>"""
    listing = parse_listing(rss, "https://a.example/feed")
    assert listing.kind == "rss"
    assert [(entry.url, str(entry.published)) for entry in listing.entries] == [
        ("https://a.example/one", "2024-03-05"),
        ("https://a.example/two", "None"),
    ]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="/feed"/>
        <entry><link rel="alternate" href="/story"/><updated>2024-03-06T00:00:00Z</updated></entry></feed>"""
    listing = parse_listing(atom, "https://a.example/feed")
    assert (listing.kind, listing.entries[0].url) == ("atom", "https://a.example/story")
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>https://a.example/s1.xml</loc><lastmod>2024-01-01</lastmod></sitemap></sitemapindex>"""
    assert parse_listing(index, "https://a.example/").kind == "sitemap index"
    assert parse_listing(b"<html><body>hello</body></html>", "https://a.example/") is None
    assert parse_listing(b"not xml at all", "https://a.example/") is None


def test_parse_listing_expands_no_entity():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
        <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x SYSTEM "file:///etc/passwd">]>
        <rss><channel><item><link>https://a.example/&c;&x;</link></item></channel></rss>"""
    listing = parse_listing(bomb, "https://a.example/")
    assert all("aaaa" not in entry.url and "root" not in entry.url for entry in listing.entries)


def test_policy_refuses_addresses_that_are_not_public():
    policy = FetchPolicy()
    refused = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
               "0.0.0.0", "224.0.0.1", "239.255.255.250", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1"]
    assert [address for address in refused if policy.allows(address)] == []
    assert policy.allows("93.184.215.14") and policy.allows("2606:4700::1111")
    assert FetchPolicy(allow_private=True).allows("10.1.2.3")
    assert FetchPolicy(allow_private=LOCAL).allows("127.0.0.1")
    assert not FetchPolicy(allow_private=LOCAL).allows("10.0.0.1")


# --- the whole run -------------------------------------------------------------------------


def test_collect_every_case_once_with_its_reason(site):
    base = site.base
    sources = [
        f"{base}/feed.rss",
        f"{base}/feed.atom",
        f"{base}/sitemap_index.xml",
        f"{base}/news/ferry.html?utm_source=newsletter",  # the feed's article again, another tracker
        f"{base}/news/copy.html",  # the ferry article's text under another URL
        f"{base}/news/flaky.html",  # 500, then the page
        f"{base}/news/busy.html",  # 429 with Retry-After: 1, then the page
        f"{base}/missing.html",
        f"{base}/report.pdf",
        f"{base}/private/secret.html",
        f"{base}/news/menu.html",
        f"{base}/loop-a",
        f"{base}/to-private",
        f"{base}/to-news",
    ]
    result = collect(sources, policy=FAST)

    assert reasons(result) == {
        f"{base}/missing.html": "HTTP 404 (not found)",
        f"{base}/report.pdf": "not HTML or a feed or sitemap (application/pdf)",
        f"{base}/private/secret.html": "disallowed by robots.txt",
        f"{base}/news/menu.html": "no main text found in the HTML page",
        f"{base}/loop-a": "redirect loop",
        f"{base}/to-private": "private address (10.0.0.1)",
    }
    titles = dict(zip(result.articles["source"], result.articles["title"], strict=True))
    assert titles == {
        f"{base}/news/ferry.html": "Ferry riders switch to the bridge",
        f"{base}/news/tolls.html": "Bridge tolls to rise in the summer",
        f"{base}/news/plain.html": "",
        f"{base}/news/old.html": "Harbour festival dates announced",
        f"{base}/news/atom-one.html": "Harbour dredging starts on Tuesday",
        f"{base}/news/map-a1.html": "Council approves new cycle lanes",
        f"{base}/news/map-a2.html": "Fish market moves to the old docks",
        f"{base}/news/map-b1.html": "Lighthouse reopens to visitors",
        f"{base}/news/flaky.html": "Storm closes the ferry terminal",
        f"{base}/news/busy.html": "Port workers vote to strike",
    }
    assert dict(zip(result.skipped["url"], result.skipped["reason"], strict=True)) == {
        f"{base}/news/copy.html": f"the same text as {base}/news/ferry.html",
        f"{base}/news/tolls.html": f"already fetched (redirected from {base}/to-news)",
    }
    ferry = result.articles.set_index("source").loc[f"{base}/news/ferry.html"]
    assert (ferry["outlet"], ferry["author"], ferry["published"]) == ("Harbour Herald", "Lois Lane", "2024-03-03")
    assert ferry["url"] == f"{base}/news/ferry.html"
    assert "SCRIPT-RAN" not in ferry["text"] and "Copyright" not in ferry["text"]
    plain = result.articles.set_index("source").loc[f"{base}/news/plain.html"]
    # no site name: the outlet is the host (trafilatura keeps a port that is not the default)
    assert (plain["outlet"], plain["published"], plain["author"]) == (base.removeprefix("http://"), "", "")
    # one fetch of the article however it was linked; robots.txt read once
    assert site.count("/robots.txt") == 1
    assert sum(1 for path, _, _ in site.requests if path.startswith("/news/ferry.html")) == 1
    assert site.count("/news/flaky.html") == 2
    assert all(headers["User-Agent"] == USER_AGENT for _, headers, _ in site.requests)

    log = result.fetches.set_index("url")
    assert list(result.fetches.columns) == [
        "url", "final_url", "status", "reason", "fetched_at", "content_hash", "article_id"
    ]
    assert log.loc[f"{base}/to-news", "final_url"] == f"{base}/news/tolls.html"
    assert log.loc[f"{base}/missing.html", "status"] == 404
    assert log.loc[f"{base}/news/ferry.html", "article_id"] == ferry["article_id"]
    assert len(log.loc[f"{base}/feed.rss", "content_hash"]) == 16

    # a second run knowing what the first collected fetches the listings again and nothing else
    known = collected_urls(result.fetches)
    before = len(site.requests)
    again = collect(sources, policy=FAST, known=known)
    assert again.articles.empty
    fetched = {path for path, _, _ in site.requests[before:]}
    assert fetched == {
        "/feed.rss", "/feed.atom", "/sitemap_index.xml", "/sitemap-a.xml", "/sitemap-b.xml", "/robots.txt",
        "/missing.html", "/report.pdf", "/news/menu.html", "/loop-a", "/loop-b", "/to-private",
    }
    assert set(again.skipped["reason"]) == {"already collected"}


def test_private_addresses_are_refused_by_default(site):
    before = len(site.requests)
    result = collect([f"{site.base}/feed.rss"], policy=dataclasses.replace(FAST, allow_private=False))
    assert reasons(result) == {f"{site.base}/feed.rss": "private address (127.0.0.1)"}
    assert len(site.requests) == before  # refused before connecting


def test_the_checked_address_is_the_one_connected_to(site):
    port = int(site.base.rsplit(":", 1)[1])
    asked = []

    def resolve(host, port):  # a name that rebinds to a private address after two answers
        asked.append(host)
        return ["127.0.0.1"] if len(asked) <= 2 else ["10.9.9.9"]

    before = len(site.requests)
    with Fetcher(FAST, resolve=resolve) as fetcher:
        first = fetcher.fetch(f"http://news.invalid:{port}/news/map-b1.html")
        second = fetcher.fetch(f"http://news.invalid:{port}/news/tolls.html")
    # the page and its robots.txt were each resolved once and connected to at that address (the
    # guarded system resolver fails on any name, so a second lookup would have been a DNS failure)
    assert first.ok and first.final_url == f"http://news.invalid:{port}/news/map-b1.html"
    assert [(path, headers["Host"]) for path, headers, _ in site.requests[before:]] == [
        ("/robots.txt", f"news.invalid:{port}"),
        ("/news/map-b1.html", f"news.invalid:{port}"),
    ]
    # the new answer is checked before any connection
    assert second.reason == "private address (10.9.9.9)"
    assert asked == ["news.invalid"] * 3


def test_network_failures_each_get_a_reason(site):
    dead = f"http://127.0.0.1:{free_port()}/news.html"
    slow = dataclasses.replace(FAST, read_timeout=0.3)
    result = collect([dead, f"{site.base}/slow.html", "http://no-such-host.invalid/story", "ftp://x.example/f",
                      f"{site.base}/to-ftp", f"{site.base}/hop0"], policy=slow)
    assert reasons(result) == {
        dead: "connection refused",
        f"{site.base}/slow.html": "timeout",
        "http://no-such-host.invalid/story": "DNS failure (no address for no-such-host.invalid)",
        "ftp://x.example/f": "not an http or https URL",
        f"{site.base}/to-ftp": "not an http or https URL (ftp)",
        f"{site.base}/hop0": "too many redirects (more than 3)",
    }
    assert site.count("/hop3") == 1 and site.count("/hop4") == 0


def test_size_and_time_limits(site):
    small = dataclasses.replace(FAST, max_bytes=20_000, total_timeout=0.5)
    pages = [f"{site.base}/big.html", f"{site.base}/big-declared.html", f"{site.base}/drip.html"]
    result = collect(pages, policy=small)
    assert reasons(result) == {
        f"{site.base}/big.html": "too large (more than 20,000 bytes)",
        f"{site.base}/big-declared.html": "too large (100,080 bytes; the limit is 20,000)",
        f"{site.base}/drip.html": "timeout (no full answer in 0.5 s)",
    }


def test_retry_after_is_honoured_or_too_long_to_wait(site):
    with Fetcher(FAST) as fetcher:
        fetch = fetcher.fetch(f"{site.base}/news/impatient.html")
    assert (fetch.status, fetch.reason) == (429, "HTTP 429 (too many requests)")
    with serve() as fresh:
        result = collect([f"{fresh.base}/news/busy.html"], policy=FAST)
        times = [when for path, _, when in fresh.requests if path == "/news/busy.html"]
    assert len(result.articles) == 1 and len(times) == 2 and times[1] - times[0] >= 0.95


def test_one_host_is_asked_once_per_delay(site):
    with serve() as fresh:
        paths = ["tolls", "map-a1", "map-a2"]
        collect([f"{fresh.base}/news/{path}.html" for path in paths], policy=dataclasses.replace(FAST, delay=0.3))
        times = [when for _, _, when in fresh.requests]  # robots.txt, then the three pages
    assert len(times) == 4
    assert min(later - earlier for earlier, later in zip(times[:-1], times[1:], strict=True)) >= 0.29


def test_robots_txt_groups_crawl_delay_and_unavailability(site):
    port = int(site.base.rsplit(":", 1)[1])
    before = len(site.requests)
    with Fetcher(FAST, resolve=lambda host, port: ["127.0.0.1"]) as fetcher:
        down = fetcher.fetch(f"http://down.invalid:{port}/news/tolls.html")
        first = fetcher.fetch(f"http://careful.invalid:{port}/news/tolls.html")
        second = fetcher.fetch(f"http://careful.invalid:{port}/news/map-a1.html")
    # robots.txt answering 5xx (after retries) keeps the crawler out; our own group wins over '*'
    assert down.reason == "robots.txt unavailable: HTTP 503 (server error)"
    assert first.ok and second.ok
    requests = site.requests[before:]
    down_tries = ["/robots.txt"] * 3  # the first answer and two retries
    assert [path for path, _, _ in requests] == [*down_tries, "/robots.txt", "/news/tolls.html", "/news/map-a1.html"]
    assert requests[-1][2] - requests[-2][2] >= 0.95  # Crawl-delay: 1


def test_another_host_is_fetched_while_one_waits():
    with serve() as fresh:
        port = int(fresh.base.rsplit(":", 1)[1])
        urls = [f"http://{host}.invalid:{port}/news/{slug}.html" for host, slug in
                [("one", "tolls"), ("one", "map-a1"), ("two", "map-a2")]]
        result = collect(urls, policy=dataclasses.replace(FAST, delay=0.5), resolve=lambda host, port: ["127.0.0.1"])
        order = [(headers["Host"].split(".")[0], path) for path, headers, _ in fresh.requests]
    assert len(result.articles) == 3
    assert order == [
        ("one", "/robots.txt"), ("one", "/news/tolls.html"),
        ("two", "/robots.txt"), ("two", "/news/map-a2.html"),  # while one.invalid's delay runs
        ("one", "/news/map-a1.html"),
    ]


def test_since_and_max_leave_links_unfetched(site, tmp_path):
    listing = tmp_path / "sources.txt"
    listing.write_text(f"# the Herald\n{site.base}/feed.rss\n\nnot a url\n", encoding="utf-8")
    result = collect([listing], policy=FAST, since="2024-03-04", max_articles=1)
    assert list(result.articles["source"]) == [f"{site.base}/news/tolls.html"]
    assert dict(zip(result.skipped["url"], result.skipped["reason"], strict=True)) == {
        f"{site.base}/news/ferry.html": "dated before 2024-03-04 by its feed or sitemap",
        f"{site.base}/news/old.html": "dated before 2024-03-04 by its feed or sitemap",
        f"{site.base}/news/plain.html": "beyond the first 1 pages (max)",
    }
    assert reasons(result) == {f"{listing}: not a url": "not a URL (a list file names URLs, one per line)"}


def test_progress_is_reported(site):
    seen = []
    collect([f"{site.base}/feed.atom"], policy=FAST, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (1, 3) and seen[-1] == (3, 3)


def test_load_page_uses_the_declared_charset_and_the_fetched_url():
    from analysis.loaders import load_page

    html = ("<html><body><article><p>" + "Le café du port ferme ses portes cet été, après trente ans. " * 4
            + "</p></article></body></html>").encode("iso-8859-1")
    corpus = load_page("https://journal.example/cafe", html, charset="iso-8859-1")
    article = corpus.articles.iloc[0]
    assert "café" in article["text"] and "été" in article["text"]
    assert (article["url"], article["outlet"], article["source"]) == (
        "https://journal.example/cafe", "journal.example", "https://journal.example/cafe")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_https_checks_the_certificate_against_the_host_name_not_the_address(tmp_path):
    cert, key = certificate(tmp_path, "news.invalid")
    with serve(tls=(cert, key)) as secure:
        port = int(secure.base.rsplit(":", 1)[1])
        to_loopback = lambda host, port: ["127.0.0.1"]  # noqa: E731
        trusted = dataclasses.replace(FAST, ca_certs=cert)
        with Fetcher(trusted, resolve=to_loopback) as fetcher:
            good = fetcher.fetch(f"https://news.invalid:{port}/news/tolls.html")
            wrong_name = fetcher.fetch(f"https://other.invalid:{port}/news/tolls.html")
        with Fetcher(FAST, resolve=to_loopback) as fetcher:
            untrusted = fetcher.fetch(f"https://news.invalid:{port}/news/tolls.html")
    assert good.ok and b"Bridge tolls" in good.body
    tls_error = "TLS error (the certificate or the connection could not be verified)"
    assert (wrong_name.reason, untrusted.reason) == (tls_error, tls_error)
