"""Coverage Lens: how different news outlets cover the same story.

Data flows one way: files -> ``load_corpus`` -> ``analyse`` (repair, sentences, mentions, tone)
-> ``select`` (a ``Selection``: outlets, stories, dates, articles) -> ``build_tables`` -> CSV.
Every function is pure: it takes and returns DataFrames and never mutates its input.
"""

from .aliases import Aliases, read_aliases
from .angles import rank_angles
from .claims import Claim, claim_scores, parse_claim, read_sentence
from .entities import entity_table
from .export import (
    article_table,
    build_entities,
    build_tables,
    csv_tables,
    neutralise,
    sentence_table,
    sentence_tables,
    to_csv_bytes,
    write_tables,
    zip_tables,
)
from .extract import Extracted, extract
from .grouping import StoryIndex, assign_stories
from .loaders import Corpus, LoadError, load_corpus, load_files
from .messages import message_pullthrough
from .names import NameLinks, apply_links, link_mentions, link_names, name_inventory, self_mentions
from .outlets import fold_outlets, group_outlets, outlet_group, outlet_groups, top_outlets
from .pipeline import Analysis, analyse, apply_sentiment, select
from .repair import Repaired, repair_text, unrepair
from .rollup import outlet_rollup
from .schema import TABLES
from .segment import paragraphs
from .selection import Selection
from .sentiment import SCORERS, score_texts
from .stories import coverage_matrix, is_copy, stories_table, story_coverage
from .terms import distinctive_terms
from .versions import __version__
from .voice import outlet_share, voice_table

__all__ = [
    "Aliases",
    "Analysis",
    "Claim",
    "Corpus",
    "Extracted",
    "LoadError",
    "NameLinks",
    "Repaired",
    "SCORERS",
    "StoryIndex",
    "Selection",
    "__version__",
    "TABLES",
    "analyse",
    "apply_links",
    "apply_sentiment",
    "article_table",
    "build_entities",
    "assign_stories",
    "build_tables",
    "coverage_matrix",
    "claim_scores",
    "csv_tables",
    "distinctive_terms",
    "entity_table",
    "extract",
    "is_copy",
    "link_mentions",
    "link_names",
    "load_corpus",
    "load_files",
    "name_inventory",
    "message_pullthrough",
    "neutralise",
    "fold_outlets",
    "group_outlets",
    "outlet_group",
    "outlet_groups",
    "outlet_rollup",
    "outlet_share",
    "top_outlets",
    "paragraphs",
    "rank_angles",
    "parse_claim",
    "read_aliases",
    "read_sentence",
    "repair_text",
    "score_texts",
    "select",
    "self_mentions",
    "sentence_table",
    "sentence_tables",
    "stories_table",
    "story_coverage",
    "to_csv_bytes",
    "unrepair",
    "voice_table",
    "write_tables",
    "zip_tables",
]
