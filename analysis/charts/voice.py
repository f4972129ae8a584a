"""Share-of-voice figures: entities' share of each outlet's mentions, outlets' share of articles, over time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..outlets import OTHERS
from ..utils import plotly_esc as esc  # plotly shows &quot; as typed: quotes stay unescaped
from .base import _color, _layout, drawn, empty_figure, fold, outlet_order

# --- Share of voice ---------------------------------------------------------------------------

# Entities compared in the share-of-voice chart (two to five at a time) are told apart by line
# dash, marker and bar pattern, not colour: colour stays the outlet's, as in every other chart.
ENTITY_STYLES = (("solid", "circle", ""), ("dash", "square", "/"), ("dot", "diamond", "."),
                 ("dashdot", "triangle-up", "x"), ("longdash", "cross", "-"), ("longdashdot", "star", "+"))
_KEY = "#555555"  # the legend's entity keys, in no outlet's colour


def voice_chart(
    voice: pd.DataFrame, published: pd.DataFrame, *, entities: Iterable[str], colors: Mapping[str, str],
    unit: str = "day", measure: str = "share", panels: int = 12,
) -> go.Figure:
    """Share of voice of a few ``entities``: one panel per outlet (in its colour), a line per entity
    (its own dash and marker) over the periods (``unit``: ``"day"`` or ``"week"``, see
    :mod:`analysis.voice`), or grouped bars (an entity's own pattern) when there is one period.

    ``measure`` is ``"share"`` (of the outlet's entity mentions in the period) or ``"mentions"``.
    ``voice`` is the voice table (any rows; those of ``entities`` are drawn). ``published`` has the
    periods in which each outlet published (columns period, outlet, articles: what
    :func:`analysis.voice.outlet_share` gives per period): there an entity it did not name counts
    0. Undated articles are left out. At most ``panels`` outlets, those with most articles.
    """
    if measure not in {"share", "mentions"}:
        raise ValueError(f"measure must be 'share' or 'mentions', not {measure!r}")
    names = list(dict.fromkeys(entities))
    if not names or published.empty:
        return empty_figure("Pick entities to compare." if not names
                            else "No article in the selection has a publication date.")
    published = drawn(published, colors)
    sizes = published.groupby("outlet")["articles"].sum().reset_index()
    outlets = sorted(sizes.sort_values(["articles", "outlet"], ascending=[False, True])["outlet"].head(panels))
    present = published.loc[published["outlet"].isin(outlets), ["period", "outlet"]]
    rows = voice.loc[voice["entity"].isin(names) & (voice["period"] != ""), ["period", "outlet", "entity", "mentions",
                                                                              "share"]]
    grid = present.merge(pd.DataFrame({"entity": names}), how="cross").merge(
        rows, how="left", on=["period", "outlet", "entity"]
    ).fillna({"mentions": 0, "share": 0.0})
    grid = grid.assign(entity=pd.Categorical(grid["entity"], categories=names)).sort_values(["outlet", "entity",
                                                                                              "period"])
    style = {name: ENTITY_STYLES[i % len(ENTITY_STYLES)] for i, name in enumerate(names)}
    what = "Share of voice" if measure == "share" else "Mentions"
    value = "%{y:.1%} of the outlet's entity mentions" if measure == "share" else "%{y} mentions"
    if grid["period"].nunique() == 1:
        fig = go.Figure()
        for name in names:
            mine = grid[grid["entity"] == name]
            fig.add_bar(
                x=[esc(o) for o in mine["outlet"]], y=mine[measure], name=esc(name), legendgroup=esc(name),
                offsetgroup=esc(name), showlegend=False, marker={"color": [_color(colors, o) for o in mine["outlet"]],
                                          "pattern": {"shape": style[name][2], "fgcolor": "white", "solidity": 0.4}},
                customdata=mine[["mentions"]].to_numpy(),
                hovertemplate=f"<b>{esc(name)}</b> in %{{x}}<br>{value}<br>%{{customdata[0]}} mentions<extra></extra>",
            )
            shape = style[name][2]  # the legend's key: the entity's pattern in grey on white (plain: all grey)
            fig.add_bar(x=[None], y=[None], name=esc(name), legendgroup=esc(name), offsetgroup=esc(name),
                        hoverinfo="skip",
                        marker={"color": _KEY if not shape else "white", "line": {"color": _KEY, "width": 1},
                                "pattern": {"shape": shape, "fgcolor": _KEY, "fillmode": "overlay", "solidity": 0.5}})
        day = grid["period"].iloc[0]
        _layout(fig, f"{what} on {day}: each entity's share of each outlet's entity mentions" if measure == "share"
                else f"{what} on {day} per outlet", barmode="group")
        fig.update_layout(legend={"title": {"text": "Entity"}})
        fig.update_yaxes(title_text="Share of the outlet's entity mentions" if measure == "share" else "Mentions",
                         tickformat=".0%" if measure == "share" else None, rangemode="tozero")
        fig.update_xaxes(type="category")
        return fig
    grid["day"] = pd.to_datetime(grid["period"], format="%Y-%m-%d")
    cols = min(3, len(outlets))
    n_rows = -(-len(outlets) // cols)
    titles = [esc(o if len(o) <= 40 else o[:39] + "…") for o in outlets]
    fig = make_subplots(rows=n_rows, cols=cols, subplot_titles=titles, shared_xaxes="all",
                        shared_yaxes="all", vertical_spacing=min(0.12, 0.5 / n_rows), horizontal_spacing=0.05)
    for name in names:  # the legend's keys: each entity's dash and marker, in grey
        dash, symbol, _ = style[name]
        fig.add_scatter(x=[None], y=[None], mode="lines+markers", name=esc(name), legendgroup=esc(name),
                        line={"color": _KEY, "dash": dash, "width": 2}, marker={"symbol": symbol, "size": 7},
                        hoverinfo="skip", row=1, col=1)
    for (outlet, name), line in grid.groupby(["outlet", "entity"], sort=False, observed=True):
        panel = outlets.index(outlet)
        dash, symbol, _ = style[name]
        fig.add_scatter(
            x=line["day"], y=line[measure], mode="lines+markers", name=esc(name), legendgroup=esc(name),
            showlegend=False, line={"color": _color(colors, outlet), "width": 2, "dash": dash},
            marker={"size": 6, "symbol": symbol}, customdata=line[["mentions"]].to_numpy(),
            hovertemplate=f"<b>{esc(name)}</b> in {esc(outlet)}<br>%{{x|%Y-%m-%d}}<br>{value}"
                          "<br>%{customdata[0]} mentions<extra></extra>",
            row=panel // cols + 1, col=panel % cols + 1,
        )
    per = "day" if unit == "day" else "week (from its Monday)"
    title = (f"{what} per {per}: each entity's share of the outlet's entity mentions" if measure == "share"
             else f"{what} per {per}, per outlet")
    if sizes["outlet"].nunique() > len(outlets):
        title += f" (the {len(outlets)} outlets with most articles)"
    _layout(fig, title, height=80 + 240 * n_rows)
    fig.update_layout(legend={"title": {"text": "Entity"}})
    fig.update_yaxes(tickformat=".0%" if measure == "share" else None, rangemode="tozero")
    fig.update_xaxes(type="date")  # the legend keys carry no data: plotly would guess a number axis from them
    _day_ticks(fig, grid["day"], unit)
    return fig


def _day_ticks(fig: go.Figure, days: pd.Series, unit: str) -> None:
    """Date axes that tick whole days (about eight of them) when the periods are days; plotly's
    own ticks would show hours between two days."""
    if unit == "day" and len(days):
        span = (days.max() - days.min()).days + 1
        fig.update_xaxes(tickformat="%b %d", dtick=86_400_000 * max(1, -(-span // 8)))


def outlet_share_chart(
    shares: pd.DataFrame, *, colors: Mapping[str, str], measure: str = "share", story_name: Callable[[str], str] = str,
    unit: str = "day", max_stories: int = 30,
) -> go.Figure:
    """Each outlet's share (or count, ``measure="articles"``) of the selection's articles, stacked:
    per period (``unit``: day or week) when ``shares`` is :func:`analysis.voice.outlet_share` by
    period, per story (one horizontal bar each, named by ``story_name``; the ``max_stories`` with
    most articles) when it is by story. The outlets ``colors`` folds away stack as "Others"."""
    if measure not in {"share", "articles"}:
        raise ValueError(f"measure must be 'share' or 'articles', not {measure!r}")
    by = "story" if "story" in shares.columns else "period"
    if shares.empty:
        return empty_figure("No article in the selection has a publication date." if by == "period"
                            else "No articles in the selection.")
    if OTHERS in colors:
        shares = fold(shares, colors).groupby([by, "outlet"], as_index=False)[["articles", "share"]].sum()
    cut = ""
    if by == "story" and shares["story"].nunique() > max_stories:
        sizes = shares.groupby("story")["articles"].sum().reset_index()
        kept = sizes.sort_values(["articles", "story"], ascending=[False, True])["story"].head(max_stories)
        cut = f" (the {max_stories} of {len(sizes)} stories with most articles)"
        shares = shares[shares["story"].isin(kept)]
    fig = go.Figure()
    value = "%{customdata[1]:.1%} of the articles" if by == "period" else "%{customdata[1]:.1%} of the story's articles"
    for outlet in outlet_order(shares["outlet"]):
        rows = shares[shares["outlet"] == outlet]
        common = {"name": esc(outlet), "marker_color": _color(colors, outlet),
                  "customdata": rows[["articles", "share"]].to_numpy()}
        if by == "period":
            fig.add_bar(x=pd.to_datetime(rows["period"]), y=rows[measure], **common,
                        hovertemplate=f"<b>{esc(outlet)}</b><br>%{{x|%Y-%m-%d}}<br>%{{customdata[0]}} articles"
                                      f"<br>{value}<extra></extra>")
        else:
            fig.add_bar(y=[esc(story_name(s)) for s in rows["story"]], x=rows[measure], orientation="h", **common,
                        hovertemplate=f"<b>{esc(outlet)}</b> in %{{y}}<br>%{{customdata[0]}} articles"
                                      f"<br>{value}<extra></extra>")
    label = "Share of the articles" if measure == "share" else "Articles"
    if by == "period":
        _layout(fig, "Each outlet's share of the selection's articles over time" if measure == "share"
                else "The selection's articles over time, per outlet", barmode="stack", bargap=0.15)
        fig.update_yaxes(title_text=label, tickformat=".0%" if measure == "share" else None, rangemode="tozero")
        fig.update_xaxes(title_text="Publication date")
        _day_ticks(fig, pd.to_datetime(shares["period"], format="%Y-%m-%d"), unit)
    else:
        stories = sorted(shares["story"].unique())
        _layout(fig, ("Each outlet's share of each story's articles" if measure == "share"
                      else "Articles per story and outlet") + cut, barmode="stack",
                height=max(220, 110 + 36 * len(stories)))
        fig.update_layout(legend={"traceorder": "normal"})
        fig.update_yaxes(categoryorder="array", categoryarray=[esc(story_name(s)) for s in reversed(stories)],
                         title_text=None)
        fig.update_xaxes(title_text=label, tickformat=".0%" if measure == "share" else None, rangemode="tozero")
    return fig
