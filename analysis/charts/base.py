"""What every figure shares: the outlet palette, the layout template, wrapping and empty states."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ..outlets import OTHERS, fold_outlets, top_outlets
from ..utils import plotly_esc as esc  # plotly shows &quot; as typed: quotes stay unescaped
from ..utils import text_of

# Okabe-Ito (colour-blind safe), without its yellow and black, then Paul Tol's "safe" palette.
PALETTE = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
    "#332288", "#882255", "#117733", "#999933", "#AA4499", "#44AA99", "#661100", "#888888",
)
NEUTRAL = "#888888"
OTHERS_COLOR = "#C8C8C8"  # the outlets folded into "Others": lighter than every outlet's colour and than NEUTRAL
MAX_OUTLETS = 12  # outlets a chart draws apart (more are folded into "Others")
TONE_SCALE = [[0.0, "#b2182b"], [0.5, "#f7f7f7"], [1.0, "#2166ac"]]
_FONT = "sans-serif"


def outlet_colors(outlets: Iterable[str]) -> dict[str, str]:
    """One colour per outlet, assigned in sorted name order so it never depends on row order.

    >>> outlet_colors(["TechRepublic", "TechCrunch", "TechCrunch"])
    {'TechCrunch': '#0072B2', 'TechRepublic': '#D55E00'}
    """
    names = sorted({str(o) for o in outlets})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def screen_colors(articles_per_outlet: pd.Series, *, limit: int = MAX_OUTLETS) -> dict[str, str]:
    """Colours for a selection of many outlets: the ``limit`` outlets with most articles (ties by
    name; all of them when only one would be left over) get the palette's colours in that order, so
    no two outlets drawn apart share one, and :data:`OTHERS` gets a light grey. A chart given this
    mapping folds every outlet it does not name into "Others".

    >>> screen_colors(pd.Series({"A": 1, "B": 9, "C": 5}), limit=1)
    {'B': '#0072B2', 'Others': '#C8C8C8'}
    >>> screen_colors(pd.Series({"A": 1, "B": 9}), limit=1)
    {'B': '#0072B2', 'A': '#D55E00'}
    """
    keep = top_outlets(articles_per_outlet, n=min(limit, len(PALETTE)))
    colors = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(keep)}
    if len(keep) < len(articles_per_outlet):
        colors[OTHERS] = OTHERS_COLOR
    return colors


def local_colors(articles_per_outlet: pd.Series, colors: Mapping[str, str], *,
                 limit: int = MAX_OUTLETS) -> dict[str, str]:
    """Colours for a part of the selection (one story) whose outlets ``colors`` (:func:`screen_colors`)
    may have folded into "Others": its ``limit`` outlets with most articles keep the colour they have
    and the others among them get the palette's unused colours, so they stay distinct. ``colors``
    itself when it folds nothing.

    >>> local_colors(pd.Series({"C": 2, "A": 1}), {"A": "#0072B2", "Others": "#C8C8C8"})
    {'C': '#D55E00', 'A': '#0072B2'}
    """
    if OTHERS not in colors:
        return dict(colors)
    keep = top_outlets(articles_per_outlet, n=min(limit, len(PALETTE)))
    fixed = {name: colors[name] for name in keep if name in colors}
    free = iter(c for c in PALETTE if c not in set(fixed.values()))
    local = {name: fixed.get(name) or next(free) for name in keep}
    if len(keep) < len(articles_per_outlet):
        local[OTHERS] = OTHERS_COLOR
    return local


def fold(table: pd.DataFrame, colors: Mapping[str, str], *, column: str = "outlet") -> pd.DataFrame:
    """``table`` with the outlets ``colors`` does not name relabelled :data:`OTHERS`, when ``colors``
    has an "Others" colour (:func:`screen_colors`); else ``table`` itself."""
    if OTHERS not in colors or table.empty:
        return table
    return fold_outlets(table, [name for name in colors if name != OTHERS], column=column)


def drawn(table: pd.DataFrame, colors: Mapping[str, str], *, column: str = "outlet") -> pd.DataFrame:
    """The rows of the outlets drawn apart (all rows unless ``colors`` folds the others away): for
    charts where a group of other outlets means nothing (what one outlet alone says)."""
    if OTHERS not in colors or table.empty:
        return table
    return table[table[column].isin([name for name in colors if name != OTHERS])]


def outlet_order(names: Iterable[str]) -> list[str]:
    """Outlet names sorted, "Others" last.

    >>> outlet_order(["B", "Others", "A"])
    ['A', 'B', 'Others']
    """
    names = set(names)
    return sorted(names - {OTHERS}) + ([OTHERS] if OTHERS in names else [])


def _wrap(text: object, width: int = 70, limit: int = 400) -> str:
    """Escaped text broken into ``<br>``-separated lines for hover boxes."""
    raw = text_of(text)
    if len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    return "<br>".join(esc(line) for line in textwrap.wrap(raw, width) or [""])


def _color(colors: Mapping[str, str], outlet: str) -> str:
    return colors.get(outlet, OTHERS_COLOR if outlet == OTHERS else NEUTRAL)


@lru_cache(maxsize=1)
def template() -> go.layout.Template:
    """plotly_white's layout, with its defaults for the two trace types drawn here that it styles
    (white bar outlines, a plain heatmap colour bar). Applying all of ``"plotly_white"`` validates
    its defaults for every trace type plotly has: about 0.5 s on a process's first figure, which
    is the dashboard's first render."""
    return go.layout.Template(
        layout=pio.templates["plotly_white"].layout,
        data={"bar": [{"marker": {"line": {"color": "white", "width": 0.5}}}],
              "heatmap": [{"colorbar": {"outlinewidth": 0, "ticks": ""}}]},
    )


def _layout(fig: go.Figure, title: str, *, height: int | None = None, subtitle: str = "", **extra) -> go.Figure:
    """The house layout: ``title`` (escaped) on the left, and ``subtitle`` below it in small type when
    given (a note such as the outlets a chart leaves out, which would not fit on a half-width title line)."""
    fig.update_layout(
        title={"text": esc(title), "x": 0, "xanchor": "left", "font": {"size": 16},
               **({"subtitle": {"text": esc(subtitle), "font": {"size": 12}}} if subtitle else {})},
        font={"family": _FONT},
        template=template(),
        margin={"l": 10, "r": 10, "t": 80 if subtitle else 60, "b": 10},
        legend={"title": {"text": "Outlet"}},
        hoverlabel={"align": "left"},
        **({"height": height} if height else {}),
        **extra,
    )
    return fig


def top_labels(fig: go.Figure, labels: list[str]) -> go.Figure:
    """Column labels above a grid (a heatmap's outlets) that never run into the title: slanted when
    there are many or long ones, with the top margin made room for them (up to 32 characters)."""
    longest = max((len(label) for label in labels), default=0)
    slanted = len(labels) > 6 or (len(labels) > 3 and longest > 14)
    room = int(7.5 * min(longest, 32) * 0.65) + 20 if slanted else 20  # about 7.5 px a character, sin 40° ≈ 0.65
    fig.update_layout(margin={"t": 80 + room}, title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 14}})
    if fig.layout.height:  # the labels' room comes on top of the rows', not out of it
        fig.update_layout(height=fig.layout.height + room)
    fig.update_xaxes(side="top", tickangle=-40 if slanted else 0)
    return fig


def empty_figure(message: str) -> go.Figure:
    """A blank figure carrying a message (what to do to get a chart)."""
    fig = go.Figure()
    fig.add_annotation(text=esc(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 14})
    fig.update_layout(
        template=template(), height=200, xaxis={"visible": False}, yaxis={"visible": False},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return fig
