"""The Stories tab: what each outlet covered and what it skipped, as a story × outlet matrix.

It lists every story of the selection's outlets and days (the sidebar's story filter aside), so
choosing a story here, by its row or by name, filters every other view through the sidebar's
story filter (and so the page's URL)."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

import analysis as an
from analysis import reader
from analysis.charts import MAX_OUTLETS
from analysis.outlets import OTHERS
from analysis.utils import short_hash
from app import sidebar
from app.widgets import count, download, of_them

SORTS = ["Size", "Date"]


def render(stories: pd.DataFrame, coverage: pd.DataFrame, chosen: tuple[str, ...] | None,
           download_table: pd.DataFrame) -> None:
    """``stories`` and ``coverage``: ``analysis.stories_table`` and ``analysis.story_coverage`` of the
    selection without its story filter; ``chosen``: the stories the sidebar keeps (None: all);
    ``download_table``: ``stories.csv`` of the selection, as the CLI writes it."""
    if stories.empty:
        st.info("No story in this selection.", icon=":material/filter_alt:")
        return
    outlets = sorted(coverage["outlet"].unique())
    shown = an.top_outlets(coverage.groupby("outlet")["articles"].sum(), n=MAX_OUTLETS)
    others = [o for o in outlets if o not in shown]
    shown = [o for o in outlets if o in shown]  # by name, as the sidebar lists them
    n_articles, n_copies = int(stories["articles"].sum()), int(stories["copies"].sum())
    copies = f", {of_them(n_copies)}" if n_copies else ""
    left, right = st.columns([4, 1.4], vertical_alignment="bottom")
    n_stories = f"{len(stories):,} stor{'y' if len(stories) == 1 else 'ies'}"
    left.caption(f"{n_stories} in {count(len(outlets), 'outlet')}: {count(n_articles, 'article')}"
                 f"{copies}. Each cell counts an outlet's articles on the story (copies in brackets); a blank cell is "
                 f"a story that outlet did not cover."
                 + (f" The {OTHERS} column counts the {len(others)} outlets with fewest articles; the "
                    f"{len(shown)} with most have a column each." if others else "")
                 + (" Click a row to show only that story in every tab." if len(stories) > 1 else ""))
    order = "Size" if len(stories) == 1 else right.radio(
        "Sort by", list(SORTS), key="stories_sort", horizontal=True,
        help="Size: most articles first. Date: newest first day first (undated last).")
    ranked = _sorted(stories, order)
    if chosen:
        names = ranked.set_index("story").reindex(list(chosen))["name"].dropna()
        note, clear = st.columns([4, 1.4], vertical_alignment="center")
        note.info("Every tab shows only: " + reader.escape_markdown("; ".join(names)) + ".",
                   icon=":material/filter_alt:")
        clear.button("Show all stories", key="stories_clear", on_click=sidebar.show_stories, args=(None,),
                     icon=":material/filter_alt_off:", width="stretch")
    matrix = an.coverage_matrix(coverage, ranked, shown, others=others)
    frame = pd.concat([
        pd.DataFrame({"Story": ranked["name"].to_numpy(), "First day": ranked["first_date"].to_numpy(),
                      "Articles": ranked["articles"].to_numpy(), "Copies": ranked["copies"].to_numpy(),
                      "Outlets": ranked["outlets"].to_numpy()}),
        matrix[[OTHERS]].reset_index(drop=True) if others else None,  # before the outlets: never scrolled off
        matrix[shown].rename(columns=lambda o: f"{o} ").reset_index(drop=True),  # a space: never a fixed name
        None if others else pd.DataFrame({"Skipped by": ranked["missing_outlets"].to_numpy()}),
    ], axis=1)
    if not n_copies:
        frame = frame.drop(columns="Copies")
    ids = tuple(ranked["story"])
    config = {f"{o} ": st.column_config.TextColumn(o, alignment="right", help=f"{o}'s articles on the story "
                                                   "(copies in brackets); blank: not covered") for o in shown}
    config["Story"] = st.column_config.TextColumn("Story", width="large",
                                                  help="Its main entities and first day")
    config["Outlets"] = st.column_config.NumberColumn("Outlets", help="How many of the selected outlets covered it")
    config["Skipped by"] = st.column_config.TextColumn("Skipped by", help="The selected outlets that did not cover it")
    config[OTHERS] = st.column_config.TextColumn(
        OTHERS, alignment="right", help=f"The other {len(others)} outlets' articles on the story, and how many of "
        "them covered it; stories.csv names the outlets that skipped each story")
    # a new key when the story filter changes: the ticked row then never outlives the filter it set
    key = "stories_matrix" if not chosen else f"stories_matrix_{short_hash(*chosen, length=8)}"
    height = min(38 + 35 * len(frame), 640)
    if len(ids) == 1:  # nothing to choose between
        st.dataframe(frame, key=key, hide_index=True, column_config=config, height=height)
        download(download_table, "stories")
        return
    st.dataframe(frame, key=key, hide_index=True, column_config=config, on_select=functools.partial(
        _picked_row, key, ids), selection_mode="single-row", height=height)
    labels = dict(zip(ranked["story"], ranked["name"] + " — " + ranked.apply(
        lambda r: sidebar.story_counts(r["articles"], r["copies"], r["outlets"]), axis=1), strict=True))
    st.selectbox("Show one story", ids, index=None, key="stories_focus", format_func=labels.get,
                 placeholder=f"Search the {len(ids):,} stories by name…", on_change=_picked_name,
                 help="Every tab then shows only this story (the sidebar's story filter).")
    download(download_table, "stories")


def _sorted(stories: pd.DataFrame, order: str) -> pd.DataFrame:
    if order == "Date":
        undated = stories["first_date"].eq("")
        return stories.assign(_undated=undated).sort_values(
            ["_undated", "first_date", "articles"], ascending=[True, False, False], kind="stable").drop(
            columns="_undated").reset_index(drop=True)
    return stories.reset_index(drop=True)  # stories_table's order: most articles first


def _picked_row(key: str, ids: tuple[str, ...]) -> None:
    rows = st.session_state[key].selection.rows
    sidebar.show_stories([ids[rows[0]]] if rows else None)


def _picked_name() -> None:
    story = st.session_state.get("stories_focus")
    if story is not None:
        sidebar.show_stories([story])
        st.session_state["stories_focus"] = None
