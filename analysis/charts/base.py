"""What every figure shares: the outlet palette, the layout template, wrapping and empty states."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from functools import lru_cache

import plotly.graph_objects as go
import plotly.io as pio

from ..utils import plotly_esc as esc  # plotly shows &quot; as typed: quotes stay unescaped
from ..utils import text_of

# Okabe-Ito (colour-blind safe), without its yellow and black, then Paul Tol's "safe" palette.
PALETTE = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
    "#332288", "#882255", "#117733", "#999933", "#AA4499", "#44AA99", "#661100", "#888888",
)
NEUTRAL = "#888888"
TONE_SCALE = [[0.0, "#b2182b"], [0.5, "#f7f7f7"], [1.0, "#2166ac"]]
_FONT = "sans-serif"


def outlet_colors(outlets: Iterable[str]) -> dict[str, str]:
    """One colour per outlet, assigned in sorted name order so it never depends on row order.

    >>> outlet_colors(["TechRepublic", "TechCrunch", "TechCrunch"])
    {'TechCrunch': '#0072B2', 'TechRepublic': '#D55E00'}
    """
    names = sorted({str(o) for o in outlets})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _wrap(text: object, width: int = 70, limit: int = 400) -> str:
    """Escaped text broken into ``<br>``-separated lines for hover boxes."""
    raw = text_of(text)
    if len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    return "<br>".join(esc(line) for line in textwrap.wrap(raw, width) or [""])


def _color(colors: Mapping[str, str], outlet: str) -> str:
    return colors.get(outlet, NEUTRAL)


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


def _layout(fig: go.Figure, title: str, *, height: int | None = None, **extra) -> go.Figure:
    fig.update_layout(
        title={"text": esc(title), "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": _FONT},
        template=template(),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"title": {"text": "Outlet"}},
        hoverlabel={"align": "left"},
        **({"height": height} if height else {}),
        **extra,
    )
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
