"""Sentiment figures: sentence tone per outlet, tone toward entities, an article's tone arc."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ..entities import MIN_EVIDENCE
from ..utils import display_title
from ..utils import plotly_esc as esc  # plotly shows &quot; as typed: quotes stay unescaped
from .base import _color, _layout, _wrap, empty_figure, fold, outlet_order
from .coverage import _top_entities

WEAK = "#bdbdbd"  # a tone estimate from too few mentions to read
WEAK_BAR = "#dddddd"  # and its interval, lighter: it spans most of the axis

# --- Sentiment ------------------------------------------------------------------------------


def sentence_tone_chart(sentences: pd.DataFrame, *, colors: Mapping[str, str], scorer: str = "TextBlob") -> go.Figure:
    """Tone per outlet: the spread of its sentences' polarity (box with every sentence as a dot; the
    hover says how many sentences the outlet's box rests on).

    ``sentences`` needs outlet, polarity, subjectivity, text.
    """
    if sentences.empty:
        return empty_figure("No sentences in the selection.")
    sentences = fold(sentences, colors)
    fig = go.Figure()
    for outlet in outlet_order(sentences["outlet"]):
        rows = sentences[sentences["outlet"] == outlet]
        fig.add_box(
            y=rows["polarity"], name=esc(outlet), marker_color=_color(colors, outlet), boxpoints="all",
            jitter=0.4, pointpos=0, boxmean=True,
            customdata=[[_wrap(t), s] for t, s in zip(rows["text"], rows["subjectivity"], strict=True)],
            hovertemplate=("tone %{y:+.3f} · subjectivity %{customdata[1]:.2f}<br>%{customdata[0]}"
                           f"<extra>%{{x}}: one of {len(rows)} sentences</extra>"),
        )
    _layout(fig, f"Tone per outlet: every sentence ({scorer}; dashed line = mean)", showlegend=False)
    fig.update_yaxes(title_text="Sentence tone (polarity)", range=[-1.05, 1.05], zeroline=True, zerolinecolor="#444")
    fig.update_xaxes(title_text="Outlet")
    return fig


def entity_tone_chart(
    entities: pd.DataFrame, *, colors: Mapping[str, str], n: int = 10, scorer: str = "TextBlob"
) -> go.Figure:
    """Diverging dots: the tone toward each top entity (mean ``tone_score`` of its mentions, by the
    target-aware model of ``analysis.tone``), one dot per outlet with its 95% interval as an error
    bar (:func:`analysis.entities.tone_interval`); a dot from fewer than ``MIN_EVIDENCE`` (3)
    mentions is grey, ringed in the outlet's colour. Hover: the mentions behind it, negative and
    positive, and the sentence tone by ``scorer``."""
    per, names = _top_entities(entities, n=n, colors=colors)
    if not names:
        return empty_figure("No entities in the selection.")
    order = [esc(e) for e in reversed(names)]
    shown = per[per["entity"].isin(names)]
    row = min(120, max(30, 8 * shown["outlet"].nunique()))  # each outlet's dot on its own line of the row
    fig = go.Figure()
    fig.add_vline(x=0, line_color="#444", line_width=1)
    for outlet in outlet_order(shown["outlet"]):
        rows = shown[shown["outlet"] == outlet]
        color = _color(colors, outlet)
        weak = rows["mentions"] < MIN_EVIDENCE
        for is_weak, part in ((False, rows[~weak]), (True, rows[weak])):
            if part.empty:
                continue
            fig.add_scatter(
                y=[esc(e) for e in part["entity"]], x=part["tone"], mode="markers", name=esc(outlet),
                legendgroup=esc(outlet), showlegend=not is_weak or not (~weak).any(), offsetgroup=esc(outlet),
                orientation="h",
                marker={"color": WEAK if is_weak else color, "size": 9 if is_weak else 12,
                        "line": {"width": 2 if is_weak else 1, "color": color if is_weak else "white"}},
                error_x={"type": "data", "symmetric": False, "array": (part["tone_high"] - part["tone"]).to_numpy(),
                         "arrayminus": (part["tone"] - part["tone_low"]).to_numpy(),
                         "color": WEAK_BAR if is_weak else color, "thickness": 1 if is_weak else 1.5, "width": 3},
                customdata=part[["mentions", "negative_mentions", "positive_mentions", "polarity", "tone_low",
                                 "tone_high"]].to_numpy(),
                hovertemplate=(
                    f"<b>%{{y}}</b> in {esc(outlet)}<br>tone toward it %{{x:+.3f}} "
                    "(95% interval %{customdata[4]:+.2f} to %{customdata[5]:+.2f})"
                    "<br>%{customdata[0]} mentions: %{customdata[1]} negative, %{customdata[2]} positive"
                    + (f"<br><i>fewer than {MIN_EVIDENCE} mentions: too few to read</i>" if is_weak else "")
                    + f"<br>tone of the sentences naming it ({scorer}) %{{customdata[3]:+.3f}}<extra></extra>"
                ),
            )
    _layout(fig, f"Tone toward each top entity, per outlet (bars: 95% interval; grey: fewer than {MIN_EVIDENCE} "
                 "mentions)", height=max(320, 80 + len(names) * row), scattermode="group")
    fig.update_yaxes(categoryorder="array", categoryarray=order, title_text=None, showgrid=True)
    fig.update_xaxes(title_text="Mean tone toward it (P(positive) − P(negative) per mention)", range=[-1.05, 1.05])
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
    sentences = fold(sentences, colors)
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
