"""The command line: ``python -m analysis export [SOURCE ...] --out DIR``.

Exit codes: 0 success (even with skipped files, reported on stderr), 2 usage error, missing path or
nothing loadable, always with a one-line message and never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .aliases import read_aliases
from .export import build_tables, write_tables
from .loaders import LoadError, load_corpus
from .pipeline import analyse, select
from .sentiment import ENGINES

DEFAULT_SOURCE = Path(__file__).resolve().parent.parent / "data" / "corpus"


class UsageError(Exception):
    """A user error: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description="Coverage Lens: compare how outlets cover the same story.")
    parser.add_argument("--version", action="version", version=f"coverage-lens {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    export = commands.add_parser("export", help="analyse SOURCEs and write every metric table as CSV")
    export.add_argument("sources", nargs="*", metavar="SOURCE", help=f"files or folders (default: {DEFAULT_SOURCE})")
    export.add_argument("--out", required=True, metavar="DIR", help="folder to write the CSV files into")
    export.add_argument("--outlet", action="append", metavar="NAME", help="keep only this outlet (repeatable)")
    export.add_argument("--story", action="append", metavar="NAME", help="keep only this story (repeatable)")
    export.add_argument("--since", metavar="YYYY-MM-DD", help="keep articles published on or after this day")
    export.add_argument("--until", metavar="YYYY-MM-DD", help="keep articles published on or before this day")
    export.add_argument("--sentiment", choices=ENGINES, default="textblob", help="sentiment engine (default textblob)")
    export.add_argument("--messages", metavar="FILE", help="key messages, one per line, for messages.csv")
    export.add_argument("--aliases", metavar="FILE", help="entity aliases CSV (default data/aliases.csv)")
    export.add_argument("--strict", action="store_true", help="fail (exit 2) on any skipped file or row")
    export.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes for the NLP step")
    return parser


def _read_messages(path: str | None) -> list[str]:
    if path is None:
        return []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read messages file {path}: {error.strerror if isinstance(error, OSError) else error}")
    return [line.strip() for line in lines if line.strip()]


def _export(args: argparse.Namespace) -> int:
    messages = _read_messages(args.messages)
    try:
        aliases = read_aliases(args.aliases)
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read aliases: {error}")
    if args.aliases and not Path(args.aliases).exists():
        raise UsageError(f"aliases file not found: {args.aliases}")
    corpus = load_corpus(args.sources or [DEFAULT_SOURCE], strict=args.strict)
    for row in corpus.skipped.itertuples(index=False):
        where = f"{row.source}:{row.line}" if row.line else row.source
        print(f"skipped {where}: {row.reason}", file=sys.stderr)
    for row in corpus.duplicates.itertuples(index=False):
        print(f"duplicate {row.source}: same text as {row.duplicate_of}, counted once", file=sys.stderr)
    if corpus.articles.empty:
        raise UsageError("nothing could be loaded from " + ", ".join(map(str, args.sources or [DEFAULT_SOURCE])))
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    result = analyse(corpus.articles, sentiment=args.sentiment, aliases=aliases, n_process=args.jobs)
    chosen = select(result, outlets=args.outlet, stories=args.story, start=args.since, end=args.until)
    if chosen.articles.empty:
        known = ", ".join(sorted(result.articles["outlet"].unique()))
        raise UsageError(f"no article matches the filters (outlets here: {known})")
    tables = build_tables(chosen, messages=messages)
    paths = write_tables(tables, args.out)
    print(
        f"analysed {len(result.articles)} articles; wrote {len(paths)} tables for {len(chosen.articles)} "
        f"articles from {chosen.articles['outlet'].nunique()} outlets to {args.out}",
        file=sys.stderr,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    try:
        args = _parser().parse_args(argv)
        if args.command == "export":
            return _export(args)
    except (UsageError, LoadError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
