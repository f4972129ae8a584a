"""The Entities tab: who each outlet names, how much of its attention each gets, and every mention."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from app.widgets import NO_ENTITY, PCT, SCORE, TONE, Partial, chart, download, table


def render(tables: dict[str, pd.DataFrame], shown: pd.DataFrame, colors: dict[str, str], *, filtered: bool,
           partial: Partial | None = None) -> None:
    """``shown``: the entities table with the sidebar's entity filters applied (``filtered``: they drop rows)."""
    if shown.empty:
        st.info(NO_ENTITY)
        download(shown, "entities")
        return
    left, right = st.columns([3, 1])
    raw = right.toggle("Raw mention counts", key="raw_counts", help="Off: share of each outlet's entity mentions.")
    top_n = right.slider("Entities shown", 5, 40, 12, key="top_n")
    measure = "mentions" if raw else "share"
    with left:
        chart(charts.top_entities_chart(shown, colors=colors, n=top_n, measure=measure), "chart_top_entities")
    chart(charts.entity_heatmap(shown, n=max(top_n, 20), measure=measure, colors=colors), "chart_entity_heatmap")
    st.subheader("Entities per outlet")
    st.caption("share = the entity's mentions ÷ all entity mentions of the outlet in the story; exclusive = no other "
               "selected outlet names it; emphasis = share ÷ the other outlets' share; first_seen = 0 in the "
               "headline, else how far into the article it first appears (0–1)."
               + (" Filtered by entity type or minimum mentions." if filtered else ""))
    table(shown, "table_entities", share=PCT, polarity=TONE, subjectivity=SCORE, tone=TONE, tone_low=TONE,
          tone_high=TONE, emphasis=st.column_config.NumberColumn(format="%.2f×"), first_seen=PCT)
    download(shown, "entities-filtered" if filtered else "entities")
    if partial is None:
        with st.expander("Every mention"):
            table(tables["mentions"], "table_mentions", polarity=TONE, subjectivity=SCORE, tone_score=TONE)
            download(tables["mentions"], "mentions")
    # a large selection: the mentions load (about a second) only when asked for
    elif st.toggle(f"Every mention of the {partial.loaded:,} most recent articles", key="show_mentions"):
        st.caption(partial.note("Mentions list"))
        table(tables["mentions"], "table_mentions", polarity=TONE, subjectivity=SCORE, tone_score=TONE)
        download(tables["mentions"], "mentions-recent")
