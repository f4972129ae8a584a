"""Column contracts of every table the package produces.

One place names the columns of each tidy table, so the CLI, the dashboard, the store and the
README's data dictionary (checked by ``tests/test_docs.py``) cannot drift apart: every module
takes its column lists from here.
"""

from __future__ import annotations

from pathlib import Path

# Loaded articles (one row per article), as returned by ``analysis.load_corpus``.
ARTICLE_FIELDS = [
    "article_id", "outlet", "title", "published", "url", "author", "story", "text", "source", "outlet_group",
]

# Exported tables (one row per observation); the order is the CSV column order.
ARTICLES = [
    "article_id", "outlet", "title", "published", "url", "author", "story", "copy_of", "source",
    "words", "sentences", "polarity", "subjectivity", "repairs", "outlet_group",
]
SENTENCES = [
    "article_id", "outlet", "story", "position", "paragraph", "is_title", "start", "end", "text",
    "polarity", "subjectivity", "entities",
    "best_match", "matched_outlet", "matched_article_id", "matched_position", "matched_text", "unique",
]
MENTIONS = [
    "article_id", "outlet", "story", "entity", "label", "text", "sentence", "start", "end",
    "polarity", "subjectivity", "tone", "tone_score", "self_mention",
]
ENTITIES = [
    "story", "outlet", "entity", "label", "mentions", "articles", "share", "polarity", "subjectivity",
    "tone", "negative_mentions", "positive_mentions", "exclusive", "emphasis", "first_seen", "tone_low", "tone_high",
]
VOICE = ["period", "outlet", "entity", "mentions", "share"]
TERMS = ["story", "outlet", "term", "count", "z"]
QUOTES = ["story", "outlet", "article_id", "sentence", "speaker", "entity", "confidence", "quote"]
MESSAGES = ["story", "outlet", "message", "found", "similarity", "best_sentence", "article_id", "first_seen"]
STORIES = ["story", "name", "first_date", "last_date", "articles", "copies", "outlets", "missing_outlets"]

TONE = ["polarity", "subjectivity"]  # a sentence's tone, and the means of it
# the columns ``analysis.align.align_sentences`` adds to the sentences
ALIGNMENT = ["best_match", "matched_outlet", "matched_article_id", "matched_position", "matched_text", "unique"]
ENTITY_TONE = ["tone", "tone_score"]  # the tone toward a mention (``analysis.tone``)
FROM_ARTICLE = ["outlet", "story"]  # joined from the article by ``analysis.pipeline.apply_sentiment``

# Per-article results of ``analysis.extract`` (the store keeps them per analyser version): the
# exported tables without what the article, the sentiment scorer and the alignment add.
EXTRACTED = {
    "articles": ["article_id", "words", "sentences", "repairs", "length"],  # length: of the analysed document
    "sentences": [c for c in SENTENCES if c not in {*FROM_ARTICLE, *TONE, *ALIGNMENT}],
    "mentions": [c for c in MENTIONS if c not in {*FROM_ARTICLE, *TONE, *ENTITY_TONE, "self_mention"}],
}
# Sentence tone by a sentiment scorer (``scorer``: its version), as the engine's workers compute it.
TONES = ["article_id", "position", "scorer", *TONE]

# The fetch log of ``python -m analysis collect`` (one row per URL fetched; the store keeps it).
FETCHES = ["url", "final_url", "status", "reason", "fetched_at", "content_hash", "article_id"]

TABLES: dict[str, list[str]] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "mentions": MENTIONS,
    "entities": ENTITIES,
    "voice": VOICE,
    "terms": TERMS,
    "quotes": QUOTES,
    "messages": MESSAGES,
    "stories": STORIES,
}

# Entity labels shown to analysts, mapped from spaCy's OntoNotes labels.
LABELS = {
    "PERSON": "person",
    "ORG": "organization",
    "PRODUCT": "product",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "EVENT": "event",
    "WORK_OF_ART": "product",
}


def _stop_words() -> frozenset[str]:
    path = Path(__file__).resolve().parent.parent / "data" / "stopwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


# spaCy's English stop words, shipped as a data file so that reading them does not import spaCy
STOP_WORDS = _stop_words()
