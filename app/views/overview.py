"""The Overview tab: counts, volume and tone per outlet, attention over time, the articles table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts, reader
from app.widgets import SCORE, TONE, chart, download, of_them, table


def render(tables: dict[str, pd.DataFrame], colors: dict[str, str], engine: str, *, copies: int = 0) -> None:
    """``engine``: the sentiment engine's name as shown; ``copies``: how many of the articles are wire copies."""
    articles = tables["articles"]
    cols = st.columns(4)
    cols[0].metric("Articles", f"{len(articles):,}", help=f"{of_them(copies)}" if copies else None)
    cols[1].metric("Outlets", f"{articles['outlet'].nunique():,}")
    cols[2].metric("Words", f"{int(articles['words'].sum()):,}")
    cols[3].metric("Sentences", f"{int(articles['sentences'].sum()):,}")
    if copies:
        st.caption(f"{len(articles):,} articles, {of_them(copies)}: wire copies nearly duplicate an earlier "
                   "article. Hide them in the sidebar to count each report once.")
    left, right = st.columns(2)
    with left:
        chart(charts.volume_chart(articles, colors=colors), "chart_volume")
    with right:
        chart(charts.tone_chart(articles, colors=colors, scorer=engine), "chart_tone")
    if charts.spans_several_days(articles):
        chart(charts.timeline_chart(articles, colors=colors), "chart_timeline")
    else:
        st.caption("Attention over time appears when the selected articles were published on different days.")
    st.subheader("Articles")
    table(articles.assign(url=articles["url"].map(reader.web_link)), "table_articles", hide=["source"],
          first=["outlet", "title", "published", "words", "sentences", "polarity", "subjectivity"], polarity=TONE,
          subjectivity=SCORE, url=st.column_config.LinkColumn("url"))  # javascript: and data: URLs are no links
    download(articles, "articles")
