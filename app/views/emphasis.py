"""The Emphasis tab: key-message pull-through, what only one outlet mentions, unique angles,
distinctive terms and who is quoted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts, reader
from app.widgets import MATCH, PCT, SCORE, TONE, Partial, chart, download, story_name, table


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
              subjectivity=SCORE, first_seen=PCT)
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
                for column, outlet in zip(st.columns(min(3, len(outlets))), outlets[start:start + 3], strict=False):
                    column.html(reader.angles_html(rows, outlet=outlet, color=colors.get(outlet, charts.NEUTRAL)))
        with st.expander("Unique angles as a table"):
            table(angles, "table_angles", best_match=MATCH)
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
