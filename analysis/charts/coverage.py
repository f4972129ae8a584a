"""Overview and Entities figures: coverage volume, tone and timeline per outlet; top entities."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from ..entities import tone_interval
from ..utils import plotly_esc as esc  # plotly shows &quot; as typed: quotes stay unescaped
from ..utils import published_dates, published_days
from .base import _color, _layout, drawn, empty_figure, fold, outlet_order, top_labels

# --- Overview -------------------------------------------------------------------------------


def volume_chart(articles: pd.DataFrame, *, colors: Mapping[str, str]) -> go.Figure:
    """Coverage volume: words published per outlet, with articles and sentences on hover.

    ``articles`` needs outlet, article_id, words, sentences (the ``articles`` table).
    """
    if articles.empty:
        return empty_figure("No articles in the selection.")
    # the outlets folded away are left out and counted in the title: their sum would dwarf every bar
    shown = drawn(articles, colors)
    per = _per_outlet(shown, words=("words", "sum"), sentences=("sentences", "sum"))
    fig = _outlet_bars(per, colors, "words", lambda row: {
        "text": [f"{row.articles} article{'s' if row.articles != 1 else ''}"], "textposition": "auto",
        "customdata": [[row.articles, row.sentences]],
        "hovertemplate": (
            "<b>%{x}</b><br>%{y:,} words<br>%{customdata[0]} articles<br>%{customdata[1]} sentences<extra></extra>"
        ),
    })
    _layout(fig, "Coverage volume: words published per outlet", subtitle=_left_out(articles, shown), showlegend=False)
    fig.update_yaxes(title_text="Words", rangemode="tozero")
    fig.update_xaxes(title_text="Outlet")
    return fig


def _left_out(articles: pd.DataFrame, shown: pd.DataFrame) -> str:
    """The subtitle's note on the outlets a chart leaves out (empty when it draws them all)."""
    n = articles["outlet"].nunique() - shown["outlet"].nunique()
    if n <= 0:
        return ""
    rest = articles[~articles["outlet"].isin(shown["outlet"])]
    return (f"The {shown['outlet'].nunique()} outlets with most articles; {n} others: "
            f"{rest['article_id'].nunique():,} articles")


def tone_chart(articles: pd.DataFrame, *, colors: Mapping[str, str], scorer: str = "TextBlob") -> go.Figure:
    """Mean article tone per outlet (polarity, −1 negative to +1 positive), subjectivity on hover.

    ``articles`` needs outlet, article_id, polarity, subjectivity.
    """
    if articles.empty:
        return empty_figure("No articles in the selection.")
    per = _per_outlet(fold(articles, colors), polarity=("polarity", "mean"), subjectivity=("subjectivity", "mean"))
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
    """One row per outlet (sorted, "Others" last): its ``articles`` and the named aggregates of ``measures``."""
    per = articles.groupby("outlet", sort=True).agg(articles=("article_id", "nunique"), **measures)
    return per.reindex(outlet_order(per.index)).reset_index()


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


def spans_several_days(articles: pd.DataFrame) -> bool:
    """Whether the dated ``articles`` were published on more than one day (the timeline's condition)."""
    days = published_days(articles["published"])
    return days[days != ""].nunique() > 1


# above this many days from the first article to the last, the timeline counts weeks, not days
WEEKLY_AFTER_DAYS = 92


def timeline_chart(articles: pd.DataFrame, *, colors: Mapping[str, str]) -> go.Figure:
    """Attention over time: articles published per day (per week past ``WEEKLY_AFTER_DAYS``),
    a bar per day stacked by outlet, so outlets with the same counts never hide one another
    (undated articles left out).

    ``articles`` needs outlet, published (``YYYY-MM-DD``), article_id, words.
    """
    shown = fold(articles, colors)  # the outlets past the palette stack as one "Others" segment
    day = published_dates(shown["published"])
    dated = shown.assign(day=day).dropna(subset=["day"])
    if dated.empty:
        return empty_figure("No article in the selection has a publication date.")
    weekly = (dated["day"].max() - dated["day"].min()).days > WEEKLY_AFTER_DAYS
    if weekly:  # the Monday of the article's week
        dated = dated.assign(day=dated["day"] - pd.to_timedelta(dated["day"].dt.day_of_week, unit="D"))
    per = dated.groupby(["outlet", "day"]).agg(articles=("article_id", "nunique"), words=("words", "sum")).reset_index()
    period, when = ("week", "week of %{x|%Y-%m-%d}") if weekly else ("day", "%{x|%Y-%m-%d}")
    fig = go.Figure()
    for outlet in outlet_order(per["outlet"]):
        rows = per[per["outlet"] == outlet]
        fig.add_bar(
            x=rows["day"], y=rows["articles"], name=esc(outlet), marker_color=_color(colors, outlet),
            customdata=rows[["words"]].to_numpy(),
            hovertemplate=(
                f"<b>{esc(outlet)}</b><br>{when}<br>%{{y}} articles<br>%{{customdata[0]:,}} words<extra></extra>"
            ),
        )
    _layout(fig, f"Attention over time: articles per {period}, stacked by outlet")
    fig.update_layout(barmode="stack", bargap=0.15)
    total = per.groupby("day")["articles"].sum().max()
    fig.update_yaxes(title_text=f"Articles published per {period}", rangemode="tozero",
                     dtick=1 if total <= 10 else None)
    fig.update_xaxes(title_text="Publication date" if not weekly else "Publication week (Monday)")
    return fig


# --- Entities -------------------------------------------------------------------------------


def outlet_entities(entities: pd.DataFrame) -> pd.DataFrame:
    """The entity table summed over stories: one row per outlet and entity.

    Columns: outlet, entity, label, mentions, share (of the outlet's entity mentions in the selection),
    polarity, subjectivity, tone (mention-weighted means), negative_mentions, positive_mentions
    (sums), tone_low, tone_high (the interval of the summed tone from all its mentions,
    :func:`analysis.entities.tone_interval`). With one story it equals that story's rows.
    """
    columns = ["outlet", "entity", "label", "mentions", "share", "polarity", "subjectivity", "tone",
               "negative_mentions", "positive_mentions", "tone_low", "tone_high"]
    if entities.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in columns[3:] else "object") for c in columns})
    weighted = entities.assign(
        _p=entities["polarity"] * entities["mentions"], _s=entities["subjectivity"] * entities["mentions"],
        _t=entities["tone"] * entities["mentions"],
    )
    label = (
        entities.sort_values("mentions", ascending=False).drop_duplicates(["outlet", "entity"])
        .set_index(["outlet", "entity"])["label"]
    )
    per = weighted.groupby(["outlet", "entity"]).agg(
        mentions=("mentions", "sum"), _p=("_p", "sum"), _s=("_s", "sum"), _t=("_t", "sum"),
        negative_mentions=("negative_mentions", "sum"), positive_mentions=("positive_mentions", "sum"),
    )
    per["polarity"] = per["_p"] / per["mentions"]
    per["subjectivity"] = per["_s"] / per["mentions"]
    per["tone"] = per["_t"] / per["mentions"]
    per["share"] = per["mentions"] / per.groupby(level="outlet")["mentions"].transform("sum")
    per["tone_low"], per["tone_high"] = tone_interval(per["tone"], per["mentions"])
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


def _top_entities(entities: pd.DataFrame, *, n: int, measure: str = "share",
                  colors: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """:func:`outlet_entities` (the outlets ``colors`` folds away summed as "Others") and
    :func:`top_entity_names` for a chart of ``measure`` (share or mentions)."""
    if measure not in {"share", "mentions"}:
        raise ValueError(f"measure must be 'share' or 'mentions', not {measure!r}")
    return outlet_entities(fold(entities, colors or {})), top_entity_names(entities, n=n)


def top_entities_chart(
    entities: pd.DataFrame, *, colors: Mapping[str, str], n: int = 10, measure: str = "share"
) -> go.Figure:
    """Grouped horizontal bars: the top ``n`` entities, one bar per outlet.

    ``measure`` is ``"share"`` (of the outlet's entity mentions) or ``"mentions"`` (raw count).
    ``entities`` is the entities table (any number of stories).
    """
    per, names = _top_entities(entities, n=n, measure=measure, colors=colors)
    if not names:
        return empty_figure("No entities in the selection.")
    fig = go.Figure()
    order = [esc(e) for e in reversed(names)]  # most mentioned at the top
    top = per[per["entity"].isin(names)]
    # added in reverse so the first outlet's bar sits on top of each group, as in the legend
    for outlet in reversed(outlet_order(top["outlet"])):
        rows = top[top["outlet"] == outlet]
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


def _percent(share: float) -> str:
    """A share as the heatmap writes it: "12%", or "<1%" for a share that rounds to 0.

    >>> _percent(0.123), _percent(0.004)
    ('12%', '<1%')
    """
    return "<1%" if share < 0.005 else f"{share:.0%}"


def entity_heatmap(entities: pd.DataFrame, *, n: int = 20, measure: str = "share",
                   colors: Mapping[str, str] | None = None) -> go.Figure:
    """Entity × outlet heatmap of ``measure`` (share or mentions) for the top ``n`` entities; the
    outlets ``colors`` folds away (:func:`analysis.charts.base.screen_colors`) make one "Others" column."""
    per, names = _top_entities(entities, n=n, measure=measure, colors=colors)
    if not names:
        return empty_figure("No entities in the selection.")
    grid = per.pivot_table(index="entity", columns="outlet", values=measure, aggfunc="sum").reindex(names)
    grid = grid.reindex(columns=outlet_order(grid.columns))
    grid = grid.fillna(0)
    counts = per.pivot_table(index="entity", columns="outlet", values="mentions", aggfunc="sum").reindex(names)
    counts = counts.reindex(columns=grid.columns).fillna(0).astype(int)
    # an outlet that never names the entity gets an empty cell; one that names it gets at least "<1%", never "0%"
    text = [
        [("" if c == 0 else _percent(v) if measure == "share" else f"{int(v)}") for v, c in zip(row, crow, strict=True)]
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
    top_labels(fig, [str(o) for o in grid.columns])
    fig.update_yaxes(autorange="reversed", title_text=None)
    fig.update_xaxes(title_text=None)
    return fig
