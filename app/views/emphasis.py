"""The Emphasis tab: key-message pull-through, what only one outlet mentions, unique angles,
distinctive terms and who is quoted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import analysis as an
from analysis import charts, reader
from analysis.rollup import DISTINCTIVE, EXCLUSIVE
from analysis.schema import MESSAGES
from app.widgets import MATCH, PCT, SCORE, TONE, Partial, chart, count, download, story_name, table

ROLLUP_OUTLETS = 6  # outlets drawn in the roll-up charts; the table holds them all
ANGLE_OUTLETS = 6  # unique-angle card columns shown at once


def render(tables: dict[str, pd.DataFrame], shown: pd.DataFrame, colors: dict[str, str], n_outlets: int,
           messages: list[str], *, partial: Partial | None = None) -> None:
    """``shown``: the entities table with the sidebar's entity filters applied; ``n_outlets``: how
    many outlets the selection holds; ``messages``: the key messages typed in the sidebar."""
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
        st.caption("A message is looked for only in the selected stories that name all its names (or, without a "
                   "name, that hold most of its words); it is carried when a sentence says the same claim: who did "
                   "what, not negated, denied or only hoped for.")
        unmatched = [m for m in messages if m not in set(tables["messages"]["message"])]
        if unmatched:
            st.info("Not about any selected story: " + "; ".join(unmatched), icon=":material/search_off:")
        with st.expander("Pull-through as a table"):
            table(tables["messages"], "table_messages", similarity=MATCH, first_seen=PCT)
    # without messages the table is empty: no need to align every sentence for it
    download(tables["messages"] if messages else _empty(MESSAGES), "messages")

    if compare:
        _comparisons(tables, shown, colors, partial)

    st.subheader("Voices: who is quoted")
    quotes = _cheap(tables, "quotes")
    if quotes.empty:
        st.info("No direct quotation found in the selected articles.")
    else:
        table(quotes, "table_quotes", first=["outlet", "speaker", "entity", "quote"])
    download(quotes, "quotes")


def _comparisons(tables: dict[str, pd.DataFrame], shown: pd.DataFrame, colors: dict[str, str],
                 partial: Partial | None = None) -> None:
    """One story: every comparison drawn in full. Several: the roll-up over them, then the one story
    the analyst picks (a page per story would be a page of a hundred stories)."""
    stories = sorted(tables["articles"]["story"].unique())
    if len(stories) > 1:
        terms = _cheap(tables, "terms")
        _rollup(tables["articles"], shown, terms, colors, n_stories=len(stories))
        # a large selection compares the sentences of its most recent articles only: their stories
        base = tables["articles"] if partial is None else tables["sentences"].drop_duplicates("article_id")
        compared = _compared(base)
        if not compared:
            st.info("No story is covered by two selected outlets: nothing to compare in detail.")
            return
        st.subheader("One story in detail")
        # labels as options (not a format_func): AppTest cannot read back a selectbox's formatted value
        labels = {_story_label(s, base): s for s in compared}
        picked = st.selectbox(f"Story ({len(compared)} covered by two or more selected outlets)", list(labels),
                              key="emphasis_story")
        story = labels[picked]
        sentences = tables.story_sentences(story) if hasattr(tables, "story_sentences") else tables["sentences"]
        tables = {"sentences": sentences[sentences["story"] == story], "terms": terms[terms["story"] == story]}
        shown = shown[shown["story"] == story]
        in_story = sentences[sentences["story"] == story].groupby("outlet")["article_id"].nunique()
        _story(tables, shown, charts.local_colors(in_story, colors), prefix="story-")
        return
    _story(tables, shown, colors)


def _compared(articles: pd.DataFrame) -> list[str]:
    """The stories two or more selected outlets covered, most outlets (then articles) first."""
    per = articles.groupby("story").agg(outlets=("outlet", "nunique"), articles=("article_id", "size"))
    per = per[per["outlets"] >= 2].reset_index()
    return per.sort_values(["outlets", "articles", "story"], ascending=[False, False, True])["story"].tolist()


def _story_label(story: str, articles: pd.DataFrame) -> str:
    rows = articles[articles["story"] == story]
    return f"{story_name(story)} · {count(rows['outlet'].nunique(), 'outlet')}, {count(len(rows), 'article')}"


def _cheap(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """``tables[name]``, by the selection's shortcut when it has one (terms and quotes need no alignment)."""
    getter = getattr(tables, name, None)
    return getter() if callable(getter) else tables[name]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _rollup(articles: pd.DataFrame, shown: pd.DataFrame, terms: pd.DataFrame, colors: dict[str, str], *,
            n_stories: int) -> None:
    st.subheader(f"What each outlet alone brings, over {n_stories} stories")
    rollup = an.outlet_rollup(articles, shown, terms)
    st.caption("For each outlet, in how many of the stories it covered beside another selected outlet it alone names "
               "an entity, or uses a term more than the others (the story z-score above 0). Terms are ranked by their "
               "z-scores combined over those stories.")
    outlets = _outlets_shown(articles)
    left, right = st.columns(2)
    with left:
        chart(charts.rollup_chart(rollup, kind=EXCLUSIVE, outlets=outlets, colors=colors), "chart_rollup_exclusive")
    with right:
        chart(charts.rollup_chart(rollup, kind=DISTINCTIVE, outlets=outlets, colors=colors), "chart_rollup_terms")
    with st.expander("Roll-up as a table"):
        table(rollup, "table_rollup", z=st.column_config.NumberColumn(format="%.2f"))
    download(rollup, "rollup")
    download(terms, "terms", label="Download terms.csv (every story)")


def _outlets_shown(articles: pd.DataFrame) -> list[str]:
    """The outlets whose roll-up is drawn: the ones that covered most stories (at most ``ROLLUP_OUTLETS``)."""
    stories = articles.groupby("outlet")["story"].nunique()
    return an.top_outlets(stories, n=ROLLUP_OUTLETS)[:ROLLUP_OUTLETS]


def _story(tables: dict[str, pd.DataFrame], shown: pd.DataFrame, colors: dict[str, str], *, prefix: str = "") -> None:
    """The comparisons of one story (or of every story of the selection); ``prefix`` names the downloads
    of one story's rows apart from the whole tables."""
    st.subheader("What only one outlet mentions")
    exclusive = shown[shown["exclusive"].astype(bool)]
    per_outlet = 15 if shown["outlet"].nunique() <= 3 else 5  # many outlets: each one's top few
    chart(charts.exclusive_chart(shown, colors=colors, n=per_outlet), "chart_exclusive")
    with st.expander("Exclusive entities as a table"):
        table(exclusive, "table_exclusive", hide=["exclusive", "emphasis"], share=PCT, polarity=TONE,
              subjectivity=SCORE, first_seen=PCT)
    download(exclusive, prefix + "exclusive-entities")

    st.subheader("Unique angles")
    st.caption("Each outlet's sentences that no other selected outlet wrote about the story, unique ones first, "
               "ranked by what they carry (rare words and names; fragments such as “Crazy!” are left out), each "
               "above the closest sentence another outlet wrote (match 0 = nothing alike, 1 = the same point).")
    angles = charts.unique_angles(tables["sentences"], n=5)
    if angles.empty:
        st.info("Unique angles need at least two outlets covering the same story: select more outlets.")
    else:
        outlets = sorted(angles["outlet"].unique())
        if len(outlets) > ANGLE_OUTLETS:  # a card column per outlet: a few at a time, picked by name
            kept = [o for o in st.session_state.get("angle_outlets", []) if o in outlets]
            st.session_state["angle_outlets"] = kept or outlets[:ANGLE_OUTLETS]  # another story: its first ones
            outlets = st.multiselect(f"Outlets whose angles to show ({len(outlets)} covered the story)", outlets,
                                     key="angle_outlets", max_selections=ANGLE_OUTLETS) or outlets[:ANGLE_OUTLETS]
        for start in range(0, len(outlets), 3):
            for column, outlet in zip(st.columns(min(3, len(outlets))), outlets[start:start + 3], strict=False):
                column.html(reader.angles_html(angles, outlet=outlet, color=colors.get(outlet, charts.NEUTRAL)))
        with st.expander("Unique angles as a table"):
            table(angles, "table_angles", best_match=MATCH)
    download(angles, prefix + "unique-angles")

    st.subheader("Distinctive terms")
    terms = tables["terms"]
    chart(charts.terms_chart(terms, colors=colors, n=10), "chart_terms")
    st.caption("Terms ranked by z, the log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008), each "
               "outlet against the rest of the selection. With few articles z-scores stay small: read the ranking, "
               "not |z| > 1.96.")
    with st.expander("Distinctive terms as a table"):
        table(terms.sort_values(["story", "outlet", "z"], ascending=[True, True, False]), "table_terms",
              z=st.column_config.NumberColumn(format="%.2f"))
    download(terms, prefix + "terms")
