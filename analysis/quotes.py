"""Voices: direct quotations and who speaks them.

Quotations are found per paragraph (a quote may run over several sentences) between curly
(“…”) or straight ("…") double quotes. A quoted phrase of one to three words (“serverless”,
“make sense”) is a scare quote or a term, not a quotation, and is skipped.

The speaker is read from the attribution next to the quote, in this order:
1. after it: ``“…,” a Microsoft spokesperson told me`` / ``“…,” said Dana Ortiz``;
2. before it, in the same sentence: ``Microsoft said that it is “…”`` / ``with Nadella saying … “…”``
   / ``according to the post, … “…”``;
3. otherwise a quote continues the previous speaker when it follows that speaker's quote in the
   same or the next paragraph (the usual way a long quotation goes on); else the speaker is empty.

A speaker phrase loses its article (``a``/``the``); when it ends in a name after a role
(``chief executive Dana Ortiz``) the name is kept. A document as speaker (``the post said``,
``according to the statement``) is credited to the last person or organisation quoted in the
article, when there is one: TechRepublic writes "In the post, Microsoft said …" and then "…, the
post said", so both quotes are Microsoft's (the post is Microsoft's blog post).

``entity`` is the canonical entity of a mention (``mentions`` table) inside the speaker phrase,
else the phrase's run of capitalised words (``Microsoft spokesperson`` -> ``Microsoft``).
"""

from __future__ import annotations

import re
from collections import namedtuple
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import QUOTES

MIN_QUOTE_WORDS = 4

_VERBS = (
    r"said|says|say|saying|told|tells|tell|telling|added|adds|adding|explained|explains|noted|notes|"
    r"wrote|writes|writing|stated|states|announced|announces|asked|asks|argued|argues|claimed|claims|"
    r"commented|comments|continued|continues|insisted|insists|remarked|replied|replies|warned|warns|"
    r"acknowledged|admitted|admits|confirmed|confirms|declared|emphasized|emphasised|suggested|"
    r"suggests|tweeted|posted|recalled|recalls|predicted|predicts|promised|promises"
)
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_AFTER = re.compile(rf"^\s*[,.]?\s*(?P<speaker>[^\s.,;:!?“”\"][^.,;:!?“”\"]{{0,80}}?)\s+(?:{_VERBS})\b")
_AFTER_INVERTED = re.compile(rf"^\s*[,.]?\s*(?:{_VERBS})\s+(?P<speaker>[^.,;:!?“”\"]{{1,80}}?)\s*(?:[.,;:!?]|$)")
_ACCORDING = re.compile(r"\baccording to (?P<speaker>[^.,;:!?“”\"]{1,80}?)\s*(?:[.,;:!?]|$)")
_QUOTE = re.compile(r"“(?P<curly>[^“”]*)(?:”|$)|\"(?P<straight>[^\"]*)(?:\"|$)")
_ARTICLES = {"a", "an", "the"}
_LEADING = _ARTICLES | {"with", "and", "but", "as", "while", "when", "then", "so", "also", "which", "who", "that"}
_TRAILING = {"also", "has", "have", "had", "was", "is", "will", "would", "recently", "later", "then",
             "previously", "today", "once", "further", "again", "still", "just"}
_DOCUMENTS = {"post", "blog post", "blog", "statement", "release", "press release", "report", "announcement",
              "filing", "letter", "email", "memo", "tweet", "website", "transcript", "document"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}


_Row = namedtuple("_Row", ["article_id", "outlet", "story", "position", "paragraph", "start", "text"])


@dataclass
class _Speaker:
    text: str
    start: int  # document offsets of the speaker phrase
    end: int


def extract_quotes(sentences: pd.DataFrame, *, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Direct quotations of each article with their speaker.

    Args:
        sentences: one row per sentence with ``article_id``, ``outlet``, ``story``, ``position``,
            ``paragraph``, ``start`` and ``text`` (offsets into the article's document). Not modified.
        mentions: optional entity mentions (``article_id``, ``entity``, ``start``, ``end``) used to
            give each speaker its canonical entity.

    Returns:
        DataFrame[story, outlet, article_id, sentence, speaker, entity, quote], one row per
        quotation in reading order: ``sentence`` is the position of the sentence where the quote
        opens, ``speaker`` the attribution as written (e.g. ``Microsoft spokesperson``; empty when
        unknown), ``entity`` its canonical entity (empty when none), ``quote`` the quoted words (a comma that
        closes the quotation is the reporter's and is dropped).

    >>> s = pd.DataFrame({"article_id": "a", "outlet": "X", "story": "", "position": [0, 1],
    ...     "paragraph": [0, 1], "start": [0, 100],
    ...     "text": ["“We will replace every battery,” chief executive Dana Ortiz said.",
    ...              "“This was entirely preventable.”"]})
    >>> for row in extract_quotes(s)[["sentence", "speaker", "entity", "quote"]].values.tolist():
    ...     print(row)
    [0, 'Dana Ortiz', 'Dana Ortiz', 'We will replace every battery']
    [1, 'Dana Ortiz', 'Dana Ortiz', 'This was entirely preventable.']
    """
    rows: list[dict] = []
    if sentences.empty:
        return pd.DataFrame(columns=QUOTES).astype({"sentence": "int64"})
    paragraph_of = sentences["paragraph"] if "paragraph" in sentences else sentences["position"]
    records = pd.DataFrame({
        "article_id": sentences["article_id"].astype(str).to_numpy(),
        "outlet": sentences["outlet"].astype(str).to_numpy(),
        "story": sentences["story"].fillna("").astype(str).to_numpy() if "story" in sentences else "",
        "position": sentences["position"].astype(int).to_numpy(),
        "paragraph": paragraph_of.astype(int).to_numpy(),
        "start": sentences["start"].astype(int).to_numpy(),
        "text": sentences["text"].fillna("").astype(str).to_numpy(),
    }).sort_values(["article_id", "paragraph", "start"], kind="stable")
    by_article = {}
    if mentions is not None and not mentions.empty:
        # Each article's mentions as arrays, by start (ties in table order).
        code, ids = pd.factorize(mentions["article_id"].astype(str))
        starts, ends = mentions["start"].to_numpy(), mentions["end"].to_numpy()
        order = np.lexsort((starts, code))
        edges = np.searchsorted(code[order], np.arange(len(ids) + 1))
        entities = mentions["entity"].to_numpy()
        for k, article in enumerate(ids):
            taken = order[edges[k] : edges[k + 1]]
            by_article[str(article)] = (starts[taken], ends[taken], entities[taken])
    article_rows: dict[str, list[tuple]] = {}
    # Rows from object arrays: itertuples iterates pandas' Arrow-backed strings one by one (6x slower).
    for row in map(_Row._make, zip(*(records[c].to_numpy(dtype=object) for c in _Row._fields), strict=True)):
        article_rows.setdefault(row.article_id, []).append(row)
    for article_id, article in article_rows.items():
        previous: tuple[str, str, int] | None = None  # speaker, entity, paragraph of the last quote
        last_named: tuple[str, str] | None = None
        article_mentions = by_article.get(article_id)
        paragraphs: dict[int, list] = {}
        for row in article:
            paragraphs.setdefault(row.paragraph, []).append(row)
        for paragraph, para in sorted(paragraphs.items()):
            if not any(mark in r.text for r in para for mark in ('"', "“")):
                continue
            text, para_start, owners = _paragraph_text(para)
            sentence_starts = sorted(owners)
            for match in _QUOTE.finditer(text):
                body = match.group("curly") if match.group("curly") is not None else match.group("straight")
                quote = body.strip().rstrip(",").rstrip()
                if len(re.findall(r"\w+(?:['’]\w+)?", quote)) < MIN_QUOTE_WORDS:
                    continue
                q_start, q_end = match.start(), match.end()
                opens_in = _owner(owners, sentence_starts, q_start)
                sentence_start = max(s for s in sentence_starts if s <= q_start)
                speaker = _after(text, q_end) or _before(text, sentence_start, q_start)
                if speaker is not None:
                    name = _clean(speaker.text)
                    if name.lower() in _DOCUMENTS and last_named is not None:
                        name, entity = last_named
                    elif name.lower() in _PRONOUNS and previous is not None:
                        name, entity = previous[0], previous[1]
                    else:
                        entity = _entity(name, speaker, para_start, article_mentions)
                        if name and name.lower() not in _DOCUMENTS:
                            last_named = (name, entity)
                elif previous is not None and paragraph - previous[2] <= 1:
                    name, entity = previous[0], previous[1]
                else:
                    name, entity = "", ""
                if name:
                    previous = (name, entity, paragraph)
                rows.append({
                    "story": para[0].story,
                    "outlet": para[0].outlet,
                    "article_id": article_id,
                    "sentence": int(opens_in),
                    "speaker": name,
                    "entity": entity,
                    "quote": quote,
                })
    out = pd.DataFrame(rows, columns=QUOTES)
    return out.astype({"sentence": "int64"})


def _paragraph_text(para: list) -> tuple[str, int, dict[int, int]]:
    """The paragraph's text rebuilt at its offsets, its document offset, and sentence starts."""
    start0 = min(row.start for row in para)
    parts: list[str] = []
    owners: dict[int, int] = {}
    cursor = 0
    for row in sorted(para, key=lambda r: r.start):
        local = row.start - start0
        if local > cursor:
            parts.append(" " * (local - cursor))
            cursor = local
        owners[cursor] = row.position
        parts.append(row.text)
        cursor += len(row.text)
    return "".join(parts), start0, owners


def _owner(owners: dict[int, int], starts: list[int], offset: int) -> int:
    return owners[max(s for s in starts if s <= offset)]


def _after(text: str, q_end: int) -> _Speaker | None:
    rest = text[q_end:]
    for pattern in (_AFTER_INVERTED, _AFTER):
        m = pattern.match(rest)
        if m and _plausible(m.group("speaker")):
            return _Speaker(m.group("speaker"), q_end + m.start("speaker"), q_end + m.end("speaker"))
    return None


def _before(text: str, sentence_start: int, q_start: int) -> _Speaker | None:
    lead = text[sentence_start:q_start]
    verbs = list(_VERB.finditer(lead))
    for verb in reversed(verbs):
        head = lead[: verb.start()]
        cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"), head.rfind("“"), head.rfind("”"))
        phrase_start = cut + 1
        phrase = head[phrase_start:]
        if _plausible(phrase):
            offset = sentence_start + phrase_start + (len(phrase) - len(phrase.lstrip()))
            return _Speaker(phrase.strip(), offset, offset + len(phrase.strip()))
    matches = list(_ACCORDING.finditer(lead))
    m = matches[-1] if matches else None  # the last "according to" before the quote
    if m is not None and _plausible(m.group("speaker")):
        return _Speaker(m.group("speaker"), sentence_start + m.start("speaker"), sentence_start + m.end("speaker"))
    return None


def _plausible(phrase: str) -> bool:
    words = _clean(phrase).split()
    return 0 < len(words) <= 6


def _clean(phrase: str) -> str:
    words = phrase.strip().split()
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        words.pop()
    if not words:
        return ""
    # "chief executive Dana Ortiz" -> "Dana Ortiz": a role in lower case, then a name.
    run = 0
    while run < len(words) and words[-1 - run][:1].isupper():
        run += 1
    if 0 < run < len(words) and words[-1 - run][:1].islower():
        words = words[-run:]
    return " ".join(words)


def _entity(name: str, speaker: _Speaker, para_start: int, mentions: tuple[np.ndarray, ...] | None) -> str:
    """The entity of the first mention (starts, ends, entities sorted by start) in the speaker phrase."""
    if mentions is not None:
        starts, ends, entities = mentions
        start, end = para_start + speaker.start, para_start + speaker.end
        inside = np.flatnonzero((starts < end) & (ends > start))
        if len(inside):
            return str(entities[inside[0]])
    capitalised = re.findall(r"(?:\b[A-Z][\w’'&.-]*(?:\s+|$))+", name + " ")
    return capitalised[0].strip() if capitalised else ""
