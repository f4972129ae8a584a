"""Coverage Lens dashboard: ``streamlit run dashboard.py [-- --data PATH ...]``.

A thin UI over the ``analysis`` package: load (cached), filter with the sidebar's widgets, call
``analysis.select`` and ``analysis.build_tables``, render. The expensive spaCy step (``extract``)
is cached per corpus and per uploaded article, sentiment per engine, and the tables per selection,
so a filter change recomputes only the selection's aggregates.

``-- --store PATH`` reads a store (``python -m analysis ingest``). A store of at most ``FULL_LIMIT``
(500) analysed articles loads whole, as a corpus of files does. A bigger one is read per selection:
a selection of at most ``FULL_LIMIT`` articles loads whole (every table equal to the CLI's); a bigger
selection takes its Overview, Entities and per-outlet/per-entity tone from ``Store.articles_table``
and ``Store.entity_table`` (aggregated inside DuckDB), and its sentence-level views (tone arc,
sentences, mentions, Emphasis, the reader, and their downloads, named ``*-recent.csv``) from its
``FULL_LIMIT`` most recent articles, saying so on each. Change the limit with ``-- --full-limit N``
or the environment variable ``COVERAGE_LENS_FULL_LIMIT=N``. Uploads are off for a large store.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import hashlib
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import analysis as an  # noqa: E402
from analysis import charts, reader  # noqa: E402
from analysis.loaders import EXTENSIONS  # noqa: E402
from analysis.messages import parse_messages  # noqa: E402
from analysis.schema import LABELS, TABLES as TABLE_COLUMNS  # noqa: E402

DEFAULT_DATA = ROOT / "data" / "corpus"
ENGINE_NAMES = {"textblob": "TextBlob", "vader": "VADER"}
NO_STORY = "(no story)"
SELECT_OUTLET = "Select at least one outlet in the sidebar."
TABS = ["Overview", "Entities", "Sentiment", "Emphasis", "Articles"]
ARC_LIMIT = 12
MAX_ROWS = 5_000  # rows sent to the browser per table; downloads always hold every row
# A store holding more analysed articles than this is read per selection: up to this many selected
# articles load whole (every view, tables equal to the CLI's); above it, the Overview, Entities and
# per-outlet/per-entity tone come from the store's SQL aggregates over the whole selection, and the
# sentence-level views (tone arc, Emphasis, reader, sentences/mentions) from the selection's most
# recent FULL_LIMIT articles. Override with `-- --full-limit N` or COVERAGE_LENS_FULL_LIMIT=N.
FULL_LIMIT = 500  # measured on new text: 500 articles load, align and tabulate in 0.7-0.8 s, 2,000 in 3.4 s
FULL_LIMIT_ENV = "COVERAGE_LENS_FULL_LIMIT"
# Seconds the store's file stays open after a read, so the next filter change finds its data in
# memory (the 500-article sample's texts, sentences and mentions: 0.09-0.12 s, not 0.26-0.28 s). An
# ingest that has to wait makes the app let go within 0.05 s (analysis.store._KeptOpen).
STORE_LINGER = 30.0


# --- inputs ---------------------------------------------------------------------------------


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data", nargs="+", action="extend", default=[])
    parser.add_argument("--store", nargs="?", const="", default=None)
    parser.add_argument("--full-limit", type=int, default=None)
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
    from analysis.store import DEFAULT_STORE

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


def corpus_key(articles: pd.DataFrame, aliases: an.Aliases, *, columns: Sequence[str] | None = None) -> str:
    """Identity of a loaded corpus for the caches: a hash of ``columns`` (default: every column but
    the text, which ``article_id`` already hashes) and of the aliases used to read it."""
    columns = [c for c in (columns or articles.columns) if c != "text"]
    digest = hashlib.sha1(repr(aliases.key()).encode("utf-8"))
    digest.update(repr(columns).encode("utf-8"))
    digest.update(pd.util.hash_pandas_object(articles[columns], index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def csv_data(table: pd.DataFrame):
    """The download callable of a table (run by Streamlit only when the button is clicked)."""
    return functools.partial(an.to_csv_bytes, table)


# --- cached steps -------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def load_aliases() -> an.Aliases:
    return an.read_aliases()


@st.cache_resource(show_spinner="Loading the language model…")
def warm_model(names: tuple[str, ...]) -> bool:
    from analysis.nlp import load_pipeline

    load_pipeline(names)
    return True


@st.cache_resource(show_spinner=False)
def warm_similarity() -> threading.Thread:
    """Load the sentence-similarity vectors in the background, once per process, while the first
    page renders: the sentence views of a large store need them (0.1-0.2 s) and nothing else does."""
    from analysis.similarity import load_model

    thread = threading.Thread(target=load_model, name="warm-similarity", daemon=True)
    thread.start()
    return thread


@st.cache_data(show_spinner="Reading the corpus…", max_entries=4)
def load_sources(paths: tuple[str, ...], stamps: tuple[int, ...]) -> an.Corpus:
    """``stamps`` (modification times) makes an edited corpus folder load again."""
    return an.load_corpus(list(paths))


@st.cache_data(show_spinner=False, max_entries=16)
def load_uploads(files: tuple[tuple[str, bytes], ...]) -> an.Corpus:
    return an.load_files(list(files))


# Analysis results are shared, not copied: the analysis functions never mutate their input.
@st.cache_resource(show_spinner="Finding sentences and entities…", max_entries=4)
def extract_corpus(key: str, _articles: pd.DataFrame, _aliases: an.Aliases) -> an.Extracted:
    return an.extract(_articles, aliases=_aliases)


@st.cache_resource(show_spinner=False, max_entries=2000)
def extract_upload(key: str, _article: pd.DataFrame, _aliases: an.Aliases) -> an.Extracted:
    return an.extract(_article, aliases=_aliases)


@st.cache_resource(show_spinner="Scoring tone…", max_entries=8)
def scored(key: str, engine: str, _articles: pd.DataFrame, _extracted: an.Extracted) -> an.Analysis:
    return an.apply_sentiment(_articles, _extracted, sentiment=engine)


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=32)
def cached_tables(
    key: str,
    engine: str,
    outlets: tuple[str, ...],
    stories: tuple[str, ...] | None,
    start: str | None,
    end: str | None,
    messages: tuple[str, ...],
    _chosen: an.Analysis,
) -> dict[str, pd.DataFrame]:
    """Every metric table of a selection, exactly what the CLI exports with the same filters.
    ``_chosen`` is the already selected analysis; the other arguments key the cache."""
    return an.build_tables(_chosen, messages=messages)


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_selection(key: str, engine: str, outlets: tuple[str, ...], stories: tuple[str, ...] | None, start: str | None,
                     end: str | None, _analysis: an.Analysis) -> an.Analysis:
    return an.select(_analysis, an.Selection(outlets=outlets, stories=stories, since=start, until=end))


def lazy_tables(key: str, engine: str, selection: tuple, messages: Sequence[str], analysis: an.Analysis) -> "LazyTables":
    """The tables of a selection of a loaded corpus, built when a view first asks: the Overview
    needs only the articles table, so opening the app or changing a filter there aligns nothing."""
    chosen = cached_selection(key, engine, *selection, analysis)

    def everything() -> dict[str, pd.DataFrame]:
        return cached_tables(key, engine, *selection, tuple(messages), chosen)

    return LazyTables({"articles": an.article_table(chosen)}, entities=lambda: everything()["entities"],
                      part=lambda: chosen, sentences=lambda: everything()["sentences"], tables=lambda _: everything())


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=32)
def cached_sentences(key: str, engine: str, _analysis: an.Analysis) -> pd.DataFrame:
    return an.sentence_table(_analysis)


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=32)
def cached_sentence_tables(key: str, engine: str, messages: tuple[str, ...], _sentences: pd.DataFrame,
                           _part: an.Analysis) -> dict[str, pd.DataFrame]:
    """Terms, quotes and messages from a sample's aligned sentences (aligned once, for every view)."""
    return an.sentence_tables(_part, _sentences, messages=messages)


@st.cache_data(show_spinner=False, max_entries=8)
def zipped(key: str, engine: str, selection: tuple, _tables: "LazyTables") -> bytes:
    tables = _tables.complete()
    return an.zip_tables({name: tables[name] for name in TABLE_COLUMNS})  # in the CLI's order


@st.cache_resource(show_spinner=False, max_entries=4)
def open_store(path: str):
    from analysis.store import open_store as _open

    return _open(path, read_only=True, linger=STORE_LINGER)


@st.cache_resource(show_spinner="Reading the store…", max_entries=8)
def store_analysis(path: str, generation: int, engine: str, alias_key: str, _aliases: an.Aliases) -> an.Analysis:
    """Every article the store's current analyser has analysed, with stored tones for ``engine``."""
    return open_store(path).analysis(sentiment=engine)


@st.cache_data(show_spinner=False, max_entries=8)
def store_summary(path: str, generation: int, engine: str, alias_key: str, _aliases: an.Aliases) -> dict[str, int]:
    return open_store(path).summary(sentiment=engine)


@st.cache_data(show_spinner=False, max_entries=8)
def store_options(path: str, generation: int, alias_key: str, _aliases: an.Aliases) -> dict[str, list[str]]:
    return open_store(path).options()


# The SQL tables of a selection (a large store): shared, not copied, like the analysis results.
@st.cache_resource(show_spinner="Counting the selection…", max_entries=32)
def store_articles(path: str, generation: int, engine: str, alias_key: str, outlets: tuple[str, ...],
                   stories: tuple[str, ...] | None, start: str | None, end: str | None, *, _aliases: an.Aliases) -> pd.DataFrame:
    return open_store(path).articles_table(an.Selection(outlets=outlets, stories=stories, since=start, until=end),
                                           sentiment=engine)


@st.cache_resource(show_spinner="Aggregating entities…", max_entries=32)
def store_entities(path: str, generation: int, engine: str, alias_key: str, outlets: tuple[str, ...],
                   stories: tuple[str, ...] | None, start: str | None, end: str | None, *, _aliases: an.Aliases) -> pd.DataFrame:
    return open_store(path).entity_table(an.Selection(outlets=outlets, stories=stories, since=start, until=end),
                                         sentiment=engine)


@st.cache_resource(show_spinner="Reading the selected articles…", max_entries=8)
def store_part(path: str, generation: int, engine: str, alias_key: str, ids: tuple[str, ...], *,
               _aliases: an.Aliases) -> an.Analysis:
    """The ``Analysis`` of some articles of a large store (at most the full limit)."""
    return open_store(path).analysis(an.Selection(article_ids=ids), sentiment=engine)


def _digest(ids) -> str:
    return hashlib.sha1("\0".join(ids).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _stack(parts):
    """One ``Analysis`` (or ``Extracted``) from several: their per-article tables simply stack."""
    if len(parts) == 1:
        return parts[0]
    return dataclasses.replace(parts[0], **{
        name: pd.concat([getattr(p, name) for p in parts], ignore_index=True)
        for name in ("articles", "sentences", "mentions")
    })


def _stamps(paths: list[Path]) -> tuple[int, ...]:
    return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in paths)


# --- rendering helpers ----------------------------------------------------------------------------


def download(table: pd.DataFrame, name: str, *, label: str | None = None) -> None:
    """A CSV download button under a table (formula-safe, the CLI's bytes)."""
    st.download_button(
        label or f"Download {name}.csv",
        data=csv_data(table),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download_{name}",
        on_click="ignore",
        icon=":material/download:",
    )


def chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=key, config={"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]})


def story_name(story: str) -> str:
    return story if story else NO_STORY


def table(frame: pd.DataFrame, key: str, *, hide: Sequence[str] = (), first: Sequence[str] = (), **config) -> None:
    """A table as downloaded. Shown without ``hide``, a story column holding one story, and text
    columns that are empty in every row (hidden, not dropped: the data stays the CSV's)."""
    def blank(column: str) -> bool:
        values = frame[column]
        return (pd.api.types.is_string_dtype(values) or values.dtype == object) and len(values) > 0 and values.fillna("").astype(str).str.strip().eq("").all()

    ordered = [c for c in first if c in frame.columns] + [c for c in frame.columns if c not in first]
    columns = [
        c for c in ordered
        if c not in hide and not (c == "story" and frame[c].nunique() <= 1) and not blank(c)
    ]
    shown = frame if len(frame) <= MAX_ROWS else frame.head(MAX_ROWS)
    st.dataframe(shown, key=key, hide_index=True, column_order=columns, column_config=config or None)
    if len(frame) > MAX_ROWS:
        st.caption(f"Showing the first {MAX_ROWS:,} of {len(frame):,} rows; the download below has them all.")


PCT = st.column_config.NumberColumn(format="percent")
TONE = st.column_config.NumberColumn(format="%+.3f")
SCORE = st.column_config.NumberColumn(format="%.3f")


# --- the app --------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="Coverage Lens", page_icon=":material/compare:", layout="wide")
    sources, store = data_sources(sys.argv), store_path(sys.argv)
    limit = full_limit(sys.argv)
    aliases = load_aliases()
    alias_key = repr(aliases.key())

    st.sidebar.header("Filters")
    sidebar = st.sidebar.container()  # the filters, shown first
    settings = st.sidebar.container()  # engine and key messages, filled before the filters need them
    st.sidebar.divider()
    upload_box = st.sidebar.container()
    engine = settings.radio("Sentiment engine", list(an.SCORERS), format_func=ENGINE_NAMES.get, key="engine",
                            horizontal=True, help="TextBlob reads opinion adjectives; VADER also weighs negation "
                            "and strong words (it scores the Tay sentence −0.80 where TextBlob says 0.0).")
    messages = parse_messages(settings.text_area(
        "Key messages (one per line)", key="messages", height=110,
        placeholder="e.g. Azure is OpenAI's preferred cloud",
        help="Which outlets carried each message, paraphrases included (Emphasis tab).",
    ))

    summary = generation = None
    if store is not None:
        from analysis.store import StoreError

        try:
            generation = open_store(str(store)).generation()
        except StoreError as error:
            st.error(reader.escape_markdown(error))
            st.stop()
        summary = store_summary(str(store), generation, engine, alias_key, aliases)
        if summary["analysed"] > limit:
            large_store(store, generation, summary, engine=engine, messages=messages, aliases=aliases,
                        alias_key=alias_key, limit=limit, sidebar=sidebar, upload_box=upload_box)
            return

    uploads = upload_box.file_uploader(
        "Add articles",
        type=sorted(ext.lstrip(".") for ext in EXTENSIONS),
        accept_multiple_files=True,
        key="uploads",
        help="Markdown/text with YAML front matter, CSV, JSONL or HTML; `outlet` and `text` are required. "
        "Good files are added even when others are skipped.",
    )
    upload_corpus = load_uploads(tuple((f.name, f.getvalue()) for f in uploads or []))

    # the corpus: analysed articles from the store, or files analysed here (cached per corpus)
    parts: list[an.Analysis] = []
    if store is not None:
        stored = store_analysis(str(store), generation, engine, alias_key, aliases)
        upload_box.caption(_store_caption(store, summary))
        base_articles, base_key = stored.articles, f"store:{store}:{generation}"
        if not stored.articles.empty:
            parts.append(stored)
        corpus = None
    else:
        missing = [p for p in sources if not p.exists()]
        if missing:
            st.error("Corpus not found: " + ", ".join(reader.escape_markdown(p) for p in missing)
                     + ". Start the app with `-- --data PATH` pointing at a folder or file of articles.")
            st.stop()
        corpus = load_sources(tuple(str(p) for p in sources), _stamps(sources))
        base_articles, base_key = corpus.articles, corpus_key(corpus.articles, aliases)
        if not corpus.articles.empty:
            warm_model(aliases.names)
            # extraction depends on the text (article_id) and the headline only: metadata edits never redo it
            extracted = extract_corpus(corpus_key(corpus.articles, aliases, columns=["article_id", "title"]),
                                       corpus.articles, aliases)
            parts.append(scored(base_key, engine, corpus.articles, extracted))

    known = set(base_articles["article_id"])
    added = upload_corpus.articles[~upload_corpus.articles["article_id"].isin(known)]
    repeated = upload_corpus.articles[upload_corpus.articles["article_id"].isin(known)]
    key = base_key
    if not added.empty:
        warm_model(aliases.names)
        done = st.session_state.setdefault("_analysed_uploads", set())
        bar = upload_box.progress(0.0, text="Analysing uploaded articles…") if not set(added["article_id"]) <= done else None
        pieces = []
        for i, row in enumerate(added.itertuples(index=False)):
            one = added.iloc[[i]]
            pieces.append(extract_upload(corpus_key(one, aliases, columns=["article_id", "title"]), one, aliases))
            done.add(row.article_id)
            if bar is not None:
                bar.progress((i + 1) / len(added), text=f"Analysed {i + 1} of {len(added)} uploaded articles")
        if bar is not None:
            bar.empty()
        upload_key = corpus_key(added, aliases)
        parts.append(scored(upload_key, engine, added, _stack(pieces)))
        key = f"{base_key}+{upload_key}"
    _report_loading(upload_box, corpus, upload_corpus, repeated, len(added))
    if not parts:
        st.title("Coverage Lens")
        where = "The store holds no analysed article yet: run `python -m analysis ingest SOURCE --store PATH`, or add" \
            if store is not None else "No article could be loaded. Add"
        st.info(f"{where} article files in the sidebar, or start the app with `-- --data PATH` pointing at a folder "
                "of articles.")
        st.stop()
    full = _stack(parts)  # every part is scored with `engine`
    articles = full.articles

    # --- sidebar filters (values drive everything below, on every rerun)
    all_outlets = sorted(articles["outlet"].unique())
    colors = charts.outlet_colors(all_outlets)
    days = sorted(d for d in articles["published"].astype(str).str.slice(0, 10).unique() if _is_day(d))
    labels = sorted(full.mentions["label"].dropna().unique())
    choice = filters(sidebar, all_outlets, sorted(articles["story"].unique()), days, labels)
    selection = choice.selection
    tables = lazy_tables(key, engine, selection, messages, full)
    render(tables, full, choice, colors=colors, engine=engine, messages=messages, zip_key=(key, engine, selection))


@dataclasses.dataclass(frozen=True)
class Choice:
    """The sidebar's filter values: a ``selection`` (outlets, stories or None, start, end) and the
    entity filters."""

    outlets: tuple[str, ...]
    stories: tuple[str, ...] | None
    start: str | None
    end: str | None
    entity_types: list[str]
    min_mentions: int

    @property
    def selection(self) -> tuple:
        return (self.outlets, self.stories, self.start, self.end)


def filters(sidebar, all_outlets: list[str], all_stories: list[str], days: list[str], labels: list[str]) -> Choice:
    """The sidebar's filter widgets over these choices; stops the script with a message when the
    outlet or story selection is empty."""
    _sync_choice("outlets", all_outlets)
    outlets = sidebar.multiselect("Outlets", all_outlets, key="outlets",
                                  help="Every chart and table follows this selection.")
    stories: list[str] | None = None
    if len(all_stories) > 1:
        _sync_choice("stories", all_stories)
        stories = sidebar.multiselect("Stories", all_stories, key="stories",
                                      format_func=story_name, help="Outlets are compared within each story.")
    start = end = None
    if len(days) > 1:
        first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
        chosen = sidebar.date_input("Published between", value=(first, last), min_value=first, max_value=last,
                                    key="dates", format="YYYY-MM-DD")
        chosen = tuple(chosen) if isinstance(chosen, (tuple, list)) else (chosen,)
        lo = chosen[0] if chosen else first
        hi = chosen[1] if len(chosen) > 1 else last
        if (lo, hi) != (first, last):  # the full range keeps undated articles too
            start, end = lo.isoformat(), hi.isoformat()
    _sync_choice("entity_types", labels)
    entity_types = sidebar.multiselect("Entity types", labels, key="entity_types")
    min_mentions = int(sidebar.number_input("Minimum mentions", min_value=1, value=1, step=1, key="min_mentions",
                                            help="Hide entities an outlet names fewer times than this."))
    st.title("Coverage Lens")
    if not outlets:
        st.info(SELECT_OUTLET, icon=":material/filter_alt:")
        st.stop()
    if stories is not None and not stories:
        st.info("Select at least one story in the sidebar.", icon=":material/filter_alt:")
        st.stop()
    return Choice(tuple(outlets), tuple(stories) if stories is not None else None, start, end,
                  list(entity_types), min_mentions)


@dataclasses.dataclass(frozen=True)
class Partial:
    """A large selection: ``selected`` articles in the SQL tables, sentence-level views over the
    ``loaded`` most recent of them (``limit`` at most)."""

    selected: int
    loaded: int
    limit: int

    def note(self, what: str) -> str:
        return (f"{what} at most {_count(self.limit, 'article')}: here the {self.loaded:,} most recent of the "
                f"{self.selected:,} selected. Narrow the selection by story, outlet or date to see them all.")


def render(tables: dict[str, pd.DataFrame], full: an.Analysis | Callable[[], an.Analysis], choice: Choice, *, colors: dict[str, str], engine: str,
           messages: list[str], zip_key: tuple, partial: Partial | None = None) -> None:
    """The header, the zip download and the open tab, for a selection's ``tables``."""
    engine_name = ENGINE_NAMES.get(engine, engine)
    if tables["articles"].empty:
        st.info("No article matches these filters: widen the date range or select more outlets or stories.",
                icon=":material/filter_alt:")
        st.stop()
    n_out = tables["articles"]["outlet"].nunique()
    story_list = sorted(tables["articles"]["story"].unique())
    head, zip_box = st.columns([3, 1], vertical_alignment="center")
    about = [f"{_count(len(tables['articles']), 'article')} from {_count(n_out, 'outlet')}"]
    if len(story_list) > 1:
        about.append(f"{len(story_list)} stories (outlets are compared within each story)")
    elif story_list[0]:
        about.append("story: " + reader.escape_markdown(story_list[0]))
    head.caption(" · ".join([*about, f"tone by {engine_name}"]))
    zip_help = "Every table of this selection as CSV, as `python -m analysis export` writes them."
    if partial is not None:
        zip_help = ("Articles and entities cover the whole selection; sentences, mentions, terms, quotes and messages "
                    f"its {partial.loaded:,} most recent articles.")
    zip_box.download_button(
        "All tables (zip)", data=functools.partial(zipped, zip_key[0], zip_key[1], (*zip_key[2], tuple(messages)), tables),
        file_name="coverage-lens-tables.zip", mime="application/zip", key="download_zip", on_click="ignore",
        width="stretch", icon=":material/folder_zip:", help=zip_help,
    )

    def shown() -> pd.DataFrame:  # the entity filters applied (the Overview never asks: a large store aggregates on demand)
        entities = tables["entities"]
        return entities[entities["label"].isin(choice.entity_types) & (entities["mentions"] >= choice.min_mentions)]

    # Only the open tab runs (a tab click reruns from the caches): the first render draws one tab's
    # charts, and a big corpus never ships every table to the browser at once.
    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    views = [
        lambda: overview(tables, colors, engine_name),
        lambda: entities_tab(tables, shown(), colors, filtered=len(shown()) < len(tables["entities"]), partial=partial),
        lambda: sentiment_tab(tables, shown(), colors, engine_name, partial=partial),
        lambda: emphasis_tab(tables, shown(), colors, n_out, messages, partial=partial),
        lambda: articles_tab(full, tables["articles"], partial=partial),
    ]
    for tab, view in zip(tabs, views):
        if tab.open is not False:
            with tab:
                view()


def _store_caption(store: Path, summary: dict[str, int]) -> str:
    waiting = f"; {summary['pending']:,} waiting for `python -m analysis ingest`" if summary["pending"] else ""
    unscored = summary.get("unscored", 0)
    if unscored:  # a new sentiment version: every read scores them, slow for a large store
        waiting += (f"; the tone of {unscored:,} is scored on every read (a new sentiment version): "
                    f"`python -m analysis ingest --store {reader.escape_markdown(store)}` stores it")
    return f"Store {reader.escape_markdown(store.name)}: {summary['analysed']:,} analysed articles{waiting}."


def large_store(store: Path, generation: int, summary: dict[str, int], *, engine: str, messages: list[str],
                aliases: an.Aliases, alias_key: str, limit: int, sidebar, upload_box) -> None:
    """A store of more than ``limit`` analysed articles, read per selection (see ``FULL_LIMIT``)."""
    path = str(store)
    warm_similarity()
    upload_box.caption(_store_caption(store, summary) + f" Uploads are off for a store of more than {limit:,} "
                       f"articles: add files with `python -m analysis ingest FILES --store {reader.escape_markdown(store)}`.")
    options = store_options(path, generation, alias_key, aliases)
    labels = sorted(set(LABELS.values()))  # every type the extractor gives (the store's own would cost a scan)
    colors = charts.outlet_colors(options["outlets"])
    choice = filters(sidebar, options["outlets"], options["stories"], [d for d in options["dates"] if _is_day(d)], labels)
    selection = choice.selection
    chosen = store_articles(path, generation, engine, alias_key, *selection, _aliases=aliases)
    base_key = f"store:{store}:{generation}"
    if len(chosen) <= limit:  # the whole selection loads: every view as for a small corpus
        part = store_part(path, generation, engine, alias_key, tuple(chosen["article_id"]), _aliases=aliases)
        tables = lazy_tables(f"{base_key}:{_digest(chosen['article_id'])}", engine, selection, messages, part)
        render(tables, part, choice, colors=colors, engine=engine, messages=messages, zip_key=(base_key, engine, selection))
        return
    ids = tuple(recent_ids(chosen, limit))

    def part() -> an.Analysis:
        return store_part(path, generation, engine, alias_key, ids, _aliases=aliases)

    sample_key = f"{base_key}:{_digest(ids)}"

    def derived(lazy: LazyTables) -> dict[str, pd.DataFrame]:
        return cached_sentence_tables(sample_key, engine, tuple(messages), lazy["sentences"], part())

    def sentences() -> pd.DataFrame:
        return cached_sentences(sample_key, engine, part())

    def entities() -> pd.DataFrame:
        return store_entities(path, generation, engine, alias_key, *selection, _aliases=aliases)

    tables = LazyTables({"articles": chosen[TABLE_COLUMNS["articles"]]}, entities=entities, part=part,
                        sentences=sentences, tables=derived)
    render(tables, part, choice, colors=colors, engine=engine, messages=messages, zip_key=(base_key, engine, selection),
           partial=Partial(selected=len(chosen), loaded=len(ids), limit=limit))


class LazyTables(dict):
    """A selection's tables, each made the first time a view asks for it: ``articles`` given,
    ``entities()``, ``mentions`` read from ``part()``, ``sentences()``, and the others built by
    ``tables(self)``. For a large store, entities come from the store's SQL, the sentences are
    aligned alone and the terms, quotes and messages are made from them, so the Overview never
    aggregates entities, no tab but the sentence-level ones loads a sentence, the Sentiment tab
    builds no quote or term table, and nothing is aligned twice."""

    def __init__(self, given: dict[str, pd.DataFrame], *, entities, part, sentences, tables) -> None:
        super().__init__(given)
        self._entities, self._part, self._sentences, self._tables = entities, part, sentences, tables

    def __missing__(self, name: str) -> pd.DataFrame:
        if name == "entities":
            self[name] = self._entities()
        elif name == "mentions":  # as build_tables gives it, without aligning sentences
            self[name] = self._part().mentions[TABLE_COLUMNS["mentions"]].reset_index(drop=True)
        elif name == "sentences":  # as build_tables gives it, without the tables built from it
            self[name] = self._sentences()
        elif name in TABLE_COLUMNS:
            self.complete()
        else:
            raise KeyError(name)
        return self[name]

    def complete(self) -> "LazyTables":
        _ = self["entities"]  # loads it (an assignment: Streamlit's magic would print a bare expression)
        self.update({k: v for k, v in self._tables(self).items() if k not in self})
        return self


def recent_ids(articles: pd.DataFrame, n: int) -> list[str]:
    """The ``article_id`` of the ``n`` most recent articles (newest first; undated last, then in
    the table's order). Does not mutate ``articles``.

    >>> recent_ids(pd.DataFrame({"article_id": ["a", "b", "c"], "published": ["2020-01-02", "", "2020-03-01"]}), 2)
    ['c', 'a']
    """
    order = articles.assign(_row=range(len(articles)), _dated=articles["published"].astype(str) != "")
    order = order.sort_values(["_dated", "published", "_row"], ascending=[False, False, True], kind="stable")
    return order["article_id"].head(n).tolist()


def _sync_choice(key: str, options: list[str]) -> None:
    """Select every option at start, and options that appear later (an upload's new outlet), while
    keeping what the analyst deselected; drop choices that no longer exist."""
    seen_key = f"_options_{key}"
    seen = st.session_state.get(seen_key)
    if key not in st.session_state or seen is None:
        st.session_state[key] = list(options)
    else:
        kept = [o for o in st.session_state[key] if o in options]
        st.session_state[key] = kept + [o for o in options if o not in seen and o not in kept]
    st.session_state[seen_key] = list(options)


def _count(n: int, noun: str) -> str:
    """``1 article``, ``2 articles``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _is_day(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _report_loading(sidebar, corpus: an.Corpus | None, uploads: an.Corpus, repeated: pd.DataFrame, added: int) -> None:
    """One message per skipped file (names and reasons escaped), duplicates and what was added."""
    if added:
        sidebar.success(f"Added {added} uploaded article{'s' if added != 1 else ''}.", icon=":material/check:")
    for row in uploads.skipped.itertuples(index=False):
        sidebar.error(reader.escape_markdown(an.loaders.skip_message(row.source, row.line, row.reason)),
                      icon=":material/block:")
    notes = [f"{r.source}: same text as {r.duplicate_of}, counted once" for r in uploads.duplicates.itertuples(index=False)]
    notes += [f"{r.source}: already in the corpus, counted once" for r in repeated.itertuples(index=False)]
    for note in notes:
        sidebar.warning(reader.escape_markdown(note), icon=":material/content_copy:")
    if corpus is not None and (len(corpus.skipped) or len(corpus.duplicates)):
        with sidebar.expander(f"Corpus: {len(corpus.skipped)} skipped, {len(corpus.duplicates)} duplicate files"):
            for row in corpus.skipped.itertuples(index=False):
                st.text(an.loaders.skip_message(row.source, row.line, row.reason))
            for row in corpus.duplicates.itertuples(index=False):
                st.text(f"{row.source}: same text as {row.duplicate_of}, counted once")


def overview(tables: dict[str, pd.DataFrame], colors: dict[str, str], engine: str) -> None:
    articles = tables["articles"]
    cols = st.columns(4)
    cols[0].metric("Articles", f"{len(articles):,}")
    cols[1].metric("Outlets", f"{articles['outlet'].nunique():,}")
    cols[2].metric("Words", f"{int(articles['words'].sum()):,}")
    cols[3].metric("Sentences", f"{int(articles['sentences'].sum()):,}")
    left, right = st.columns(2)
    with left:
        chart(charts.volume_chart(articles, colors=colors), "chart_volume")
    with right:
        chart(charts.tone_chart(articles, colors=colors, scorer=engine), "chart_tone")
    days = articles["published"].astype(str).str.slice(0, 10)
    if days[days != ""].nunique() > 1:
        chart(charts.timeline_chart(articles, colors=colors), "chart_timeline")
    else:
        st.caption("Attention over time appears when the selected articles were published on different days.")
    st.subheader("Articles")
    table(articles, "table_articles", hide=["source"], first=["outlet", "title", "published", "words", "sentences",
          "polarity", "subjectivity"], polarity=TONE, subjectivity=SCORE,
          url=st.column_config.LinkColumn("url"))
    download(articles, "articles")


def entities_tab(tables: dict[str, pd.DataFrame], shown: pd.DataFrame, colors: dict[str, str], *, filtered: bool,
                 partial: Partial | None = None) -> None:
    if shown.empty:
        st.info("No entity matches the sidebar filters: select more entity types or lower the minimum mentions.")
        download(shown, "entities")
        return
    left, right = st.columns([3, 1])
    raw = right.toggle("Raw mention counts", key="raw_counts", help="Off: share of each outlet's entity mentions.")
    top_n = right.slider("Entities shown", 5, 40, 12, key="top_n")
    measure = "mentions" if raw else "share"
    with left:
        chart(charts.top_entities_chart(shown, colors=colors, n=top_n, measure=measure), "chart_top_entities")
    chart(charts.entity_heatmap(shown, n=max(top_n, 20), measure=measure), "chart_entity_heatmap")
    st.subheader("Entities per outlet")
    st.caption("share = the entity's mentions ÷ all entity mentions of the outlet in the story; exclusive = no other "
               "selected outlet names it; emphasis = share ÷ the other outlets' share; first_seen = 0 in the "
               "headline, else how far into the article it first appears (0–1)."
               + (" Filtered by entity type or minimum mentions." if filtered else ""))
    table(shown, "table_entities", share=PCT, polarity=TONE, subjectivity=SCORE, emphasis=st.column_config.NumberColumn(format="%.2f×"),
          first_seen=st.column_config.NumberColumn(format="percent"))
    download(shown, "entities-filtered" if filtered else "entities")
    if partial is None:
        with st.expander("Every mention"):
            table(tables["mentions"], "table_mentions", polarity=TONE, subjectivity=SCORE)
            download(tables["mentions"], "mentions")
    # a large selection: the mentions load (about a second) only when asked for
    elif st.toggle(f"Every mention of the {partial.loaded:,} most recent articles", key="show_mentions"):
        st.caption(partial.note("Mentions list"))
        table(tables["mentions"], "table_mentions", polarity=TONE, subjectivity=SCORE)
        download(tables["mentions"], "mentions-recent")


def sentiment_tab(tables: dict[str, pd.DataFrame], shown: pd.DataFrame, colors: dict[str, str], engine: str, *,
                  partial: Partial | None = None) -> None:
    sentences, articles = tables["sentences"], tables["articles"]
    if partial is None:
        chart(charts.sentence_tone_chart(sentences, colors=colors, scorer=engine), "chart_sentence_tone")
    else:  # every article of the selection, from the store's article tones
        chart(charts.tone_chart(articles, colors=colors, scorer=engine), "chart_sentence_tone")
        articles = articles[articles["article_id"].isin(sentences["article_id"].unique())]
    if shown.empty:
        st.info("No entity matches the sidebar filters: select more entity types or lower the minimum mentions.")
    else:
        chart(charts.entity_tone_chart(shown, colors=colors, n=12, scorer=engine), "chart_entity_tone")
    arc_ids = articles["article_id"].tolist()
    if len(arc_ids) > ARC_LIMIT:
        labels = {r.article_id: f"{r.outlet} · {reader.display_title(r.title, '', words=8) or r.article_id}"
                  for r in articles.itertuples(index=False)}
        arc_ids = st.multiselect("Articles in the tone arc", arc_ids, default=arc_ids[:ARC_LIMIT], key="arc_articles",
                                 format_func=lambda a: labels.get(a, a))
    if arc_ids:
        chart(charts.tone_arc_chart(sentences[sentences["article_id"].isin(arc_ids)],
                                    articles[articles["article_id"].isin(arc_ids)], colors=colors, scorer=engine),
              "chart_tone_arc")
    else:
        st.info("Pick articles above to see their tone arc.")
    st.subheader("Sentences")
    if partial is not None:
        st.info(partial.note("The tone arc and the sentences table cover"), icon=":material/filter_alt:")
    table(sentences, "table_sentences", hide=["paragraph", "start", "end"],
          first=["outlet", "position", "text", "polarity", "subjectivity", "entities", "best_match", "unique"],
          polarity=TONE, subjectivity=SCORE, best_match=SCORE)
    download(sentences, "sentences" if partial is None else "sentences-recent")


def emphasis_tab(tables: dict[str, pd.DataFrame], shown: pd.DataFrame, colors: dict[str, str], n_outlets: int,
                 messages: list[str], *, partial: Partial | None = None) -> None:
    if partial is not None:
        st.info(partial.note("Emphasis compares"), icon=":material/filter_alt:")
        n_outlets = tables["sentences"]["outlet"].nunique()
    compare = n_outlets >= 2
    if not compare:
        st.info("Select at least two outlets in the sidebar to see what each one stresses that the others do not "
                "(exclusive entities, unique angles, distinctive terms).", icon=":material/compare_arrows:")
    else:
        st.caption("Every comparison is made within a story, between the outlets selected in the sidebar.")

    st.subheader("Key-message pull-through")
    if not messages:
        st.info("Type key messages in the sidebar (one per line) to see which outlets carried them, paraphrases "
                "included.", icon=":material/campaign:")
    else:
        chart(charts.messages_chart(tables["messages"]), "chart_messages")
        with st.expander("Pull-through as a table"):
            table(tables["messages"], "table_messages",
                  similarity=st.column_config.ProgressColumn(format="%.2f", min_value=0, max_value=1),
                  first_seen=st.column_config.NumberColumn(format="percent"))
    download(tables["messages"], "messages")

    if compare:
        _comparisons(tables, shown, colors)

    st.subheader("Voices: who is quoted")
    quotes = tables["quotes"]
    if quotes.empty:
        st.info("No direct quotation found in the selected articles.")
    else:
        table(quotes, "table_quotes", first=["outlet", "speaker", "entity", "quote"])
    download(quotes, "quotes")


def _comparisons(tables: dict[str, pd.DataFrame], shown: pd.DataFrame, colors: dict[str, str]) -> None:
    st.subheader("What only one outlet mentions")
    exclusive = shown[shown["exclusive"].astype(bool)]
    chart(charts.exclusive_chart(shown, colors=colors), "chart_exclusive")
    with st.expander("Exclusive entities as a table"):
        table(exclusive, "table_exclusive", hide=["exclusive", "emphasis"], share=PCT, polarity=TONE,
              subjectivity=SCORE, first_seen=st.column_config.NumberColumn(format="percent"))
    download(exclusive, "exclusive-entities")

    st.subheader("Unique angles")
    st.caption("Each outlet's least-matched sentences above the closest sentence another selected outlet wrote "
               "about the story (match 0 = nothing alike, 1 = the same point; “unique” under the threshold).")
    angles = charts.unique_angles(tables["sentences"], n=5)
    if angles.empty:
        st.info("Unique angles need at least two outlets covering the same story: select more outlets.")
    else:
        for story, rows in angles.groupby("story", sort=True):
            if angles["story"].nunique() > 1:
                st.markdown(f"**Story: {reader.escape_markdown(story_name(story))}**")
            outlets = sorted(rows["outlet"].unique())
            for start in range(0, len(outlets), 3):
                for column, outlet in zip(st.columns(min(3, len(outlets))), outlets[start:start + 3]):
                    column.html(reader.angles_html(rows, outlet=outlet, color=colors.get(outlet, charts.NEUTRAL)))
        with st.expander("Unique angles as a table"):
            table(angles, "table_angles", best_match=st.column_config.ProgressColumn(format="%.2f", min_value=0, max_value=1))
    download(angles, "unique-angles")

    st.subheader("Distinctive terms")
    terms = tables["terms"]
    chart(charts.terms_chart(terms, colors=colors, n=10), "chart_terms")
    st.caption("Terms ranked by z, the log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008), each "
               "outlet against the rest of the selection. With few articles z-scores stay small: read the ranking, "
               "not |z| > 1.96.")
    with st.expander("Distinctive terms as a table"):
        table(terms.sort_values(["story", "outlet", "z"], ascending=[True, True, False]), "table_terms",
              z=st.column_config.NumberColumn(format="%.2f"))
    download(terms, "terms")


def articles_tab(full: an.Analysis | Callable[[], an.Analysis], selected: pd.DataFrame, *,
                 partial: Partial | None = None) -> None:
    if partial is not None:
        st.info(partial.note("The reader lists"), icon=":material/filter_alt:")
    if callable(full):
        full = full()
    if partial is not None:
        selected = full.articles
    chosen = full.articles[full.articles["article_id"].isin(selected["article_id"])]
    articles = chosen.sort_values(["outlet", "published", "title"])
    labels = {
        r.article_id: f"{r.outlet} · {r.published or 'undated'} · {reader.display_title(r.title, r.text, words=10)}"
        for r in articles.itertuples(index=False)
    }
    article_id = st.selectbox("Article", list(labels), format_func=lambda a: labels.get(a, a), key="article")
    if article_id is None:
        st.info(SELECT_OUTLET)
        return
    row = articles[articles["article_id"] == article_id].iloc[0].to_dict()
    st.html(reader.article_html(
        row,
        full.sentences[full.sentences["article_id"] == article_id],
        full.mentions[full.mentions["article_id"] == article_id],
    ))


if __name__ == "__main__":
    main()
