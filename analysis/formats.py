"""File formats: how the text of a Markdown, CSV, JSONL or HTML file becomes article records,
and how each field is normalised. The rules are the loaders' (:mod:`analysis.loaders`); the
parsers never raise anything but :class:`Skip` for bad data.

What one file or article may cost is bounded here too (issue 16: one bad article never costs the
batch, the server or minutes): YAML front matter by its size and nesting, an HTML page by its size
(:func:`bounded_html`), an article's text by its characters, tokens and punctuation runs
(:func:`bounded`), and text that no table can store is made readable (:func:`readable`). The
costs behind each limit are measured by ``python -m bench.hostile`` (README, "Input formats").
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime

METADATA = ("outlet", "title", "published", "url", "author", "story", "outlet_group")
REQUIRED = ("outlet", "text")

MAX_TEXT_CHARS = 100_000
"""Longest article text analysed, in characters; the rest is cut (at a space when there is one)."""
MAX_TEXT_TOKENS = 20_000
"""Most tokens of an article analysed: words, punctuation marks and line breaks (spaCy's time grows
with its tokens and its paragraphs, and a line can be one); the rest is cut."""
MAX_SYMBOL_RUN = 100
"""Longest run of punctuation or symbols kept; spaCy's tokenizer is quadratic in such a run."""
MAX_YAML_DEPTH = 32
"""Deepest nesting of lists and mappings read in YAML front matter (libyaml recurses in C)."""
MAX_FRONT_MATTER_CHARS = 64 * 1024
"""Longest YAML front matter read (a flat list of 20 MiB takes libyaml and PyYAML 30 s)."""
MAX_HTML_CHARS = 1024 * 1024
"""Longest HTML page given to trafilatura, whose time grows faster than the page (4 MiB: 11 s);
a longer page loses its scripts, styles and comments first, then is cut."""

_YAML_NULLS = {"~", "null", "Null", "NULL"}
_MIN_FALLBACK_WORDS = 25
# C0 and C1 control characters but tab and newline; those that str.splitlines() reads as a line
# break (and so does the paragraph splitter) become a newline, the others go.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# matched only from a run's first character: trying every start inside a run is quadratic too
_SYMBOL_RUN = re.compile(rf"(?<![^\w\s])(?<!_)(?:[^\w\s]|_){{{MAX_SYMBOL_RUN + 1},}}")
_TEXT_TOKEN = re.compile(r"\w+|[^\w\s]|\n")


class Skip(Exception):
    """Raised inside the parsers: this file (line 0) or this line cannot be loaded."""

    def __init__(self, reason: str, line: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


Records = tuple[list[tuple[int, dict[str, str]]], list[Skip]]


def _parse_markdown(text: str) -> Records:
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise Skip("no YAML front matter (the file must start with a '---' line)")
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise Skip("YAML front matter is not closed by a '---' line")
    import yaml

    front = "\n".join(lines[1:end])
    if len(front) > MAX_FRONT_MATTER_CHARS:
        raise Skip(f"YAML front matter too long ({len(front):,} characters; the limit is {MAX_FRONT_MATTER_CHARS:,})")
    # BaseLoader keeps every value as written: no dates, booleans or numbers guessed (libyaml's C
    # version when PyYAML has it: the same rules, about 10x faster).
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    try:
        _check_depth(yaml.parse(front, Loader=loader))
        meta = yaml.load(front, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise Skip(f"bad YAML front matter{where}: {problem}") from None
    if meta is None or meta == "":
        meta = {}
    if not isinstance(meta, dict):
        raise Skip("YAML front matter is not a list of 'field: value' lines")
    fields = _metadata(meta, yaml_nulls=True)
    fields["text"] = _clean_text("\n".join(lines[end + 1 :]))
    return [(0, fields)], []


def _check_depth(events: Iterable[object]) -> None:
    """Raise Skip when YAML events nest deeper than ``MAX_YAML_DEPTH``.

    libyaml's parser keeps its own stack, but building the values recurses once per level in C,
    so 30,000 ``[`` overflow the C stack and kill the process (no exception can catch that); and
    the parser slows quadratically with depth. The events are read lazily: a deep file is
    refused after its first ``MAX_YAML_DEPTH`` levels.
    """
    import yaml

    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise Skip(f"YAML front matter nested too deeply (more than {MAX_YAML_DEPTH} levels)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _parse_csv(text: str) -> Records:
    lines = [line + "\n" for line in text.split("\n")]
    delimiter, header, header_lines = _csv_header(lines)
    columns = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        found = ", ".join(repr(name) for name in columns[:10])
        raise Skip(f"CSV header has no {' or '.join(repr(m) for m in missing)} column (found {found})")
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        raise Skip(f"CSV header repeats column {repeated[0]!r}")
    records: list[tuple[int, dict[str, str]]] = []
    bad: list[Skip] = []
    start = header_lines
    while start is not None:
        restart = None
        for first, last, row, error in _csv_rows(lines, start, delimiter):
            if error is not None:
                bad.append(Skip(f"unreadable CSV row ({error})", first))
                continue
            if all(not cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                bad.append(Skip(f"row has {len(row)} fields, the header has {len(columns)}", first))
                if last > first:
                    # A stray quote can swallow the lines below: read on from the next line.
                    restart = first
                    break
                continue
            try:
                fields = _metadata(dict(zip(columns, row, strict=False)))  # a ragged row keeps what it has
            except Skip as skip:
                bad.append(Skip(skip.reason, first))
                continue
            fields["text"] = _clean_text(row[columns.index("text")])
            records.append((first, fields))
        start = restart
    return records, bad


def _csv_header(lines: list[str]) -> tuple[str, list[str], int]:
    """Return (delimiter, header cells, lines used) for the first record of a CSV file."""
    fallback = None
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(iter(lines), delimiter=delimiter)
        try:
            header = next(reader)
        except (csv.Error, StopIteration) as error:
            raise Skip(f"unreadable CSV header ({error})") from None
        names = {name.strip().lower() for name in header}
        if set(REQUIRED) <= names:
            return delimiter, header, reader.line_num
        if fallback is None:
            fallback = (delimiter, header, reader.line_num)
    return fallback


def _csv_rows(
    lines: list[str], start: int, delimiter: str
) -> Iterator[tuple[int, int, list[str], str | None]]:
    """Yield (first line, last line, cells, error) per CSV record from 0-based line ``start``."""
    # Articles are long: lift the csv module's 128 KiB field limit to the file size limit.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    reader = csv.reader(itertools.islice(lines, start, None), delimiter=delimiter)
    while True:
        before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start + before + 1, start + reader.line_num, [], str(error)
            if reader.line_num == before:
                return
            continue
        yield start + before + 1, start + reader.line_num, row, None


def _parse_jsonl(text: str) -> Records:
    records: list[tuple[int, dict[str, str]]] = []
    bad: list[Skip] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as error:
            if isinstance(error, json.JSONDecodeError):
                reason = f"{error.msg}, column {error.colno}"
            else:
                reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
            bad.append(Skip(f"not valid JSON ({reason})", number))
            continue
        if not isinstance(value, dict):
            bad.append(Skip(f"not a JSON object (found {_json_type(value)})", number))
            continue
        try:
            fields = _metadata(value)
            fields["text"] = _clean_text(_as_text("text", value.get("text")))
        except Skip as skip:
            bad.append(Skip(skip.reason, number))
            continue
        records.append((number, fields))
    return records, bad


def parse_html(text: str, *, url: str = "") -> Records:
    """One HTML page's article; ``url``, where the page was fetched from, is trafilatura's default
    for the page's own URL (and so for the outlet, through the host name)."""
    import trafilatura

    def extract(fast: bool) -> tuple[object, str]:
        document = trafilatura.bare_extraction(
            text,
            fast=fast,
            favor_precision=True,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            url=url or None,
        )
        return document, _clean_text(getattr(document, "text", None) or "")

    # trafilatura's own extractor first; its fallbacks (readability, jusText) only when that
    # finds nothing, and then only for a real paragraph: on a page without an article they
    # return the navigation links.
    document, body = extract(fast=True)
    if not body:
        document, body = extract(fast=False)
        if len(body.split()) < _MIN_FALLBACK_WORDS:
            raise Skip("no main text found in the HTML page")
    title = (document.title or "").strip()
    first, _, rest = body.partition("\n")
    if title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        body = _clean_text(rest)
    url = (document.url or "").strip()
    outlet = (document.sitename or "").strip() or _host(url)
    if not outlet:
        raise Skip("no outlet: the page has no site name (og:site_name) and no URL")
    fields = {
        "outlet": outlet,
        "title": title,
        "published": _normalise_date(document.date or ""),
        "url": url,
        "author": (document.author or "").strip(),
        "story": "",
        "outlet_group": "",
        "text": body,
    }
    return [(0, fields)], []


def bounded_html(text: str, notes: list[str]) -> str:
    """A page within ``MAX_HTML_CHARS``: a longer one without its scripts (but JSON-LD metadata),
    styles, comments and other markup that holds no text, and if still too long, cut; what was
    changed is added to ``notes``."""
    if len(text) <= MAX_HTML_CHARS:
        return text
    import lxml.html
    from lxml import etree

    tree = lxml.html.document_fromstring(text)
    for script in list(tree.iter("script")):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            script.drop_tree()  # keeps the text after it
    etree.strip_elements(tree, "style", "noscript", "svg", "template", "iframe", etree.Comment, with_tail=False)
    lean = lxml.html.tostring(tree, encoding="unicode")
    whole = len(text)
    if len(lean) <= MAX_HTML_CHARS:
        notes.append(f"HTML page of {whole:,} characters read without its scripts, styles and comments")
        return lean
    cut = lean.rfind("<", 1, MAX_HTML_CHARS)
    cut = cut if cut > 0 else MAX_HTML_CHARS
    notes.append(
        f"HTML page cut to its first {cut:,} of {whole:,} characters (scripts, styles and comments removed first; "
        f"the limit is {MAX_HTML_CHARS:,})"
    )
    return lean[:cut]


PARSERS = {
    "markdown": _parse_markdown,
    "csv": _parse_csv,
    "jsonl": _parse_jsonl,
    "html": parse_html,
}


# --- fields ---------------------------------------------------------------------------------


def _metadata(values: dict, *, yaml_nulls: bool = False) -> dict[str, str]:
    """Return the metadata fields of one record as stripped strings; raise Skip if malformed."""
    lowered = {str(key).strip().lower(): value for key, value in values.items()}
    fields = {}
    for field in METADATA:
        value = _as_text(field, lowered.get(field)).strip()
        if yaml_nulls and value in _YAML_NULLS:
            value = ""
        fields[field] = value
    fields["published"] = _normalise_date(fields["published"])
    return fields


def _as_text(field: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise Skip(f"field '{field}' must be text, not {_json_type(value)}")


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, (int, float)) else type(value).__name__


def readable(fields: dict[str, str], notes: list[str]) -> dict[str, str]:
    """A copy of ``fields`` without lone surrogates (U+FFFD instead: no table can store them) and
    control characters but tab and newline; what was changed is added to ``notes``."""
    out = dict(fields)
    surrogates = controls = 0
    for name, value in fields.items():
        if _SURROGATE.search(value):
            value, n = _SURROGATE.subn("\ufffd", value)
            surrogates += n
        if _CONTROL.search(value):
            value, n = _CONTROL.subn(lambda m: "\n" if m.group() in _CONTROL_BREAKS else "", value)
            controls += n
            value = _clean_text(value) if name == "text" else value.strip()
        out[name] = value
    if surrogates:
        notes.append(f"{surrogates} lone surrogate{'s' if surrogates != 1 else ''} replaced with U+FFFD")
    if controls:
        notes.append(f"{controls} control character{'s' if controls != 1 else ''} removed")
    return out


def bounded(text: str, notes: list[str]) -> str:
    """``text`` within what one article may cost (``MAX_TEXT_CHARS``, ``MAX_TEXT_TOKENS``,
    ``MAX_SYMBOL_RUN``); what was cut is added to ``notes``."""
    whole = len(text)
    text = text[: 10 * MAX_TEXT_CHARS]  # what is further on is never kept; no need to look for runs there
    runs = [m.span() for m in _SYMBOL_RUN.finditer(text)]
    if runs:
        longest = max(end - start for start, end in runs)
        parts, prev = [], 0
        for start, end in runs:
            parts.append(text[prev : start + MAX_SYMBOL_RUN])
            prev = end
        text = "".join(parts) + text[prev:]
        what = "a run" if len(runs) == 1 else f"{len(runs)} runs"
        notes.append(
            f"{what} of punctuation or symbols cut to {MAX_SYMBOL_RUN} characters (the longest had {longest:,})"
        )
    cut = min(len(text), MAX_TEXT_CHARS)
    if cut > MAX_TEXT_TOKENS:  # a token is at least one character
        beyond = next(itertools.islice(_TEXT_TOKEN.finditer(text, 0, cut), MAX_TEXT_TOKENS, None), None)
        cut = beyond.start() if beyond is not None else cut
    if cut < len(text):
        space = max(text.rfind(" ", 0, cut + 1), text.rfind("\n", 0, cut + 1))
        text = _clean_text(text[: space if space > cut // 2 else cut])
        notes.append(
            f"text cut to its first {len(text):,} of {whole:,} characters (an article is analysed up to "
            f"{MAX_TEXT_CHARS:,} characters or {MAX_TEXT_TOKENS:,} tokens)"
        )
    return text


def _clean_text(text: str) -> str:
    """Normalise line ends and drop leading and trailing blank lines; keep the rest unchanged."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    last = next((i for i in range(len(lines) - 1, first - 1, -1) if lines[i].strip()), first - 1)
    return "\n".join(lines[first : last + 1])


_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))


def _normalise_date(value: str) -> str:
    """Return ``YYYY-MM-DD`` when ``value`` names one full date, else ``value`` unchanged."""
    value = value.strip()
    if not value or len(value) > 64:
        return value
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", value)
    if match:
        try:
            return date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            return value
    from dateutil import parser

    try:
        # A date missing its day, month or year takes them from the defaults, so two different
        # defaults give two different answers: then the value is kept rather than guessed.
        first, second = (parser.parse(value, default=default).date() for default in _DEFAULTS)
    except (ValueError, OverflowError, TypeError, parser.ParserError):
        return value
    return first.isoformat() if first == second else value


def _host(url: str) -> str:
    match = re.match(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)", url, re.IGNORECASE)
    host = match.group(1).lower() if match else ""
    return host.removeprefix("www.")
