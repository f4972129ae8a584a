"""A report you can send: one self-contained HTML file of a selection's tables.

:func:`report_html` takes the tables ``analysis.build_tables`` makes and returns one HTML page:
the selection and its headline numbers, the charts of every dashboard view (interactive plotly,
its JavaScript embedded once, so the file needs no network), each outlet's exclusive entities,
unique angles beside their closest counterpart, quotes, key-message pull-through and each
table's first rows. Everything taken from articles (outlets, titles, sentences, entity names) is
HTML-escaped, by ``pandas.DataFrame.to_html``, by :mod:`analysis.charts` for the charts (plotly
writes their JSON with ``<`` as ``\\u003c``) and here. A Content-Security-Policy forbids the page any
request. Printing it (to PDF, from the browser) starts each section on a new page and keeps
charts and cards whole. Pure: tables in, a string out (plotly.js is read from the installed
package).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import pandas as pd

from . import charts, reader
from .schema import TABLES
from .selection import Selection
from .sentiment import SCORER_NAMES
from .utils import esc, published_days, text_of
from .voice import DAY_SPAN, outlet_share, period_unit

ARC_ARTICLES = 12  # articles in the tone arc, as the dashboard shows at first
PICKS = 3  # entities compared in the share of voice when none are given
CELL = 100  # characters of a text cell in the tables' first rows
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
       "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")
_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}

STYLE = """<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;background:#fff}
main{max-width:1100px;margin:0 auto;padding:1.5rem 2rem 3rem}
h1{font-size:1.7rem;margin:.2rem 0}
h2{font-size:1.3rem;margin:2.2rem 0 .6rem;padding-bottom:.3rem;border-bottom:2px solid #3d5a80}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
.lede{color:#555;margin:.2rem 0 1rem}
nav{font-size:.9rem;margin:.6rem 0 1rem}
nav a{color:#3d5a80;margin-right:.9rem;text-decoration:none}
.numbers{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}
.numbers div{border:1px solid #ddd;border-radius:6px;padding:.45rem .8rem;min-width:6.5rem}
.numbers b{display:block;font-size:1.35rem}
.numbers span{font-size:.8rem;color:#555}
dl.selection{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .9rem;font-size:.92rem;margin:.6rem 0}
dl.selection dt{color:#555}
dl.selection dd{margin:0}
.chart{margin:.6rem 0 1.2rem;break-inside:avoid;page-break-inside:avoid}
.note{font-size:.88rem;color:#555;margin:.3rem 0 .8rem}
.exclusive li{margin:.15rem 0}
.angles{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1rem}
table.cl-table{border-collapse:collapse;font-size:.78rem;margin:.3rem 0 1rem;width:100%}
table.cl-table th,table.cl-table td{border:1px solid #ddd;padding:.2rem .35rem;text-align:left;vertical-align:top}
table.cl-table th{background:#f3f5f8}
.tables{overflow-x:auto}
@page{size:A4;margin:12mm}
@media print{
  main{max-width:none;padding:0}
  nav{display:none}
  section{break-before:page;page-break-before:always}
  section:first-of-type{break-before:auto;page-break-before:auto}
  h2,h3{break-after:avoid;page-break-after:avoid}
  .cl-angle,tr,.numbers div{break-inside:avoid;page-break-inside:avoid}
  .tables{overflow:visible}
  table.cl-table{font-size:.62rem}
  table.cl-table td{word-break:break-word}
  .modebar-container{display:none}
}
</style>"""

# Plotly sizes a chart to the screen; a printed page is narrower: size each chart to the page
# before printing and let it follow the window again after.
PRINT_SCRIPT = """<script>
(function(){
  function each(f){document.querySelectorAll('.js-plotly-plot').forEach(function(el){try{f(el)}catch(e){}});}
  window.addEventListener('beforeprint',function(){each(function(el){Plotly.relayout(el,{width:690});});});
  window.addEventListener('afterprint',function(){each(function(el){Plotly.relayout(el,{width:null,autosize:true});});});
})();
</script>"""


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.js as the installed plotly ships it (about 4.8 MB), read once."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def report_html(
    tables: Mapping[str, pd.DataFrame],
    *,
    selection: Selection | None = None,
    sentiment: str = "textblob",
    messages: Sequence[str] = (),
    entities: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    title: str = "Coverage Lens report",
    generated: str = "",
    note: str = "",
    rows: int = 10,
) -> str:
    """The report of a selection: one HTML page holding everything it shows.

    Args:
        tables: the selection's tables, as ``analysis.build_tables`` returns them (``TABLES``'s names).
        selection: the filters that chose the articles (shown as given; None = everything).
        sentiment: the sentiment engine the tables were scored with (``analysis.SCORERS``).
        messages: the key messages ``tables["messages"]`` was made for.
        entities: the entities compared in the share of voice (default: the ``PICKS`` most mentioned).
        colors: outlet -> colour (default ``analysis.charts.outlet_colors`` of the selected outlets, or
            ``analysis.charts.screen_colors`` when they outnumber the palette).
        title, generated, note: the page's title, when it was made and a note under the title (plain text).
        rows: how many first rows of each table to show.

    Returns:
        The HTML page (UTF-8 text). Does not mutate ``tables``.
    """
    articles = tables["articles"]
    sentiment = SCORER_NAMES.get(sentiment, sentiment)
    if colors is None:  # by name, or by rank with "Others" past the palette (as the dashboard colours them)
        per = articles.groupby("outlet")["article_id"].nunique()
        many = len(per) > len(charts.PALETTE)
        colors = charts.screen_colors(per) if many else charts.outlet_colors(articles["outlet"])
    colors = dict(colors)
    entity_table = tables["entities"]
    picks = list(entities) if entities is not None else charts.top_entity_names(entity_table, n=PICKS)
    page = _Page()
    page.add(f"<header><h1>{esc(title)}</h1>")
    lede = [f"{_count(len(articles), 'article')} from {_count(articles['outlet'].nunique(), 'outlet')}",
            f"tone by {sentiment}"]
    if generated:
        lede.append(f"made {generated}")
    page.add(f'<p class="lede">{esc(" · ".join(lede))}</p>')
    if note:
        page.add(f'<p class="note">{esc(note)}</p>')
    page.add("<nav>" + "".join(f'<a href="#{key}">{esc(name)}</a>' for key, name in _SECTIONS) + "</nav></header>")

    page.section("selection")
    page.add(_selection_html(selection, articles, messages) + _numbers_html(tables))

    page.section("overview")
    page.chart(charts.volume_chart(articles, colors=colors))
    page.chart(charts.tone_chart(articles, colors=colors, scorer=sentiment))
    if charts.spans_several_days(articles):
        page.chart(charts.timeline_chart(articles, colors=colors))

    page.section("entities")
    page.chart(charts.top_entities_chart(entity_table, colors=colors, n=12))
    page.chart(charts.entity_heatmap(entity_table, n=20, colors=colors))

    page.section("voice")
    unit = period_unit(articles["published"])
    page.add(f'<p class="note">An entity\'s share of all entity mentions of the outlet in the {unit} (days when '
             f"the dated articles lie at most {DAY_SPAN} days apart, else weeks from their Monday). Compared: "
             + esc(", ".join(picks) or "no entity") + ".</p>")
    over_time = outlet_share(articles, by="period", unit=unit)
    page.chart(charts.voice_chart(tables["voice"], over_time, entities=picks, colors=colors, unit=unit))
    if over_time["period"].nunique() > 1:
        page.chart(charts.outlet_share_chart(over_time, colors=colors, unit=unit))
    page.chart(charts.outlet_share_chart(outlet_share(articles, by="story"), colors=colors, story_name=_story))

    sentences = tables["sentences"]
    page.section("sentiment")
    page.chart(charts.sentence_tone_chart(sentences, colors=colors, scorer=sentiment))
    page.chart(charts.entity_tone_chart(entity_table, colors=colors, n=12, scorer=sentiment))
    with_sentences = articles["article_id"][articles["article_id"].isin(sentences["article_id"])]
    arc = with_sentences.head(ARC_ARTICLES)
    if len(with_sentences) > ARC_ARTICLES:
        page.add(f'<p class="note">The tone arc shows the first {ARC_ARTICLES} of the {len(with_sentences):,} '
                 "articles.</p>")
    page.chart(charts.tone_arc_chart(sentences[sentences["article_id"].isin(arc)],
                                     articles[articles["article_id"].isin(arc)], colors=colors, scorer=sentiment))

    page.section("emphasis")
    page.add("<h3>Key-message pull-through</h3>")
    if messages:
        page.chart(charts.messages_chart(tables["messages"]))
        page.add(_table_html(tables["messages"], ["outlet", "message", "found", "similarity", "best_sentence"]))
    else:
        page.add('<p class="note">No key messages were given.</p>')
    page.add("<h3>What only one outlet mentions</h3>" + _exclusive_html(entity_table))
    page.chart(charts.exclusive_chart(entity_table, colors=colors))
    page.add("<h3>Unique angles</h3>" + _angles_html(sentences, colors))
    page.add("<h3>Distinctive terms</h3>")
    page.chart(charts.terms_chart(tables["terms"], colors=colors, n=10))
    page.add("<h3>Voices: who is quoted</h3>")
    quotes = tables["quotes"]
    page.add(_table_html(quotes, ["outlet", "speaker", "entity", "quote"], limit=50, cell=400)
             if len(quotes) else '<p class="note">No direct quotation found.</p>')

    page.section("tables")
    page.add('<p class="note">The first rows of each table; <code>python -m analysis export</code> with the same '
             "filters writes them whole (the data dictionary in the README explains every column).</p>")
    for name in TABLES:
        if name in tables:
            table = tables[name]
            page.add(f"<h3>{esc(name)}.csv</h3><p class=\"note\">{len(table):,} rows"
                     + (f"; the first {rows} shown" if len(table) > rows else "") + "</p>"
                     + _table_html(table, list(table.columns), limit=rows))
    return page.html(title)


_SECTIONS = [
    ("selection", "Selection"), ("overview", "Overview"), ("entities", "Entities"), ("voice", "Share of voice"),
    ("sentiment", "Sentiment"), ("emphasis", "Emphasis"), ("tables", "Tables"),
]


class _Page:
    """The page's parts in order; charts get stable ids (chart-1, chart-2, …)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.charts = 0
        self.open = False

    def add(self, html: str) -> None:
        self.parts.append(html)

    def section(self, key: str) -> None:
        if self.open:
            self.parts.append("</section>")
        self.parts.append(f'<section id="{key}"><h2>{esc(dict(_SECTIONS)[key])}</h2>')
        self.open = True

    def chart(self, fig) -> None:
        self.charts += 1
        height = fig.layout.height or 450
        self.parts.append('<div class="chart">' + fig.to_html(
            full_html=False, include_plotlyjs=False, div_id=f"chart-{self.charts}", config=_CONFIG,
            default_width="100%", default_height=f"{height}px",
        ) + "</div>")

    def html(self, title: str) -> str:
        if self.open:
            self.parts.append("</section>")
        head = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{esc(title)}</title>{STYLE}{reader.ANGLE_STYLE}"
                f'<script charset="utf-8">{plotly_js()}</script></head>\n<body><main>\n')
        return head + "\n".join(self.parts) + f"\n</main>{PRINT_SCRIPT}</body></html>\n"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _story(story: str) -> str:
    return story or "(no story)"


def _selection_html(selection: Selection | None, articles: pd.DataFrame, messages: Sequence[str]) -> str:
    selection = selection or Selection()

    def listed(values, everything: str) -> str:
        return everything if values is None else (", ".join(_story(v) if v == "" else v for v in values) or "none")

    days = published_days(articles["published"])
    dated = days[days != ""]
    asked = ("any day" if selection.since is None and selection.until is None
             else f"{selection.since or 'any day'} to {selection.until or 'any day'}")
    span = "" if dated.empty else dated.min() if dated.min() == dated.max() else f"{dated.min()} to {dated.max()}"
    rows = [
        ("Outlets", listed(selection.outlets, "all")),
        ("Stories", listed(selection.stories, "all")),
        ("Published", asked + (f" (the articles: {span})" if span else "")),
        ("Key messages", "; ".join(messages) or "none"),
    ]
    return '<dl class="selection">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


def _numbers_html(tables: Mapping[str, pd.DataFrame]) -> str:
    articles, entities = tables["articles"], tables["entities"]
    numbers = [
        (len(articles), "articles"), (articles["outlet"].nunique(), "outlets"),
        (articles["story"].nunique(), "stories"),
        (int(articles["words"].sum()), "words"), (int(articles["sentences"].sum()), "sentences"),
        (entities["entity"].nunique(), "entities"), (len(tables["mentions"]), "mentions"),
        (int(entities["exclusive"].astype(bool).sum()), "exclusive entities"), (len(tables["quotes"]), "quotes"),
    ]
    return '<div class="numbers">' + "".join(f"<div><b>{n:,}</b><span>{esc(what)}</span></div>"
                                             for n, what in numbers) + "</div>"


def _exclusive_html(entities: pd.DataFrame) -> str:
    only = entities[entities["exclusive"].astype(bool)] if len(entities) else entities
    if only.empty:
        return '<p class="note">No entity is named by one outlet alone (it takes two outlets in a story).</p>'
    keys = ["story", "outlet"]
    only = only.sort_values([*keys, "mentions", "entity"], ascending=[True, True, False, True])
    items = only.assign(item=[f"{esc(e)} ({m})" for e, m in zip(only["entity"], only["mentions"], strict=True)])
    names = items.groupby(keys, sort=True).head(15).groupby(keys, sort=True)["item"].agg(", ".join)
    counts = only.groupby(keys, sort=True).size()
    several = only["story"].nunique() > 1
    parts = ['<ul class="exclusive">']
    for (story, outlet), listed in names.items():
        more = counts[(story, outlet)] - min(15, counts[(story, outlet)])
        where = f" in {esc(_story(story))}" if several else ""
        parts.append(f"<li><b>{esc(outlet)}</b>{where}: {listed}{f' and {more} more' if more else ''}</li>")
    return "".join(parts) + "</ul>"


def _angles_html(sentences: pd.DataFrame, colors: Mapping[str, str]) -> str:
    stories = sentences["story"].nunique()
    n = 5 if stories <= 3 else 2  # a long report stays readable: two per outlet and story beyond three stories
    angles = charts.unique_angles(sentences, n=n)
    if angles.empty:
        return '<p class="note">Unique angles need at least two outlets covering the same story.</p>'
    parts = [f'<p class="note">Each outlet\'s {n} best unique angles per story (sentences no other outlet wrote, '
             "ranked by what they carry: rare words and names; fragments left out) above the closest sentence "
             "another outlet wrote about it (0 = nothing alike, 1 = the same point).</p>"]
    for story, rows in angles.groupby("story", sort=True):
        if stories > 1:
            parts.append(f"<p><b>Story: {esc(_story(story))}</b></p>")
        cards = (reader.angles_html(mine, outlet=outlet, color=colors.get(outlet, charts.NEUTRAL))
                 for outlet, mine in rows.groupby("outlet", sort=True))
        parts.append('<div class="angles">' + "".join(card.replace(reader.ANGLE_STYLE, "") for card in cards)
                     + "</div>")
    return "".join(parts)


def _table_html(table: pd.DataFrame, columns: Sequence[str], *, limit: int = 10, cell: int = CELL) -> str:
    """The first ``limit`` rows of ``table``'s ``columns`` as an escaped HTML table."""
    shown = table[list(columns)].head(limit).copy()
    for column in shown.columns:
        series = shown[column]
        if pd.api.types.is_float_dtype(series):
            shown[column] = series.map(lambda v: "" if pd.isna(v) else f"{v:.3f}")
        elif not pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            shown[column] = series.map(lambda v: _cut(text_of(v), cell))
    return '<div class="tables">' + shown.to_html(index=False, escape=True, na_rep="", border=0,
                                                  classes="cl-table") + "</div>"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
