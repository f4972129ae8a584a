"""Load articles from files, folders or uploaded bytes into one tidy table.

Formats (chosen by the file name's extension, case-insensitive):

- ``.md`` / ``.txt``: YAML front matter (``outlet``, ``title``, ``published``, ``url``, ``author``,
  ``story``, ``outlet_group``) between two ``---`` lines, then the article text.
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
- What cannot be stored or would cost too much is changed, and each change is reported in
  ``Corpus.cleaned``: lone surrogates (JSON ``\ud800``) become U+FFFD; control characters other
  than tab and newline are removed (form feed and the other line-break controls become a newline);
  a run of more than :data:`MAX_SYMBOL_RUN` punctuation or symbol characters keeps its first 100;
  text beyond :data:`MAX_TEXT_CHARS` characters or :data:`MAX_TEXT_TOKENS` tokens is cut (at a
  space). Front matter nested deeper than :data:`MAX_YAML_DEPTH` levels or longer than
  :data:`MAX_FRONT_MATTER_CHARS` is skipped unread. An HTML page over :data:`MAX_HTML_CHARS` loses
  its scripts (JSON-LD metadata kept), styles and comments before extraction, and is cut if still
  too long.
- ``published`` becomes ``YYYY-MM-DD`` when it names a full calendar date (ISO, or forms such as
  ``Nov 15, 2016``; all-numeric forms are read month first, ``11/15/2016``). Anything else, such
  as ``2016`` or ``last Tuesday``, is kept as given, never guessed.
- Encodings: UTF-8 (with or without BOM) and UTF-16 with a BOM; otherwise Windows-1252 when the
  bytes decode cleanly and read as plausible text (the usual legacy encoding of Western news),
  otherwise charset-normalizer's best guess. A file that is UTF-8 but for a few invalid bytes
  (ten times more valid non-ASCII characters than bad sequences, or any after a UTF-8 BOM) is read
  as UTF-8 with those bytes replaced by U+FFFD, and the lines named. NUL bytes, undecodable bytes
  and text that is mostly control characters mark a binary file, which is skipped.
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

import dataclasses
import functools
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.encoding import decode_bytes
from analysis.formats import (
    MAX_FRONT_MATTER_CHARS,
    MAX_HTML_CHARS,
    MAX_SYMBOL_RUN,
    MAX_TEXT_CHARS,
    MAX_TEXT_TOKENS,
    MAX_YAML_DEPTH,
    PARSERS,
    REQUIRED,
    Skip,
    bounded,
    bounded_html,
    parse_html,
    readable,
)
from analysis.outlets import outlet_group
from analysis.schema import ARTICLE_FIELDS
from analysis.utils import short_hash

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "MAX_FRONT_MATTER_CHARS",
    "MAX_HTML_CHARS",
    "MAX_SYMBOL_RUN",
    "MAX_TEXT_CHARS",
    "MAX_TEXT_TOKENS",
    "MAX_YAML_DEPTH",
    "Corpus",
    "LoadError",
    "article_id",
    "load_corpus",
    "load_files",
    "load_page",
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

SKIPPED_FIELDS = ["source", "line", "reason"]
DUPLICATE_FIELDS = ["source", "line", "duplicate_of", "article_id"]
CLEANED_FIELDS = ["source", "line", "note"]

_MAX_REASON = 240


@dataclass(frozen=True)
class Corpus:
    """Articles loaded from a batch of files, with what was left out and why.

    Attributes:
        articles: one row per article; columns ``analysis.schema.ARTICLE_FIELDS`` (article_id,
            outlet, title, published, url, author, story, text, source, outlet_group), all strings.
            ``source`` is the file name, plus ``:LINE`` for a CSV or JSONL row; ``outlet_group`` is
            the one given, else ``analysis.outlets.outlet_group``'s "Name (Section)" rule.
        skipped: one row per skipped file or row; columns source, line (0 for a whole file,
            else the 1-based line), reason.
        duplicates: one row per article not loaded because its text was already loaded; columns
            source, line, duplicate_of (the ``source`` of the kept copy), article_id.
        cleaned: one row per loaded article (or file) whose text was changed to be read at all or
            at a bounded cost; columns source, line, note (what was changed: bytes replaced,
            control characters removed, a punctuation run or the text cut).
    """

    articles: pd.DataFrame
    skipped: pd.DataFrame
    duplicates: pd.DataFrame
    cleaned: pd.DataFrame = dataclasses.field(default_factory=lambda: _frame([], CLEANED_FIELDS, ints=("line",)))


class LoadError(Exception):
    """A user error while loading: a missing path, or any skip when ``strict=True``."""


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
        except Skip as skip:
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


def load_page(url: str, data: bytes, *, charset: str = "") -> Corpus:
    """Load the article of one HTML page fetched from the web, as an ``.html`` file is read.

    The URL is trafilatura's default for the page's own (canonical) URL, so an article's ``url``
    is the page's canonical URL when it gives one and the fetched URL otherwise, and the outlet
    falls back to the URL's host name. No size limit is applied here: the fetcher has one.

    Args:
        url: the URL the page was fetched from; it is also the article's ``source``.
        data: the response body.
        charset: the charset the response's Content-Type named; used when the bytes decode in
            it, otherwise the body is decoded as a file would be.

    Returns:
        A :class:`Corpus` with one article, or with one skip saying why there is none.
    """
    if charset and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass
    collector = _Collector(strict=False)
    collector.add_file(url, "html", data, url=url)
    return collector.corpus()


# --- collecting rows ------------------------------------------------------------------------


class _Collector:
    """Accumulates articles, skips and duplicates across the files of one batch."""

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict
        self.articles: list[dict[str, str]] = []
        self.skipped: list[dict[str, object]] = []
        self.duplicates: list[dict[str, object]] = []
        self.cleaned: list[dict[str, object]] = []
        self.kept: dict[str, str] = {}

    def skip(self, source: str, line: int, reason: str) -> None:
        source, reason = _name(source), _one_line(reason)
        if self.strict:
            raise LoadError(skip_message(source, line, reason))
        self.skipped.append({"source": source, "line": line, "reason": reason})

    def note(self, source: str, line: int, notes: list[str]) -> None:
        if notes:
            self.cleaned.append({"source": _name(source), "line": line, "note": _one_line("; ".join(notes))})

    def add_file(self, name: str, kind: str, data: bytes, *, url: str = "") -> None:
        parse = functools.partial(parse_html, url=url) if url else PARSERS[kind]
        try:
            text, notes = decode_bytes(data)
            if kind == "html":
                text = bounded_html(text, notes)
            records, bad_lines = parse(text)
            self.note(name, 0, notes)
        except Skip as skip:
            self.skip(name, skip.line, skip.reason)
            return
        except Exception as error:
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
        notes: list[str] = []
        fields = readable(fields, notes)
        fields["text"] = bounded(fields.get("text", ""), notes)
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
        row.update(article_id=identifier, source=source,
                   outlet_group=outlet_group(fields["outlet"].strip(), fields.get("outlet_group", "")))
        self.articles.append(row)
        self.note(name, line, notes)

    def corpus(self) -> Corpus:
        return Corpus(
            articles=_frame(self.articles, ARTICLE_FIELDS, ints=()),
            skipped=_frame(self.skipped, SKIPPED_FIELDS, ints=("line",)),
            duplicates=_frame(self.duplicates, DUPLICATE_FIELDS, ints=("line",)),
            cleaned=_frame(self.cleaned, CLEANED_FIELDS, ints=("line",)),
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
    """Read a regular file of at most ``max_bytes``; raise Skip otherwise."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise Skip("not a regular file")
        if info.st_size > max_bytes:
            raise Skip(_too_big(info.st_size, max_bytes))
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise Skip(f"cannot be read ({error.strerror or error})") from None
    if len(data) > max_bytes:  # grew after stat
        raise Skip(_too_big(len(data), max_bytes))
    return data


def _name(name: str) -> str:
    """A file name as shown in messages: control characters (newlines) and the undecodable bytes
    of a file name (lone surrogates, which no table can store) become '?'."""
    return re.sub(r"[\x00-\x1f\x7f\ud800-\udfff]", "?", name)


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def _too_big(size: int, limit: int) -> str:
    return f"file too large ({size:,} bytes; the limit is {limit:,})"


def _unknown_type(name: str) -> str:
    known = ", ".join(sorted(EXTENSIONS))
    return f"unsupported file type {Path(name).suffix or '(none)'!r} (expected one of {known})"

