"""Load articles from files, folders or uploaded bytes into one tidy table.

Formats (chosen by the file name's extension, case-insensitive):

- ``.md`` / ``.txt``: YAML front matter (``outlet``, ``title``, ``published``, ``url``, ``author``,
  ``story``) between two ``---`` lines, then the article text.
- ``.csv``: a header row naming the same fields plus ``text``, then one article per row. The
  delimiter is a comma, or a semicolon or tab when the header only parses with that one.
- ``.jsonl``: one JSON object per line with the same keys.
- ``.html`` / ``.htm``: main text and metadata through trafilatura (site name -> outlet, title,
  date, url, author), in its precision mode. Scripts, navigation, footers and comments are left
  out; a first text line repeating the title is dropped. A page where only trafilatura's fallback
  extractors find text needs 25 words or more (on pages without an article they return the menu).
  Without a site name the outlet is the URL's host name (``www.`` removed).

Rules, the same for every format:

- ``outlet`` and ``text`` are required (after stripping whitespace); a record without them is
  skipped with its reason. Every field is a string; a missing one is ``""``, never NaN.
- Text is kept as written except that a byte-order mark is removed, CRLF and CR become LF and
  leading and trailing blank lines are dropped. Metadata is stripped of surrounding whitespace.
- ``published`` becomes ``YYYY-MM-DD`` when it names a full calendar date (ISO, or forms such as
  ``Nov 15, 2016``; all-numeric forms are read month first, ``11/15/2016``). Anything else, such
  as ``2016`` or ``last Tuesday``, is kept as given, never guessed.
- Encodings: UTF-8 (with or without BOM) and UTF-16 with a BOM; otherwise Windows-1252 when the
  bytes decode cleanly and read as plausible text (the usual legacy encoding of Western news),
  otherwise charset-normalizer's best guess. NUL bytes, undecodable bytes and text that is mostly
  control characters mark a binary file, which is skipped.
- ``article_id`` is the first 16 hex digits of the SHA-1 of the text with whitespace runs collapsed
  to one space. An article whose id was already loaded is not loaded again; it is reported in
  ``Corpus.duplicates`` with the source of the copy that was kept.
- Files over ``max_bytes`` (default :data:`DEFAULT_MAX_BYTES`, 20 MiB) are skipped by their size
  on disk, or by their length for uploads, before they are read.
- No exception escapes for bad data: anything that fails while reading one file skips that file.
  Only a missing path raises :class:`LoadError`, and with ``strict=True`` so does the first skip.

Folders are read recursively in sorted path order. Hidden files and folders (names starting with
``.``) and files of other types are ignored inside folders, since folders hold READMEs and
images; a file named explicitly with an unknown extension is skipped with a reason. A file
reached twice (named twice, or inside two given folders) is read once. Sources are read in the
order given, so the kept copy of a duplicate is the first one in that order.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from analysis.schema import ARTICLE_FIELDS
from analysis.utils import short_hash

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "Corpus",
    "LoadError",
    "article_id",
    "load_corpus",
    "load_files",
    "skip_message",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest file (in bytes) that is read; larger files are skipped unread."""

EXTENSIONS: dict[str, str] = {
    ".md": "markdown",
    ".txt": "markdown",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".html": "html",
    ".htm": "html",
}
"""File extensions read, and the format each one is parsed as."""

METADATA = ("outlet", "title", "published", "url", "author", "story")
REQUIRED = ("outlet", "text")
SKIPPED_FIELDS = ["source", "line", "reason"]
DUPLICATE_FIELDS = ["source", "line", "duplicate_of", "article_id"]

_YAML_NULLS = {"~", "null", "Null", "NULL"}
_MAX_REASON = 240
_MIN_FALLBACK_WORDS = 25


@dataclass(frozen=True)
class Corpus:
    """Articles loaded from a batch of files, with what was left out and why.

    Attributes:
        articles: one row per article; columns ``analysis.schema.ARTICLE_FIELDS`` (article_id,
            outlet, title, published, url, author, story, text, source), all strings. ``source``
            is the file name, plus ``:LINE`` for a CSV or JSONL row.
        skipped: one row per skipped file or row; columns source, line (0 for a whole file,
            else the 1-based line), reason.
        duplicates: one row per article not loaded because its text was already loaded; columns
            source, line, duplicate_of (the ``source`` of the kept copy), article_id.
    """

    articles: pd.DataFrame
    skipped: pd.DataFrame
    duplicates: pd.DataFrame


class LoadError(Exception):
    """A user error while loading: a missing path, or any skip when ``strict=True``."""


class _Skip(Exception):
    """Raised inside the parsers: this file (line 0) or this line cannot be loaded."""

    def __init__(self, reason: str, line: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def article_id(text: str) -> str:
    """Return the content hash identifying an article's text.

    The first 16 hex digits of the SHA-1 of the UTF-8 text with every run of whitespace collapsed
    to one space and the ends stripped, so re-wrapped copies of one text share an id.

    >>> article_id("Hello   world\\n") == article_id(" Hello world")
    True
    """
    return short_hash(" ".join(text.split()))


def skip_message(source: str, line: int, reason: str) -> str:
    """Return the one-line message for a skip: ``source:line: reason`` (no line for a file).

    >>> skip_message("a.csv", 3, "missing required field 'outlet'")
    "a.csv:3: missing required field 'outlet'"
    """
    where = f"{source}:{line}" if line else source
    return f"{where}: {reason}"


def load_corpus(
    sources: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Corpus:
    """Load every article from files and folders (read recursively).

    Args:
        sources: files or folders; a single path is accepted too.
        strict: raise :class:`LoadError` at the first skip instead of reporting it.
        max_bytes: files larger than this are skipped without being read.

    Returns:
        A :class:`Corpus` (articles, skipped, duplicates). ``source`` names a file by the path as
        given, joined with its path inside a given folder.

    Raises:
        LoadError: a source does not exist, or ``strict`` and something was skipped.
    """
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    paths = [os.fspath(source) for source in sources]
    for path in paths:
        try:
            exists = os.path.exists(path)
        except ValueError:  # a NUL byte in the path
            exists = False
        if not exists:
            raise LoadError(f"no such file or folder: {_name(path)}")
    collector = _Collector(strict=strict)
    seen: set[str] = set()
    for name, path, explicit in _expand(paths):
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        kind = EXTENSIONS.get(Path(name).suffix.lower())
        if kind is None:
            if explicit:
                collector.skip(name, 0, _unknown_type(name))
            continue
        try:
            data = _read_file(path, max_bytes)
        except _Skip as skip:
            collector.skip(name, 0, skip.reason)
            continue
        collector.add_file(name, kind, data)
    return collector.corpus()


def load_files(
    files: Iterable[tuple[str, bytes]],
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Corpus:
    """Load articles from ``(name, bytes)`` pairs, such as a dashboard's uploads.

    Nothing is written to disk. The name only chooses the format and labels the ``source``;
    pairs are read in name order, so the upload order does not change which copy is kept.

    Args:
        files: ``(file name, file content)`` pairs.
        strict: raise :class:`LoadError` at the first skip instead of reporting it.
        max_bytes: contents longer than this are skipped without being parsed.

    Returns:
        A :class:`Corpus` (articles, skipped, duplicates), as :func:`load_corpus` returns.

    Raises:
        LoadError: only when ``strict`` and something was skipped.
    """
    collector = _Collector(strict=strict)
    pairs = [(str(name), data) for name, data in files]
    for name, data in sorted(pairs, key=lambda pair: pair[0]):
        kind = EXTENSIONS.get(Path(name).suffix.lower())
        if kind is None:
            collector.skip(name, 0, _unknown_type(name))
            continue
        if not isinstance(data, (bytes, bytearray, memoryview)):
            collector.skip(name, 0, f"content is {type(data).__name__}, not bytes")
            continue
        if len(data) > max_bytes:
            collector.skip(name, 0, _too_big(len(data), max_bytes))
            continue
        collector.add_file(name, kind, bytes(data))
    return collector.corpus()


# --- collecting rows ------------------------------------------------------------------------


class _Collector:
    """Accumulates articles, skips and duplicates across the files of one batch."""

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict
        self.articles: list[dict[str, str]] = []
        self.skipped: list[dict[str, object]] = []
        self.duplicates: list[dict[str, object]] = []
        self.kept: dict[str, str] = {}

    def skip(self, source: str, line: int, reason: str) -> None:
        source, reason = _name(source), _one_line(reason)
        if self.strict:
            raise LoadError(skip_message(source, line, reason))
        self.skipped.append({"source": source, "line": line, "reason": reason})

    def add_file(self, name: str, kind: str, data: bytes) -> None:
        try:
            records, bad_lines = _PARSERS[kind](_decode(data))
        except _Skip as skip:
            self.skip(name, skip.line, skip.reason)
            return
        except Exception as error:  # noqa: BLE001 - user data must never raise a traceback
            self.skip(name, 0, f"could not be read ({type(error).__name__}: {error})")
            return
        # Report in line order, so strict mode stops at the first problem in the file.
        events = sorted(
            [(line, 1, fields) for line, fields in records] + [(s.line, 0, s) for s in bad_lines],
            key=lambda event: (event[0], event[1]),
        )
        for line, is_record, payload in events:
            if is_record:
                self.add_article(name, line, payload)
            else:
                self.skip(name, line, payload.reason)

    def add_article(self, name: str, line: int, fields: dict[str, str]) -> None:
        for field in REQUIRED:
            if not fields.get(field, "").strip():
                self.skip(name, line, f"missing required field '{field}'")
                return
        identifier = article_id(fields["text"])
        source = f"{_name(name)}:{line}" if line else _name(name)
        if identifier in self.kept:
            self.duplicates.append(
                {
                    "source": _name(name),
                    "line": line,
                    "duplicate_of": self.kept[identifier],
                    "article_id": identifier,
                }
            )
            return
        self.kept[identifier] = source
        row = {field: fields.get(field, "") for field in ARTICLE_FIELDS}
        row.update(article_id=identifier, source=source)
        self.articles.append(row)

    def corpus(self) -> Corpus:
        return Corpus(
            articles=_frame(self.articles, ARTICLE_FIELDS, ints=()),
            skipped=_frame(self.skipped, SKIPPED_FIELDS, ints=("line",)),
            duplicates=_frame(self.duplicates, DUPLICATE_FIELDS, ints=("line",)),
        )


def _frame(rows: list[dict], columns: list[str], *, ints: Iterable[str]) -> pd.DataFrame:
    ints = set(ints)
    return pd.DataFrame(
        {
            column: pd.Series(
                [row[column] for row in rows], dtype="int64" if column in ints else "str"
            )
            for column in columns
        },
        columns=columns,
    )


# --- files and bytes ------------------------------------------------------------------------


def _expand(paths: list[str]) -> Iterator[tuple[str, str, bool]]:
    """Yield (name, path, named explicitly) for every file under the given paths."""
    for path in paths:
        if not os.path.isdir(path):
            yield path, path, True
            continue
        found: list[tuple[tuple[str, ...], str]] = []
        for folder, subfolders, filenames in os.walk(path):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            relative = os.path.relpath(folder, path)
            parts = () if relative == os.curdir else tuple(Path(relative).parts)
            for filename in filenames:
                if not filename.startswith("."):
                    found.append(((*parts, filename), os.path.join(folder, filename)))
        for parts, full in sorted(found):
            yield os.path.join(path, *parts), full, False


def _read_file(path: str, max_bytes: int) -> bytes:
    """Read a regular file of at most ``max_bytes``; raise _Skip otherwise."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise _Skip("not a regular file")
        if info.st_size > max_bytes:
            raise _Skip(_too_big(info.st_size, max_bytes))
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise _Skip(f"cannot be read ({error.strerror or error})") from None
    if len(data) > max_bytes:  # grew after stat
        raise _Skip(_too_big(len(data), max_bytes))
    return data


def _decode(data: bytes) -> str:
    """Decode file bytes to text with LF line ends and no BOM; raise _Skip for binary data."""
    if not data.strip():
        raise _Skip("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        text = _strict_decode(data[3:], "utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict_decode(data, "utf-16")
    elif b"\x00" in data:
        raise _Skip("binary file (contains NUL bytes)")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _legacy_decode(data)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:100_000]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\f")
    if "\x00" in sample or controls > len(sample) / 100:
        raise _Skip("binary file (control characters)")
    if not text.strip():
        raise _Skip("empty file")
    return text


def _strict_decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _Skip(f"not valid {encoding} despite its byte-order mark ({error.reason})") from None


def _legacy_decode(data: bytes) -> str:
    """Decode bytes that are not UTF-8: Windows-1252 when it reads cleanly, else a detected one."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        # Judge only the lines that hold non-ASCII characters: the rest decode the same anyway.
        sample = "\n".join(line for line in text.split("\n") if not line.isascii())[:100_000]
        if mess_ratio(sample, 0.2) < 0.1:
            return text
    best = from_bytes(data).best()
    if best is None:
        raise _Skip("binary file or unknown encoding (not UTF-8, no legacy encoding fits)")
    return str(best)


# --- formats --------------------------------------------------------------------------------

_Records = tuple[list[tuple[int, dict[str, str]]], list[_Skip]]


def _parse_markdown(text: str) -> _Records:
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise _Skip("no YAML front matter (the file must start with a '---' line)")
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise _Skip("YAML front matter is not closed by a '---' line")
    import yaml

    try:
        # BaseLoader keeps every value as written: no dates, booleans or numbers guessed
        # (libyaml's C version when PyYAML has it: the same rules, about 10x faster).
        meta = yaml.load("\n".join(lines[1:end]), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # noqa: S506
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise _Skip(f"bad YAML front matter{where}: {problem}") from None
    if meta is None or meta == "":
        meta = {}
    if not isinstance(meta, dict):
        raise _Skip("YAML front matter is not a list of 'field: value' lines")
    fields = _metadata(meta, yaml_nulls=True)
    fields["text"] = _clean_text("\n".join(lines[end + 1 :]))
    return [(0, fields)], []


def _parse_csv(text: str) -> _Records:
    lines = [line + "\n" for line in text.split("\n")]
    delimiter, header, header_lines = _csv_header(lines)
    columns = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        found = ", ".join(repr(name) for name in columns[:10])
        raise _Skip(f"CSV header has no {' or '.join(repr(m) for m in missing)} column (found {found})")
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        raise _Skip(f"CSV header repeats column {repeated[0]!r}")
    records: list[tuple[int, dict[str, str]]] = []
    bad: list[_Skip] = []
    start = header_lines
    while start is not None:
        restart = None
        for first, last, row, error in _csv_rows(lines, start, delimiter):
            if error is not None:
                bad.append(_Skip(f"unreadable CSV row ({error})", first))
                continue
            if all(not cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                bad.append(_Skip(f"row has {len(row)} fields, the header has {len(columns)}", first))
                if last > first:
                    # A stray quote can swallow the lines below: read on from the next line.
                    restart = first
                    break
                continue
            try:
                fields = _metadata(dict(zip(columns, row)))
            except _Skip as skip:
                bad.append(_Skip(skip.reason, first))
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
            raise _Skip(f"unreadable CSV header ({error})") from None
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


def _parse_jsonl(text: str) -> _Records:
    records: list[tuple[int, dict[str, str]]] = []
    bad: list[_Skip] = []
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
            bad.append(_Skip(f"not valid JSON ({reason})", number))
            continue
        if not isinstance(value, dict):
            bad.append(_Skip(f"not a JSON object (found {_json_type(value)})", number))
            continue
        try:
            fields = _metadata(value)
            fields["text"] = _clean_text(_as_text("text", value.get("text")))
        except _Skip as skip:
            bad.append(_Skip(skip.reason, number))
            continue
        records.append((number, fields))
    return records, bad


def _parse_html(text: str) -> _Records:
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
        )
        return document, _clean_text(getattr(document, "text", None) or "")

    # trafilatura's own extractor first; its fallbacks (readability, jusText) only when that
    # finds nothing, and then only for a real paragraph: on a page without an article they
    # return the navigation links.
    document, body = extract(fast=True)
    if not body:
        document, body = extract(fast=False)
        if len(body.split()) < _MIN_FALLBACK_WORDS:
            raise _Skip("no main text found in the HTML page")
    title = (document.title or "").strip()
    first, _, rest = body.partition("\n")
    if title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        body = _clean_text(rest)
    url = (document.url or "").strip()
    outlet = (document.sitename or "").strip() or _host(url)
    if not outlet:
        raise _Skip("no outlet: the page has no site name (og:site_name) and no URL")
    fields = {
        "outlet": outlet,
        "title": title,
        "published": _normalise_date(document.date or ""),
        "url": url,
        "author": (document.author or "").strip(),
        "story": "",
        "text": body,
    }
    return [(0, fields)], []


_PARSERS = {
    "markdown": _parse_markdown,
    "csv": _parse_csv,
    "jsonl": _parse_jsonl,
    "html": _parse_html,
}


# --- fields ---------------------------------------------------------------------------------


def _metadata(values: dict, *, yaml_nulls: bool = False) -> dict[str, str]:
    """Return the metadata fields of one record as stripped strings; raise _Skip if malformed."""
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
    raise _Skip(f"field '{field}' must be text, not {_json_type(value)}")


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, (int, float)) else type(value).__name__


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


def _name(name: str) -> str:
    """A file name as shown in messages: control characters (newlines) become '?'."""
    return re.sub(r"[\x00-\x1f\x7f]", "?", name)


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def _too_big(size: int, limit: int) -> str:
    return f"file too large ({size:,} bytes; the limit is {limit:,})"


def _unknown_type(name: str) -> str:
    known = ", ".join(sorted(EXTENSIONS))
    return f"unsupported file type {Path(name).suffix or '(none)'!r} (expected one of {known})"

