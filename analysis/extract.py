"""Per-article extraction: repaired text, sentences and entity mentions.

This is the expensive step (spaCy), done once per article and independent of any selection or
sentiment scorer; everything after it is cheap table work.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from .aliases import IGNORE, Aliases
from .cpu import one_blas_thread
from .lexicon import name_word
from .nlp import load_pipeline
from .repair import repair_text
from .schema import EXTRACTED, LABELS
from .segment import document, paragraphs

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_POSSESSIVE = re.compile(r"(?:['’‘]s|s['’‘]|['’‘])$")
_LEADING = re.compile(r"^(?:the|The|THE|this|that|these|those|a|an)\s+")  # "this L.A. Times" -> "L.A. Times"
_TITLES = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Gen|Sen|Senator|Rep|Representative|Gov|Governor|President|CEO)\.?\s+)+"
)
# A dateline opening the body: "WASHINGTON (AP) —", "NEW YORK —", "SAN FRANCISCO, Calif. —",
# "Mannheim, Germany (Sports Network) -". Its place and agency are where the story was filed,
# not what it is about.
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*(?:,\s+[A-Z][A-Za-z.]+(?:\s+[\w.]+)?)?"
    r"|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s+[A-Z][a-z.]+(?:\s[A-Z][a-z]+)?)"
    r"\s*(?:\([^()\n]{1,40}\))?\s*(?:[—–]|--?)\s"
)
_LAST_WORD = re.compile(r"\S+$")
_HEADLINE_WORD = re.compile(r"[A-Za-z][\w'’-]{3,}")
_MARKER = re.compile(r"^(?:[-*•·–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])$")
_EDGE_PUNCT = "\"'“”‘’«»()[]{},.;:!?–—-"
# spaCy refuses a text of over 1,000,000 characters (E088). The loaders cut articles well below
# this (analysis.loaders.MAX_TEXT_CHARS); a longer paragraph given here directly is analysed in pieces.
MAX_PARAGRAPH_CHARS = 100_000


@dataclass(frozen=True)
class Extracted:
    """The per-article tables, keyed by ``article_id``; their columns are ``analysis.schema.EXTRACTED``.

    - ``articles``: article_id, words, sentences, repairs, length (characters of the analysed document)
    - ``sentences``: article_id, position, paragraph, is_title, start, end, text, entities
    - ``mentions``: article_id, entity, label, text, sentence, start, end
    Offsets index the analysed document: the headline, a blank line, then the repaired body.
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame


def _clean_span(doc_text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a span to the name itself: no article, possessive or edge punctuation."""
    text = doc_text[start:end]
    lead = _LEADING.match(text)
    if lead:
        start += lead.end()
    while end > start and doc_text[end - 1] in _EDGE_PUNCT + " \n":
        end -= 1
    poss = _POSSESSIVE.search(doc_text[start:end])
    if poss and end - start - len(poss.group()) > 1:
        end -= len(poss.group())
    while start < end and doc_text[start] in _EDGE_PUNCT + " \n":
        start += 1
    # "Trump in the interview": a name does not end in a lower-case word
    last = _LAST_WORD.search(doc_text, start, end)
    while last is not None and last.start() > start and not any(ch.isupper() or ch.isdigit() for ch in last.group()):
        end = last.start()
        while end > start and doc_text[end - 1] in _EDGE_PUNCT + " \n":
            end -= 1
        last = _LAST_WORD.search(doc_text, start, end)
    return start, end


_NAME_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][\w'’-]*\w) $")
_NAME_AFTER = re.compile(r" ([A-Z][\w'’-]*\w)(?![\w'’.-])")


def _name_word(word: str) -> bool:
    """A capitalised word that reads as part of a name: not a title, not in capitals, and no English
    word (``analysis.lexicon.name_word``: "Ka'Loni", not "Coroner", "Moviemaker" or "Tuesday")."""
    return not word.isupper() and not _TITLES.match(word + " ") and name_word(word)


def _extend_person(doc_text: str, start: int, end: int, starts: list[int], ends: list[int]) -> tuple[int, int]:
    """Widen a person's span over a name word next to it that the model left out ("Ka'Loni" in
    "Ka'Loni Marie Flynn"), one space away and in no other entity (``starts``/``ends``: every span
    of the model, sorted)."""
    before = _NAME_BEFORE.search(doc_text, max(start - 40, 0), start)
    if before is not None and _name_word(before.group(1)) and not _overlaps(starts, ends, before.start(1), start - 1):
        start = before.start(1)
    after = _NAME_AFTER.match(doc_text, end, min(end + 40, len(doc_text)))
    if after is not None and _name_word(after.group(1)) and not _overlaps(starts, ends, end + 1, after.end(1)):
        end = after.end(1)
    return start, end


def _canonical(surface: str, spacy_label: str, aliases: Aliases) -> tuple[str, str] | None:
    """``(entity, label)`` for a cleaned surface form, or None when it is not a name we count."""
    if not surface or surface.lower() in aliases.ignored:
        return None
    found = aliases.lookup(surface)
    if found is not None:
        return None if found[1] == IGNORE else found
    if spacy_label not in LABELS or not any(ch.isupper() for ch in surface):
        return None
    name = " ".join(_TITLES.sub("", surface).split())
    found = aliases.lookup(name)
    if found is not None:
        return None if found[1] == IGNORE else found
    return name, LABELS[spacy_label]


def _full_names(mentions: list[dict], sentences: list[dict]) -> dict[str, set[str]]:
    """The people the article names in full, by surname: person mentions of two words or more,
    except in a line that reads as a headline (title case, no closing punctuation: "Colts Beat
    Chiefs 20 - 13, Clinch 5th Seed In AFC Playoffs")."""
    sentence_starts = [s["start"] for s in sentences]
    people: dict[str, set[str]] = {}
    for m in mentions:
        words = m["entity"].split()
        if m["label"] != "person" or len(words) < 2 or m["entity"] in people.get(words[-1], ()):
            continue
        if sentences:
            text = sentences[max(bisect.bisect_right(sentence_starts, m["start"]) - 1, 0)]["text"].rstrip()
            if title_case(text) and not text.endswith(_CLOSING):
                continue
        people.setdefault(words[-1], set()).add(m["entity"])
    return people


def _resolve_short_forms(mentions: list[dict], people: dict[str, set[str]]) -> None:
    """Map ``Musk`` and ``Mr. Musk`` to ``Elon Musk`` when the article names the full person
    (``people``: :func:`_full_names`)."""
    for m in mentions:
        name = m["entity"]
        if " " in name or name not in people:
            continue
        candidates = people[name]
        if len(candidates) == 1:
            m["entity"] = next(iter(candidates))
            m["label"] = "person"


def title_case(headline: str) -> bool:
    """Whether a headline capitalises most of its words (four letters or more), as title-case
    headlines do: then a capital is no sign of a name.

    >>> title_case("Glenn Beck Rips Obama Over Health Care"), title_case("Lawyer: Lindsay Lohan checks into rehab")
    (True, False)
    """
    words = _HEADLINE_WORD.findall(headline)
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _dateline(doc_text: str, body_start: int) -> tuple[int, int]:
    """The span of the dateline opening the body (see ``_DATELINE``), or ``(0, 0)``."""
    while body_start < len(doc_text) and doc_text[body_start].isspace():
        body_start += 1
    found = _DATELINE.match(doc_text, body_start)
    if found is None or "\n" in found.group():
        return 0, 0
    return found.start(), found.end()


def _headline_surnames(doc_text: str, title_end: int, mentions: list[dict], people: dict[str, set[str]]) -> list[dict]:
    """Mentions in a title-case headline of the surname of a person the article names in full
    (``people``: :func:`_full_names`; the model's spans in such a headline are dropped, so these
    are names of the body)."""
    taken = [(m["start"], m["end"]) for m in mentions if m["start"] < title_end]
    unique = {last: next(iter(full)) for last, full in people.items() if len(full) == 1}
    pattern = _name_pattern(unique)
    if pattern is None:
        return []
    extra = []
    for match in pattern.finditer(doc_text, 0, title_end):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        extra.append({"entity": unique[match.group()], "label": "person", "text": match.group(),
                      "start": start, "end": end})
    return extra


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    names = sorted({n for n in names if n}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")


def _overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(ends, start + 1)
    return i < len(starts) and starts[i] < end


def _propagate(doc_text: str, mentions: list[dict], aliases: Aliases, gazetteer: re.Pattern[str] | None) -> list[dict]:
    """Count every mention: add occurrences of known names the model missed.

    A name counts wherever it stands in the article, as a careful reader counts it: every surface
    form the model found once in this article, and every gazetteer alias.
    """
    taken = sorted((m["start"], m["end"]) for m in mentions)
    starts = [s for s, _ in taken]
    ends = [e for _, e in taken]
    forms = {m["text"]: (m["entity"], m["label"]) for m in mentions}
    extra: list[dict] = []
    patterns = [p for p in (gazetteer, _name_pattern(forms)) if p is not None]
    for pattern in patterns:
        for match in pattern.finditer(doc_text):
            start, end = match.span()
            if _overlaps(starts, ends, start, end):
                continue
            surface = match.group()
            found = forms.get(surface) or aliases.lookup(surface)
            if found is None or found[1] == IGNORE:
                continue
            extra.append({"entity": found[0], "label": found[1], "text": surface, "start": start, "end": end})
            i = bisect.bisect_left(starts, start)
            starts.insert(i, start)
            ends.insert(i, end)
    return mentions + extra


_SURNAME = re.compile(r"[A-Z][\w'’-]*[a-z]")
_INITIALS = re.compile(r"(?:[A-Z]\.)+|[A-Z]")
_CLOSING = (".", "!", "?", ":", '"', "”", "’", "'", ")")


def _bare_surnames(
    doc_text: str, mentions: list[dict], people: dict[str, set[str]], spans: list[tuple[int, int]],
    sentences: list[dict], since: int,
) -> list[dict]:
    """Mentions of the surname alone of the one person the article names in full with it
    (``people``: :func:`_full_names`; not by initials alone) where the model found nothing (``spans``: every span of the
    model, of any label): ``Sessions`` beside ``Jeff Sessions``. A surname next to another
    capitalised word is part of a longer name and left out; at a sentence start the capital says
    nothing, so there a surname the article also writes in lower case (``Long`` beside ``Billy
    Long`` and "long") is left out too. Only text from ``since`` on (after a title-case headline)
    is read."""
    unique = {last: next(iter(full)) for last, full in people.items() if len(full) == 1 and _SURNAME.fullmatch(last)}
    # a name of initials and a word is no sure person ("W. H. O. Doctor", a role in a film)
    unique = {last: full for last, full in unique.items() if not all(_INITIALS.fullmatch(w) for w in full.split()[:-1])}
    pattern = _name_pattern(unique)
    if pattern is None:
        return []
    taken = bytearray(len(doc_text))  # spans of the model and mentions overlap one another
    for start, end in [*spans, *((m["start"], m["end"]) for m in mentions)]:
        taken[start:end] = b"\x01" * (end - start)
    openings = _opening_offsets(doc_text, sentences)
    lower: dict[str, bool] = {}  # whether the article writes the surname in lower case, when asked
    extra = []
    for match in pattern.finditer(doc_text, since):
        start, end = match.span()
        if any(taken[start:end]):
            continue
        if start in openings:
            word = match.group()
            if word not in lower:
                lower[word] = re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", doc_text) is not None
            if lower[word]:
                continue
        if _NAME_BEFORE.search(doc_text, max(start - 40, 0), start) or _NAME_AFTER.match(doc_text, end):
            continue  # a word of a longer name: "Jermayne Timmons" where the model found "Jermayne" only
        extra.append({"entity": unique[match.group()], "label": "person", "text": match.group(),
                      "start": start, "end": end})
    return extra


def _opening_offsets(doc_text: str, sentences: list[dict]) -> set[int]:
    """Where each sentence's first word starts (after an opening quote or bracket)."""
    out = set()
    for s in sentences:
        start = s["start"]
        while start < s["end"] and doc_text[start] in _EDGE_PUNCT + " \n":
            start += 1
        out.add(start)
    return out


def _sentence_spans(doc, *, whole: bool) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph (a headline is always one sentence).

    A bare list marker (``1.``) that the sentence recogniser cut off joins the sentence after it.
    """
    spans: list[tuple[int, int]] = []
    pending_start: int | None = None
    for sent in [doc[:]] if whole else doc.sents:
        text = sent.text
        stripped = text.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = start + len(stripped)
        if _MARKER.match(stripped):
            pending_start = start if pending_start is None else pending_start
            continue
        spans.append((pending_start if pending_start is not None else start, end))
        pending_start = None
    if pending_start is not None:
        spans.append((pending_start, len(doc.text.rstrip())))
    return spans


def _paragraph_units(articles: pd.DataFrame, aliases: Aliases) -> Iterator[tuple[str, tuple]]:
    """Yield (paragraph text, context) for every paragraph of every article."""
    names = aliases.names
    for row in articles[["article_id", "title", "text"]].itertuples(index=False):
        repaired = repair_text(row.text, protected=names)
        title = (row.title or "").strip()
        doc_text = document(title, repaired.text)
        for number, para in enumerate(paragraphs(doc_text)):
            is_title = bool(title) and number == 0
            for start, text in _pieces(para.text, para.start):
                yield text, (row.article_id, doc_text, repaired.repairs, number, start, is_title)


def _pieces(text: str, start: int) -> Iterator[tuple[int, str]]:
    """``(offset, text)`` pieces of a paragraph of at most ``MAX_PARAGRAPH_CHARS``, cut after whitespace."""
    while len(text) > MAX_PARAGRAPH_CHARS:
        cut = max(text.rfind(" ", 0, MAX_PARAGRAPH_CHARS), text.rfind("\n", 0, MAX_PARAGRAPH_CHARS)) + 1
        cut = cut if cut > MAX_PARAGRAPH_CHARS // 2 else MAX_PARAGRAPH_CHARS
        yield start, text[:cut]
        start, text = start + cut, text[cut:]
    yield start, text


def extract(
    articles: pd.DataFrame,
    *,
    aliases: Aliases,
    n_process: int = 1,
    batch_size: int = 64,
) -> Extracted:
    """Repair, split into sentences and find entity mentions in every article.

    ``articles`` needs columns article_id, title, text. ``n_process`` > 1 runs spaCy in that many
    worker processes. Does not mutate ``articles``.
    """
    nlp = load_pipeline(aliases.names)
    gazetteer = _name_pattern(aliases.names)  # names excludes ignored forms
    article_rows: dict[str, dict] = {}
    sentence_rows: list[dict] = []
    mention_rows: list[dict] = []
    pending: dict[str, list] = {}  # article_id -> [doc_text, repairs, sentences, raw mentions]

    def finish(article_id: str) -> None:
        doc_text, repairs, sentences, raw = pending.pop(article_id)
        title_end = max((s["end"] for s in sentences if s["is_title"]), default=0)
        dateline = _dateline(doc_text, title_end)
        trusted = 0 if not title_end or not title_case(doc_text[:title_end]) else title_end
        mentions = []
        spans = sorted((start, end) for start, end, _ in raw)
        starts, ends = [s for s, _ in spans], [e for _, e in spans]
        for start, end, label in raw:
            if start < trusted:  # a title-case headline: its capitals say nothing; names come from the body
                continue
            start, end = _clean_span(doc_text, start, end)
            if label == "PERSON" and end > start:
                start, end = _extend_person(doc_text, start, end, starts, ends)
            found = _canonical(doc_text[start:end], label, aliases)
            if found is not None:
                mentions.append(
                    {"entity": found[0], "label": found[1], "text": doc_text[start:end], "start": start, "end": end}
                )
        mentions = [m for m in mentions if not (dateline[0] <= m["start"] < dateline[1])]
        mentions = _propagate(doc_text, mentions, aliases, gazetteer)
        people = _full_names(mentions, sentences)
        if trusted:
            mentions += _headline_surnames(doc_text, trusted, mentions, people)
        mentions += _bare_surnames(doc_text, mentions, people, spans, sentences, trusted)
        mentions = [m for m in mentions if not (dateline[0] <= m["start"] < dateline[1])]
        _resolve_short_forms(mentions, people)
        mentions.sort(key=lambda m: m["start"])
        sent_starts = [s["start"] for s in sentences]
        per_sentence: dict[int, list[str]] = {}
        for m in mentions:
            position = max(bisect.bisect_right(sent_starts, m["start"]) - 1, 0)
            m["sentence"] = position
            m["article_id"] = article_id
            names = per_sentence.setdefault(position, [])
            if m["entity"] not in names:
                names.append(m["entity"])
        for s in sentences:
            s["entities"] = "; ".join(per_sentence.get(s["position"], []))
        sentence_rows.extend(sentences)
        mention_rows.extend(mentions)
        article_rows[article_id] = {
            "article_id": article_id,
            "words": len(_WORD.findall(doc_text)),
            "sentences": len(sentences),
            "repairs": repairs,
            "length": len(doc_text),
        }

    current: str | None = None
    units = _paragraph_units(articles, aliases)
    with one_blas_thread():  # the documents stream: a corpus's Docs are never all in memory
        for doc, (article_id, doc_text, repairs, number, offset, is_title) in nlp.pipe(
            units, as_tuples=True, n_process=n_process, batch_size=batch_size
        ):
            if article_id != current:
                if current is not None:
                    finish(current)
                current = article_id
                pending[article_id] = [doc_text, repairs, [], []]
            state = pending[article_id]
            for start, end in _sentence_spans(doc, whole=is_title):
                # the document's own text: spaCy builds ``doc.text`` from every token on each call
                start += offset
                text = doc_text[start : offset + end]
                state[2].append(
                    {
                        "article_id": article_id,
                        "position": len(state[2]),
                        "paragraph": number,
                        "is_title": is_title,
                        "start": start,
                        "end": start + len(text),
                        "text": text,
                    }
                )
            state[3].extend((offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in doc.ents)
    if current is not None:
        finish(current)

    # articles with an empty text produce no paragraph at all
    for article_id in articles["article_id"]:
        empty = {"article_id": article_id, "words": 0, "sentences": 0, "repairs": 0, "length": 0}
        article_rows.setdefault(article_id, empty)
    return Extracted(
        articles=pd.DataFrame([article_rows[a] for a in articles["article_id"]], columns=EXTRACTED["articles"]),
        sentences=pd.DataFrame(sentence_rows, columns=EXTRACTED["sentences"]),
        mentions=pd.DataFrame(mention_rows, columns=EXTRACTED["mentions"]),
    )
