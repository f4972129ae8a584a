"""Voices: direct quotations and who speaks them.

Quotations are found per paragraph between curly (“…”) or straight ("…") double quotes. A quoted
phrase of one to three words (“serverless”, “make sense”) is a scare quote or a term, not a
quotation, and is skipped. A quote may run over several sentences, and over paragraphs: one left
open at the end of its paragraph goes on in the next paragraphs (at most three) when one of them
closes it without opening a new one (text split one sentence a paragraph), or when the next
paragraph opens a new quote at its start (the usual way a long quotation goes on).

The speaker is read as a careful reader does, and left empty rather than guessed:

1. the attribution after the quote, speech verb on either side: ``“…,” said Dana Ortiz`` /
   ``“…,” Nichols, 37, told the court`` / ``“…,” the head of the service, Massoud Dalman, told TV``;
2. else before it, in the same sentence: ``Microsoft said that it is “…”`` / ``Roesler described
   her as “…”`` / ``according to the post, … “…”``, or in the sentence before when that one ends in
   a colon or comma (``Pensioner Bayram-aga said:``);
3. else the speaker goes on: the previous quote's when it is in the same or the previous paragraph,
   or the person the previous paragraph reports (``…, Insp Gaskin said.``) when the quote opens its
   paragraph; a quote left open that the next paragraph's quote continues takes that one's speaker.

What the attribution names is then resolved: a person's name stays as written (``entity`` gives the
canonical name); ``he``/``she`` is the person last named before it outside quotes, ``it`` the last
organisation; ``they``, ``we``, ``I`` and ``someone`` are nobody. A role with ``the`` (``the
governor``, ``the diplomat``, ``the company``) is the person last named with that role (``Deng,
the governor``), the last organisation for ``the company``, or the earlier unnamed speaker it
repeats (``a Western diplomat`` … ``the diplomat``); else nobody. An unnamed speaker (``a senior
officer``, ``a Microsoft spokesperson``) is kept as written, without its article. A document is its
author when the text names one (``a statement from Waitrose``, ``the NCAA report``, ``In the post,
Microsoft said`` … ``the post said``), else nobody. A pronoun is never a speaker.

``entity`` is the canonical entity of the person mention (``mentions`` table) the speaker names,
else of the last mention inside the speaker phrase that is no possessive, else the phrase's run of
capitalised words (``Microsoft spokesperson`` -> ``Microsoft``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import namedtuple
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .schema import QUOTES

MIN_QUOTE_WORDS = 4
MAX_OPEN_PARAGRAPHS = 3  # paragraphs a quote left open may run on before one closes it

_VERBS = (
    r"said|says|say|saying|told|tells|tell|telling|added|adds|adding|explained|explains|noted|notes|"
    r"wrote|writes|writing|stated|states|announced|announces|asked|asks|argued|argues|claimed|claims|"
    r"commented|comments|continued|continues|insisted|insists|remarked|replied|replies|warned|warns|"
    r"acknowledged|admitted|admits|confirmed|confirms|declared|emphasized|emphasised|suggested|"
    r"suggests|tweeted|posted|recalled|recalls|predicted|predicts|promised|promises|testified|testifies|"
    r"maintained|maintains|echoed|contended|contends|stressed|described|describes|calling|called|"
    r"denied|denies|reported|reports|responded|answered|conceded|concluded|quipped|shouted|yelled|"
    r"chanted|testifying|explaining|adding|noting|declaring|insisting|warning|issued"
)
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_AFTER_INVERTED = re.compile(rf"^\s*[,.]?\s*(?:{_VERBS})\s+(?P<clause>[^;:!?“”\"]{{1,160}})")
_AFTER = re.compile(
    rf"^\s*[,.]?\s*(?P<clause>[^;:!?“”\"]{{1,160}}?)\s+(?:(?:has|had|have|also|later|then|once|often)\s+)*(?:{_VERBS})\b"
)
_ACCORDING = re.compile(r"\baccording to (?P<speaker>[^,;:!?“”\"]{1,80}?)\s*(?:[,;:!?]|\.\s|\.?$)")
# a quote opens with “ or " and closes with ” or " (texts mix them: "Hide, she's got a gun!”)
_QUOTE = re.compile(r"[“\"](?P<body>[^“”\"]*)(?:[”\"]|$)")
_MARKS = ('"', "“", "”")
_DETERMINERS = {"a", "an", "the", "his", "her", "its", "their", "our", "one", "another"}
_LEADING = {"a", "an", "the", "with", "and", "but", "as", "while", "when", "then", "so", "also", "which", "who",
            "that"}
_TRAILING = {"also", "has", "have", "had", "was", "is", "will", "would", "recently", "later", "then",
             "previously", "today", "once", "further", "again", "still", "just", "often"}
_PREPOSITIONS = {"of", "for", "at", "in", "from", "with", "to", "on", "by", "and", "&"}
_DOCUMENTS = {"post", "blog", "statement", "release", "report", "announcement", "filing", "letter", "email",
              "memo", "tweet", "website", "transcript", "document", "policy", "assessment", "study", "survey",
              "complaint", "lawsuit", "ruling", "order", "newspaper", "article", "story", "paper", "magazine"}
_ORGANISATION_NOUNS = {"company", "firm", "group", "agency", "organisation", "organization", "department",
                       "ministry", "club", "team", "school", "university", "studio", "network", "union",
                       "league", "association", "bank", "party", "court", "government", "police", "newspaper",
                       "magazine", "paper", "website", "station", "channel", "site"}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_NOBODY = {"they", "we", "i", "you", "them", "us", "me", "someone", "somebody", "anyone", "everyone", "people",
           "others", "many", "some", "one", "who", "this", "that", "there"}
_AGE = re.compile(r"^(?:\d+\s*-?\s*year\s*-?\s*old|\d+)$", re.IGNORECASE)
_AGE_PREFIX = re.compile(r"^\d+\s*-\s*year\s*-\s*old\s+", re.IGNORECASE)

_Row = namedtuple("_Row", ["article_id", "outlet", "story", "position", "paragraph", "start", "text"])


@dataclass
class _Mentions:
    """One article's mentions by start: document offsets, entities, labels."""

    starts: np.ndarray
    ends: np.ndarray
    entities: np.ndarray
    labels: np.ndarray

    def within(self, start: int, end: int) -> np.ndarray:
        return np.flatnonzero((self.starts < end) & (self.ends > start))


@dataclass
class _Speaker:
    name: str
    entity: str
    organisation: bool = False


@dataclass
class _Article:
    """What reading an article so far has established."""

    text: dict[int, str]  # document offset of each paragraph -> its text
    mentions: _Mentions | None
    quoted: list[tuple[int, int]] = field(default_factory=list)  # document spans of the quotes so far
    unnamed: list[str] = field(default_factory=list)  # unnamed speakers so far (``Western diplomat``)
    attributions: list[tuple[int, str, _Speaker]] = field(default_factory=list)  # offset, sentence, speaker

    def __post_init__(self) -> None:
        self.starts = sorted(self.text)


def extract_quotes(sentences: pd.DataFrame, *, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Direct quotations of each article with their speaker.

    Args:
        sentences: one row per sentence with ``article_id``, ``outlet``, ``story``, ``position``,
            ``paragraph``, ``start`` and ``text`` (offsets into the article's document). Not modified.
        mentions: optional entity mentions (``article_id``, ``entity``, ``start``, ``end``, and
            ``label`` to resolve ``he``/``she`` to a person and ``it`` to an organisation) used to
            give each speaker its canonical entity. Without mentions a pronoun is the previous
            quote's speaker when there is one.

    Returns:
        DataFrame[story, outlet, article_id, sentence, speaker, entity, quote], one row per
        quotation in reading order: ``sentence`` is the position of the sentence where the quote
        opens, ``speaker`` who says it (a name or title as written, e.g. ``Nadella`` or
        ``Microsoft spokesperson``; the person a pronoun or role refers to; empty when the text
        does not say), ``entity`` its canonical entity (empty when none), ``quote`` the quoted words
        (a comma that closes the quotation is the reporter's and is dropped).

    >>> s = pd.DataFrame({"article_id": "a", "outlet": "X", "story": "", "position": [0, 1, 2],
    ...     "paragraph": [0, 1, 2], "start": [0, 100, 200],
    ...     "text": ["“We will replace every battery,” chief executive Dana Ortiz said.",
    ...              "“This was entirely preventable.”", "“It will not happen again,” she added."]})
    >>> for row in extract_quotes(s)[["sentence", "speaker", "entity", "quote"]].values.tolist():
    ...     print(row)
    [0, 'Dana Ortiz', 'Dana Ortiz', 'We will replace every battery']
    [1, 'Dana Ortiz', 'Dana Ortiz', 'This was entirely preventable.']
    [2, 'Dana Ortiz', 'Dana Ortiz', 'It will not happen again']
    """
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
    by_article = _mentions_by_article(mentions)
    article_rows: dict[str, list[tuple]] = {}
    # Rows from object arrays: itertuples iterates pandas' Arrow-backed strings one by one (6x slower).
    for row in map(_Row._make, zip(*(records[c].to_numpy(dtype=object) for c in _Row._fields), strict=True)):
        article_rows.setdefault(row.article_id, []).append(row)
    rows: list[dict] = []
    for article_id, article in article_rows.items():
        rows.extend(_article_quotes(article_id, article, by_article.get(article_id)))
    out = pd.DataFrame(rows, columns=QUOTES)
    return out.astype({"sentence": "int64"})


def _mentions_by_article(mentions: pd.DataFrame | None) -> dict[str, _Mentions]:
    """Each article's mentions as arrays, by start (ties in table order)."""
    if mentions is None or mentions.empty:
        return {}
    code, ids = pd.factorize(mentions["article_id"].astype(str))
    starts, ends = mentions["start"].to_numpy(), mentions["end"].to_numpy()
    order = np.lexsort((starts, code))
    edges = np.searchsorted(code[order], np.arange(len(ids) + 1))
    entities = mentions["entity"].astype(str).to_numpy()
    labels = mentions["label"].astype(str).to_numpy() if "label" in mentions else np.full(len(mentions), "")
    out = {}
    for k, article in enumerate(ids):
        taken = order[edges[k] : edges[k + 1]]
        out[str(article)] = _Mentions(starts[taken], ends[taken], entities[taken], labels[taken])
    return out


@dataclass
class _Paragraph:
    number: int
    start: int  # document offset
    text: str
    sentences: list[tuple[int, int, int]]  # local start, local end, position

    def sentence_at(self, offset: int) -> tuple[int, int, int]:
        starts = [s[0] for s in self.sentences]
        return self.sentences[max(bisect_right(starts, offset) - 1, 0)]


def _paragraphs(article: list) -> list[_Paragraph]:
    by_number: dict[int, list] = {}
    for row in article:
        by_number.setdefault(row.paragraph, []).append(row)
    out = []
    for number, para in sorted(by_number.items()):
        start0 = min(row.start for row in para)
        parts: list[str] = []
        spans = []
        cursor = 0
        for row in sorted(para, key=lambda r: r.start):
            local = row.start - start0
            if local > cursor:
                parts.append(" " * (local - cursor))
                cursor = local
            spans.append((cursor, cursor + len(row.text), row.position))
            parts.append(row.text)
            cursor += len(row.text)
        out.append(_Paragraph(number, start0, "".join(parts), spans))
    return out


def _article_quotes(article_id: str, article: list, mentions: _Mentions | None) -> list[dict]:
    paragraphs = _paragraphs(article)
    state = _Article({p.start: p.text for p in paragraphs}, mentions)
    rows: list[dict] = []
    previous: tuple[_Speaker, int, int] | None = None  # the last quote's speaker, paragraph index, end
    open_quote: tuple[int, dict] | None = None  # paragraph index and row of a quote left open, no speaker
    skip_until: tuple[int, int] = (-1, -1)  # text (paragraph index, local offset) a continued quote took
    for index, para in enumerate(paragraphs):
        text = para.text
        if not any(mark in text for mark in _MARKS):
            continue
        for match in _QUOTE.finditer(text):
            if (index, match.start()) < skip_until:
                continue
            body = match.group("body")
            closed = match.end() > match.start() + 1 + len(body)
            words = len(re.findall(r"\w+(?:['’]\w+)?", body))
            continued = None
            if not closed:
                continued = _closing(paragraphs, index)
            if continued is not None:
                close_index, close_at = continued
                tail = [paragraphs[k].text.strip() for k in range(index + 1, close_index)]
                tail.append(paragraphs[close_index].text[:close_at].strip())
                body = " ".join([body.strip(), *tail])
                words = len(re.findall(r"\w+(?:['’]\w+)?", body))
                skip_until = (close_index, close_at + 1)
            if words < MIN_QUOTE_WORDS:
                continue
            doc_start = para.start + match.start()
            if continued is not None:
                close_para = paragraphs[close_index]
                doc_end = close_para.start + close_at + 1
                state.quoted.append((doc_start, doc_end))  # a name inside the quote is not its speaker
                speaker = _after(state, close_para, close_at + 1)
            else:
                doc_end = para.start + match.end()
                state.quoted.append((doc_start, doc_end))
                speaker = _after(state, para, match.end())
            title = _title(text[: match.start()], body)
            if speaker is None and not title:
                speaker = _before(state, para, match.start())
            if speaker is None and match.start() == _first_mark(text):
                speaker = _lead_in(state, paragraphs, index)
            if title:
                speaker = None
            if speaker is not None:
                start, end, _ = para.sentence_at(match.start())
                state.attributions.append((doc_end, text[start:end], speaker))
            if speaker is None and previous is not None and index - previous[1] <= 1 and not title \
                    and not _own_verb(para, match.start(), match.end()) \
                    and not _someone_else(state, previous[2], doc_start, previous[0]):
                speaker = previous[0]
            if speaker is None and match.start() == _first_mark(text) and index > 0:
                speaker = _reported(state, paragraphs[index - 1])
            if speaker is not None and open_quote is not None and index == open_quote[0] + 1 \
                    and match.start() == _first_mark(text):
                open_quote[1]["speaker"], open_quote[1]["entity"] = speaker.name, speaker.entity
            open_quote = None
            row = {
                "story": article[0].story,
                "outlet": article[0].outlet,
                "article_id": article_id,
                "sentence": int(para.sentence_at(match.start())[2]),
                "speaker": speaker.name if speaker else "",
                "entity": speaker.entity if speaker else "",
                "quote": body.strip().rstrip(",").rstrip(),
            }
            rows.append(row)
            if speaker is not None:
                previous = (speaker, index if continued is None else close_index, doc_end)
            elif not closed and continued is None:
                open_quote = (index, row)
    return rows


def _title(lead: str, body: str) -> bool:
    """A title, not a quotation: words in title case after ``in``, ``titled`` or ``called`` (``Woodward
    wrote in “Secret Man: The Story of Watergate's Deep Throat”``)."""
    if not re.search(r"\b(?:in|titled|entitled|called|named|book|film|song|album|show)\s*$", lead):
        return False
    words = re.findall(r"[\w’'-]+", body)
    long_words = [w for w in words if len(w) > 3]
    return bool(long_words) and all(w[:1].isupper() or w[:1].isdigit() for w in long_words) \
        and not body.rstrip().endswith((".", "!", "?"))


def _own_verb(para: _Paragraph, q_start: int, q_end: int) -> bool:
    """Whether the quote's sentence has a speech verb outside the quote (``A government official
    downplayed the unrest saying that “…”``): an attribution of its own, even one not understood, so
    the previous speaker does not go on."""
    start, end, _ = para.sentence_at(q_start)
    outside = para.text[start:q_start] + " " + para.text[q_end:_sentence_end(para, max(q_end - 1, 0))]
    return _VERB.search(_QUOTE.sub(" ", outside)) is not None


def _someone_else(state: _Article, start: int, end: int, speaker: _Speaker) -> bool:
    """Whether the text from ``start`` to ``end`` (document offsets), outside quotes, names a person
    other than ``speaker``, or reports another speaker (``25-year-old Guzel said``): then a pronoun
    or a quote with no attribution of its own could mean either, and is left to nobody."""
    own = {w.lower() for w in re.findall(r"[\w’'-]+", f"{speaker.name} {speaker.entity}")}
    m = state.mentions
    if m is not None:
        for i in np.flatnonzero((m.starts >= start) & (m.ends <= end)):
            if m.labels[i] != "person" or not _outside_quotes(state, int(m.starts[i]), int(m.ends[i])):
                continue
            words = {w.lower() for w in re.findall(r"[\w’'-]+", str(m.entities[i]))}
            if _doc_text(state, int(m.ends[i]), int(m.ends[i]) + 2).startswith(("'s", "’s")) \
                    or _in_relative_clause(state, int(m.starts[i])):
                continue  # "Deng's forces", "…, who is writing a book on Nixon": not a speaker
            if not words & own:
                return True
    for base in state.starts:
        text = state.text[base]
        lo, hi = max(start - base, 0), min(end - base, len(text))
        if lo >= hi:
            continue
        for verb in _VERB.finditer(text, lo, hi):
            if not _outside_quotes(state, base + verb.start(), base + verb.end()):
                continue
            if verb.group() in {"called", "calling", "described", "describes"}:
                continue  # "a fashion line called Mantra": naming, not speech
            segment = re.split(r"[.;:“”\"]\s", text[max(lo, verb.start() - 120) : verb.start()])[-1].split(",")
            # "Al-Sawarmi Khalid, spokesman for Sudan's armed forces, said": the subject before the apposition
            subject = segment[-1] if _capitals(segment[-1]) else segment[0]
            after = re.split(r"[,.;:“”\"]", text[verb.end() : min(hi, verb.end() + 60)])[0].split()
            if verb.group().startswith("tel") or verb.group() == "told" or not after or len(after) > 6 \
                    or not (after[0][:1].isupper() or after[0].lower() in {"the", "a", "an"}):
                after = []  # "told The Associated Press": whom it was told; "said at the site on Tuesday"
            for names in (_capitals(" ".join(subject.split()[-4:])), _capitals(" ".join(after))):
                if names and not names & own:
                    return True
    return False


_NOT_NAMES = {"the", "but", "and", "in", "on", "at", "as", "when", "after", "before", "while", "meanwhile",
              "however", "also", "earlier", "later", "this", "that", "his", "its", "their", "our", "mr", "mrs",
              "ms", "dr", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "like",
              "january", "february", "march", "april", "june", "july", "august", "september", "october",
              "november", "december", "last", "then", "now", "today", "yesterday"}


def _capitals(text: str) -> set[str]:
    """The capitalised words of ``text`` that may be part of a name, lower-cased."""
    return {w.lower() for w in re.findall(r"[\w’'-]+", text)
            if w[:1].isupper() and w.lower() not in _NOBODY | _PERSON_PRONOUNS | _NOT_NAMES}


def _first_mark(text: str) -> int:
    stripped = len(text) - len(text.lstrip())
    return stripped if text[stripped : stripped + 1] in _MARKS else -1


def _closing(paragraphs: list[_Paragraph], index: int) -> tuple[int, int] | None:
    """Where a quote left open in paragraph ``index`` closes: the first quote mark of one of the
    next paragraphs, when that paragraph does not open with a mark (else a new quote opens)."""
    for k in range(index + 1, min(index + 1 + MAX_OPEN_PARAGRAPHS, len(paragraphs))):
        text = paragraphs[k].text
        marks = [i for i, ch in enumerate(text) if ch in _MARKS]
        if not marks:
            continue
        if marks[0] == _first_mark(text) or text[marks[0]] == "“":
            return None
        return k, marks[0]
    return None


def _sentence_end(para: _Paragraph, offset: int) -> int:
    start, end, _ = para.sentence_at(offset)
    if offset >= end:  # the quote closes its sentence: the attribution is the next one
        later = [s for s in para.sentences if s[0] >= offset]
        return later[0][1] if later else len(para.text)
    return end


def _after(state: _Article, para: _Paragraph, offset: int) -> _Speaker | None:
    """The attribution after a quote closing at ``offset`` (local), up to the end of its sentence."""
    region = para.text[offset : _sentence_end(para, max(offset - 1, 0))]
    m = _AFTER_INVERTED.match(region)
    if m:
        clause_start = offset + m.start("clause")
        return _clause(state, para, clause_start, m.group("clause"), inverted=True)
    m = _AFTER.match(region)
    if m:
        return _clause(state, para, offset + m.start("clause"), m.group("clause"), inverted=False)
    return None


def _before(state: _Article, para: _Paragraph, q_start: int) -> _Speaker | None:
    """The attribution before a quote in the same sentence: the subject of the last speech verb."""
    sentence_start = para.sentence_at(q_start)[0]
    lead = para.text[sentence_start:q_start]
    speaker = _subject(state, para, sentence_start, lead)
    if speaker is not None:
        return speaker
    matches = list(_ACCORDING.finditer(lead))
    if matches:
        m = matches[-1]  # the last "according to" before the quote
        return _phrase(state, para, sentence_start + m.start("speaker"), m.group("speaker"))
    return None


def _subject(state: _Article, para: _Paragraph, offset: int, lead: str) -> _Speaker | None:
    """The speaker of the last speech verb in ``lead`` (local ``offset``), if it names one."""
    for verb in reversed(list(_VERB.finditer(lead))):
        head = lead[: verb.start()]
        cut = max(head.rfind(";"), head.rfind(":"), head.rfind("“"), head.rfind("”"), head.rfind('"'))
        pieces = _chunks(head, cut + 1)
        participle = verb.group().endswith("ing") or verb.group() == "called"
        start, last = pieces[-1]
        if last.strip() and not _AGE.match(last.strip()):
            if participle and not _namelike(last, state, para.start + offset + start) and not _pronoun(last):
                continue
            at = para.start + offset
            if len(pieces) > 1 and _namelike(last) and not _person_in(state, at + start, at + start + len(last)):
                # "Charlotte Moore, Controller BBC One says": the title, after the person it describes
                before_start, before = pieces[-2]
                if _person_in(state, at + before_start, at + before_start + len(before)):
                    return _phrase(state, para, offset + before_start, before)
            return _phrase(state, para, offset + start, last)
        if participle:
            continue  # ", calling them “…”": the subject is the clause's, before
        # "Gill Sandford, dean of the faculty, said:" / "Armstead, 32, testified": the subject in apposition
        for start, piece in reversed(pieces[:-1]):
            if piece.strip() and not _AGE.match(piece.strip()) and _namelike(piece, state, para.start + offset + start):
                return _phrase(state, para, offset + start, piece)
        return None
    return None


def _chunks(text: str, start: int) -> list[tuple[int, str]]:
    """Comma-separated pieces of ``text[start:]`` with their offsets."""
    out, at = [], start
    for piece in text[start:].split(","):
        out.append((at, piece))
        at += len(piece) + 1
    return [(s, p) for s, p in out if p.strip() or (s, p) == out[-1]]


def _clause(state: _Article, para: _Paragraph, start: int, clause: str, *, inverted: bool) -> _Speaker | None:
    """The speaker in an attribution clause: its first piece, or the name in apposition to it."""
    clause = re.sub(r"\.\s*$", "", clause)  # the sentence's full stop
    pieces = [(start + s, p) for s, p in _chunks(clause, 0) if p.strip()]
    pieces = [(s, p) for s, p in pieces if not _AGE.match(p.strip())]
    if not pieces:
        return None
    if not inverted:
        for s, p in pieces:
            if _namelike(p, state, para.start + s):
                return _phrase(state, para, s, p)
        return _phrase(state, para, pieces[0][0], pieces[0][1])
    s, p = pieces[0]
    if not _namelike(p, state, para.start + s) and len(pieces) > 1 and _namelike(pieces[1][1], state,
                                                                                  para.start + pieces[1][0]):
        s, p = pieces[1]  # "said Biancardi's attorney, James Zeszutek"
    return _phrase(state, para, s, p)


def _namelike(piece: str, state: _Article | None = None, doc_start: int | None = None) -> bool:
    words = _clean(piece).split()
    if not words or len(words) > 6 or words[0].lower() in _NOBODY | _PERSON_PRONOUNS:
        return False
    if state is not None and doc_start is not None and _person_in(state, doc_start, doc_start + len(piece)):
        return True
    return all(w[:1].isupper() or not w[:1].isalpha() for w in words) and words[0].lower() not in _DOCUMENTS


def _pronoun(piece: str) -> bool:
    return _clean(piece).lower() in _PERSON_PRONOUNS | {"it"}


def _lead_in(state: _Article, paragraphs: list[_Paragraph], index: int) -> _Speaker | None:
    """``Pensioner Bayram-aga said:`` / ``Andrew Wetzler commented,`` ending the paragraph before."""
    if index == 0:
        return None
    prev = paragraphs[index - 1]
    text = prev.text.rstrip()
    if not text.endswith((":", ",")):
        return None
    start = prev.sentence_at(len(text) - 1)[0]
    return _subject(state, prev, start, text[start:-1] + " ")


def _reported(state: _Article, prev: _Paragraph) -> _Speaker | None:
    """The named person a paragraph's last sentence reports (``…, Insp Gaskin said.``)."""
    if not prev.sentences or any(mark in prev.text for mark in _MARKS):
        return None
    start, end, _ = prev.sentences[-1]
    sentence = prev.text[start:end]
    m = re.search(rf",\s*(?P<clause>[^,;:]{{1,60}}?)\s+(?:{_VERBS})\s*\.?\s*$", sentence)
    if m is None:
        m = re.search(rf"^(?P<clause>[^,;:]{{1,60}}?)\s+(?:{_VERBS})\b", sentence)
    if m is None or not _namelike(m.group("clause"), state, prev.start + start + m.start("clause")):
        return None
    return _phrase(state, prev, start + m.start("clause"), m.group("clause"))


def _phrase(state: _Article, para: _Paragraph, start: int, phrase: str) -> _Speaker | None:
    """Resolve a speaker phrase at local ``start`` of ``para``: a name, pronoun, role, unnamed
    speaker or document. None when it names nobody."""
    doc_start = para.start + start + (len(phrase) - len(phrase.lstrip()))
    phrase = _AGE_PREFIX.sub("", phrase.strip())
    name = _clean(phrase)
    words = name.split()
    if not words or len(words) > 8:
        return None
    lower = name.lower()
    if lower in _PERSON_PRONOUNS:
        return _last_named(state, doc_start, person=True)
    if lower == "it":
        return _last_named(state, doc_start, person=False)
    if lower in _NOBODY or words[0].lower() in _NOBODY and len(words) == 1:
        return None
    raw = phrase.strip()
    within = raw.find(name)  # "DeGeneres made the announcement on Twitter and": the subject, not Twitter
    span = (doc_start + within, doc_start + within + len(name)) if within >= 0 else (doc_start, doc_start + len(raw))
    pair = _two_people(state, *span)
    if pair is not None:
        return pair
    person = _person_in(state, *span)
    if person is not None:
        return person
    first = phrase.split()[0]
    core = re.split(r"\s+(?:from|by|of)\s+", phrase)[0].split()
    if core[-1] in _DOCUMENTS:  # lower case: "the post", "A statement from Waitrose", "the NFL's policy"
        return _author(state, doc_start, phrase)
    head = words[-1]
    if first.lower() == "the" and head[:1].islower() and len(words) <= 4:
        return _role(state, doc_start, name, head.lower())
    if first.lower() in _DETERMINERS and first[:1].islower():
        state.unnamed.append(name)  # an unnamed speaker: "a senior officer", "her nephew"
    elif not _namelike(name):
        return None  # "testified that after she overheard someone", "People quoted him as": no speaker
    entity = _entity_in(state, doc_start, doc_start + len(phrase), name)
    organisation = state.mentions is not None and any(
        state.mentions.labels[i] == "organization" for i in state.mentions.within(doc_start, doc_start + len(phrase)))
    return _Speaker(name, entity, organisation)


def _two_people(state: _Article, start: int, end: int) -> _Speaker | None:
    """``Craig Zadan and Neil Meron`` ending a speaker phrase: both, as one speaker with no single entity."""
    if state.mentions is None:
        return None
    m = state.mentions
    people = [i for i in m.within(start, end) if m.labels[i] == "person"]
    if len(people) < 2:
        return None
    first, last = people[-2], people[-1]
    if _doc_text(state, int(m.ends[first]), int(m.starts[last])) != " and " \
            or _doc_text(state, int(m.ends[last]), end).strip():
        return None
    return _Speaker(_doc_text(state, int(m.starts[first]), int(m.ends[last])), "")


def _person_in(state: _Article, start: int, end: int) -> _Speaker | None:
    """The last person mention in a phrase that is not a possessive (``Microsoft's Christopher Budd``)."""
    if state.mentions is None:
        return None
    m = state.mentions
    found = None
    for i in m.within(start, end):
        if m.labels[i] != "person":
            continue
        after = _doc_text(state, int(m.ends[i]), int(m.ends[i]) + 2)
        if after.startswith(("'s", "’s", "'", "’")):
            continue
        found = i
    if found is None:
        return None
    return _Speaker(_doc_text(state, int(m.starts[found]), int(m.ends[found])), str(m.entities[found]))


def _doc_text(state: _Article, start: int, end: int) -> str:
    """The document's text from ``start`` to ``end``, within the paragraph that holds ``end``."""
    k = bisect_right(state.starts, max(end - 1, start)) - 1
    if k < 0:
        return ""
    base = state.starts[k]
    return state.text[base][max(start - base, 0) : end - base]


def _outside_quotes(state: _Article, start: int, end: int) -> bool:
    return not any(q0 <= start and end <= q1 for q0, q1 in state.quoted)


def _in_relative_clause(state: _Article, start: int) -> bool:
    """Whether a mention sits in ``, who … ,`` (``Gene Smith, who replaced Andy Geiger, said``):
    not the one a later pronoun means."""
    left = _doc_text(state, max(start - 80, 0), start)
    clause = re.search(r",\s+(?:who|whom|whose|which)\b[^,.;“”\"]*$", left)
    return clause is not None


def _last_named(state: _Article, before: int, *, person: bool) -> _Speaker | None:
    """The person (or organisation) last named before ``before``, outside quotes. For a person, the
    last quote's speaker instead when it came later (a name spaCy did not see as a person's, or
    ``a senior officer`` … ``he added``), unless that speaker is an organisation."""
    spoke = None
    if person:
        for offset, _, speaker in reversed(state.attributions):
            if offset <= before:
                spoke = (offset, speaker) if not speaker.organisation else None
                break
    named = None
    if state.mentions is not None:
        m = state.mentions
        want = "person" if person else "organization"
        for i in reversed(np.flatnonzero(m.starts < before)):
            if m.labels[i] == want and _outside_quotes(state, int(m.starts[i]), int(m.ends[i])) \
                    and not _in_relative_clause(state, int(m.starts[i])) \
                    and not _addressee(state, int(m.starts[i])):
                named = (int(m.ends[i]), _Speaker(str(m.entities[i]), str(m.entities[i]), not person))
                break
    if not person:
        if named is None or re.search(
                rf"\bthe (?:{'|'.join(sorted(_ORGANISATION_NOUNS))})\b", _doc_text(state, named[0], before).lower()):
            return None  # "the newspaper …, it stated": another organisation is meant
        return named[1]
    if spoke is not None and (named is None or spoke[0] > named[0]):
        chosen = spoke
    elif named is not None:
        chosen = named
    else:
        return None
    return None if _someone_else(state, chosen[0], before, chosen[1]) else chosen[1]


def _addressee(state: _Article, start: int) -> bool:
    """Whether the mention at ``start`` is whom something was told or where (``told The Associated
    Press``, ``on Twitter``), not who speaks."""
    left = _doc_text(state, max(start - 20, 0), start).lower().split()
    left = [w for w in left if w not in {"the", "a", "an"}]
    return bool(left) and left[-1] in {"told", "tells", "tell", "telling", "via", "on", "to"}


def _role(state: _Article, before: int, name: str, head: str) -> _Speaker | None:
    """``the governor``: the person last named with that role; ``the company``: the last
    organisation; or the earlier unnamed speaker it repeats (``a Western diplomat``)."""
    role = name.lower()
    if head in _ORGANISATION_NOUNS:
        return _last_named(state, before, person=False)
    if state.mentions is not None:
        m = state.mentions
        for i in reversed(np.flatnonzero(m.starts < before)):
            if m.labels[i] != "person":
                continue
            around = (_doc_text(state, int(m.starts[i]) - 40, int(m.starts[i])) + " | "
                      + _doc_text(state, int(m.ends[i]), int(m.ends[i]) + 40)).lower()
            left, right = around.split(" | ", 1)
            named_after = re.match(rf"^\s*,\s*(?:the\s+)?[^,.]*\b{re.escape(head)}\b", right)
            if re.search(rf"\b{re.escape(head)}\s*$", left) or named_after:
                return _Speaker(str(m.entities[i]), str(m.entities[i]))
    for earlier in reversed(state.unnamed):
        if earlier.lower().split()[-1] == head or earlier.lower() == role:
            return _Speaker(earlier, _capitalised(earlier))
    return None


def _author(state: _Article, before: int, phrase: str) -> _Speaker | None:
    """The author a document phrase names, or that the sentence last naming the document gives."""
    named = re.search(r"\b(?:from|by)\s+(?P<who>(?:[A-Z][\w’'&.-]*\s*)+)", phrase)
    if named:
        who = named.group("who").strip()
        return _Speaker(who, _entity_in(state, before, before + len(phrase), who))
    owner = re.match(r"^(?:the\s+)?(?P<who>(?:[A-Z][\w&.-]*\s+)*[A-Z][\w&.-]*)(?:['’]s)?\s+[a-z]", phrase.strip())
    if owner and owner.group("who").lower() not in {"the", "a", "an"}:
        who = owner.group("who")
        return _Speaker(who, _entity_in(state, before, before + len(phrase), who))
    noun = phrase.lower().split()[-1]
    for offset, sentence, speaker in reversed(state.attributions):
        if offset < before and re.search(rf"\b{re.escape(noun)}\b", sentence.lower()):
            return speaker
    # "The NCAA report says …" earlier: the capitalised words before the document's name
    for start in sorted(state.text, reverse=True):
        if start >= before:
            continue
        text = state.text[start][: max(0, before - start)]
        found = list(re.finditer(rf"\b(?P<who>(?:[A-Z][\w&.-]*\s+)*[A-Z][\w&.-]*)(?:['’]s)?\s+{re.escape(noun)}\b",
                                 text))
        for f in reversed(found):
            who = f.group("who")
            if who.lower() not in {"the", "a", "an", "in"} and who.split()[0].lower() not in {"the", "in", "a"}:
                return _Speaker(who, _entity_in(state, start + f.start("who"), start + f.end("who"), who))
            parts = who.split()
            if len(parts) > 1 and parts[0].lower() in {"the", "in", "a"}:
                who = " ".join(parts[1:])
                return _Speaker(who, _entity_in(state, start + f.start("who"), start + f.end("who"), who))
    return None


def _clean(phrase: str) -> str:
    words = _AGE_PREFIX.sub("", phrase.strip()).split()
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        words.pop()
    if not words:
        return ""
    # "A government official downplayed the unrest": the words before a verb and its object
    for k in range(1, len(words) - 1):
        if words[k + 1].lower() in _DETERMINERS - {"one"} and words[k][:1].islower() \
                and words[k].lower() not in _PREPOSITIONS:
            words = words[: k]
            break
    # "chief executive Dana Ortiz" -> "Dana Ortiz": a role in lower case, then a name.
    run = 0
    while run < len(words) and words[-1 - run][:1].isupper():
        run += 1
    if 0 < run < len(words) and words[-1 - run][:1].islower() and words[-1 - run].lower() not in _PREPOSITIONS:
        words = words[-run:]
    return " ".join(words)


def _capitalised(name: str) -> str:
    capitalised = re.findall(r"(?:\b[A-Z][\w’'&.-]*(?:\s+|$))+", name + " ")
    return capitalised[0].strip() if capitalised else ""


def _entity_in(state: _Article, start: int, end: int, name: str) -> str:
    """The entity of the last mention in the speaker phrase that is not a possessive (``New York-based
    Human Rights Watch``; ``the NFL's policy``), else of its first mention, else its capitalised words."""
    if state.mentions is not None:
        m = state.mentions
        inside = m.within(start, end)
        for i in reversed(inside):
            if not _doc_text(state, int(m.ends[i]), int(m.ends[i]) + 2).startswith(("'s", "’s")):
                return str(m.entities[i])
        if len(inside):
            return str(m.entities[inside[0]])
    return _capitalised(name)
