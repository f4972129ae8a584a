"""Small helpers every part of the package shares, so none is copied: a short content hash,
the empty-cell test, HTML escaping and an article's display title."""

from __future__ import annotations

import hashlib
import html

import pandas as pd


def short_hash(*parts: str | bytes, length: int = 16) -> str:
    """The first ``length`` hex digits of the SHA-1 of ``parts`` joined by NUL bytes (text as
    UTF-8, lone surrogates kept).

    >>> short_hash("Hello world")
    '7b502c3a1f48c860'
    >>> short_hash("a", "b") == short_hash("a\\0b")
    True
    """
    sha = hashlib.sha1()
    for i, part in enumerate(parts):
        if i:
            sha.update(b"\0")
        sha.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
    return sha.hexdigest()[:length]


def is_missing(value: object) -> bool:
    """True for a cell with no value: None, NaN, NaT or ``pd.NA``.

    >>> is_missing(None), is_missing(float("nan")), is_missing(""), is_missing([None])
    (True, True, False, False)
    """
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def text_of(value: object) -> str:
    """``str(value)``, with a missing value (:func:`is_missing`) as the empty string."""
    return "" if is_missing(value) else str(value)


def esc(value: object) -> str:
    """``html.escape`` of any value (a missing one becomes the empty string), for HTML.

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(text_of(value), quote=True)


def plotly_esc(value: object) -> str:
    """:func:`esc` for plotly's labels and hover text: ``&``, ``<`` and ``>`` only.

    Plotly decodes ``&amp; &lt; &gt;`` (and numeric entities) when it draws, but not ``&quot;``,
    which would show as typed in every label with a quote. Quotes need no escaping there: without
    ``<`` no tag, and so no attribute, can be written.

    >>> plotly_esc('<b onclick="x">Tom & "Jerry"</b>')
    '&lt;b onclick="x"&gt;Tom &amp; "Jerry"&lt;/b&gt;'
    """
    return html.escape(text_of(value), quote=False)


def display_title(title: object, text: object, *, words: int = 10) -> str:
    """The article's title, or its first ``words`` words when it has none (plain text, unescaped).

    >>> display_title("", "OpenAI, the nonprofit artificial intelligence research organization", words=3)
    'OpenAI, the nonprofit…'
    """
    title = " ".join(text_of(title).split())
    if title:
        return title
    tokens = text_of(text).split()
    return " ".join(tokens[:words]) + ("…" if len(tokens) > words else "") if tokens else "(untitled)"


def published_days(published: pd.Series) -> pd.Series:
    """The day (``YYYY-MM-DD``) of each ``published`` value as text (``""`` when undated: the loaders
    never leave a field missing).

    >>> published_days(pd.Series(["2016-11-15T08:00", ""])).tolist()
    ['2016-11-15', '']
    """
    return published.astype(str).str.slice(0, 10)


def published_dates(published: pd.Series) -> pd.Series:
    """The day of each ``published`` value as a datetime (NaT when undated or malformed)."""
    return pd.to_datetime(published_days(published), format="%Y-%m-%d", errors="coerce")
