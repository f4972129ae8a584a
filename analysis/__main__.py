"""The command line: ``python -m analysis export [SOURCE ...] --out DIR``, ``report [SOURCE ...] --out
FILE``, ``ingest SOURCE ...`` and ``collect URL ...``.

With ``--store [PATH]`` (default ``data/store/coverage.duckdb``) ``export`` keeps per-article
results in the store: the SOURCEs are added to it, only articles the store has not analysed
are analysed, and the tables cover those SOURCEs; without SOURCEs they cover the whole store.
Without ``--store`` nothing is written besides the CSVs (tests and one-off exports never touch
the project's store). ``ingest`` always uses a store, and so does ``collect``, which fetches pages,
feeds and sitemaps from the web (``analysis.collect``) and ingests the articles found; its fetch log
in the store keeps it from fetching a page it has collected before.

Exit codes: 0 success (even with skipped files or URLs, reported on stderr; for ``collect``, an
article collected, or links found that were collected before), 2 usage error, missing path or nothing
loadable or collected, always with a one-line message and never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from . import __version__
from .aliases import read_aliases
from .engine import EngineError, run_extract
from .export import build_tables, check_writable, csv_tables, write_tables
from .grouping import MODES
from .loaders import LoadError, load_corpus, skip_message
from .messages import parse_messages
from .pipeline import analyse, apply_sentiment, select
from .selection import Selection
from .sentiment import SCORERS
from .store import DEFAULT_STORE, StoreError, StoreReadOnly, open_store

DEFAULT_SOURCE = Path(__file__).resolve().parent.parent / "data" / "corpus"


class UsageError(Exception):
    """A user error: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _prog() -> str:
    """How the user ran us: ``coverage-lens`` (the console script) or ``python -m analysis``."""
    return "coverage-lens" if Path(sys.argv[0]).name == "coverage-lens" else "python -m analysis"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=_prog(), description="Coverage Lens: compare how outlets cover the same story.")
    parser.add_argument("--version", action="version", version=f"coverage-lens {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    export = commands.add_parser("export", help="analyse SOURCEs and write every metric table as CSV")
    export.add_argument("sources", nargs="*", metavar="SOURCE", help=f"files or folders (default: {DEFAULT_SOURCE})")
    export.add_argument("--out", required=True, metavar="DIR", help="folder to write the CSV files into")
    export.add_argument("--outlet", action="append", metavar="NAME", help="keep only this outlet (repeatable)")
    export.add_argument("--story", action="append", metavar="NAME", help="keep only this story (repeatable)")
    export.add_argument("--since", metavar="YYYY-MM-DD", help="keep articles published on or after this day")
    export.add_argument("--until", metavar="YYYY-MM-DD", help="keep articles published on or before this day")
    export.add_argument("--hide-copies", action="store_true",
                        help="leave out wire copies (articles whose copy_of names another)")
    export.add_argument("--sentiment", choices=SCORERS, default="textblob", help="sentiment engine (default textblob)")
    export.add_argument("--messages", metavar="FILE", help="key messages, one per line, for messages.csv")
    export.add_argument("--aliases", metavar="FILE", help="entity aliases CSV (default data/aliases.csv)")
    export.add_argument("--strict", action="store_true", help="fail (exit 2) on any skipped file or row")
    export.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes for the NLP step")
    _stories_option(export)
    export.add_argument("--keep-house-style", action="store_true",
                        help="keep honorifics, weekdays, months, single letters and outlets' own names in terms.csv")
    _scale_options(export, store_default=None)
    report = commands.add_parser("report", help="analyse SOURCEs and write one self-contained HTML report")
    for action in export._actions:  # the same SOURCEs, filters and options as export, declared once
        if action.dest not in {"help", "out"}:
            report._add_action(action)
    report.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write (report.html)")
    report.add_argument("--entity", action="append", metavar="NAME",
                        help="an entity to compare in the share of voice (repeatable; default: the 3 most mentioned)")
    ingest = commands.add_parser("ingest", help="add SOURCEs to the store, analysing only what it lacks")
    ingest.add_argument("sources", nargs="*", metavar="SOURCE", help="files or folders (none: bring the whole store "
                        "up to date, analysing what the current analyser has not and scoring missing tones)")
    ingest.add_argument("--aliases", metavar="FILE", help="entity aliases CSV (default data/aliases.csv)")
    ingest.add_argument("--strict", action="store_true", help="fail (exit 2) on any skipped file or row")
    ingest.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: every core)")
    _stories_option(ingest)
    _scale_options(ingest, store_default=DEFAULT_STORE)
    collect = commands.add_parser("collect", help="fetch articles from the web (links, feeds, sitemaps) into the store")
    collect.add_argument("sources", nargs="+", metavar="SOURCE", help="an article URL, an RSS or Atom feed, a sitemap "
                         "or sitemap index, or a file listing them one per line")
    collect.add_argument("--since", metavar="YYYY-MM-DD", help="skip links and articles dated before this day")
    collect.add_argument("--max", type=int, default=None, metavar="N", help="fetch at most N pages (feeds not counted)")
    collect.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                         help="seconds between two requests to one host (default 1; robots.txt may ask for more)")
    collect.add_argument("--allow-private", action="store_true", help="allow loopback, private and link-local "
                         "addresses (refused by default)")
    collect.add_argument("--aliases", metavar="FILE", help="entity aliases CSV (default data/aliases.csv)")
    collect.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: every core)")
    _stories_option(collect)
    _scale_options(collect, store_default=DEFAULT_STORE)
    return parser


def _stories_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--stories", choices=MODES, default="auto",
                         help="articles without a story: grouped into automatic stories (auto, the default) "
                              "or left in one default story (given)")


def _scale_options(command: argparse.ArgumentParser, *, store_default: Path | None) -> None:
    command.add_argument(
        "--store", nargs="?", const=DEFAULT_STORE, default=store_default, metavar="PATH",
        help=f"DuckDB store of per-article results, a .duckdb file (default {DEFAULT_STORE})",
    )
    command.add_argument("--engine", choices=("local", "dask"), default=None,
                         help="where the NLP step runs (default local)")
    command.add_argument("--scheduler", metavar="ADDRESS",
                         help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (implies --engine dask)")


def _read_messages(path: str | None) -> list[str]:
    if path is None:
        return []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else error
        raise UsageError(f"cannot read messages file {path}: {reason}") from None
    return parse_messages(text)


def _aliases(path: str | None):
    if path and not Path(path).exists():
        raise UsageError(f"aliases file not found: {path}")
    try:
        return read_aliases(path)
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read aliases: {error}") from None


def _export(args: argparse.Namespace) -> int:
    messages = _read_messages(args.messages)
    aliases = _aliases(args.aliases)
    engine = _engine(args)
    _check_out(args.out)
    if args.store is not None:
        return _export_through_store(args, aliases, messages)
    result = _load_and_analyse(args, aliases, engine)
    selection = _selection(args)
    chosen = _chosen(result, selection)
    tables = build_tables(chosen, messages=messages, house_style=args.keep_house_style,
                          outlets=_outlets(result, selection))
    paths = _write(tables, args.out)
    _report_export(args, len(result.articles), len(paths), chosen)
    return 0


def _check_out(out: str) -> None:
    """Fail before the analysis, not after it, when ``--out`` cannot be written."""
    try:
        check_writable(out)
    except OSError as error:
        reason = "it is a file, not a folder" if isinstance(error, FileExistsError) else (error.strerror or str(error))
        raise UsageError(f"cannot write the tables to --out {out}: {reason}") from None


def _write(csvs, out: str) -> list[Path]:
    try:
        return write_tables(csvs, out)
    except OSError as error:  # the folder changed since _check_out, or the disk is full
        raise UsageError(f"cannot write the tables to --out {out}: {error.strerror or error}") from None


def _report(args: argparse.Namespace) -> int:
    """``report``: the tables ``export`` would write, as one HTML page (``analysis.report``)."""
    from datetime import datetime

    from .report import report_html

    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"--out expects a file to write, not the folder {out}")
    if not out.parent.is_dir():
        raise UsageError(f"--out: the folder {out.parent} does not exist")
    messages = _read_messages(args.messages)
    aliases = _aliases(args.aliases)
    engine = _engine(args)
    if args.store is not None:
        store = _open_store(args, aliases)
        if args.sources:
            corpus = _load(args, args.sources)
            _report_ingest(store, _ingest_into(store, corpus.articles, args))
            ids = list(corpus.articles["article_id"])
        else:
            ids = None
            _update_store(store, args)
        result = store.analysis(Selection(article_ids=ids), sentiment=args.sentiment)
        if result.articles.empty:
            raise UsageError(f"the store {store.path} holds no article: add some with "
                             "`python -m analysis ingest SOURCE`")
    else:
        result = _load_and_analyse(args, aliases, engine)
    selection = _selection(args)
    chosen = _chosen(result, selection)
    tables = build_tables(chosen, messages=messages, house_style=args.keep_house_style,
                          outlets=_outlets(result, selection))
    html = report_html(tables, selection=selection, sentiment=args.sentiment,
                       messages=messages, entities=args.entity,
                       generated=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as error:  # the folder changed since the check, or the disk is full
        raise UsageError(f"cannot write the report to --out {out}: {error.strerror or error}") from None
    print(f"analysed {len(result.articles)} articles; wrote the report of {len(chosen.articles)} articles from "
          f"{chosen.articles['outlet'].nunique()} outlets to {out} ({len(html.encode()) / 2**20:.1f} MB)",
          file=sys.stderr)
    return 0


def _selection(args: argparse.Namespace) -> Selection:
    """The articles ``--outlet``, ``--story``, ``--since``, ``--until`` and ``--hide-copies`` choose."""
    return Selection(outlets=args.outlet, stories=args.story, since=args.since, until=args.until,
                     hide_copies=args.hide_copies)


def _outlets(result, selection: Selection) -> list[str]:
    """The outlets of the loaded articles the selection keeps: a story not covered by one is "missing" there."""
    return selection.outlets_among(result.articles["outlet"])


def _chosen(result, selection: Selection):
    chosen = select(result, selection)
    if chosen.articles.empty:
        known = ", ".join(sorted(result.articles["outlet"].unique()))
        raise UsageError(f"no article matches the filters (outlets here: {known})")
    return chosen


def _report_export(args: argparse.Namespace, analysed: int, tables: int, chosen) -> None:
    print(
        f"analysed {analysed} articles; wrote {tables} tables for {len(chosen.articles)} "
        f"articles from {chosen.articles['outlet'].nunique()} outlets to {args.out}",
        file=sys.stderr,
    )


def _export_through_store(args: argparse.Namespace, aliases, messages: list[str]) -> int:
    """``export --store``: the tables of an export whose inputs are all unchanged (same articles,
    filters, messages and code) are the CSVs the store kept from the last such export."""
    store = _open_store(args, aliases, read_only_ok=not args.sources)
    if args.sources:
        corpus = _load(args, args.sources)
        _report_ingest(store, _ingest_into(store, corpus.articles, args))
        ids = list(corpus.articles["article_id"])
    elif store.read_only:  # exported as it is: nothing analysed or kept
        ids = None
        pending = store.summary()["pending"]
        if pending:
            print(f"the store {store.path} cannot be written: its {pending} articles not analysed by this version "
                  "are left out", file=sys.stderr)
    else:
        ids = None  # the whole store, brought up to date
        _update_store(store, args)
    selection = _selection(args)
    key = store.export_key(replace(selection, article_ids=ids), sentiment=args.sentiment, messages=messages,
                           house_style=args.keep_house_style)
    kept = store.stored_export(key)
    if kept is not None:
        paths = _write(kept, args.out)
        print(f"nothing changed since an earlier export: wrote its {len(paths)} tables, kept in the store, "
              f"to {args.out}", file=sys.stderr)
        return 0
    result = store.analysis(Selection(article_ids=ids), sentiment=args.sentiment)
    if result.articles.empty:
        raise UsageError(f"the store {store.path} holds no article: add some with `python -m analysis ingest SOURCE`")
    chosen = _chosen(result, selection)
    csvs = csv_tables(build_tables(chosen, messages=messages, house_style=args.keep_house_style,
                                    outlets=_outlets(result, selection)))
    paths = _write(csvs, args.out)
    if not store.read_only:
        store.keep_export(key, csvs)
    _report_export(args, len(result.articles), len(paths), chosen)
    return 0


def _load(args: argparse.Namespace, sources: Sequence[str | Path]):
    corpus = load_corpus(sources, strict=args.strict)
    for row in corpus.skipped.itertuples(index=False):
        print("skipped " + skip_message(row.source, row.line, row.reason), file=sys.stderr)
    for row in corpus.duplicates.itertuples(index=False):
        reason = f"same text as {row.duplicate_of}, counted once"
        print("duplicate " + skip_message(row.source, row.line, reason), file=sys.stderr)
    for row in corpus.cleaned.itertuples(index=False):
        print("cleaned " + skip_message(row.source, row.line, row.note), file=sys.stderr)
    if corpus.articles.empty:
        raise UsageError("nothing could be loaded from " + ", ".join(map(str, sources)))
    return corpus


def _load_and_analyse(args: argparse.Namespace, aliases, engine: str):
    corpus = _load(args, args.sources or [DEFAULT_SOURCE])
    if engine == "dask":
        extracted = run_extract(corpus.articles, aliases=aliases, backend="dask", scheduler=args.scheduler)
        result = apply_sentiment(corpus.articles, extracted, sentiment=args.sentiment, aliases=aliases,
                                 stories=args.stories)
    else:
        result = analyse(corpus.articles, sentiment=args.sentiment, aliases=aliases, n_process=args.jobs or 1,
                         stories=args.stories)
    return result


def _engine(args: argparse.Namespace) -> str:
    engine = args.engine or ("dask" if args.scheduler else "local")
    if engine == "dask" and not args.scheduler:
        raise UsageError("--engine dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    if engine == "local" and args.scheduler:
        raise UsageError("--scheduler only applies to --engine dask")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    return engine


def _open_store(args: argparse.Namespace, aliases, *, read_only_ok: bool = False):
    """The store of ``--store``, opened to write; with ``read_only_ok``, opened to read when it
    cannot be written (a store on read-only media, or another user's)."""
    path = Path(args.store)
    if path.suffix not in {".duckdb", ".db"}:
        raise UsageError(f"--store expects a .duckdb file, not {path} (put SOURCEs before --store)")
    try:
        return open_store(path, aliases=aliases)
    except StoreReadOnly as error:
        if not read_only_ok:
            raise UsageError(f"{error} (`export --store` without SOURCE reads it as it is)") from None
    except StoreError as error:
        raise UsageError(str(error)) from None
    try:
        return open_store(path, aliases=aliases, read_only=True)
    except StoreError as error:
        raise UsageError(str(error)) from None


def _ingest_into(store, articles, args: argparse.Namespace):
    """Add ``articles`` to ``store`` with a progress bar on stderr; returns the report."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: the NLP workers can then be forked (see analysis.engine)
    with tqdm(total=len(articles), unit="article", desc="analysing", file=sys.stderr, mininterval=0.5) as bar, \
            _ScoringBar() as scoring:
        return store.ingest(
            articles, jobs=args.jobs, backend=_engine(args), scheduler=args.scheduler,
            progress=bar.update, scoring=scoring.update, stories=args.stories,
        )


class _ScoringBar:
    """A progress bar for scoring tone again (a new sentiment scorer version), shown only when
    there is any: ``update(n)`` after each written part."""

    def __init__(self) -> None:
        self.bar = None

    def __enter__(self) -> _ScoringBar:
        return self

    def update(self, n: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(unit="article", desc="scoring tone (new sentiment version)", file=sys.stderr,
                            mininterval=0.5)
        self.bar.update(n)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()


def _update_store(store, args: argparse.Namespace) -> tuple[int, int]:
    """Analyse the stored articles the current analyser has not, then score the tones the
    current sentiment versions lack, store-wide; returns (analysed, scored)."""
    pending = store.pending()
    analysed = _ingest_into(store, pending, args).analysed if len(pending) else 0
    with _ScoringBar() as scoring:
        scored = store.rescore(jobs=args.jobs, progress=scoring.update)
    return analysed, scored


def _report_ingest(store, report) -> None:
    print(f"store {store.path}: analysed {report.analysed}, reused {report.reused}", file=sys.stderr)


def _ingest(args: argparse.Namespace) -> int:
    aliases = _aliases(args.aliases)
    _engine(args)
    if not args.sources and not Path(args.store).exists():
        raise UsageError(f"give SOURCE files or folders to add (without SOURCE, ingest updates an existing store; "
                         f"{args.store} does not exist)")
    store = _open_store(args, aliases)
    if not args.sources:
        analysed, scored = _update_store(store, args)
        total = store.summary()
        print(f"brought {store.path} up to date: analysed {analysed}, scored the tone of {scored}; "
              f"the store holds {total['articles']} articles", file=sys.stderr)
        return 0
    corpus = _load(args, args.sources)
    report = _ingest_into(store, corpus.articles, args)
    total = store.summary()
    rescored = f" (the tone of {report.rescored} scored again: a new sentiment version)" if report.rescored else ""
    if report.shared:
        rescored += f" ({report.shared} of them by another ingest running at the same time)"
    print(
        f"ingested {report.articles} articles ({report.new} new) into {store.path}: analysed {report.analysed}, "
        f"already analysed {report.reused}{rescored}; the store holds {total['articles']} articles",
        file=sys.stderr,
    )
    return 0


def _collect(args: argparse.Namespace) -> int:
    from .collect import FetchPolicy, collect, collected_urls

    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        raise UsageError(f"--since expects a day as YYYY-MM-DD, not {args.since!r}") from None
    if args.max is not None and args.max < 1:
        raise UsageError("--max must be at least 1")
    if not 0 <= args.delay <= 3600:
        raise UsageError("--delay must be between 0 and 3600 seconds")
    aliases = _aliases(args.aliases)
    _engine(args)
    store = _open_store(args, aliases)
    policy = FetchPolicy(delay=args.delay, allow_private=args.allow_private)
    with _FetchBar() as bar:
        result = collect(args.sources, since=since, max_articles=args.max, policy=policy,
                         known=collected_urls(store.fetch_log()), progress=bar.update)
    store.log_fetches(result.fetches)
    for row in result.failed.itertuples(index=False):
        print("skipped " + skip_message(row.url, 0, row.reason), file=sys.stderr)
    known = int(result.skipped["reason"].str.startswith("already").sum())
    urls = len(result.fetches)
    fetched = f"fetched {urls} URL{'s' if urls != 1 else ''}, " + (
        f"{known} link{'s' if known != 1 else ''} collected before" if known else "no link collected before")
    if result.articles.empty:
        if len(result.failed) and not known:  # a dead link among known ones is no reason to fail a rerun
            raise UsageError(f"nothing could be collected ({fetched}; each failure is listed above)")
        print(f"nothing new: {fetched}", file=sys.stderr)
        return 0
    report = _ingest_into(store, result.articles, args)
    total = store.summary()
    print(
        f"collected {len(result.articles)} articles ({fetched}) into {store.path}: analysed {report.analysed}, "
        f"already analysed {report.reused}; the store holds {total['articles']} articles",
        file=sys.stderr,
    )
    return 0


class _FetchBar:
    """A progress bar for fetching, whose total grows as feeds and sitemaps add links."""

    def __enter__(self) -> _FetchBar:
        from tqdm import tqdm

        tqdm.monitor_interval = 0
        self.bar = tqdm(total=0, unit="url", desc="fetching", file=sys.stderr, mininterval=0.5)
        return self

    def update(self, done: int, total: int) -> None:
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc) -> None:
        self.bar.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    try:
        args = _parser().parse_args(argv)
        if args.command == "export":
            return _export(args)
        if args.command == "report":
            return _report(args)
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "collect":
            return _collect(args)
    except (UsageError, LoadError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (EngineError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
