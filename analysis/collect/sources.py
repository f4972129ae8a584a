"""What a collection starts from: URLs, listings of links (feeds, sitemaps) and files of URLs.

- :func:`normalise_url` gives one spelling per page, so a page is fetched once however it is
  linked: courlan's cleaning (scheme and host lowercased, the default port dropped, tracking
  parameters such as ``utm_*``, ``fbclid`` or ``ref`` removed, query parameters sorted) and no
  fragment.
- :func:`parse_listing` reads RSS (0.9x, 1.0/RDF, 2.0), Atom, a sitemap or a sitemap index into
  :class:`Entry` rows with the date each entry gives. It parses with lxml with entities, DTDs
  and network access off. trafilatura's own feed and sitemap readers were not reused: they drop
  the entry dates ``--since`` needs, and courlan's ``check_url``, which they apply, refuses
  numeric hosts and ports, which would also refuse the tests' local server.
- :func:`read_url_list` reads a file listing sources, one per line.
"""

from __future__ import annotations

import email.utils
import re
import zlib
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

from analysis.loaders import DEFAULT_MAX_BYTES

__all__ = ["Entry", "Listing", "is_url", "normalise_url", "parse_listing", "read_url_list"]

MAX_ENTRIES = 50_000
"""Entries read from one listing (the sitemap protocol's own limit)."""


@dataclass(frozen=True)
class Entry:
    """A link found in a listing: its URL and the date the listing gives for it, if any."""

    url: str
    published: date | None = None


@dataclass(frozen=True)
class Listing:
    """A parsed feed or sitemap.

    Attributes:
        kind: ``rss``, ``atom``, ``sitemap`` (links to pages) or ``sitemap index`` (links to
            sitemaps).
        entries: its links in document order, normalised, each once.
    """

    kind: str
    entries: tuple[Entry, ...]


def is_url(text: str) -> bool:
    """Whether a source names a URL (any scheme) rather than a file.

    >>> is_url("https://example.com/feed"), is_url("links.txt"), is_url("ftp://x/y")
    (True, False, True)
    """
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text.strip()) is not None


def normalise_url(url: str) -> str | None:
    """Return the one spelling of a page's URL, or None when it is not an http(s) URL with a host.

    >>> normalise_url("HTTPS://News.Example.COM:443/a/story?utm_source=x&id=7#comments")
    'https://news.example.com/a/story?id=7'
    >>> normalise_url("javascript:alert(1)") is None
    True
    """
    from courlan import clean_url

    url = url.strip()
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        parts.port  # noqa: B018 - raises ValueError for a port out of range
        cleaned = clean_url(url)
        if not cleaned:
            return None
        return urlunsplit(urlsplit(cleaned)._replace(fragment=""))
    except ValueError:  # a malformed port or IPv6 address
        return None


def read_url_list(text: str) -> list[str]:
    """The sources a list file names: one per line; blank lines and ``#`` comments are ignored.

    >>> read_url_list("# my feeds\\nhttps://a.example/rss\\n\\n  https://b.example/x  \\n")
    ['https://a.example/rss', 'https://b.example/x']
    """
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def parse_listing(data: bytes, base_url: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Listing | None:
    """Read a feed or sitemap; None when the bytes are neither.

    Args:
        data: the document, gzip-compressed or not.
        base_url: the URL it came from; relative links are resolved against it.
        max_bytes: a compressed document larger than this once decompressed is refused.

    Returns:
        A :class:`Listing`, or None for anything else (an HTML page, a broken file).
    """
    from lxml import etree

    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, max_bytes)
        if data is None:
            return None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    name = etree.QName(root).localname.lower()
    if name in ("rss", "rdf"):
        kind, entries = "rss", _rss(root, base_url)
    elif name == "feed":
        kind, entries = "atom", _atom(root, base_url)
    elif name == "urlset":
        kind, entries = "sitemap", _sitemap(root, "url", base_url)
    elif name == "sitemapindex":
        kind, entries = "sitemap index", _sitemap(root, "sitemap", base_url)
    else:
        return None
    unique: dict[str, Entry] = {}
    for url, published in entries:
        normalised = normalise_url(urljoin(base_url, url.strip())) if url else None
        if normalised and normalised not in unique:
            unique[normalised] = Entry(normalised, published)
        if len(unique) >= MAX_ENTRIES:
            break
    return Listing(kind, tuple(unique.values()))


def _children(element, name: str):
    return [child for child in element if isinstance(child.tag, str) and _local(child) == name]


def _local(element) -> str:
    return element.tag.rpartition("}")[2].lower()


def _text(element, *names: str) -> str:
    for name in names:
        for child in _children(element, name):
            if child.text and child.text.strip():
                return child.text.strip()
    return ""


def _rss(root, base_url: str):
    items = [element for element in root.iter() if isinstance(element.tag, str) and _local(element) == "item"]
    for item in items:
        link = _text(item, "link")
        if not link:
            for guid in _children(item, "guid"):
                if guid.get("isPermaLink", "true").lower() != "false" and guid.text:
                    link = guid.text.strip()
        if not link:
            link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", "")
        yield link, _date(_text(item, "pubdate", "date", "published", "updated"))


def _atom(root, base_url: str):
    for entry in _children(root, "entry"):
        link = ""
        for candidate in _children(entry, "link"):
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = urljoin(_base(candidate, base_url), candidate.get("href"))
                break
        yield link, _date(_text(entry, "published", "updated"))


def _base(element, base_url: str) -> str:
    """Resolve xml:base attributes from the root down to this element."""
    bases = []
    while element is not None:
        base = element.get("{http://www.w3.org/XML/1998/namespace}base")
        if base:
            bases.append(base)
        element = element.getparent()
    for base in reversed(bases):
        base_url = urljoin(base_url, base)
    return base_url


def _sitemap(root, item: str, base_url: str):
    for element in _children(root, item):
        published = _text(element, "lastmod")
        for news in _children(element, "news"):
            published = _text(news, "publication_date") or published
        yield _text(element, "loc"), _date(published)


def _date(value: str) -> date | None:
    """The calendar date of an RSS (RFC 822) or Atom / sitemap (W3C) date, or None.

    >>> _date("Tue, 05 Mar 2024 10:00:00 GMT"), _date("2024-03-05T10:00:00+01:00"), _date("soon")
    (datetime.date(2024, 3, 5), datetime.date(2024, 3, 5), None)
    """
    value = value.strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", value)
    try:
        if match:
            return date.fromisoformat(match.group(1))
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def _gunzip(data: bytes, limit: int) -> bytes | None:
    """Decompress gzip data, refusing output over ``limit`` bytes (a small file can hold a bomb)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        return None
    return None if len(out) > limit else out

