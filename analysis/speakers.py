"""Who says a quotation: the attribution around it and what the attribution names.

``analysis.quotes`` finds the quotations and calls these readers in order (see its docstring for
the rules as a reader meets them): the attribution after the quote (``speaker_after``), before it
in its sentence (``speaker_before``), a lead-in ending the paragraph before (``lead_in``), the person
the previous paragraph reports (``reported``); ``own_verb`` and ``someone_else`` say when the previous
speaker may not go on. Each phrase is resolved by ``_phrase``: a name, a pronoun (``_last_named``), a role
(``_role``), an unnamed speaker or a document (``_author``); None when it names nobody.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace

import numpy as np

_VERBS = (
    r"said|says|say|saying|told|tells|tell|telling|added|adds|adding|explained|explains|noted|notes|"
    r"wrote|writes|writing|stated|states|announced|announces|asked|asks|argued|argues|claimed|claims|"
    r"commented|comments|continued|continues|insisted|insists|remarked|replied|replies|warned|warns|"
    r"acknowledged|admitted|admits|confirmed|confirms|declared|emphasized|emphasised|suggested|"
    r"suggests|tweeted|posted|recalled|recalls|predicted|predicts|promised|promises|testified|testifies|"
    r"maintained|maintains|echoed|contended|contends|stressed|described|describes|calling|called|"
    r"denied|denies|reported|reports|responded|answered|conceded|concluded|quipped|shouted|yelled|"
    r"chanted|testifying|explaining|adding|noting|declaring|insisting|warning|issued|stating|urged|urges"
)
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_AFTER_INVERTED = re.compile(rf"^\s*[,.]?\s*(?:{_VERBS})\s+(?P<clause>[^;:!?“”\"]{{1,160}})")
_AFTER = re.compile(
    rf"^\s*[,.]?\s*(?P<clause>[^;:!?“”\"]{{1,160}}?)\s+(?:(?:has|had|have|also|later|then|once|often)\s+)*(?:{_VERBS})\b"
)
# the full stop of a title ("Troy police Lt. Gerry Scherlinck") does not end the speaker
_TITLES = ("Mr", "Ms", "Dr", "Lt", "St", "Jr", "Mrs", "Sgt", "Gen", "Gov", "Sen", "Rep", "Col", "Maj", "Det", "Capt",
           "Insp", "Prof")
_TITLE_DOT = "".join(f"(?<!\\b{t})" for t in _TITLES)
_ACCORDING = re.compile(rf"\baccording to (?P<speaker>[^,;:!?“”\"]{{1,80}}?)\s*(?:[,;:!?]|{_TITLE_DOT}\.\s|\.?$)")
# a quote opens with “ or " and closes with ” or " (texts mix them: "Hide, she's got a gun!”)
QUOTE = re.compile(r"[“\"](?P<body>[^“”\"]*)(?:[”\"]|$)")
MARKS = ('"', "“", "”")
_DETERMINERS = {"a", "an", "the", "his", "her", "its", "their", "our", "one", "another"}
_LEADING = {"a", "an", "the", "with", "and", "but", "as", "while", "when", "then", "so", "also", "which", "who",
            "that", "where"}
_TRAILING = {"also", "has", "have", "had", "was", "is", "will", "would", "recently", "later", "then",
             "previously", "today", "once", "further", "again", "still", "just", "often", "himself", "herself"}
_PREPOSITIONS = {"of", "for", "at", "in", "from", "with", "to", "on", "by", "and", "&"}
_DOCUMENTS = {"post", "blog", "statement", "release", "report", "announcement", "filing", "letter", "email",
              "memo", "tweet", "website", "transcript", "document", "policy", "assessment", "study", "survey",
              "complaint", "lawsuit", "ruling", "order", "newspaper", "article", "story", "paper", "magazine",
              "editorial", "column", "advisory", "bulletin", "communique"}
# documents a publication carries: "an editorial in the conservative daily Eleftheros Typos" is the daily's
_PUBLISHED = {"editorial", "column", "article", "story"}
_ORGANISATION_NOUNS = {"company", "firm", "group", "agency", "organisation", "organization", "department",
                       "ministry", "club", "team", "school", "university", "studio", "network", "union",
                       "league", "association", "bank", "party", "court", "government", "police", "newspaper",
                       "magazine", "paper", "website", "station", "channel", "site"}
# offices written as capitals before a name
_OFFICES = {"ADA", "DA", "AG", "CEO", "CFO", "COO", "CTO", "GM", "MP", "MEP", "PM", "VP", "SVP", "EVP"}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_NOBODY = {"they", "we", "i", "you", "them", "us", "me", "someone", "somebody", "anyone", "everyone", "people",
           "others", "many", "some", "one", "who", "this", "that", "there"}
# where or how the words were said, after the speaker: not part of who
_SETTING = re.compile(r"\s+(?:in|on|at|during|via)\s+(?:a|an|the|his|her|its|their|Monday|Tuesday|Wednesday|"
                      r"Thursday|Friday|Saturday|Sunday)\b")
_PASSIVE = re.compile(r"\b(?:is|was|are|were|be|been|being)\s+(?:\w+ly\s+)?$")
_AGE = re.compile(r"^(?:\d+\s*-?\s*year\s*-?\s*old|\d+)$", re.IGNORECASE)
_AGE_PREFIX = re.compile(r"^\d+\s*-\s*year\s*-\s*old\s+", re.IGNORECASE)
_AN_AGE = re.compile(r"^\d+\s*-?\s*year\s*-?\s*old$", re.IGNORECASE)


@dataclass
class Mentions:
    """One article's mentions by start: document offsets, entities, labels."""

    starts: np.ndarray
    ends: np.ndarray
    entities: np.ndarray
    labels: np.ndarray

    def within(self, start: int, end: int) -> np.ndarray:
        return np.flatnonzero((self.starts < end) & (self.ends > start))


@dataclass(frozen=True)
class Speaker:
    """Who says a quote, and how the attribution named them (``how``: ``name``, ``pronoun``, ``it``,
    ``role``, ``document``, ``unnamed``)."""

    name: str
    entity: str
    organisation: bool = False
    how: str = "name"


def _as(speaker: Speaker | None, how: str) -> Speaker | None:
    return None if speaker is None else replace(speaker, how=how)


@dataclass
class Article:
    """What reading an article so far has established."""

    text: dict[int, str]  # document offset of each paragraph -> its text
    mentions: Mentions | None
    quoted: list[tuple[int, int]] = field(default_factory=list)  # document spans of the quotes so far
    unnamed: list[str] = field(default_factory=list)  # unnamed speakers so far (``Western diplomat``)
    attributions: list[tuple[int, str, Speaker]] = field(default_factory=list)  # offset, sentence, speaker
    things: set[str] | None = None  # person entities followed by ", which" (``_things``)

    def __post_init__(self) -> None:
        self.starts = sorted(self.text)


@dataclass
class Paragraph:
    number: int
    start: int  # document offset
    text: str
    sentences: list[tuple[int, int, int]]  # local start, local end, position

    def sentence_at(self, offset: int) -> tuple[int, int, int]:
        starts = [s[0] for s in self.sentences]
        return self.sentences[max(bisect_right(starts, offset) - 1, 0)]


def own_verb(para: Paragraph, q_start: int, q_end: int) -> bool:
    """Whether the quote's sentence has a speech verb outside the quote (``A government official
    downplayed the unrest saying that “…”``): an attribution of its own, even one not understood, so
    the previous speaker does not go on."""
    start, end, _ = para.sentence_at(q_start)
    outside = para.text[start:q_start] + " " + para.text[q_end:_sentence_end(para, max(q_end - 1, 0))]
    return _VERB.search(QUOTE.sub(" ", outside)) is not None


def someone_else(state: Article, start: int, end: int, speaker: Speaker) -> bool:
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
                    or _in_relative_clause(state, int(m.starts[i])) or _addressee(state, int(m.starts[i])):
                continue  # "Deng's forces", "…, who is writing a book on Nixon", "(via Jeff Duncan …)"
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



def _sentence_end(para: Paragraph, offset: int) -> int:
    start, end, _ = para.sentence_at(offset)
    if offset >= end:  # the quote closes its sentence: the attribution is the next one
        later = [s for s in para.sentences if s[0] >= offset]
        return later[0][1] if later else len(para.text)
    return end


def speaker_after(state: Article, para: Paragraph, offset: int) -> Speaker | None:
    """The attribution after a quote closing at ``offset`` (local), up to the end of its sentence."""
    region = para.text[offset : _sentence_end(para, max(offset - 1, 0))]
    m = re.match(r"^\s*[,.]?\s*(?=according to )", region)
    if m:  # "“…,” according to Troy police Lt. Gerry Scherlinck."
        # the sentence may end at the title's full stop: read on to the paragraph's next real one
        rest = para.text[offset + m.end():]
        m = _ACCORDING.match(rest)
        if m:
            speaker = _phrase(state, para, offset + (len(para.text) - offset - len(rest)) + m.start("speaker"),
                              m.group("speaker"))
            return _as(speaker, f"according to {speaker.how}") if speaker else None
    m = _AFTER_INVERTED.match(region)
    if m:
        clause_start = offset + m.start("clause")
        return _clause(state, para, clause_start, m.group("clause"), inverted=True)
    m = _AFTER.match(region)
    if m:
        return _clause(state, para, offset + m.start("clause"), m.group("clause"), inverted=False)
    return None


def speaker_before(state: Article, para: Paragraph, q_start: int) -> Speaker | None:
    """The attribution before a quote in the same sentence: the subject of the last speech verb."""
    sentence_start = para.sentence_at(q_start)[0]
    lead = para.text[sentence_start:q_start]
    speaker = _subject(state, para, sentence_start, lead)
    if speaker is not None:
        return speaker
    matches = list(_ACCORDING.finditer(lead))
    if matches:
        m = matches[-1]  # the last "according to" before the quote
        speaker = _phrase(state, para, sentence_start + m.start("speaker"), m.group("speaker"))
        return _as(speaker, f"according to {speaker.how}") if speaker else None
    return None


def _subject(state: Article, para: Paragraph, offset: int, lead: str) -> Speaker | None:
    """The speaker of the last speech verb in ``lead`` (local ``offset``), if it names one."""
    dashes = [d.start() for d in re.finditer(r"—| – ", lead)]
    asides = list(zip(dashes[::2], dashes[1::2], strict=False))
    for verb in reversed(list(_VERB.finditer(lead))):
        if _PASSIVE.search(lead[: verb.start()]):
            continue  # "a letter that he is said to have written": nobody says the quote here
        if any(a < verb.start() < b for a, b in asides):
            continue  # "White told The Post — where Heller said she was “…” of … — “I hear …”": an aside's verb
        head = lead[: verb.start()]
        # "White told The Post … — where Lohan's lawyer Mark Heller said she was “…”": the clause after the dash
        cut = max(head.rfind(";"), head.rfind(":"), head.rfind("“"), head.rfind("”"), head.rfind('"'),
                  head.rfind("—"), head.rfind(" – "))
        pieces = _chunks(head, cut + 1)
        participle = verb.group().endswith("ing") or verb.group() == "called"
        start, last = pieces[-1]
        unnamed = re.search(r"\bwith (?P<who>(?:a|an|one) [a-z]+(?: [a-z]+)?)\s+$", head) if participle else None
        if unnamed:  # "… with a spokesman stating: “…”": the spokesman, not the clause's subject
            return _phrase(state, para, offset + unnamed.start("who"), unnamed.group("who"))
        if last.strip() and not _AGE.match(last.strip()):
            if participle and not _namelike(last, state, para.start + offset + start) and not _pronoun(last):
                person = _sentence_subject(state, para, offset, lead) if verb.group().endswith("ing") else None
                if person is not None:
                    return person
                continue
            at = para.start + offset
            if len(pieces) > 1 and not _person_in(state, at + start, at + start + len(last)) \
                    and (_namelike(last) and _namelike(pieces[-2][1])
                         or last.split()[0][:1].islower() and _a_name(pieces[-2][1])):
                # "Charlotte Moore, Controller BBC One says": the title, after the person it describes
                before_start, before = pieces[-2]
                if _person_in(state, at + before_start, at + before_start + len(before)):
                    return _phrase(state, para, offset + before_start, before)
            return _phrase(state, para, offset + start, last)
        if participle:
            person = _sentence_subject(state, para, offset, lead) if verb.group().endswith("ing") else None
            if person is not None:
                return person
            continue  # ", calling them “…”": the subject is the clause's, before
        # "Gill Sandford, dean of the faculty, said:" / "Armstead, 32, testified": the subject in apposition
        for start, piece in reversed(pieces[:-1]):
            if piece.strip() and not _AGE.match(piece.strip()) and _namelike(piece, state, para.start + offset + start):
                return _phrase(state, para, offset + start, piece)
        return None
    return None


def _sentence_subject(state: Article, para: Paragraph, offset: int, lead: str) -> Speaker | None:
    """The person whose name opens the sentence and is followed by its verb (``Jenna Coleman revealed
    that she is “so excited” …, adding:``): the subject a participle's words go with."""
    subject = re.match(r"\s*(?P<name>(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)\s+[a-z]", lead)
    if subject is None:
        return None
    at = para.start + offset + subject.start("name")
    person = _person_in(state, at, at + len(subject.group("name")))
    return person if person is not None and person.name == subject.group("name") else None


def _chunks(text: str, start: int) -> list[tuple[int, str]]:
    """Comma-separated pieces of ``text[start:]`` with their offsets."""
    out, at = [], start
    for piece in text[start:].split(","):
        out.append((at, piece))
        at += len(piece) + 1
    return [(s, p) for s, p in out if p.strip() or (s, p) == out[-1]]


def _clause(state: Article, para: Paragraph, start: int, clause: str, *, inverted: bool) -> Speaker | None:
    """The speaker in an attribution clause: its first piece, or the name in apposition to it."""
    clause = re.sub(r"\.\s*$", "", clause)  # the sentence's full stop
    pieces = [(start + s, p) for s, p in _chunks(clause, 0) if p.strip()]
    pieces = [(s, p) for s, p in pieces if not _AGE.match(p.strip())]
    if not pieces:
        return None
    if inverted:  # "said the company in a statement", "wrote … Rahul Mohandas on the company blog"
        pieces = [(s, p if _SETTING.split(p)[0].split()[-1:] in [[w] for w in _PUBLISHED] else _SETTING.split(p)[0])
                  for s, p in pieces]
    if not inverted:
        for s, p in pieces:
            if _namelike(p, state, para.start + s):
                return _phrase(state, para, s, p)
        first = _phrase(state, para, pieces[0][0], pieces[0][1])
        s, p = pieces[-1]
        if first is None and len(pieces) > 1 and p.split()[0].lower() in _DETERMINERS:
            # "“a substantial cache …,” including seven AK-47 …, the statement said": the subject by the verb
            return _phrase(state, para, s, p)
        return first
    s, p = pieces[0]
    if not _namelike(p, state, para.start + s) and len(pieces) > 1 and _namelike(pieces[1][1], state,
                                                                                  para.start + pieces[1][0]):
        s, p = pieces[1]  # "said Biancardi's attorney, James Zeszutek"
    return _phrase(state, para, s, p)


def _namelike(piece: str, state: Article | None = None, doc_start: int | None = None) -> bool:
    words = _clean(piece).split()
    if not words or len(words) > 6 or words[0].lower() in _NOBODY | _PERSON_PRONOUNS:
        return False
    if state is not None and doc_start is not None and _person_in(state, doc_start, doc_start + len(piece)):
        return True
    return all(w[:1].isupper() or not w[:1].isalpha() for w in words) and words[0].lower() not in _DOCUMENTS


def _a_name(piece: str) -> bool:
    """Two to five words, each capitalised, as written (``Peter Gross``; not ``known as Katie``)."""
    words = piece.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words)


def _pronoun(piece: str) -> bool:
    return _clean(piece).lower() in _PERSON_PRONOUNS | {"it"}


def lead_in(state: Article, paragraphs: list[Paragraph], index: int) -> Speaker | None:
    """``Pensioner Bayram-aga said:`` / ``Andrew Wetzler commented,`` ending the paragraph before."""
    if index == 0:
        return None
    prev = paragraphs[index - 1]
    text = prev.text.rstrip()
    if not text.endswith((":", ",")):
        return None
    start = prev.sentence_at(len(text) - 1)[0]
    return _subject(state, prev, start, text[start:-1] + " ")


def reported(state: Article, prev: Paragraph) -> Speaker | None:
    """The named person a paragraph's last sentence reports (``…, Insp Gaskin said.``)."""
    if not prev.sentences or any(mark in prev.text for mark in MARKS):
        return None
    start, end, _ = prev.sentences[-1]
    sentence = prev.text[start:end]
    m = re.search(rf",\s*(?P<clause>[^,;:]{{1,60}}?)\s+(?:{_VERBS})\s*\.?\s*$", sentence)
    if m is None:
        m = re.search(rf"^(?P<clause>[^,;:]{{1,60}}?)\s+(?:{_VERBS})\b", sentence)
    if m is None or not _namelike(m.group("clause"), state, prev.start + start + m.start("clause")):
        return None
    return _phrase(state, prev, start + m.start("clause"), m.group("clause"))


def _phrase(state: Article, para: Paragraph, start: int, phrase: str) -> Speaker | None:
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
        return _last_named(state, doc_start, person=True, pronoun=lower)
    if lower == "it":
        return _as(_last_named(state, doc_start, person=False), "it")
    if lower in _NOBODY or words[0].lower() in _NOBODY and len(words) == 1:
        return None
    if _AN_AGE.match(name):  # "said the 29-year-old", "the 55 - year - old said": the person last named
        return _last_named(state, doc_start, person=True)
    raw = phrase.strip()
    within = raw.find(name)  # "DeGeneres made the announcement on Twitter and": the subject, not Twitter
    span = (doc_start + within, doc_start + within + len(name)) if within >= 0 else (doc_start, doc_start + len(raw))
    pair = _two_people(state, *span)
    if pair is not None:
        return pair
    person = _person_in(state, *span)
    if person is not None and (within < 0 or not _after_name(state, person, span)):
        return person
    first = phrase.split()[0]
    core = re.split(r"\s+(?:from|by|of)\s+", phrase)[0].split()
    if core[-1] in _DOCUMENTS:  # lower case: "the post", "A statement from Waitrose", "the NFL's policy"
        return _as(_author(state, doc_start, phrase), "document")
    head = words[-1]
    if first.lower() == "the" and head[:1].islower() and len(words) <= 4:
        return _as(_role(state, doc_start, name, head.lower()), "role")
    if first.lower() == "the" and first[:1].islower() and len(words) == 1 and state.mentions is not None \
            and not len(state.mentions.within(*span)):
        # "the Secretary-General said", no name spaCy knows: an office, the person last named with it
        return _as(_role(state, doc_start, name, head.lower()), "role")
    how = "name"
    if first.lower() in _DETERMINERS and first[:1].islower():
        state.unnamed.append(name)  # an unnamed speaker: "a senior officer", "her nephew"
        how = "unnamed"
    elif not _namelike(name):
        return None  # "testified that after she overheard someone", "People quoted him as": no speaker
    entity = _entity_in(state, doc_start, doc_start + len(phrase), name)
    organisation = state.mentions is not None and any(
        state.mentions.labels[i] == "organization" for i in state.mentions.within(doc_start, doc_start + len(phrase)))
    return Speaker(name, entity, organisation, how)


def _two_people(state: Article, start: int, end: int) -> Speaker | None:
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
    return Speaker(_doc_text(state, int(m.starts[first]), int(m.ends[last])), "")


def _person_in(state: Article, start: int, end: int) -> Speaker | None:
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
        left = _doc_text(state, max(start, int(m.starts[i]) - 40), int(m.starts[i])).split()
        at = max((k for k, w in enumerate(left) if w in {"for", "of", "to", "with"}), default=-1)
        if at >= max(len(left) - 4, 0) and any(w[:1].islower() and w not in _PREPOSITIONS | _DETERMINERS
                                                for w in left[max(at - 2, 0) : at]):
            continue  # "a spokesman for Texas Attorney General Greg Abbott": whom the speaker works for
        found = i
    if found is None:
        return None
    name = _doc_text(state, int(m.starts[found]), int(m.ends[found]))
    words = name.split()
    if len(words) > 1 and words[0] in _OFFICES:
        name = " ".join(words[1:])  # spaCy's "ADA Fairman"
    return Speaker(name, str(m.entities[found]))


def _after_name(state: Article, person: Speaker, span: tuple[int, int]) -> bool:
    """Whether the subject goes on after the person's name in lower case or with a role (``A Surrey
    Police spokeswoman``, spaCy calling Surrey a person): then the name only qualifies the speaker."""
    text = _doc_text(state, *span)
    k = text.rfind(person.name)
    if k < 0:
        return False
    rest = re.split(rf"\s(?:{'|'.join(sorted(_PREPOSITIONS - {'&'}))})\s", " " + text[k + len(person.name):] + " ")[0]
    words = rest.split()
    # one noun in lower case closing the subject: "… spokeswoman"; not "of the unit", not "denied those"
    return 0 < len(words) <= 3 and words[-1][:1].islower() and all(w[:1].isupper() for w in words[:-1])


def _doc_text(state: Article, start: int, end: int) -> str:
    """The document's text from ``start`` to ``end``, within the paragraph that holds ``end``."""
    k = bisect_right(state.starts, max(end - 1, start)) - 1
    if k < 0:
        return ""
    base = state.starts[k]
    return state.text[base][max(start - base, 0) : end - base]


def _outside_quotes(state: Article, start: int, end: int) -> bool:
    """Whether a mention is outside every quote so far, and holds no quote mark itself (``Focus on the
    Family “Love Won Out Conference``)."""
    return not any(q0 <= start and end <= q1 for q0, q1 in state.quoted) \
        and not any(mark in _doc_text(state, start, end) for mark in MARKS)


def _in_relative_clause(state: Article, start: int) -> bool:
    """Whether a mention sits in ``, who … ,`` (``Gene Smith, who replaced Andy Geiger, said``):
    not the one a later pronoun means."""
    left = _doc_text(state, max(start - 80, 0), start)
    clause = re.search(r",\s+(?:who|whom|whose|which)\b[^,.;“”\"]*$", left)
    return clause is not None


def _last_named(state: Article, before: int, *, person: bool, pronoun: str = "") -> Speaker | None:
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
            if m.labels[i] == want and not (person and str(m.entities[i]) in _things(state)) \
                    and _outside_quotes(state, int(m.starts[i]), int(m.ends[i])) \
                    and not _in_relative_clause(state, int(m.starts[i])) \
                    and not _addressee(state, int(m.starts[i])) \
                    and not (not person and _product(state, int(m.starts[i]), int(m.ends[i]))) \
                    and not _doc_text(state, int(m.ends[i]), int(m.ends[i]) + 2).startswith(("'s", "’s")):
                named = (int(m.ends[i]), Speaker(str(m.entities[i]), str(m.entities[i]), not person))
                break
    if not person:
        if named is None or re.search(
                rf"\bthe (?:{'|'.join(sorted(_ORGANISATION_NOUNS))})\b", _doc_text(state, named[0], before).lower()):
            return None  # "the newspaper …, it stated": another organisation is meant
        return named[1]
    if spoke is not None and (named is None or spoke[0] > named[0]):
        chosen, how = spoke, "pronoun: last speaker"
    elif named is not None:
        chosen, how = _reporter(state, named), "pronoun: last named"
        if chosen is None or _object_pronoun_after(state, chosen[0], pronoun):
            return None
    else:
        return None
    return None if someone_else(state, chosen[0], before, chosen[1]) else replace(chosen[1], how=how)


def _product(state: Article, start: int, end: int) -> bool:
    """Whether an organisation mention names a product, not a speaker: a version follows it (``Internet
    Explorer 8``) or it is the end of a longer capitalised name spaCy cut (``an Internet Explorer``)."""
    if re.match(r"\s+\d", _doc_text(state, end, end + 3)):
        return True
    left = _doc_text(state, max(start - 30, 0), start)
    return re.search(r"(?:^|[^.!?:;“\"]\s)(?:a|an|the)\s+[A-Z][a-z]+\s+$", left) is not None


_OBJECT = {
    "he": re.compile(r"\bhim\b"),
    "him": re.compile(r"\bhim\b"),
    # "her" as an object, not a possessive: "asked her to pose", "told her."
    "she": re.compile(r"\bher\b(?=\s*(?:[,.;:!?]|$|\s(?:to|and|or|in|on|at|as|for|with|from|into|about|"
                      r"out|up|off|back|over|again|that|if|when|after|before)\b))"),
}
_OBJECT["her"] = _OBJECT["she"]


def _object_pronoun_after(state: Article, end: int, pronoun: str) -> bool:
    """Whether the sentence of the person mention ending at ``end`` goes on, outside quotes, with an
    object pronoun of the gender of ``pronoun`` (``Jerry Tibbs admired … and asked her to pose``): that
    pronoun is someone else of that gender, so a later ``she`` could mean either and means nobody."""
    pattern = _OBJECT.get(pronoun)
    if pattern is None:
        return False
    k = bisect_right(state.starts, end - 1) - 1
    if k < 0:
        return False
    base, text = state.starts[k], state.text[state.starts[k]]
    stop = re.search(r"[.!?](?:\s|$)", text[end - base :])
    rest = text[end - base : end - base + (stop.end() if stop else len(text))]
    for m in pattern.finditer(rest.lower()):
        if _outside_quotes(state, end + m.start(), end + m.end()):
            return True
    return False


def _things(state: Article) -> set[str]:
    """Person entities the article follows with ``, which`` (``INS Mysore, which will resume …``): a
    ship or a thing spaCy took for a person, never what ``he`` or ``she`` means."""
    if state.things is None:
        m = state.mentions
        state.things = {str(m.entities[i]) for i in range(len(m.starts)) if m.labels[i] == "person"
                        and re.match(r"\s*,\s*which\b", _doc_text(state, int(m.ends[i]), int(m.ends[i]) + 9))}
    return state.things


def _reporter(state: Article, named: tuple[int, Speaker]) -> tuple[int, Speaker] | None:
    """The person a pronoun means when the sentence that last names a person names several (``Oppal
    said Blackmore is alleged …, while Oler is accused …``): the one who speaks in it, else nobody."""
    m = state.mentions
    k = bisect_right(state.starts, named[0] - 1) - 1
    base, text = state.starts[k], state.text[state.starts[k]]
    local = named[0] - base
    start = max((e.end() for e in re.finditer(r"[.!?]\s", text[:local])), default=0)
    stop = base + len(text)
    people = [i for i in m.within(base + start, stop) if m.labels[i] == "person"
              and m.starts[i] < named[0] + 1 and _outside_quotes(state, int(m.starts[i]), int(m.ends[i]))
              and not _in_relative_clause(state, int(m.starts[i])) and not _addressee(state, int(m.starts[i]))
              and not _doc_text(state, int(m.ends[i]), int(m.ends[i]) + 2).startswith(("'s", "’s"))]
    if len({str(m.entities[i]) for i in people}) <= 1:
        return named
    for i in people:
        after = text[int(m.ends[i]) - base :]
        if re.match(rf"^(?:\s*,[^,.;“”\"]{{0,100}},)?\s*(?:\w+ly\s+|also\s+|later\s+)?(?:{_VERBS})\b", after):
            return int(m.ends[i]), Speaker(str(m.entities[i]), str(m.entities[i]))
    return None


def _addressee(state: Article, start: int) -> bool:
    """Whether the mention at ``start`` is whom something was told or where (``told The Associated
    Press``, ``on Twitter``), not who speaks."""
    left = _doc_text(state, max(start - 20, 0), start).lower().split()
    left = [w.strip("([") for w in left if w not in {"the", "a", "an"}]
    return bool(left) and left[-1] in {"told", "tells", "tell", "telling", "via", "on", "to"}


def _role(state: Article, before: int, name: str, head: str) -> Speaker | None:
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
                return Speaker(str(m.entities[i]), str(m.entities[i]))
    for earlier in reversed(state.unnamed):
        if earlier.lower().split()[-1] == head or earlier.lower() == role:
            return Speaker(earlier, _capitalised(earlier))
    return None


def _author(state: Article, before: int, phrase: str) -> Speaker | None:
    """The author a document phrase names, or that the sentence last naming the document gives."""
    named = re.search(r"\b(?:from|by)\s+(?P<who>(?:[A-Z][\w’'&.-]*\s*)+)", phrase)
    if named:
        who = named.group("who").strip()
        return Speaker(who, _entity_in(state, before, before + len(phrase), who))
    owner = re.match(r"^(?:the\s+)?(?P<who>(?:[A-Z][\w&.-]*\s+)*[A-Z][\w&.-]*)(?:['’]s)?\s+[a-z]", phrase.strip())
    lead = len(phrase) - len(phrase.lstrip())
    if owner and owner.group("who").lower() not in {"the", "a", "an"} \
            and not _group(state, before + lead + owner.start("who"), before + lead + owner.end("who")):
        who = owner.group("who")
        return Speaker(who, _entity_in(state, before, before + len(phrase), who))
    core = re.split(r"\s+(?:from|by|of)\s+", phrase.strip())[0].lower().split()
    noun = core[-1] if core and core[-1] in _DOCUMENTS else phrase.lower().split()[-1]
    for offset, sentence, speaker in reversed(state.attributions):
        # the document named by the attribution, not inside the quote ("“… set forth in this report …”")
        outside = re.sub(r"[“\"][^“”\"]*(?:[”\"]|$)", " ", sentence.lower())
        if offset < before and re.search(rf"\b{re.escape(noun)}\b", outside):
            return speaker
    # "according to a statement from the Indian government" earlier: who the document was from
    organisations = "|".join(sorted(_ORGANISATION_NOUNS))
    for start in sorted(state.text, reverse=True):
        if start >= before:
            continue
        text = state.text[start][: max(0, before - start)]
        found = list(re.finditer(rf"\b{re.escape(noun)}\s+(?:from|by)\s+(?:the\s+)?(?P<who>(?:[A-Z][\w&.-]*\s+)*"
                                 rf"[A-Z][\w&.-]*(?:\s+(?:{organisations})\b)?)", text))
        if found:
            f = found[-1]
            who = f.group("who")
            return Speaker(who, _entity_in(state, start + f.start("who"), start + f.end("who"), who))
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
                return Speaker(who, _entity_in(state, start + f.start("who"), start + f.end("who"), who))
            parts = who.split()
            if len(parts) > 1 and parts[0].lower() in {"the", "in", "a"}:
                who = " ".join(parts[1:])
                return Speaker(who, _entity_in(state, start + f.start("who"), start + f.end("who"), who))
    return None


def _group(state: Article, start: int, end: int) -> bool:
    """Whether the words at ``start``-``end`` are a nationality or group (``the Indian statement``): no author."""
    m = state.mentions
    return m is not None and any(m.labels[i] == "group" for i in m.within(start, end))


def _clean(phrase: str) -> str:
    words = _AGE_PREFIX.sub("", phrase.strip()).split()
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        words.pop()
    if not words:
        return ""
    if len(words) > 1 and words[0] in _OFFICES and words[1][:1].isupper():
        words.pop(0)  # "ADA Fairman", "CEO Andrew Feldman": the office, written before the name
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
    if 0 < run < len(words) and words[-1 - run][:1].islower() \
            and words[-1 - run].lower() not in _PREPOSITIONS | _DETERMINERS:
        words = words[-run:]
    return " ".join(words)


def _capitalised(name: str) -> str:
    capitalised = re.findall(r"(?:\b[A-Z][\w’'&.-]*(?:\s+|$))+", name + " ")
    return capitalised[0].strip() if capitalised else ""


def _entity_in(state: Article, start: int, end: int, name: str) -> str:
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
