"""One collection run: sources -> links -> fetched pages -> articles, with a fetch log.

A source is an article URL, a feed or sitemap URL (what it is shows once it is fetched) or a file
listing sources one per line. Feeds give article links; a sitemap index gives sitemaps, which
give article links. Every URL is normalised first and fetched at most once per run; a URL the
caller already knows (the store's fetch log) is not fetched again. Each page becomes an article
through :func:`analysis.loaders.load_page`, the path ``.html`` files take.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis.loaders import load_page
from analysis.schema import ARTICLE_FIELDS, FETCHES
from analysis.utils import short_hash

from .fetch import MEDIA, Fetch, Fetcher, FetchPolicy, Resolver
from .sources import is_url, normalise_url, parse_listing, read_url_list

__all__ = ["FAILED_FIELDS", "FETCH_FIELDS", "Collection", "collect", "collected_urls"]

FETCH_FIELDS = FETCHES
"""Columns of :attr:`Collection.fetches`, the fetch log (``analysis.schema.FETCHES``)."""

FAILED_FIELDS = ["url", "reason"]
"""Columns of :attr:`Collection.failed` and :attr:`Collection.skipped`."""

_MAX_LIST_BYTES = 1024 * 1024
_LOOKAHEAD = 200  # queued links looked at for one whose host is free
_MAX_SITEMAP_DEPTH = 2  # an index and the sitemaps it names; an index inside those is refused
_ACCEPT = {
    "source": ("HTML", "a feed or sitemap"),
    "article": ("HTML",),
    "sitemap": ("a feed or sitemap",),
}


@dataclass(frozen=True)
class Collection:
    """What one :func:`collect` run brought back.

    Attributes:
        articles: one row per new article, columns ``analysis.schema.ARTICLE_FIELDS``, all
            strings; ``source`` is the normalised URL fetched, ``url`` the page's canonical URL
            (or the URL that answered, when the page names none).
        fetches: the fetch log, one row per URL fetched: url (normalised), final_url (after
            redirects), status (0 when no answer), reason ("" when the body was used),
            fetched_at (ISO 8601, UTC), content_hash (first 16 hex digits of the body's SHA-1),
            article_id (of the article it gave, "" for a feed or a failure).
        failed: one row per source or link that could not be used: url, reason.
        skipped: links left alone on purpose: url, reason (already collected, published before
            ``since``, beyond ``max_articles``, the same text as another URL).
    """

    articles: pd.DataFrame
    fetches: pd.DataFrame
    failed: pd.DataFrame
    skipped: pd.DataFrame


@dataclass(frozen=True)
class _Link:
    url: str
    kind: str  # source, article or sitemap
    depth: int = 0


def collect(
    sources: Iterable[str],
    *,
    since: date | str | None = None,
    max_articles: int | None = None,
    policy: FetchPolicy | None = None,
    known: Container[str] = frozenset(),
    progress: Callable[[int, int], None] | None = None,
    resolve: Resolver | None = None,
) -> Collection:
    """Fetch articles from URLs, feeds, sitemaps and files listing them; never raises for a URL.

    Args:
        sources: URLs, or paths of text files listing URLs one per line (``#`` starts a comment).
        since: links a feed or sitemap dates before this day are not fetched, and pages
            published before it are not kept.
        max_articles: fetch at most this many pages (feeds and sitemaps not counted).
        policy: politeness, limits and which addresses may be reached (default ``FetchPolicy()``).
        known: normalised URLs not to fetch again (pages already collected).
        progress: called with (URLs done, URLs known so far) after every fetch.
        resolve: ``(host, port) -> addresses`` instead of the system resolver.

    Returns:
        A :class:`Collection`; ``articles`` holds each text once.
    """
    if isinstance(since, str):
        since = date.fromisoformat(since)
    policy = policy or FetchPolicy()
    run = _Run(since=since, max_articles=max_articles, known=known, max_bytes=policy.max_bytes)
    for source in sources:
        run.add_source(str(source))
    with Fetcher(policy, resolve=resolve) as fetcher:
        done = 0
        while run.queue:
            link = run.next(fetcher)
            if link.kind != "sitemap" and run.full():
                run.skip(link.url, f"beyond the first {max_articles} pages (max)")
                continue
            if link.url in run.redirected:
                run.skip(link.url, f"already fetched (redirected from {run.redirected[link.url]})")
                continue
            fetch = fetcher.fetch(link.url, accept=_ACCEPT[link.kind])
            run.handle(link, fetch)
            done += 1
            if progress is not None:
                progress(done, done + len(run.queue))
    return run.collection()


def collected_urls(fetches: pd.DataFrame) -> set[str]:
    """The URLs a fetch log shows an article was read from, asked for or reached by a redirect.

    These are what :func:`collect` is given as ``known`` so that it does not fetch them again.
    A failed fetch is not among them: it is tried again next time.

    Args:
        fetches: rows of the fetch log (:data:`FETCH_FIELDS`); not modified.

    Returns:
        Normalised URLs.
    """
    done = fetches[fetches["article_id"] != ""]
    finals = (normalise_url(url) for url in done["final_url"] if url)
    return set(done["url"]) | {url for url in finals if url}


class _Run:
    def __init__(self, *, since: date | None, max_articles: int | None, known: Container[str], max_bytes: int) -> None:
        self.since, self.max_articles, self.known, self.max_bytes = since, max_articles, known, max_bytes
        self.queue: deque[_Link] = deque()
        self.seen: set[str] = set()
        self.redirected: dict[str, str] = {}  # normalised URL reached by a redirect -> URL asked for
        self.pages = 0
        self.ids: dict[str, str] = {}
        self.articles: list[dict[str, str]] = []
        self.fetches: list[dict[str, object]] = []
        self.failed: list[dict[str, str]] = []
        self.skipped: list[dict[str, str]] = []

    def next(self, fetcher: Fetcher) -> _Link:
        """The first queued link whose host may be asked now (among the next few), else the first:
        while one host's delay runs, another host's pages are fetched."""
        for index, link in enumerate(itertools.islice(self.queue, _LOOKAHEAD)):
            if fetcher.wait(link.url) == 0:
                del self.queue[index]
                return link
        return self.queue.popleft()

    def full(self) -> bool:
        return self.max_articles is not None and self.pages >= self.max_articles

    def fail(self, url: str, reason: str) -> None:
        self.failed.append({"url": url, "reason": reason})

    def skip(self, url: str, reason: str) -> None:
        self.skipped.append({"url": url, "reason": reason})

    def add_source(self, source: str) -> None:
        if is_url(source):
            self.add(source, "source")
            return
        try:
            with open(source, "rb") as handle:
                data = handle.read(_MAX_LIST_BYTES + 1)
        except OSError as error:
            self.fail(source, f"not a URL, and no file can be read there ({error.strerror or error})")
            return
        if len(data) > _MAX_LIST_BYTES:
            self.fail(source, f"list of URLs too large (more than {_MAX_LIST_BYTES:,} bytes)")
            return
        lines = read_url_list(data.decode("utf-8", "replace"))
        if not lines:
            self.fail(source, "the file lists no URL")
        for line in lines:
            if is_url(line):
                self.add(line, "source")
            else:
                self.fail(f"{os.fspath(source)}: {line}", "not a URL (a list file names URLs, one per line)")

    def add(self, url: str, kind: str, published: date | None = None, depth: int = 0) -> None:
        normalised = normalise_url(url)
        if normalised is None:
            self.fail(url, "not an http or https URL")
            return
        if normalised in self.seen:
            return
        self.seen.add(normalised)
        if self.since and published and published < self.since and depth:
            self.skip(normalised, f"dated before {self.since.isoformat()} by its feed or sitemap")
            return
        if kind != "sitemap" and normalised in self.known:
            self.skip(normalised, "already collected")
            return
        self.queue.append(_Link(normalised, kind, depth))

    def handle(self, link: _Link, fetch: Fetch) -> None:
        row = {
            "url": link.url,
            "final_url": fetch.final_url,
            "status": fetch.status,
            "reason": fetch.reason,
            "fetched_at": fetch.fetched_at,
            "content_hash": short_hash(fetch.body) if fetch.ok else "",
            "article_id": "",
        }
        self.fetches.append(row)
        if not fetch.ok:
            self.fail(link.url, fetch.reason)
            return
        final = normalise_url(fetch.final_url) or link.url
        if final != link.url:
            self.redirected.setdefault(final, link.url)
            if final in self.known and link.kind != "sitemap":
                self.skip(link.url, f"already collected (redirected to {final})")
                return
        listing = None
        if link.kind == "sitemap" or (link.kind == "source" and fetch.content_type not in MEDIA["HTML"]):
            listing = parse_listing(fetch.body, fetch.final_url, max_bytes=self.max_bytes)
            # Without a Content-Type, a source that is no feed is read as a page.
            if listing is None and (link.kind == "sitemap" or fetch.content_type):
                row["reason"] = "not a readable feed or sitemap"
                self.fail(link.url, row["reason"])
                return
        if listing is not None:
            if listing.kind == "sitemap index" and link.depth >= _MAX_SITEMAP_DEPTH - 1:
                row["reason"] = "a sitemap index inside a sitemap index (not followed)"
                self.fail(link.url, row["reason"])
                return
            kind = "sitemap" if listing.kind == "sitemap index" else "article"
            for entry in listing.entries:
                self.add(entry.url, kind, entry.published, link.depth + 1)
            return
        self.pages += 1
        self.add_article(link.url, final, fetch, row)

    def add_article(self, url: str, final: str, fetch: Fetch, row: dict[str, object]) -> None:
        corpus = load_page(fetch.final_url, fetch.body, charset=fetch.charset)
        if not corpus.skipped.empty:
            row["reason"] = str(corpus.skipped["reason"].iloc[0])
            self.fail(url, row["reason"])
            return
        article = corpus.articles.iloc[0].to_dict()
        identifier = article["article_id"]
        row["article_id"] = identifier
        if identifier in self.ids:
            self.skip(url, f"the same text as {self.ids[identifier]}")
            return
        self.ids[identifier] = final
        published = article["published"]
        if self.since and len(published) == 10 and published < self.since.isoformat():
            self.skip(url, f"published before {self.since.isoformat()} ({published})")
            return
        article["source"] = final
        self.articles.append(article)

    def collection(self) -> Collection:
        return Collection(
            articles=_frame(self.articles, ARTICLE_FIELDS),
            fetches=_frame(self.fetches, FETCH_FIELDS, ints=("status",)),
            failed=_frame(self.failed, FAILED_FIELDS),
            skipped=_frame(self.skipped, FAILED_FIELDS),
        )


def _frame(rows: list[dict], columns: list[str], *, ints: tuple[str, ...] = ()) -> pd.DataFrame:
    return pd.DataFrame(
        {
            column: pd.Series([row[column] for row in rows], dtype="int64" if column in ints else "str")
            for column in columns
        },
        columns=columns,
    )
