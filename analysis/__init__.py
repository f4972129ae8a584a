"""Coverage Lens: how different news outlets cover the same story.

Data flows one way: files -> ``load_corpus`` -> ``analyse`` (repair, sentences, mentions, tone)
-> ``select`` (a ``Selection``: outlets, stories, dates, articles) -> ``build_tables`` -> CSV.
Every function is pure: it takes and returns DataFrames and never mutates its input.
"""

from .aliases import Aliases, read_aliases
from .claims import Claim, claim_scores, parse_claim, read_sentence
from .entities import entity_table
from .export import (
    article_table,
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
from .loaders import Corpus, LoadError, load_corpus, load_files
from .messages import message_pullthrough
from .pipeline import Analysis, analyse, apply_sentiment, select
from .repair import Repaired, repair_text, unrepair
from .schema import TABLES
from .segment import paragraphs
from .selection import Selection
from .sentiment import SCORERS, score_texts
from .versions import __version__
from .voice import outlet_share, voice_table

__all__ = [
    "Aliases",
    "Analysis",
    "Claim",
    "Corpus",
    "Extracted",
    "LoadError",
    "Repaired",
    "SCORERS",
    "Selection",
    "__version__",
    "TABLES",
    "analyse",
    "apply_sentiment",
    "article_table",
    "build_tables",
    "claim_scores",
    "csv_tables",
    "entity_table",
    "extract",
    "load_corpus",
    "load_files",
    "message_pullthrough",
    "neutralise",
    "outlet_share",
    "paragraphs",
    "parse_claim",
    "read_aliases",
    "read_sentence",
    "repair_text",
    "score_texts",
    "select",
    "sentence_table",
    "sentence_tables",
    "to_csv_bytes",
    "unrepair",
    "voice_table",
    "write_tables",
    "zip_tables",
]
