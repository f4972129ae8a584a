"""Emphasis figures and display tables: exclusive entities, distinctive terms, key messages, unique angles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..angles import rank_angles
from ..rollup import EXCLUSIVE
from ..utils import is_missing
from ..utils import plotly_esc as esc  # plotly shows &quot; as typed: quotes stay unescaped
from .base import _color, _layout, _wrap, drawn, empty_figure, top_labels

# --- Emphasis -------------------------------------------------------------------------------


def exclusive_chart(entities: pd.DataFrame, *, colors: Mapping[str, str], n: int = 15) -> go.Figure:
    """Entities only one outlet mentions (``exclusive``), up to ``n`` per outlet, by mentions."""
    if entities.empty or "exclusive" not in entities:
        return empty_figure("No entities in the selection.")
    only = drawn(entities[entities["exclusive"].astype(bool)], colors)
    if only.empty:
        return empty_figure("No entity is mentioned by one outlet alone (select at least two outlets to compare).")
    only = (
        only.groupby(["outlet", "entity"]).agg(mentions=("mentions", "sum"), label=("label", "first"),
                                               first_seen=("first_seen", "min")).reset_index()
        .sort_values(["outlet", "mentions", "entity"], ascending=[True, False, True])
        .groupby("outlet").head(n)
    )
    fig = go.Figure()
    categories = []
    for outlet, rows in only.groupby("outlet", sort=True):
        ys = [f"{esc(e)} ({esc(outlet)})" for e in rows["entity"]]
        categories.extend(ys)
        fig.add_bar(
            y=ys, x=rows["mentions"], orientation="h", name=esc(outlet), marker_color=_color(colors, outlet),
            customdata=rows[["label", "first_seen"]].to_numpy(),
            hovertemplate=(
                "<b>%{y}</b><br>%{x} mentions<br>%{customdata[0]}"
                "<br>first seen at %{customdata[1]:.0%} of the article (0% = headline)<extra></extra>"
            ),
        )
    _layout(fig, "Only this outlet mentions: exclusive entities", height=max(260, 60 + 24 * len(categories)))
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(categories)), title_text=None)
    fig.update_xaxes(title_text="Mentions", rangemode="tozero", dtick=1 if only["mentions"].max() <= 10 else None)
    return fig


def terms_chart(terms: pd.DataFrame, *, colors: Mapping[str, str], n: int = 10) -> go.Figure:
    """Distinctive terms: each outlet's top ``n`` terms by log-odds z, one panel per outlet.

    ``terms`` needs outlet, term, count, z (the ``terms`` table; summed over stories by max z).
    """
    terms = drawn(terms, colors)
    if terms.empty:
        return empty_figure("No distinctive terms: select at least two outlets to compare.")
    best = (
        terms.sort_values(["z", "term"], ascending=[False, True]).drop_duplicates(["outlet", "term"])
        .groupby("outlet", sort=True).head(n)
    )
    outlets = sorted(best["outlet"].unique())
    # at most four panels a row: plotly refuses the spacing of 12 panels in one row, and they would be unreadable
    cols = min(4, len(outlets))
    n_rows = -(-len(outlets) // cols)
    fig = make_subplots(rows=n_rows, cols=cols, subplot_titles=[esc(o) for o in outlets], horizontal_spacing=0.12,
                        vertical_spacing=min(0.12, 0.5 / n_rows))
    for i, outlet in enumerate(outlets):
        rows = best[best["outlet"] == outlet].iloc[::-1]
        fig.add_bar(
            y=[esc(t) for t in rows["term"]], x=rows["z"], orientation="h", name=esc(outlet),
            marker_color=_color(colors, outlet), customdata=rows[["count"]].to_numpy(),
            hovertemplate=(
                "<b>%{y}</b><br>z = %{x:.2f}<br>used %{customdata[0]} times<extra>" + esc(outlet) + "</extra>"
            ),
            row=i // cols + 1, col=i % cols + 1,
        )
        fig.update_xaxes(title_text="z (log-odds)", row=i // cols + 1, col=i % cols + 1)
    _layout(fig, "Distinctive terms: words each outlet uses more than the others",
            height=n_rows * max(300, 80 + 26 * n), showlegend=False)
    return fig


def rollup_chart(rollup: pd.DataFrame, *, kind: str, outlets: Sequence[str], colors: Mapping[str, str],
                 n: int = 6) -> go.Figure:
    """The roll-up over stories (``analysis.rollup.outlet_rollup``) of ``kind`` for ``outlets``: each
    outlet's top ``n`` items as bars in its colour, labelled "item (outlet)". Exclusive entities are
    drawn by the stories in which the outlet alone names them ("3 of 40" on the bar), distinctive
    terms by their combined z (the stories on hover). One figure, not a panel per outlet: subplots
    cost a filter change about 0.3 s more."""
    entity = kind == EXCLUSIVE
    rows = rollup[(rollup["kind"] == kind) & rollup["outlet"].isin(list(outlets))]
    if rows.empty:
        return empty_figure("No outlet names an entity alone in any story." if entity
                            else "No distinctive terms: select at least two outlets covering a story.")
    measure = "stories" if entity else "z"
    best = rows.sort_values([measure, "count", "item"], ascending=[False, False, True]).groupby("outlet").head(n)
    fig = go.Figure()
    categories = []
    for outlet in [o for o in outlets if o in set(best["outlet"])]:
        part = best[best["outlet"] == outlet]
        ys = [f"{esc(t)} ({esc(outlet)})" for t in part["item"]]
        categories.extend(ys)
        fig.add_bar(
            y=ys, x=part[measure], orientation="h", name=esc(outlet), marker_color=_color(colors, outlet),
            customdata=part[["stories", "compared", "count"]].to_numpy(),
            text=[f"{s} of {c}" for s, c in zip(part["stories"], part["compared"], strict=True)] if entity else None,
            textposition="outside", cliponaxis=False, textfont={"size": 12},
            hovertemplate=(
                "<b>%{y}</b><br>in %{customdata[0]} of %{customdata[1]} stories"
                + (" only this outlet names it" if entity else " used more than by the others; combined z %{x:.2f}")
                + "<br>%{customdata[2]} " + ("mentions" if entity else "uses") + "<extra></extra>"
            ),
        )
    title = ("Only this outlet names it: in how many stories" if entity
             else "Words each outlet leans on across stories (combined z)")
    _layout(fig, title, height=max(260, 70 + 22 * len(categories)), showlegend=False)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(categories)), title_text=None)
    top = float(best[measure].max())
    fig.update_xaxes(title_text="Stories" if entity else "Combined z", range=[0, top * (1.3 if entity else 1.05)],
                     dtick=1 if entity and top <= 10 else None)
    return fig


def messages_chart(messages: pd.DataFrame) -> go.Figure:
    """Key-message pull-through: message × outlet grid over the stories each message concerns.

    A cell is the share of the outlet's stories (among those the message concerns) that carried
    the message: green with ✓ and the claim score when it concerns one story, "k/n stories" when
    several. ``messages`` needs story, message, outlet, found, similarity, best_sentence.
    """
    if messages.empty:
        return empty_figure("Type key messages in the sidebar (one per line) to see which outlets carried them "
                            "(a message is looked for in the selected stories that name its names).")
    ranked = messages.sort_values("similarity", ascending=False, kind="stable")
    per = ranked.groupby(["message", "outlet"], sort=False).agg(
        stories=("found", "size"), carried=("found", "sum"), similarity=("similarity", "first"),
        best_sentence=("best_sentence", "first")).reset_index()
    order = list(dict.fromkeys(messages["message"]))
    outlets = sorted(per["outlet"].unique())

    def grid(column: str) -> pd.DataFrame:
        return per.pivot(index="message", columns="outlet", values=column).reindex(index=order, columns=outlets)

    stories, carried, sim, best = grid("stories"), grid("carried"), grid("similarity"), grid("best_sentence")
    share = (carried / stories).astype(float)
    text = [
        [("" if is_missing(n) else
          (("✓ " if k else "✗ ") + f"{s:.2f}") if n == 1 else f"{int(k)}/{int(n)} stories")
         for n, k, s in zip(nrow, krow, srow, strict=True)]
        for nrow, krow, srow in zip(stories.to_numpy(), carried.to_numpy(), sim.to_numpy(), strict=True)
    ]
    custom = [[[_wrap(b, 60, 240), "" if is_missing(v) else f"{v:.2f}"] for b, v in zip(brow, srow, strict=True)]
              for brow, srow in zip(best.to_numpy(), sim.to_numpy(), strict=True)]
    # colour says how many of the stories carried it (found: claims.THRESHOLD); blank: not covered
    fig = go.Figure(
        go.Heatmap(
            z=share.to_numpy(), x=[esc(o) for o in outlets],
            y=[_wrap(m, 50, 160) for m in order], zmin=0, zmax=1, showscale=False,
            colorscale=[[0.0, "#ececec"], [1.0, "#1a9850"]], text=text, texttemplate="%{text}",
            customdata=custom, xgap=3, ygap=3,
            hovertemplate=(
                "<b>%{x}</b><br>best claim score %{customdata[1]}<br>closest sentence:<br>%{customdata[0]}"
                "<extra></extra>"
            ),
        )
    )
    _layout(fig, "Key-message pull-through: which outlet carried which message, in the stories it concerns",
            height=max(240, 110 + 50 * len(order)))
    top_labels(fig, [str(o) for o in outlets])
    fig.update_yaxes(autorange="reversed", title_text=None)
    fig.update_xaxes(title_text=None)
    return fig


# --- tables for display ------------------------------------------------------------------------


def unique_angles(sentences: pd.DataFrame, *, n: int = 5) -> pd.DataFrame:
    """Each outlet's ``n`` best unique-angle cards per story beside their closest counterpart:
    :func:`analysis.angles.rank_angles` (columns ``ANGLES``; headlines and fragments left out,
    unique sentences first, ranked by how unlike the other outlets and how informative they are)."""
    return rank_angles(sentences, n=n)
