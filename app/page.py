"""One run of the dashboard: the corpus, the store or a large store's selection, the sidebar's
choice, then the header and the open tab.

A store of at most the full limit of analysed articles loads whole, as a corpus of files does. A
bigger one is read per selection: a selection within the limit loads whole (every table equal to
the CLI's); a bigger selection takes its Overview, Entities and per-outlet/per-entity tone from the
store's SQL aggregates and its sentence-level views from its most recent articles (``Partial``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import pandas as pd
import streamlit as st

import analysis as an
from analysis import charts, reader
from analysis.schema import LABELS
from analysis.selection import Selection
from analysis.sentiment import SCORER_NAMES
from analysis.utils import published_days
from app import data, options, share, sidebar, views
from app.sidebar import Choice, Panels
from app.widgets import SELECT_OUTLET, Partial, count, of_them

TABS = ["Overview", "Stories", "Entities", "Share of voice", "Sentiment", "Emphasis", "Articles"]
StoryOverview = Callable[[Selection], tuple[pd.DataFrame, pd.DataFrame]]  # stories and their coverage


def main(argv: Sequence[str]) -> None:
    st.set_page_config(page_title="Coverage Lens", page_icon=str(options.ICON), layout="wide")
    share.begin()
    _main(argv)
    share.publish(tabs=TABS)


def _stop() -> NoReturn:
    """``st.stop()``, the URL written first (a change made after ``st.stop`` never reaches the page)."""
    share.publish(tabs=TABS)
    st.stop()


def _main(argv: Sequence[str]) -> None:
    sources, store = options.data_sources(argv), options.store_path(argv)
    limit = options.full_limit(argv)
    aliases = data.load_aliases()
    alias_key = repr(aliases.key())
    panels = sidebar.panels()
    engine, messages = sidebar.settings(panels.settings)

    read = summary = None
    if store is not None:
        from analysis.store import StoreError  # only a store needs DuckDB

        try:
            read = data.StoreRead.open(store, engine, alias_key)
        except StoreError as error:
            st.error(reader.escape_markdown(error))
            _stop()
        summary = read.summary()
        if summary["analysed"] > limit:
            large_store(read, store, summary, messages=messages, limit=limit, panels=panels)
            return
    full, key = loaded(sources, read, store, summary, aliases=aliases, engine=engine, panels=panels,
                       allow_private=options.allow_private(argv))
    groups = dict(zip(full.articles["outlet"], an.outlet_groups(full.articles), strict=True))
    if sidebar.group_toggle(panels.filters, groups):
        full, key = data.grouped(key, full), f"{key}|groups"
        groups = {group: group for group in set(groups.values())}
    articles = full.articles

    def story_overview(selection: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
        return data.story_overview(key, engine, selection, full)

    all_outlets = sorted(articles["outlet"].unique())
    all_stories = sorted(articles["story"].unique())
    choice = sidebar.filters(panels.filters, all_outlets, all_stories, published_days(articles["published"]).unique(),
                             sorted(full.mentions["label"].dropna().unique()),
                             stories=story_overview(Selection())[0] if len(all_stories) > 1 else None,
                             copies=int(an.is_copy(full.articles).sum()), groups=groups)
    _title(choice)
    tables = data.lazy_tables(key, engine, choice.selection, messages, full)
    render(tables, full, choice, key=key, colors=outlet_colors(all_outlets, tables["articles"]), engine=engine,
           messages=messages, stories=story_overview)


def loaded(sources: list[Path], read: data.StoreRead | None, store: Path | None, summary: dict[str, int] | None, *,
           aliases: an.Aliases, engine: str, panels: Panels, allow_private: bool = False) -> tuple[an.Analysis, str]:
    """Every article to look at, scored with ``engine``: the store's (``read``) or the files'
    (``sources``), the uploads and the articles collected from links or feeds (for this session, like
    uploads); with its cache key. Stops with a message when there is none."""
    upload_corpus = data.load_uploads(sidebar.uploaded_files(panels.uploads))
    links = sidebar.collected(panels.uploads, functools.partial(data.collect_links, allow_private=allow_private),
                              max_pages=data.COLLECT_MAX)
    parts: list[an.Analysis] = []
    corpus = None
    if read is not None:
        stored = read.analysis()
        panels.uploads.caption(sidebar.store_caption(store, summary))
        base_articles, base_key = stored.articles, read.key
        if not stored.articles.empty:
            parts.append(stored)
    else:
        missing = [p for p in sources if not p.exists()]
        if missing:
            st.error("Corpus not found: " + ", ".join(reader.escape_markdown(p) for p in missing)
                     + ". Start the app with `-- --data PATH` pointing at a folder or file of articles.")
            _stop()
        corpus, analysed, base_key = data.analyse_files(sources, aliases, engine)
        base_articles = corpus.articles
        if analysed is not None:
            parts.append(analysed)

    known = set(base_articles["article_id"])
    incoming = pd.concat([upload_corpus.articles, links.articles], ignore_index=True).drop_duplicates("article_id")
    added = incoming[~incoming["article_id"].isin(known)]
    repeated = incoming[incoming["article_id"].isin(known)]
    key = base_key
    if not added.empty:
        data.warm_model(aliases.names)
        step = sidebar.upload_progress(panels.uploads, added["article_id"].tolist())
        if read is not None:
            added = data.place_uploads(base_key, added, data.corpus_key(added, aliases), _read=read)
        else:
            added = data.place_uploads(base_key, added, data.corpus_key(added, aliases), _base=base_articles)
        uploaded, upload_key = data.analyse_uploads(added, aliases, engine, done=step)
        parts.append(uploaded)
        key = f"{base_key}+{upload_key}"
    n_uploaded = int(added["article_id"].isin(upload_corpus.articles["article_id"]).sum())
    sidebar.report_loading(panels.uploads, corpus, upload_corpus, repeated, n_uploaded)
    if not parts:
        st.title("Coverage Lens")
        where = "The store holds no analysed article yet: run `python -m analysis ingest SOURCE --store PATH`, or add" \
            if read is not None else "No article could be loaded. Add"
        st.info(f"{where} article files in the sidebar, or start the app with `-- --data PATH` pointing at a folder "
                "of articles.")
        _stop()
    return data.stack(parts), key


def _in_code(text: object) -> str:
    """``text`` for a Markdown code span, where backslash escapes show as typed: only a backtick
    (which would end the span) is replaced."""
    return str(text).replace("`", "'").replace("\n", " ")


def large_store(read: data.StoreRead, store: Path, summary: dict[str, int], *, messages: list[str], limit: int,
                panels: Panels) -> None:
    """A store of more than ``limit`` analysed articles, read per selection."""
    data.warm_similarity()
    panels.uploads.caption(sidebar.store_caption(store, summary) + f" Uploads are off for a store of more than "
                           f"{limit:,} articles: add files with `python -m analysis ingest FILES --store "
                           f"{_in_code(store)}`.")
    found = read.options()
    labels = sorted(set(LABELS.values()))  # every type the extractor gives (the store's own would cost a scan)
    many = len(found["stories"]) > 1
    choice = sidebar.filters(panels.filters, found["outlets"], found["stories"], found["dates"], labels,
                             stories=read.stories(Selection()) if many else None, copies=read.copies(),
                             groups=read.outlet_groups())
    _title(choice)
    chosen = read.articles(choice.selection)
    colors = outlet_colors(found["outlets"], chosen)
    if len(chosen) <= limit:  # the whole selection loads: every view as for a small corpus
        tables, part = read.whole(choice.selection, messages, chosen)
        render(tables, part, choice, key=read.key, colors=colors, engine=read.engine, messages=messages,
               stories=read.story_overview)
        return
    ids = tuple(data.recent_ids(chosen, limit))
    tables, part = read.sample(choice.selection, messages, chosen, ids)
    render(tables, part, choice, key=read.key, colors=colors, engine=read.engine, messages=messages,
           stories=read.story_overview, partial=Partial(selected=len(chosen), loaded=len(ids), limit=limit))


def outlet_colors(all_outlets: Sequence[str], articles: pd.DataFrame) -> dict[str, str]:
    """One colour per outlet. Up to the palette's size, by name over the whole corpus (a colour never
    changes with the selection); beyond it, by rank among the selected outlets (most articles first),
    the charts drawing the first ``charts.MAX_OUTLETS`` apart and the rest as "Others", so no two
    outlets on screen share a colour."""
    if len(all_outlets) <= len(charts.PALETTE):
        return charts.outlet_colors(all_outlets)
    return charts.screen_colors(articles.groupby("outlet")["article_id"].nunique())


def _title(choice: Choice) -> None:
    """The page's title; stops the script with a message when the outlet or story selection is empty."""
    st.title("Coverage Lens")
    if not choice.selection.outlets:
        st.info(SELECT_OUTLET, icon=":material/filter_alt:")
        _stop()
    if choice.selection.stories is not None and not choice.selection.stories:
        st.info("Select at least one story in the sidebar.", icon=":material/filter_alt:")
        _stop()


def render(tables: dict[str, pd.DataFrame], full: an.Analysis | Callable[[], an.Analysis], choice: Choice, *,
           key: str, colors: dict[str, str], engine: str, messages: list[str], stories: StoryOverview,
           partial: Partial | None = None) -> None:
    """The header, the zip download and the open tab, for a selection's ``tables`` (``key``: its
    corpus's cache key; ``stories(selection)``: the stories and coverage the Stories tab shows)."""
    engine_name = SCORER_NAMES.get(engine, engine)
    articles = tables["articles"]
    if articles.empty:
        st.info("No article matches these filters: widen the date range or select more outlets or stories.",
                icon=":material/filter_alt:")
        _stop()
    n_out = articles["outlet"].nunique()
    story_list = sorted(articles["story"].unique())
    head, zip_box, report_box = st.columns([4, 1.3, 1.3], vertical_alignment="center")
    # copies are counted from stories.csv: the articles table holds copy_of only where grouping gives it
    n_copies = int(tables["stories"]["copies"].sum()) if choice.copies else 0
    copied = f", {of_them(n_copies)}," if n_copies else ""
    about = [f"{count(len(articles), 'article')}{copied} from {count(n_out, 'outlet')}"]
    if len(story_list) > 1:
        about.append(f"{len(story_list)} stories (outlets are compared within each story)")
    elif story_list[0]:
        named = stories(dataclasses.replace(choice.selection, stories=None))[0]
        name = named.set_index("story")["name"].get(story_list[0], story_list[0])
        about.append("story: " + reader.escape_markdown(name))
    head.caption(" · ".join([*about, f"tone by {engine_name}"]))
    zip_help = "Every table of this selection as CSV, as `python -m analysis export` writes them."
    if partial is not None:
        zip_help = ("Articles and entities cover the whole selection; sentences, mentions, terms, quotes and messages "
                    f"its {partial.loaded:,} most recent articles.")
    zip_box.download_button(
        "All tables (zip)", data=functools.partial(data.zipped, key, engine, choice.selection, tuple(messages), tables),
        file_name="coverage-lens-tables.zip", mime="application/zip", key="download_zip", on_click="ignore",
        width="stretch", icon=":material/folder_zip:", help=zip_help,
    )
    note = "" if partial is None else partial.note("Sentences, mentions, terms, quotes, messages and tone arcs cover")
    picks = st.session_state.get("voice_entities")  # the entities compared in Share of voice, once it was opened
    report_box.download_button(
        "Download report", data=functools.partial(
            data.report, key, engine, choice.selection, tuple(messages), None if picks is None else tuple(picks), note,
            tables, colors),
        file_name="coverage-lens-report.html", mime="text/html", key="download_report", on_click="ignore",
        width="stretch", icon=":material/description:",
        help="One HTML file to send: this selection's numbers, every view's charts, exclusive entities, unique angles, "
             "quotes, key messages and each table's first rows. Opens offline in any browser; prints to PDF.",
    )

    def shown() -> pd.DataFrame:  # the Overview never asks: a large store aggregates entities on demand
        return choice.entities(tables["entities"])

    def entities() -> None:
        chosen = shown()
        views.entities.render(tables, chosen, colors, filtered=len(chosen) < len(tables["entities"]), partial=partial)

    # Only the open tab runs (a tab click reruns from the caches): the first render draws one tab's
    # charts, and a big corpus never ships every table to the browser at once.
    share.choice("tab", "tab", {share.tab_slug(t): t for t in TABS}, noun="tab")
    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    def story_view() -> None:
        overview, coverage = stories(dataclasses.replace(choice.selection, stories=None))
        views.stories.render(overview, coverage, choice.selection.stories, tables["stories"])

    tab_views = [
        lambda: views.overview.render(tables, colors, engine_name, copies=n_copies),
        story_view,
        entities,
        lambda: views.voice.render(tables, shown(), colors),
        lambda: views.sentiment.render(tables, shown(), colors, engine_name, partial=partial),
        lambda: views.emphasis.render(tables, shown(), colors, n_out, messages, partial=partial),
        lambda: views.articles.render(full, articles, partial=partial),
    ]
    for tab, view in zip(tabs, tab_views, strict=True):
        if tab.open is not False:
            with tab:
                view()
