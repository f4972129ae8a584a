"""Metric tables for a selection, and their CSV form (shared by the CLI and the dashboard)."""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from .align import align_sentences
from .entities import entity_table
from .messages import message_pullthrough
from .pipeline import Analysis
from .quotes import extract_quotes
from .schema import TABLES
from .stories import stories_table
from .terms import distinctive_terms
from .voice import voice_table

# OWASP's advice against CSV injection: a text cell starting with one of these is prefixed with '
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ... also after quotes, spaces or invisible characters a spreadsheet may skip, and in full width
_HIDDEN_LEAD = r"^[\s\"\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+"
_WIDE_START = ("\uff1d", "\uff0b", "\uff0d", "\uff20")


def build_tables(
    analysis: Analysis, *, messages: Sequence[str] = (), outlets: Sequence[str] | None = None,
    house_style: bool = False
) -> dict[str, pd.DataFrame]:
    """Every metric table for an (already selected) analysis, keyed by CSV name without ``.csv``.

    Columns of each are ``analysis.schema.TABLES[name]``. Comparisons between outlets (exclusive
    entities, sentence alignment, distinctive terms) are made within each story, between the
    outlets of the selection. ``messages`` are the key messages for ``messages``; without any,
    that table is empty. ``stories`` names the ``outlets`` (default: those of the analysis; give the
    selected ones, :meth:`analysis.Selection.outlets_among`) that skipped each story.
    ``house_style`` keeps honorifics, weekdays, months, single letters and
    the outlets' own names in ``terms`` (``analysis.terms.distinctive_terms``).
    """
    sentences = align_sentences(analysis.sentences)
    tables = {
        "articles": analysis.articles,
        "sentences": sentences,
        "mentions": analysis.mentions,
        "entities": entity_table(analysis.mentions, analysis.sentences, analysis.articles),
        "voice": voice_table(analysis.mentions, analysis.articles),
        **sentence_tables(analysis, sentences, messages=messages, house_style=house_style),
        "stories": stories_table(analysis.articles, analysis.mentions, outlets=outlets),
    }
    return {name: _columns(table, name) for name, table in tables.items()}


def sentence_tables(
    analysis: Analysis, sentences: pd.DataFrame, *, messages: Sequence[str] = (), house_style: bool = False
) -> dict[str, pd.DataFrame]:
    """``terms``, ``quotes`` and ``messages`` (columns ``analysis.schema.TABLES[name]``) of an
    (already selected) ``analysis`` from its aligned ``sentences`` (:func:`sentence_table`'s):
    equal to those of ``build_tables`` without aligning again or counting entities."""
    tables = {
        "terms": distinctive_terms(sentences, house_style=house_style),
        "quotes": extract_quotes(sentences, mentions=analysis.mentions),
        "messages": message_pullthrough(sentences, list(messages), articles=analysis.articles),
    }
    return {name: _columns(table, name) for name, table in tables.items()}


def build_entities(analysis: Analysis) -> pd.DataFrame:
    """``entities.csv`` alone, equal to ``build_tables(analysis)["entities"]`` without aligning sentences."""
    return _columns(entity_table(analysis.mentions, analysis.sentences, analysis.articles), "entities")


def article_table(analysis: Analysis) -> pd.DataFrame:
    """``articles.csv`` alone, equal to ``build_tables(analysis)["articles"]``."""
    return _columns(analysis.articles, "articles")


def sentence_table(analysis: Analysis) -> pd.DataFrame:
    """``sentences.csv`` alone (``analysis.schema.TABLES["sentences"]``), equal to
    ``build_tables(analysis)["sentences"]`` without building the other tables."""
    return _columns(align_sentences(analysis.sentences), "sentences")


def _columns(table: pd.DataFrame, name: str) -> pd.DataFrame:
    wanted = TABLES[name]
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise KeyError(f"{name} table lacks column(s) {missing}")
    return table[wanted].reset_index(drop=True)


def neutralise(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` whose text cells cannot run as spreadsheet formulas.

    Text cells starting with ``= + - @``, tab or carriage return get a leading ``'``, and so do
    those where one of ``= + - @`` or its full-width form (``＝``) follows quotes, spaces or
    invisible characters (a zero-width space); numbers stay numbers.

    >>> print(*neutralise(pd.DataFrame({"a": ["=1+1", "ok", '"=1+1', "＝1"], "b": [-1, 2, 3, 4]}))["a"])
    '=1+1 ok '"=1+1 '＝1
    """
    out = table.copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_string_dtype(series) or series.dtype == object):
            continue
        try:
            risky = series.str.startswith(_FORMULA_START, na=False) | series.str.replace(
                _HIDDEN_LEAD, "", regex=True
            ).str.startswith(_FORMULA_START[:4] + _WIDE_START, na=False)
        except AttributeError:  # an object column holding no text at all
            continue
        if risky.any():
            out[column] = series.mask(risky, "'" + series[risky])
    return out


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """The CSV (UTF-8, header, no index, formula-safe) the CLI writes and the dashboard downloads."""
    return neutralise(table).to_csv(index=False, lineterminator="\n").encode("utf-8")


def csv_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, bytes]:
    """``to_csv_bytes`` of every table, in the same order and under the same names."""
    return {name: to_csv_bytes(table) for name, table in tables.items()}


def write_tables(tables: Mapping[str, pd.DataFrame | bytes], out_dir: str | os.PathLike) -> list[Path]:
    """Write ``NAME.csv`` for every table (a DataFrame, or its ``to_csv_bytes``) into ``out_dir``
    (created if needed); returns the paths.

    Each file is written under a temporary name and then renamed over ``NAME.csv``: a reader never
    sees half a file, and a symbolic link named ``NAME.csv`` is replaced, not followed (its target,
    anywhere on disk, is left alone). Raises ``OSError`` when the folder cannot be written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        _replace_file(path, table if isinstance(table, bytes) else to_csv_bytes(table))
        paths.append(path)
    return paths


def check_writable(out_dir: str | os.PathLike) -> None:
    """Create ``out_dir`` if needed and write and remove a file in it: raises ``OSError`` (with the
    reason) when ``write_tables`` could not write there, before any work is done."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    probe = out / f".coverage-lens-{secrets.token_hex(6)}.tmp"
    os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    probe.unlink()


def _replace_file(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # os.open with O_EXCL never follows a link, and 0o666 gives the mode a plain write would (umask)
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def zip_tables(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """One zip holding ``NAME.csv`` for every table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            archive.writestr(f"{name}.csv", to_csv_bytes(table))
    return buffer.getvalue()
