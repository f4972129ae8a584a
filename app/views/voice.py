"""The Share of voice tab: a few entities' share of each outlet's entity mentions over time, and
each outlet's share of the selection's articles over time and within each story."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

import analysis as an
from analysis import charts
from analysis.voice import DAY_SPAN, period_unit
from app import share
from app.widgets import NO_ENTITY, PCT, chart, story_name, table

PICKS = 5  # entities compared at once
OPTIONS = 500  # the most mentioned entities offered to pick from


def render(tables, shown: pd.DataFrame, colors: dict[str, str]) -> None:
    """``tables``: the selection's ``LazyTables`` (the voice table is read for the picked entities
    only); ``shown``: the entities table with the sidebar's entity filters applied, which decides
    the entities offered."""
    articles = tables["articles"]
    unit = period_unit(articles["published"])
    st.subheader("Entities: share of voice")
    st.caption(f"An entity's share of all entity mentions of the outlet in the {unit}: attention that does not rise "
               f"and fall with how much the outlet publishes. Periods are days when the selection's dated articles "
               f"lie at most {DAY_SPAN} days apart, else weeks (named by their Monday).")
    options = charts.top_entity_names(shown, n=OPTIONS)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        picks = _pick(options) if options else []
    raw = right.toggle("Raw counts", key="voice_raw", persist_state="session",
                       help="Off: shares (of the outlet's entity mentions, of the articles). On: mentions, articles.")
    if not options:
        st.info(NO_ENTITY)
    over_time = an.outlet_share(articles, by="period", unit=unit)
    if picks:
        rows = tables.voice(picks)
        chart(charts.voice_chart(rows, over_time, entities=picks, colors=colors, unit=unit,
                                 measure="mentions" if raw else "share"), "chart_voice")
        with st.expander("Share of voice of these entities as a table"):
            table(rows, "table_voice", share=PCT)
    elif options:
        st.info(f"Pick two to {PICKS} entities above to compare their share of voice.", icon=":material/campaign:")
    st.download_button(
        "Download voice.csv", data=functools.partial(_voice_csv, tables), file_name="voice.csv", mime="text/csv",
        key="download_voice", on_click="ignore", icon=":material/download:",
        help="Every entity of the selection, per period and outlet, as `python -m analysis export` writes it.",
    )

    st.subheader("Outlets: share of the selection's articles")
    measure = "articles" if raw else "share"
    if over_time["period"].nunique() > 1:
        chart(charts.outlet_share_chart(over_time, colors=colors, measure=measure, unit=unit),
              "chart_outlet_share_time")
    else:
        st.caption("Each outlet's share over time appears when the selected articles were published on different days.")
    chart(charts.outlet_share_chart(an.outlet_share(articles, by="story"), colors=colors, measure=measure,
                                    story_name=story_name), "chart_outlet_share_story")


def _pick(options: list[str]) -> list[str]:
    """The entities to compare: the link's, else at first the three most mentioned (Streamlit
    drops picks the selection no longer offers)."""
    linked = share.values("entity", options, noun="entity")
    return st.multiselect(
        f"Entities to compare (up to {PICKS})", options, default=options[:3] if linked is None else linked[:PICKS],
        key="voice_entities", max_selections=PICKS, persist_state="session",
        help="Offered: the selection's most mentioned entities of the types chosen in the sidebar.",
    )


def _voice_csv(tables) -> bytes:
    return an.to_csv_bytes(tables["voice"])
