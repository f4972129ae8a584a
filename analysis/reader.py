"""The article reader: escaped HTML of one article, entities highlighted, sentences tinted by tone.

Article text is untrusted: every piece of it (text, title, outlet, author, URL, entity names) goes
through ``html.escape`` before it is placed in markup, so ``<img src=x onerror=alert(1)>`` in an
article shows as those characters and runs nothing. The page is rebuilt from an ``Analysis``'
sentences and mentions (offsets into the analysed document), so what is highlighted is exactly
what was counted. Pure functions; no streamlit import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from .utils import display_title, esc, is_missing, text_of

# Entity labels (analysis.schema.LABELS values) -> underline colour (Okabe-Ito, colour-blind safe).
LABEL_COLORS = {
    "person": "#E69F00",
    "organization": "#0072B2",
    "product": "#CC79A7",
    "place": "#009E73",
    "group": "#D55E00",
    "event": "#56B4E9",
}
_OTHER = "#888888"
_WEB_LINK = re.compile(r"https?://[^\s/?#]+\S*", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&$:=\"'])")

STYLE = """<style>
.cl-reader{font-family:Georgia,'Times New Roman',serif;font-size:1.02rem;line-height:1.75;max-width:48rem;color:#222}
.cl-reader h3{font-family:sans-serif;font-size:1.3rem;line-height:1.35;margin:.2rem 0 .3rem 0}
.cl-reader h3.cl-untitled{color:#666;font-style:italic;font-weight:500}
.cl-reader .cl-meta{font-family:sans-serif;font-size:.85rem;color:#555;margin-bottom:.8rem}
.cl-reader .cl-s{border-radius:3px;padding:1px 0}
.cl-reader mark{background:rgba(255,255,255,.55);border-radius:2px;padding:0 1px;color:inherit;
  border-bottom:3px solid;font-weight:600}
.cl-reader p{margin:0 0 .9rem 0}
.cl-legend{font-family:sans-serif;font-size:.8rem;color:#444;margin-bottom:.6rem}
.cl-legend span{display:inline-block;border-radius:3px;padding:0 5px;margin:0 4px 3px 0}
.cl-legend .cl-key{border-bottom:3px solid;border-radius:0;font-weight:600}
</style>"""


def web_link(url: object) -> str:
    """``url`` when it is an ``http`` or ``https`` address, else ``""``: a table shows only these as
    links (an article's ``javascript:`` or ``data:`` URL would run in the dashboard's page).

    >>> [web_link(u) for u in ["https://a.example/x", " JavaScript:alert(1)", "data:text/html,x", None]]
    ['https://a.example/x', '', '', '']
    """
    raw = text_of(url).strip()
    return raw if _WEB_LINK.fullmatch(raw) else ""


def escape_markdown(text: object) -> str:
    """Backslash-escape Markdown and HTML punctuation so Streamlit shows ``text`` literally.

    >>> escape_markdown("**bad** <b>.md")
    '\\\\*\\\\*bad\\\\*\\\\* \\\\<b\\\\>\\\\.md'
    """
    raw = text_of(text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", raw.replace("\r", " ").replace("\n", " "))


def tone_color(polarity: float, *, strength: float = 0.35) -> str:
    """Background tint for a sentence: green for positive, red for negative, none for neutral.

    >>> tone_color(0.0)
    'transparent'
    >>> tone_color(1.0)
    'rgba(26, 152, 80, 0.35)'
    """
    if is_missing(polarity) or abs(float(polarity)) < 0.05:
        return "transparent"
    p = max(-1.0, min(1.0, float(polarity)))
    alpha = round(strength * (0.25 + 0.75 * abs(p)), 3)
    rgb = "26, 152, 80" if p > 0 else "215, 48, 39"
    return f"rgba({rgb}, {alpha})"


def _sentence_html(sentence: Mapping, mentions: pd.DataFrame) -> str:
    text = str(sentence["text"])
    base = int(sentence["start"])
    pieces: list[str] = []
    cursor = 0
    for m in mentions.sort_values("start").itertuples(index=False):
        start, end = int(m.start) - base, int(m.end) - base
        if start < cursor or end > len(text) or start >= end:
            continue  # outside this sentence or overlapping an earlier highlight
        pieces.append(esc(text[cursor:start]))
        label = str(m.label)
        score = getattr(m, "tone_score", None)  # the tone toward this mention (analysis.tone)
        toward = "" if is_missing(score) else f", {esc(m.tone)} toward it ({float(score):+.2f})"
        pieces.append(
            f'<mark class="cl-e" style="border-bottom-color:{LABEL_COLORS.get(label, _OTHER)}" '
            f'title="{esc(m.entity)} ({esc(label)}){toward}">{esc(text[start:end])}</mark>'
        )
        cursor = end
    pieces.append(esc(text[cursor:]))
    polarity, subjectivity = sentence.get("polarity"), sentence.get("subjectivity")
    tip = "tone n/a" if is_missing(polarity) else f"tone {float(polarity):+.2f}"
    if not is_missing(subjectivity):
        tip += f" · subjectivity {float(subjectivity):.2f}"
    return (
        f'<span class="cl-s" style="background-color:{tone_color(polarity)}" title="{esc(tip)}">'
        + "".join(pieces)
        + "</span>"
    )


def legend_html() -> str:
    """The colour key of the reader (entity types and tone tints)."""
    entities = "".join(
        f'<span class="cl-key" style="border-bottom-color:{color}">{esc(label)}</span>'
        for label, color in LABEL_COLORS.items()
    )
    tones = (
        f'<span style="background-color:{tone_color(0.6)}">positive sentence</span>'
        f'<span style="background-color:{tone_color(-0.6)}">negative sentence</span>'
        '<span style="border:1px solid #ccc">neutral</span>'
    )
    return f'<div class="cl-legend">Entities: {entities}<br>Tone: {tones} (hover a sentence for its score)</div>'


def article_html(article: Mapping, sentences: pd.DataFrame, mentions: pd.DataFrame, *, legend: bool = True) -> str:
    """Escaped HTML for one article.

    Args:
        article: a row of the ``articles`` table (outlet, title, published, url, author, text).
        sentences: that article's sentences (position, paragraph, is_title, start, end, text, polarity,
            subjectivity); other articles' rows must be filtered out by the caller.
        mentions: that article's mentions (entity, label, start, end), offsets as in ``sentences``.
        legend: put the colour key above the article.

    Returns:
        A ``<div class="cl-reader">`` (after a ``<style>`` block) where every headline or paragraph
        is a ``<h3>``/``<p>``, every sentence a ``<span class="cl-s">`` with its tone as background
        and ``title``, and every counted mention a ``<mark>`` titled with its canonical entity.
    """
    title = article.get("title")
    shown_title = display_title(title, article.get("text"))
    meta = [esc(article.get("outlet"))]
    for key in ("published", "author"):
        value = text_of(article.get(key)).strip()
        if value:
            meta.append(esc(value))
    url = text_of(article.get("url")).strip()
    if url:
        if re.match(r"^https?://", url, flags=re.IGNORECASE):
            meta.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">{esc(url)}</a>')
        else:
            meta.append(esc(url))
    parts = [STYLE, '<div class="cl-reader">']
    if legend:
        parts.append(legend_html())
    has_title_sentence = bool(len(sentences)) and sentences["is_title"].astype(bool).any()
    if not has_title_sentence:
        parts.append(
            f'<h3 class="cl-untitled" title="No headline: the first words of the text">{esc(shown_title)}</h3>'
        )
    meta_html = f'<div class="cl-meta">{" · ".join(meta)}</div>'
    if not has_title_sentence:
        parts.append(meta_html)
    if sentences.empty:
        parts.append("<p><em>This article has no text to show.</em></p>")
    ordered = sentences.sort_values("position")
    for _, rows in ordered.groupby("paragraph", sort=True):
        pieces: list[str] = []
        heading = bool(rows["is_title"].astype(bool).all())
        end = None
        for row in rows.to_dict("records"):
            if end is not None:
                pieces.append(" " if int(row["start"]) > end else "")  # sentences that touch stay touching
            inside = mentions[(mentions["start"] >= row["start"]) & (mentions["end"] <= row["end"])]
            pieces.append(_sentence_html(row, inside))
            end = int(row["end"])
        if heading:
            parts.append(f"<h3>{''.join(pieces)}</h3>")
            parts.append(meta_html)
        else:
            parts.append(f"<p>{''.join(pieces)}</p>")
    parts.append("</div>")
    return "\n".join(parts)


ANGLE_STYLE = """<style>
.cl-angles{font-family:sans-serif;font-size:.92rem;line-height:1.5}
.cl-angles h4{font-size:1rem;margin:.2rem 0 .5rem 0;padding-left:.5rem;border-left:5px solid}
.cl-angle{margin:0 0 .8rem 0;padding:.45rem .6rem;border:1px solid #e3e3e3;border-radius:6px;background:#fcfcfc}
.cl-angle .cl-own{color:#222}
.cl-angle .cl-match{color:#666;font-size:.84rem;margin-top:.3rem;padding-left:.6rem;border-left:2px solid #ddd}
.cl-angle .cl-score{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .35rem;border-radius:3px;
  margin-right:.35rem}
.cl-angle .cl-unique{background:#fde2c8;color:#8a3b00}
.cl-angle .cl-shared{background:#e8e8e8;color:#444}
</style>"""


def angles_html(angles: pd.DataFrame, *, outlet: str, color: str = "#888888") -> str:
    """Escaped cards of one outlet's unique angles, each above its closest counterpart.

    ``angles`` has the columns of ``analysis.charts.unique_angles`` (sentence, best_match,
    closest_outlet, closest_sentence) plus, optionally, ``unique``; only ``outlet``'s rows are shown.
    """
    rows = angles[angles["outlet"] == outlet]
    parts = [ANGLE_STYLE, f'<div class="cl-angles"><h4 style="border-left-color:{esc(color)}">{esc(outlet)}</h4>']
    if rows.empty:
        parts.append("<p><em>No sentence to compare.</em></p>")
    for row in rows.to_dict("records"):
        score = row.get("best_match")
        unique = not is_missing(row.get("unique")) and bool(row.get("unique"))
        badge = "cl-unique" if unique else "cl-shared"
        label = "unique" if unique else "shared"
        score_text = "n/a" if is_missing(score) else f"{float(score):.2f}"
        closest = row.get("closest_sentence")
        match = (
            f'closest in {esc(row.get("closest_outlet"))}: “{esc(closest)}”'
            if not is_missing(closest) else "no comparable sentence"
        )
        parts.append(
            f'<div class="cl-angle"><div class="cl-own"><span class="cl-score {badge}" '
            f'title="best match {esc(score_text)} (0 = nothing alike, 1 = the same point)">'
            f'{label} · {esc(score_text)}</span>'
            f'{esc(row.get("sentence"))}</div><div class="cl-match">{match}</div></div>'
        )
    parts.append("</div>")
    return "\n".join(parts)
