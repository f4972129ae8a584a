"""The Sentiment tab: tone per sentence and per entity, each article's tone arc, the sentences."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts, reader
from app.widgets import NO_ENTITY, SCORE, TONE, Partial, chart, download, table

ARC_LIMIT = 12  # articles in the tone arc at first; more are picked by hand


def render(tables: dict[str, pd.DataFrame], shown: pd.DataFrame, colors: dict[str, str], engine: str, *,
           partial: Partial | None = None) -> None:
    """``shown``: the entities table with the sidebar's entity filters applied; ``engine``: the
    sentiment engine's name as shown."""
    sentences, articles = tables["sentences"], tables["articles"]
    if partial is None:
        chart(charts.sentence_tone_chart(sentences, colors=colors, scorer=engine), "chart_sentence_tone")
    else:  # every article of the selection, from the store's article tones
        chart(charts.tone_chart(articles, colors=colors, scorer=engine), "chart_sentence_tone")
        articles = articles[articles["article_id"].isin(sentences["article_id"].unique())]
    if shown.empty:
        st.info(NO_ENTITY)
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
