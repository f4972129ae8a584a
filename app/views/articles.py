"""The Articles tab: one article at a time, its sentences' tone and its entities marked."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

import analysis as an
from analysis import reader
from app.widgets import SELECT_OUTLET, Partial


def render(full: an.Analysis | Callable[[], an.Analysis], selected: pd.DataFrame, *,
           partial: Partial | None = None) -> None:
    """``full``: the analysis holding the selected articles (or what reads it); ``selected``: the
    selection's articles table."""
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
