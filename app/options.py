"""The dashboard's command line, after Streamlit's ``--``: ``--data PATH ...``, ``--store [PATH]``,
``--full-limit N``, ``--allow-private``. Unknown arguments are ignored (Streamlit keeps its own)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "data" / "corpus"
ICON = ROOT / "data" / "icon.svg"  # served inline: a ":material/…" icon is fetched from Google's font CDN
# A store holding more analysed articles than this is read per selection: up to this many selected
# articles load whole (every view, tables equal to the CLI's); above it, the Overview, Entities and
# per-outlet/per-entity tone come from the store's SQL aggregates over the whole selection, and the
# sentence-level views (tone arc, Emphasis, reader, sentences/mentions) from the selection's most
# recent FULL_LIMIT articles. Override with `-- --full-limit N` or COVERAGE_LENS_FULL_LIMIT=N.
FULL_LIMIT = 500  # measured on new text: 500 articles load, align and tabulate in 0.7-0.8 s, 2,000 in 3.4 s
FULL_LIMIT_ENV = "COVERAGE_LENS_FULL_LIMIT"


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data", nargs="+", action="extend", default=[])
    parser.add_argument("--store", nargs="?", const="", default=None)
    parser.add_argument("--full-limit", type=int, default=None)
    parser.add_argument("--allow-private", action="store_true")
    args, _ = parser.parse_known_args(list(argv)[1:])
    return args


def data_sources(argv: Sequence[str]) -> list[Path]:
    """The corpus folders/files: ``--data PATH ...`` after ``--`` on the command line, else the bundled one.

    >>> [p.name for p in data_sources(["dashboard.py", "--data", "/tmp/a", "/tmp/b"])]
    ['a', 'b']
    >>> data_sources([]) == [DEFAULT_DATA]
    True
    """
    return [Path(p).expanduser().resolve() for p in _arguments(argv).data] or [DEFAULT_DATA]


def store_path(argv: Sequence[str]) -> Path | None:
    """``--store [PATH]``: read analysed articles from a store (``python -m analysis ingest``) instead
    of files; without PATH the default store. None when not asked for."""
    value = _arguments(argv).store
    if value is None:
        return None
    from analysis.store import DEFAULT_STORE  # only a store needs DuckDB

    return Path(value).expanduser().resolve() if value else DEFAULT_STORE


def full_limit(argv: Sequence[str], environ: dict[str, str] | None = None) -> int:
    """How many selected articles a large store loads whole: ``--full-limit N``, else the
    ``COVERAGE_LENS_FULL_LIMIT`` environment variable, else ``FULL_LIMIT`` (at least 1).

    >>> full_limit(["dashboard.py", "--full-limit", "50"], {})
    50
    >>> full_limit(["dashboard.py"], {"COVERAGE_LENS_FULL_LIMIT": "7"})
    7
    """
    value = _arguments(argv).full_limit
    if value is None:
        env = (environ if environ is not None else os.environ).get(FULL_LIMIT_ENV, "").strip()
        value = int(env) if env.isdigit() else FULL_LIMIT
    return max(1, value)


def allow_private(argv: Sequence[str]) -> bool:
    """``--allow-private``: let "Add from links or feeds" reach loopback, private and link-local
    addresses (off by default: a dashboard served to others must not fetch inside their network).

    >>> allow_private(["dashboard.py", "--allow-private"]), allow_private(["dashboard.py"])
    (True, False)
    """
    return _arguments(argv).allow_private
