"""Plotly figures for the dashboard and the report: pure functions from the metric tables to ``go.Figure``.

Every figure colours an outlet the same way, from one ``outlet_colors`` mapping built over the whole
corpus (so a colour does not change when the selection does). Titles and axes use the analyst's
words and hovering shows the numbers. Text from articles (outlet names, entities, sentences, terms)
is HTML-escaped before it reaches plotly, which renders a subset of HTML in labels and hover text
and decodes the entities back, so ``<b>`` in an outlet's name shows as ``<b>`` (quotes are left as
they are: plotly does not decode ``&quot;``; see ``utils.plotly_esc``).

One module per view: ``coverage`` (Overview, Entities), ``sentiment``, ``emphasis`` (with the
unique-angles display table), ``voice`` (Share of voice); ``base`` holds the palette and layout.
None of these functions mutates its input or imports streamlit.
"""

from ..angles import ANGLES
from .base import (
    MAX_OUTLETS,
    NEUTRAL,
    OTHERS_COLOR,
    PALETTE,
    TONE_SCALE,
    empty_figure,
    local_colors,
    outlet_colors,
    screen_colors,
    template,
)
from .coverage import (
    entity_heatmap,
    outlet_entities,
    spans_several_days,
    timeline_chart,
    tone_chart,
    top_entities_chart,
    top_entity_names,
    volume_chart,
)
from .emphasis import exclusive_chart, messages_chart, rollup_chart, terms_chart, unique_angles
from .sentiment import entity_tone_chart, sentence_tone_chart, tone_arc_chart
from .voice import ENTITY_STYLES, outlet_share_chart, voice_chart

__all__ = [
    "ANGLES", "ENTITY_STYLES", "MAX_OUTLETS", "NEUTRAL", "OTHERS_COLOR", "PALETTE", "TONE_SCALE", "empty_figure",
    "entity_heatmap", "entity_tone_chart", "exclusive_chart", "local_colors", "messages_chart", "outlet_colors",
    "outlet_entities", "outlet_share_chart", "rollup_chart", "screen_colors", "sentence_tone_chart",
    "spans_several_days", "template", "terms_chart", "timeline_chart", "tone_arc_chart", "tone_chart",
    "top_entities_chart", "top_entity_names", "unique_angles", "voice_chart", "volume_chart",
]
