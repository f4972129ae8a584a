"""The sidebar: the filters, the sentiment engine and key messages, the uploader and what loading
said. Its widgets' values are read on every rerun and drive everything on the page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

import analysis as an
from analysis import reader
from analysis.collect import Collection, collected_urls, is_url
from analysis.loaders import EXTENSIONS
from analysis.messages import parse_messages
from analysis.schema import ARTICLE_FIELDS
from analysis.selection import Selection
from analysis.sentiment import SCORER_NAMES
from app import share
from app.widgets import story_name


@dataclasses.dataclass(frozen=True)
class Panels:
    """The sidebar's parts, top to bottom: the filters, the settings (engine and key messages,
    filled before the filters need them) and, under a divider, the uploads."""

    filters: object
    settings: object
    uploads: object


def panels() -> Panels:
    st.sidebar.header("Filters")
    filters = st.sidebar.container()
    settings = st.sidebar.container()
    st.sidebar.divider()
    return Panels(filters, settings, st.sidebar.container())


def settings(box) -> tuple[str, list[str]]:
    """The sentiment engine and the key messages."""
    share.choice("engine", "sentiment", {name: name for name in an.SCORERS}, noun="sentiment engine")
    share.text("messages", "message")
    engine = box.radio("Sentiment engine", list(an.SCORERS), format_func=SCORER_NAMES.get, key="engine",
                       horizontal=True, help="TextBlob reads opinion adjectives; VADER also weighs negation "
                       "and strong words (it scores the Tay sentence −0.80 where TextBlob says 0.0).")
    messages = parse_messages(box.text_area(
        "Key messages (one per line)", key="messages", height=110,
        placeholder="e.g. Azure is OpenAI's preferred cloud",
        help="Which outlets carried each message, paraphrases included (Emphasis tab).",
    ))
    share.record("sentiment", None if engine == an.SCORERS[0] else engine)
    share.record("message", messages or None)
    return engine, messages


def uploaded_files(box) -> tuple[tuple[str, bytes], ...]:
    """The files the analyst added, as (name, bytes)."""
    uploads = box.file_uploader(
        "Add articles",
        type=sorted(ext.lstrip(".") for ext in EXTENSIONS),
        accept_multiple_files=True,
        key="uploads",
        help="Markdown/text with YAML front matter, CSV, JSONL or HTML; `outlet` and `text` are required. "
        "Good files are added even when others are skipped.",
    )
    return tuple((f.name, f.getvalue()) for f in uploads or [])


@dataclasses.dataclass
class Collected:
    """What "Add from links or feeds" brought in this session (kept in ``st.session_state``)."""

    articles: pd.DataFrame  # every article collected, columns ARTICLE_FIELDS, each text once
    known: set[str]  # normalised URLs already collected: not fetched again
    failed: list[str]  # the last click's unusable URLs, one line each
    added: int | None = None  # articles the last click added (None before any click)


def collected(box, fetch: Callable[..., Collection], *, max_pages: int) -> Collected:
    """The "Add from links or feeds" box beside the uploads: URLs of pages, feeds or sitemaps, one
    per line. Its button fetches them with ``fetch(urls, known, progress=...)`` (at most
    ``max_pages`` pages) under a progress bar; what came back stays for the session (a click is
    True for one rerun only) and is shown on every rerun. Only URLs are read: a file path here is
    refused, never opened."""
    state = st.session_state.setdefault(
        "_collected", Collected(pd.DataFrame({c: pd.Series(dtype="str") for c in ARTICLE_FIELDS}), set(), []))
    text = box.text_area(
        "Add from links or feeds", key="links", height=90,
        placeholder="https://example.com/news/story.html\nhttps://example.com/feed.xml",
        help="Article links, RSS or Atom feeds, sitemaps: one per line. Pages are fetched politely (robots.txt, "
        f"a second between requests to one site; at most {max_pages} pages a click) and read as HTML files are; "
        "a link already collected is not fetched again.",
    )
    clicked = box.button("Collect", key="collect", icon=":material/travel_explore:")
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if clicked and not lines:
        box.info("Paste links first, one per line.", icon=":material/link:")
    elif clicked:
        urls = [line for line in lines if is_url(line)]
        bar = box.progress(0.0, text="Fetching…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"Fetched {done} of {total} links")

        result = fetch(tuple(urls), frozenset(state.known), progress=progress)
        bar.empty()
        fresh = result.articles[~result.articles["article_id"].isin(state.articles["article_id"])]
        state.articles = pd.concat([state.articles, fresh], ignore_index=True)
        state.known |= collected_urls(result.fetches)
        state.failed = [f"{line}: not a URL (one link per line)" for line in lines if not is_url(line)]
        state.failed += [f"{row.url}: {row.reason}" for row in result.failed.itertuples(index=False)]
        state.added = len(fresh)
    if state.added:
        box.success(f"Collected {count_articles(state.added)} from the web.", icon=":material/check:")
    elif state.added == 0 and not state.failed:
        box.info("Nothing new: every link was collected before.", icon=":material/check:")
    for line in state.failed:
        box.error(reader.escape_markdown(line), icon=":material/link_off:")
    return state


def count_articles(n: int) -> str:
    return f"{n} article{'s' if n != 1 else ''}"


def upload_progress(box, ids: list[str]) -> Callable[[int], None]:
    """A progress bar for analysing uploads, shown only when some are new to this session:
    call it with n once the n-th is analysed; it goes when the last is."""
    done = st.session_state.setdefault("_analysed_uploads", set())
    bar = box.progress(0.0, text="Analysing uploaded articles…") if not set(ids) <= done else None

    def step(n: int) -> None:
        done.add(ids[n - 1])
        if bar is not None:
            bar.progress(n / len(ids), text=f"Analysed {n} of {len(ids)} uploaded articles")
            if n == len(ids):
                bar.empty()

    return step


def report_loading(box, corpus: an.Corpus | None, uploads: an.Corpus, repeated: pd.DataFrame, added: int) -> None:
    """One message per skipped file (names and reasons escaped), duplicates, cleaned articles and what was added."""
    if added:
        box.success(f"Added {added} uploaded article{'s' if added != 1 else ''}.", icon=":material/check:")
    for row in uploads.skipped.itertuples(index=False):
        box.error(reader.escape_markdown(an.loaders.skip_message(row.source, row.line, row.reason)),
                  icon=":material/block:")
    notes = [f"{r.source}: same text as {r.duplicate_of}, counted once"
             for r in uploads.duplicates.itertuples(index=False)]
    notes += [f"{r.source}: already in the corpus, counted once" for r in repeated.itertuples(index=False)]
    for note in notes:
        box.warning(reader.escape_markdown(note), icon=":material/content_copy:")
    for row in uploads.cleaned.itertuples(index=False):
        box.info(reader.escape_markdown(an.loaders.skip_message(row.source, row.line, row.note)),
                 icon=":material/content_cut:")
    if corpus is not None and (len(corpus.skipped) or len(corpus.duplicates) or len(corpus.cleaned)):
        with box.expander(f"Corpus: {len(corpus.skipped)} skipped, {len(corpus.duplicates)} duplicate, "
                          f"{len(corpus.cleaned)} cleaned files"):
            for row in corpus.skipped.itertuples(index=False):
                st.text(an.loaders.skip_message(row.source, row.line, row.reason))
            for row in corpus.duplicates.itertuples(index=False):
                st.text(f"{row.source}: same text as {row.duplicate_of}, counted once")
            for row in corpus.cleaned.itertuples(index=False):
                st.text(an.loaders.skip_message(row.source, row.line, row.note))


def store_caption(store: Path, summary: dict[str, int]) -> str:
    waiting = f"; {summary['pending']:,} waiting for `python -m analysis ingest`" if summary["pending"] else ""
    unscored = summary.get("unscored", 0)
    if unscored:  # a new sentiment version: every read scores them, slow for a large store
        waiting += (f"; the tone of {unscored:,} is scored on every read (a new sentiment version): "
                    f"`python -m analysis ingest --store {reader.escape_markdown(store)}` stores it")
    return f"Store {reader.escape_markdown(store.name)}: {summary['analysed']:,} analysed articles{waiting}."


@dataclasses.dataclass(frozen=True)
class Choice:
    """The sidebar's filter values: the articles' ``selection``, the entity filters and how many
    wire copies the data holds."""

    selection: Selection
    entity_types: tuple[str, ...]
    min_mentions: int
    copies: int = 0  # wire copies in the whole data (0: nothing to count or hide)

    def entities(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rows of an entities table of the chosen types, named at least ``min_mentions`` times."""
        return table[table["label"].isin(self.entity_types) & (table["mentions"] >= self.min_mentions)]


def filters(box, all_outlets: list[str], all_stories: list[str], dates: Iterable[str], labels: list[str], *,
            stories: pd.DataFrame | None = None, copies: int = 0, groups: Mapping[str, str] | None = None) -> Choice:
    """The filter widgets over these choices (``dates``: the articles' days, as text). ``stories``
    (``stories.csv`` of everything: story, name, articles, copies, outlets) names the stories in the
    picker, biggest first; ``copies``: how many articles are wire copies (a "Hide copies" box when any);
    ``groups``: each outlet's ``outlet_group``, for the picker of a corpus of many outlets."""
    outlets = outlet_picker(box, all_outlets, groups or {})
    chosen_stories: list[str] | None = None
    if len(all_stories) > 1:
        ordered, label = story_options(all_stories, stories)
        if "stories" in st.session_state:  # a story the data no longer holds
            st.session_state["stories"] = [s for s in st.session_state["stories"] if s in all_stories]
        share.choices("stories", "story", all_stories, noun="story")
        picked = box.multiselect(
            "Stories", ordered, key="stories", format_func=label, placeholder=f"All {len(all_stories):,} stories",
            help="Type to search by name. Empty: every story. Outlets are compared within each story; the Stories "
                 "tab shows which outlet covered which.")
        chosen_stories = list(picked) or None
        share.record("story", chosen_stories)
    else:
        share.check("story", all_stories, noun="story")
    hide_copies = False
    if copies:
        share.flag("hide_copies", "copies", "hide")
        hide_copies = box.checkbox(f"Hide copies ({copies:,})", key="hide_copies",
                                   help="Leave out articles that nearly duplicate an earlier one (wire copies), "
                                        "so each report counts once.")
        share.record("copies", "hide" if hide_copies else None)
    else:
        share.check("copies", ["hide"], noun="copies value")
    days = sorted(d for d in dates if _is_day(d))
    start = end = None
    if len(days) > 1:
        first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
        chosen = box.date_input("Published between", value=share.dates(first, last), min_value=first,
                                max_value=last, key="dates", format="YYYY-MM-DD")
        chosen = tuple(chosen) if isinstance(chosen, (tuple, list)) else (chosen,)
        lo = chosen[0] if chosen else first
        hi = chosen[1] if len(chosen) > 1 else last
        if (lo, hi) != (first, last):  # the full range keeps undated articles too
            start, end = lo.isoformat(), hi.isoformat()
    else:
        share.check_dates()
    share.record("since", start)
    share.record("until", end)
    _sync_choice("entity_types", labels)
    share.choices("entity_types", "type", labels, noun="entity type")
    entity_types = box.multiselect("Entity types", labels, key="entity_types")
    share.record("type", share.subset(entity_types, labels))
    min_mentions = int(box.number_input("Minimum mentions", min_value=1,
                                        value=share.number("min_mentions", default=1, minimum=1), step=1,
                                        key="min_mentions",
                                        help="Hide entities an outlet names fewer times than this."))
    share.record("min_mentions", None if min_mentions == 1 else str(min_mentions))
    selection = Selection(outlets=outlets, stories=chosen_stories, since=start, until=end, hide_copies=hide_copies)
    return Choice(selection, tuple(entity_types), min_mentions, copies)


def show_stories(stories: list[str] | None) -> None:
    """A widget callback: keep only ``stories`` in the sidebar's story filter (None: every story)."""
    st.session_state["stories"] = list(stories or [])


def story_options(all_stories: list[str], stories: pd.DataFrame | None) -> tuple[list[str], Callable[[str], str]]:
    """The picker's stories, biggest first (as ``stories`` lists them; the rest after, by id), and
    their labels: "name · 48 articles, 3 outlets" (the story id without a table)."""
    if stories is None or stories.empty:
        return list(all_stories), story_name
    known = stories[stories["story"].isin(all_stories)]
    ordered = [*known["story"], *sorted(set(all_stories) - set(known["story"]))]
    labels = {row.story: f"{row.name} — {story_counts(row.articles, row.copies, row.outlets)}"
              for row in known.itertuples(index=False)}
    return ordered, lambda story: labels.get(story, story_name(story))


def story_counts(articles: int, copies: int, outlets: int) -> str:
    """``48 articles (9 copies), 3 outlets``."""
    copied = f" ({copies:,} cop{'y' if copies == 1 else 'ies'})" if copies else ""
    plural = "s" if outlets != 1 else ""
    return f"{articles:,} article{'s' if articles != 1 else ''}{copied}, {outlets:,} outlet{plural}"


PICKER_AT = 12  # more outlets than this: "All", "By group" or "Pick" instead of a chip per outlet
ALL, BY_GROUP, PICK = "All", "By group", "Pick"


def group_toggle(box, groups: Mapping[str, str]) -> bool:
    """Whether to compare outlet groups instead of outlets: a toggle shown only when some group
    (``outlet_group``, or the "Name (Section)" rule) holds two or more outlets."""
    if len(set(groups.values())) == len(groups):
        return False
    return box.toggle("Compare outlet groups", key="by_group",
                      help="Count “Fox News (Opinion)” and “Fox News (Online News)” as one outlet, “Fox News”: "
                      "the articles' outlet_group, else the name before a trailing “(Section)”.")


def outlet_picker(box, all_outlets: list[str], groups: Mapping[str, str]) -> list[str]:
    """The selected outlets. Up to ``PICKER_AT`` outlets, a multiselect of them, all chosen at
    first. More: every outlet by default, or the outlets of some groups, or outlets picked by
    typing their names (a searchable list starting empty), so the sidebar never holds 70 chips.
    A link naming outlets opens on "Pick" with them."""
    if len(all_outlets) <= PICKER_AT:
        _sync_choice("outlets", all_outlets)
        share.choices("outlets", "outlet", all_outlets, noun="outlet")
        outlets = box.multiselect("Outlets", all_outlets, key="outlets",
                                  help="Every chart and table follows this selection.")
        share.record("outlet", share.subset(outlets, all_outlets))
        return outlets
    st.session_state.setdefault("outlets", [])
    st.session_state["outlets"] = [o for o in st.session_state["outlets"] if o in all_outlets]
    linked = share.values("outlet", all_outlets, noun="outlet")
    if linked is not None:
        st.session_state["outlets"], st.session_state["outlet_mode"] = linked, PICK
    members: dict[str, list[str]] = {}
    for outlet in all_outlets:
        members.setdefault(groups.get(outlet, outlet), []).append(outlet)
    modes = [ALL, BY_GROUP, PICK] if len(members) < len(all_outlets) else [ALL, PICK]
    if st.session_state.get("outlet_mode") not in modes:  # also when the analyst unselected every mode
        st.session_state["outlet_mode"] = ALL
    n_groups = f" in {len(members)} groups" if len(members) < len(all_outlets) else ""
    mode = box.segmented_control("Outlets", modes, key="outlet_mode",
                                 help=f"{len(all_outlets)} outlets{n_groups}. Every chart and table follows this "
                                 "selection; charts draw the outlets with most articles apart and the rest as Others.")
    if mode == BY_GROUP:
        st.session_state["outlet_groups"] = [g for g in st.session_state.get("outlet_groups", []) if g in members]
        chosen = box.multiselect("Outlet groups", sorted(members), key="outlet_groups",
                                 placeholder=f"Type to search {len(members)} groups")
        outlets = [o for g in chosen for o in members[g]]
    elif mode == PICK:
        outlets = box.multiselect("Outlets", all_outlets, key="outlets",
                                  placeholder=f"Type to search {len(all_outlets)} outlets")
    else:
        outlets = list(all_outlets)
        box.caption(f"All {len(all_outlets)} outlets{n_groups}.")
    share.record("outlet", share.subset(outlets, all_outlets))
    return outlets


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


def _is_day(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
