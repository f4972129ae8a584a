"""Collect coverage from the web: article links, RSS and Atom feeds, sitemaps, politely and safely.

Layers: :mod:`.sources` (URL normalisation, feed and sitemap parsing, list files), :mod:`.fetch`
(the polite, safe HTTP fetcher) and :mod:`.run` (one collection run, giving articles and a
fetch log).

>>> from analysis.collect import normalise_url
>>> normalise_url("https://Example.com/story?utm_source=feed")
'https://example.com/story'
"""

from .fetch import AGENT, USER_AGENT, Fetch, Fetcher, FetchPolicy
from .run import FAILED_FIELDS, FETCH_FIELDS, Collection, collect, collected_urls
from .sources import Entry, Listing, is_url, normalise_url, parse_listing, read_url_list

__all__ = [
    "AGENT",
    "FAILED_FIELDS",
    "FETCH_FIELDS",
    "USER_AGENT",
    "Collection",
    "Entry",
    "Fetch",
    "FetchPolicy",
    "Fetcher",
    "Listing",
    "collect",
    "collected_urls",
    "is_url",
    "normalise_url",
    "parse_listing",
    "read_url_list",
]
