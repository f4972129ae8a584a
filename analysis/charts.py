"""Plotly figures for the dashboard: pure functions from the metric tables to ``go.Figure``.

Every figure colours an outlet the same way, from one ``outlet_colors`` mapping built over the whole
corpus (so a colour does not change when the selection does). Titles and axes use the analyst's
words and hovering shows the numbers. Text from articles (outlet names, entities, sentences, terms)
is HTML-escaped before it reaches plotly, which renders a subset of HTML in labels and hover text
and decodes the entities back, so ``<b>`` in an outlet's name shows as ``<b>`` (quotes are left as
they are: plotly does not decode ``&quot;``; see ``utils.plotly_esc``).

None of these functions mutates its input or imports streamlit.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from .utils import display_title, is_missing, text_of
from .utils import plotly_esc as esc  # plotly shows &quot; as typed: quotes stay unescaped

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


# --- Overview -------------------------------------------------------------------------------


def volume_chart(articles: pd.DataFrame, *, colors: Mapping[str, str]) -> go.Figure:
    """Coverage volume: words published per outlet, with articles and sentences on hover.

    ``articles`` needs outlet, article_id, words, sentences (the ``articles`` table).
    """
    if articles.empty:
        return empty_figure("No articles in the selection.")
    per = _per_outlet(articles, words=("words", "sum"), sentences=("sentences", "sum"))
    fig = _outlet_bars(per, colors, "words", lambda row: {
        "text": [f"{row.articles} article{'s' if row.articles != 1 else ''}"], "textposition": "auto",
        "customdata": [[row.articles, row.sentences]],
        "hovertemplate": (
            "<b>%{x}</b><br>%{y:,} words<br>%{customdata[0]} articles<br>%{customdata[1]} sentences<extra></extra>"
        ),
    })
    _layout(fig, "Coverage volume: words published per outlet", showlegend=False)
    fig.update_yaxes(title_text="Words", rangemode="tozero")
    fig.update_xaxes(title_text="Outlet")
    return fig


def tone_chart(articles: pd.DataFrame, *, colors: Mapping[str, str], scorer: str = "TextBlob") -> go.Figure:
    """Mean article tone per outlet (polarity, −1 negative to +1 positive), subjectivity on hover.

    ``articles`` needs outlet, article_id, polarity, subjectivity.
    """
    if articles.empty:
        return empty_figure("No articles in the selection.")
    per = _per_outlet(articles, polarity=("polarity", "mean"), subjectivity=("subjectivity", "mean"))
    fig = _outlet_bars(per, colors, "polarity", lambda row: {
        "customdata": [[row.subjectivity, row.articles]],
        "hovertemplate": "<b>%{x}</b><br>mean tone %{y:+.3f}<br>mean subjectivity %{customdata[0]:.3f}"
                         "<br>over %{customdata[1]} articles<extra></extra>",
    })
    _layout(fig, f"Mean tone per outlet ({scorer}: −1 negative, +1 positive)", showlegend=False)
    fig.update_yaxes(
        title_text="Mean tone (polarity)", zeroline=True, zerolinecolor="#444", range=_tone_range(per["polarity"])
    )
    fig.update_xaxes(title_text="Outlet")
    return fig


def _per_outlet(articles: pd.DataFrame, **measures: tuple[str, str]) -> pd.DataFrame:
    """One row per outlet (sorted): its ``articles`` and the named aggregates of ``measures``."""
    return articles.groupby("outlet", sort=True).agg(articles=("article_id", "nunique"), **measures).reset_index()


def _outlet_bars(per: pd.DataFrame, colors: Mapping[str, str], y: str, bar: Callable[[tuple], dict]) -> go.Figure:
    """A bar per row of ``per`` (an outlet) as high as its ``y``, in the outlet's colour, with
    ``bar(row)``'s options."""
    fig = go.Figure()
    for row in per.itertuples(index=False):
        fig.add_bar(x=[esc(row.outlet)], y=[getattr(row, y)], name=esc(row.outlet),
                    marker_color=_color(colors, row.outlet),
                    **bar(row))
    return fig


def _tone_range(values: pd.Series) -> list[float]:
    """Symmetric y range around 0 so positive and negative bars read at the same scale."""
    top = float(values.abs().max()) if len(values) and values.notna().any() else 0.0
    top = max(0.1, min(1.0, top * 1.25))
    return [-top, top]


def timeline_chart(articles: pd.DataFrame, *, colors: Mapping[str, str]) -> go.Figure:
    """Attention over time: articles published per day and outlet (undated articles left out).

    ``articles`` needs outlet, published (``YYYY-MM-DD``), article_id, words.
    """
    day = pd.to_datetime(articles["published"].astype(str).str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    dated = articles.assign(day=day).dropna(subset=["day"])
    if dated.empty:
        return empty_figure("No article in the selection has a publication date.")
    per = dated.groupby(["outlet", "day"]).agg(articles=("article_id", "nunique"), words=("words", "sum")).reset_index()
    fig = go.Figure()
    for outlet, rows in per.groupby("outlet", sort=True):
        fig.add_scatter(
            x=rows["day"], y=rows["articles"], mode="lines+markers", name=esc(outlet),
            line={"color": _color(colors, outlet)}, customdata=rows[["words"]].to_numpy(),
            hovertemplate=(
                f"<b>{esc(outlet)}</b><br>%{{x|%Y-%m-%d}}<br>%{{y}} articles"
                "<br>%{customdata[0]:,} words<extra></extra>"
            ),
        )
    _layout(fig, "Attention over time: articles per day")
    fig.update_yaxes(
        title_text="Articles published", rangemode="tozero", dtick=1 if per["articles"].max() <= 10 else None
    )
    fig.update_xaxes(title_text="Publication date")
    return fig


# --- Entities -------------------------------------------------------------------------------


def outlet_entities(entities: pd.DataFrame) -> pd.DataFrame:
    """The entity table summed over stories: one row per outlet and entity.

    Columns: outlet, entity, label, mentions, share (of the outlet's entity mentions in the selection),
    polarity, subjectivity (mention-weighted means). With one story it equals that story's rows.
    """
    columns = ["outlet", "entity", "label", "mentions", "share", "polarity", "subjectivity"]
    if entities.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in columns[3:] else "object") for c in columns})
    weighted = entities.assign(
        _p=entities["polarity"] * entities["mentions"], _s=entities["subjectivity"] * entities["mentions"]
    )
    label = (
        entities.sort_values("mentions", ascending=False).drop_duplicates(["outlet", "entity"])
        .set_index(["outlet", "entity"])["label"]
    )
    per = weighted.groupby(["outlet", "entity"]).agg(mentions=("mentions", "sum"), _p=("_p", "sum"), _s=("_s", "sum"))
    per["polarity"] = per["_p"] / per["mentions"]
    per["subjectivity"] = per["_s"] / per["mentions"]
    per["share"] = per["mentions"] / per.groupby(level="outlet")["mentions"].transform("sum")
    per = per.join(label).reset_index()
    ordered = per.sort_values(["outlet", "mentions", "entity"], ascending=[True, False, True])
    return ordered[columns].reset_index(drop=True)


def top_entity_names(entities: pd.DataFrame, *, n: int = 10) -> list[str]:
    """The ``n`` entities with most mentions across the selection (ties broken by name)."""
    if entities.empty:
        return []
    totals = entities.groupby("entity")["mentions"].sum().reset_index()
    totals = totals.sort_values(["mentions", "entity"], ascending=[False, True])
    return totals["entity"].head(n).tolist()


def _top_entities(entities: pd.DataFrame, *, n: int, measure: str = "share") -> tuple[pd.DataFrame, list[str]]:
    """:func:`outlet_entities` and :func:`top_entity_names` for a chart of ``measure`` (share or mentions)."""
    if measure not in {"share", "mentions"}:
        raise ValueError(f"measure must be 'share' or 'mentions', not {measure!r}")
    return outlet_entities(entities), top_entity_names(entities, n=n)


def top_entities_chart(
    entities: pd.DataFrame, *, colors: Mapping[str, str], n: int = 10, measure: str = "share"
) -> go.Figure:
    """Grouped horizontal bars: the top ``n`` entities, one bar per outlet.

    ``measure`` is ``"share"`` (of the outlet's entity mentions) or ``"mentions"`` (raw count).
    ``entities`` is the entities table (any number of stories).
    """
    per, names = _top_entities(entities, n=n, measure=measure)
    if not names:
        return empty_figure("No entities in the selection.")
    fig = go.Figure()
    order = [esc(e) for e in reversed(names)]  # most mentioned at the top
    # added in reverse so the first outlet's bar sits on top of each group, as in the legend
    for outlet, rows in reversed(list(per[per["entity"].isin(names)].groupby("outlet", sort=True))):
        fig.add_bar(
            y=[esc(e) for e in rows["entity"]], x=rows[measure], orientation="h", name=esc(outlet),
            marker_color=_color(colors, outlet), customdata=rows[["mentions", "share", "label"]].to_numpy(),
            hovertemplate=(
                f"<b>%{{y}}</b> in {esc(outlet)}<br>%{{customdata[0]}} mentions"
                "<br>%{customdata[1]:.1%} of the outlet's entity mentions<br>%{customdata[2]}<extra></extra>"
            ),
        )
    title = (
        "Top entities: share of each outlet's mentions" if measure == "share" else "Top entities: mentions per outlet"
    )
    height = max(320, 40 + 28 * len(names) * max(1, min(3, per["outlet"].nunique())))
    _layout(fig, title, height=height, barmode="group")
    fig.update_layout(legend={"traceorder": "reversed"})
    fig.update_yaxes(categoryorder="array", categoryarray=order, title_text=None)
    fig.update_xaxes(
        title_text="Share of the outlet's entity mentions" if measure == "share" else "Mentions",
        tickformat=".0%" if measure == "share" else None, rangemode="tozero",
    )
    return fig


def entity_heatmap(entities: pd.DataFrame, *, n: int = 20, measure: str = "share") -> go.Figure:
    """Entity × outlet heatmap of ``measure`` (share or mentions) for the top ``n`` entities."""
    per, names = _top_entities(entities, n=n, measure=measure)
    if not names:
        return empty_figure("No entities in the selection.")
    grid = per.pivot_table(index="entity", columns="outlet", values=measure, aggfunc="sum").reindex(names)
    grid = grid.fillna(0)
    counts = per.pivot_table(index="entity", columns="outlet", values="mentions", aggfunc="sum").reindex(names)
    counts = counts.reindex(columns=grid.columns).fillna(0).astype(int)
    # an outlet that never names the entity gets an empty cell, not "0%"
    text = [
        [("" if c == 0 else f"{v:.0%}" if measure == "share" else f"{int(v)}") for v, c in zip(row, crow, strict=True)]
        for row, crow in zip(grid.to_numpy(), counts.to_numpy(), strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(), x=[esc(o) for o in grid.columns], y=[esc(e) for e in grid.index],
            text=text, texttemplate="%{text}", colorscale="Blues", customdata=counts.to_numpy(),
            colorbar={
                "title": {"text": "Share" if measure == "share" else "Mentions"},
                "tickformat": ".0%" if measure == "share" else None,
            },
            hovertemplate="<b>%{y}</b> in %{x}<br>%{customdata} mentions<br>"
            + ("%{z:.1%} of the outlet's entity mentions" if measure == "share" else "")
            + "<extra></extra>",
            xgap=2, ygap=2,
        )
    )
    _layout(
        fig, "Who gets attention where: entity × outlet (empty = not mentioned)", height=max(300, 90 + 26 * len(names))
    )
    fig.update_layout(margin={"t": 90})
    fig.update_yaxes(autorange="reversed", title_text=None)
    fig.update_xaxes(title_text=None, side="top")
    return fig


# --- Sentiment ------------------------------------------------------------------------------


def sentence_tone_chart(sentences: pd.DataFrame, *, colors: Mapping[str, str], scorer: str = "TextBlob") -> go.Figure:
    """Tone per outlet: the spread of its sentences' polarity (box with every sentence as a dot).

    ``sentences`` needs outlet, polarity, subjectivity, text.
    """
    if sentences.empty:
        return empty_figure("No sentences in the selection.")
    fig = go.Figure()
    for outlet, rows in sentences.groupby("outlet", sort=True):
        fig.add_box(
            y=rows["polarity"], name=esc(outlet), marker_color=_color(colors, outlet), boxpoints="all",
            jitter=0.4, pointpos=0, boxmean=True,
            customdata=[[_wrap(t), s] for t, s in zip(rows["text"], rows["subjectivity"], strict=True)],
            hovertemplate="tone %{y:+.3f} · subjectivity %{customdata[1]:.2f}<br>%{customdata[0]}<extra>%{x}</extra>",
        )
    _layout(fig, f"Tone per outlet: every sentence ({scorer}; dashed line = mean)", showlegend=False)
    fig.update_yaxes(title_text="Sentence tone (polarity)", range=[-1.05, 1.05], zeroline=True, zerolinecolor="#444")
    fig.update_xaxes(title_text="Outlet")
    return fig


def entity_tone_chart(
    entities: pd.DataFrame, *, colors: Mapping[str, str], n: int = 10, scorer: str = "TextBlob"
) -> go.Figure:
    """Diverging dots: the tone of the sentences mentioning each top entity, one dot per outlet."""
    per, names = _top_entities(entities, n=n)
    if not names:
        return empty_figure("No entities in the selection.")
    order = [esc(e) for e in reversed(names)]
    fig = go.Figure()
    fig.add_vline(x=0, line_color="#444", line_width=1)
    for outlet, rows in per[per["entity"].isin(names)].groupby("outlet", sort=True):
        fig.add_scatter(
            y=[esc(e) for e in rows["entity"]], x=rows["polarity"], mode="markers", name=esc(outlet),
            marker={"color": _color(colors, outlet), "size": 12, "line": {"width": 1, "color": "white"}},
            customdata=rows[["mentions", "subjectivity"]].to_numpy(),
            hovertemplate=(
                f"<b>%{{y}}</b> in {esc(outlet)}<br>tone %{{x:+.3f}}<br>subjectivity %{{customdata[1]:.2f}}"
                "<br>over %{customdata[0]} mentions<extra></extra>"
            ),
        )
    _layout(fig, f"Tone toward each top entity, per outlet ({scorer})", height=max(320, 60 + 30 * len(names)))
    fig.update_yaxes(categoryorder="array", categoryarray=order, title_text=None, showgrid=True)
    fig.update_xaxes(title_text="Mean tone of the sentences naming it (−1 negative … +1 positive)", range=[-1.05, 1.05])
    return fig


def tone_arc_chart(
    sentences: pd.DataFrame, articles: pd.DataFrame, *, colors: Mapping[str, str], scorer: str = "TextBlob"
) -> go.Figure:
    """Sentence-by-sentence tone arc of each article, one line per article coloured by outlet.

    ``sentences`` needs article_id, outlet, position, polarity, text; ``articles`` needs article_id and
    title (an untitled article is named by its first words).
    """
    if sentences.empty:
        return empty_figure("No sentences in the selection.")
    opening = sentences.sort_values("position").drop_duplicates("article_id").set_index("article_id")["text"]
    names = {row.article_id: display_title(row.title, opening.get(row.article_id, ""), words=8)
             for row in articles.itertuples(index=False)}
    fig = go.Figure()
    fig.add_hline(y=0, line_color="#444", line_width=1)
    shown: set[str] = set()
    for (outlet, article_id), rows in sentences.sort_values("position").groupby(["outlet", "article_id"], sort=True):
        fig.add_scatter(
            x=rows["position"] + 1, y=rows["polarity"], mode="lines+markers", legendgroup=esc(outlet),
            name=esc(outlet), showlegend=outlet not in shown, line={"color": _color(colors, outlet), "width": 2},
            marker={"size": 6}, customdata=[[_wrap(t)] for t in rows["text"]],
            hovertemplate=(
                f"<b>{esc(outlet)}</b>: {esc(names.get(article_id, article_id))}"
                "<br>sentence %{x} · tone %{y:+.3f}<br>%{customdata[0]}<extra></extra>"
            ),
        )
        shown.add(outlet)
    _layout(fig, f"Tone arc: sentence by sentence through each article ({scorer})")
    fig.update_yaxes(title_text="Sentence tone (polarity)", range=[-1.05, 1.05])
    fig.update_xaxes(title_text="Sentence number (1 = headline or first sentence)", rangemode="tozero")
    return fig


# --- Emphasis -------------------------------------------------------------------------------


def exclusive_chart(entities: pd.DataFrame, *, colors: Mapping[str, str], n: int = 15) -> go.Figure:
    """Entities only one outlet mentions (``exclusive``), up to ``n`` per outlet, by mentions."""
    if entities.empty or "exclusive" not in entities:
        return empty_figure("No entities in the selection.")
    only = entities[entities["exclusive"].astype(bool)]
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


def messages_chart(messages: pd.DataFrame) -> go.Figure:
    """Key-message pull-through: message × outlet grid, green with ✓ where found, similarity as text.

    ``messages`` needs message, outlet, found, similarity, best_sentence.
    """
    if messages.empty:
        return empty_figure("Type key messages in the sidebar (one per line) to see which outlets carried them.")
    per = messages.sort_values("similarity", ascending=False).drop_duplicates(["message", "outlet"])
    order = list(dict.fromkeys(messages["message"]))
    outlets = sorted(per["outlet"].unique())
    sim = per.pivot(index="message", columns="outlet", values="similarity").reindex(index=order, columns=outlets)
    found = per.pivot(index="message", columns="outlet", values="found").reindex(index=order, columns=outlets)
    best = per.pivot(index="message", columns="outlet", values="best_sentence").reindex(index=order, columns=outlets)
    text = [
        [("✓ " if bool(f) else "✗ ") + ("" if is_missing(s) else f"{s:.2f}") for f, s in zip(frow, srow, strict=True)]
        for frow, srow in zip(found.fillna(False).to_numpy(), sim.to_numpy(), strict=True)
    ]
    custom = [[[_wrap(b, 60, 240), "" if is_missing(v) else f"{v:.2f}"] for b, v in zip(brow, srow, strict=True)]
              for brow, srow in zip(best.to_numpy(), sim.to_numpy(), strict=True)]
    # colour says found or not (messages.FOUND_THRESHOLD), the text gives the similarity
    fig = go.Figure(
        go.Heatmap(
            z=found.fillna(False).astype(float).to_numpy(), x=[esc(o) for o in outlets],
            y=[_wrap(m, 50, 160) for m in order], zmin=0, zmax=1, showscale=False,
            colorscale=[[0.0, "#ececec"], [1.0, "#1a9850"]], text=text, texttemplate="%{text}",
            customdata=custom, xgap=3, ygap=3,
            hovertemplate=(
                "<b>%{x}</b><br>similarity %{customdata[1]}<br>closest sentence:<br>%{customdata[0]}<extra></extra>"
            ),
        )
    )
    _layout(fig, "Key-message pull-through: which outlet carried which message (✓ found, with its similarity)",
            height=max(240, 110 + 50 * len(order)))
    fig.update_layout(margin={"t": 90})
    fig.update_yaxes(autorange="reversed", title_text=None)
    fig.update_xaxes(title_text=None, side="top")
    return fig


# --- tables for display ------------------------------------------------------------------------

ANGLES = [
    "story", "outlet", "sentence", "best_match", "unique", "closest_outlet", "closest_sentence", "article_id",
    "position",
]


def unique_angles(sentences: pd.DataFrame, *, n: int = 5) -> pd.DataFrame:
    """Each outlet's ``n`` least-matched sentences per story beside their closest counterpart.

    ``sentences`` is the ``sentences`` table (best_match, unique, matched_outlet, matched_text).
    Returns columns ``ANGLES``: story, outlet, sentence (its text), best_match, unique,
    closest_outlet, closest_sentence (the other outlet's closest sentence), article_id, position;
    sorted by story, outlet, best_match ascending. Empty when nothing was matched (one outlet in
    the story). Headlines are left out: they are too short to compare.
    """
    have = sentences.dropna(subset=["best_match"]) if "best_match" in sentences else sentences.iloc[0:0]
    if "is_title" in have:
        have = have[~have["is_title"].astype(bool)]
    if have.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "best_match" else "object") for c in ANGLES})
    worst = (
        have.sort_values(["story", "outlet", "best_match", "article_id", "position"])
        .groupby(["story", "outlet"], sort=True).head(n)
    )
    out = worst.rename(
        columns={"text": "sentence", "matched_outlet": "closest_outlet", "matched_text": "closest_sentence"}
    )
    if "unique" not in out:
        out = out.assign(unique=pd.NA)
    return out[ANGLES].reset_index(drop=True)


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
    unit: str = "day",
) -> go.Figure:
    """Each outlet's share (or count, ``measure="articles"``) of the selection's articles, stacked:
    per period (``unit``: day or week) when ``shares`` is :func:`analysis.voice.outlet_share` by
    period, per story (one horizontal bar each, named by ``story_name``) when it is by story."""
    if measure not in {"share", "articles"}:
        raise ValueError(f"measure must be 'share' or 'articles', not {measure!r}")
    by = "story" if "story" in shares.columns else "period"
    if shares.empty:
        return empty_figure("No article in the selection has a publication date." if by == "period"
                            else "No articles in the selection.")
    fig = go.Figure()
    value = "%{customdata[1]:.1%} of the articles" if by == "period" else "%{customdata[1]:.1%} of the story's articles"
    for outlet, rows in shares.groupby("outlet", sort=True):
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
        _layout(fig, "Each outlet's share of each story's articles" if measure == "share"
                else "Articles per story and outlet", barmode="stack", height=max(220, 110 + 36 * len(stories)))
        fig.update_layout(legend={"traceorder": "normal"})
        fig.update_yaxes(categoryorder="array", categoryarray=[esc(story_name(s)) for s in reversed(stories)],
                         title_text=None)
        fig.update_xaxes(title_text=label, tickformat=".0%" if measure == "share" else None, rangemode="tozero")
    return fig
