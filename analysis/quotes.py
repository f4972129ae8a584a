"""Voices: direct quotations and who speaks them.

Quotations are found per paragraph between curly (“…”) or straight ("…") double quotes. A quoted
phrase of one to three words (“serverless”, “make sense”) is a scare quote or a term, not a
quotation, and is skipped. A quote may run over several sentences, and over paragraphs: one left
open at the end of its paragraph goes on in the next paragraphs (at most three) when one of them
closes it without opening a new one (text split one sentence a paragraph), or when the next
paragraph opens a new quote at its start (the usual way a long quotation goes on). Title-case
words that end no sentence after ``in``/``titled``/``called``, or four or more of them, are a title
and nobody's (``wrote in “Secret Man: The Story of Watergate's Deep Throat”``).

The speaker (read by ``analysis.speakers``) is read as a careful reader does, and left empty rather than guessed:

1. the attribution after the quote, speech verb on either side: ``“…,” said Dana Ortiz`` /
   ``“…,” Nichols, 37, told the court`` / ``“…,” the head of the service, Massoud Dalman, told TV``;
2. else before it, in the same sentence: ``Microsoft said that it is “…”`` / ``Roesler described
   her as “…”`` / ``according to the post, … “…”``, or in the sentence before when that one ends in
   a colon or comma (``Pensioner Bayram-aga said:``); a dash opens the clause (``— where Heller said
   she was “…”``), and a verb inside a closed dash aside attributes nothing after it;
3. else the second half of a quote split by its attribution (``“…,” says Fairman, “…”``) is the
   first half's;
4. else the speaker goes on: the previous quote's when it is in the same or the previous paragraph
   (a quote left open runs on through the unmarked paragraphs after it; a closed quote too short to
   list, ``“That's tough,” Drew Brees said``, counts), unless the quote's sentence has a speech
   verb of its own or another person is named or reported in between,
   or the person the previous paragraph reports (``…, Insp Gaskin said.``) when the quote opens its
   paragraph; a quote left open that the next paragraph's quote continues takes that one's speaker.

What the attribution names is then resolved: a person's name stays as written (``entity`` gives the
canonical name) when it is the subject's (not ``Twitter`` in ``DeGeneres made the announcement on
Twitter and said``, not ``Surrey`` in ``A Surrey Police spokeswoman``, not ``Greg Abbott`` in
``Jerry Strickland, a spokesman for … Greg Abbott``); ``Craig Zadan and Neil Meron`` are one speaker
with no single entity. ``he``/``she`` is the person last named before it outside quotes (not a
possessive, nor someone told something), or the last speaker when named later; when that sentence
names several people, the one who speaks in it, else nobody; nobody when another speaker is
reported in between. ``it`` is the last organisation not told something, nobody after ``the
newspaper`` or the like in between; ``they``, ``we``, ``I`` and ``someone`` are nobody. A role with ``the`` (``the
governor``, ``the diplomat``, ``the company``) is the person last named with that role (``Deng,
the governor``), the last organisation for ``the company``, or the earlier unnamed speaker it
repeats (``a Western diplomat`` … ``the diplomat``); else nobody. An unnamed speaker (``a senior
officer``, ``a Microsoft spokesperson``) is kept as written, without its article. A document is its
author when the text names one (``a statement from Waitrose``, ``the NCAA report``, ``In the post,
Microsoft said`` … ``the post said``), else nobody. A pronoun is never a speaker.

Each speaker has a ``confidence`` (``strong``, ``medium``, ``weak``: see ``extract_quotes``); speakers
under ``MIN_CONFIDENCE`` (chosen by ``python -m bench.quotes_confidence``) are left empty.

``entity`` is the canonical entity of the person mention (``mentions`` table) the speaker names,
else of the last mention inside the speaker phrase that is no possessive, else the phrase's run of
capitalised words (``Microsoft spokesperson`` -> ``Microsoft``).
"""


from __future__ import annotations

import re
from collections import namedtuple

import numpy as np
import pandas as pd

from .schema import QUOTES
from .speakers import (
    _VERB,
    MARKS,
    QUOTE,
    Article,
    Mentions,
    Paragraph,
    Speaker,
    lead_in,
    own_verb,
    reported,
    someone_else,
    speaker_after,
    speaker_before,
)

MIN_QUOTE_WORDS = 4
# How sure an attribution is, from how it was read (see ``confidence``), and the least a speaker
# needs to be given: chosen by ``python -m bench.quotes_confidence`` on the quotes no rule was written
# on (dev4 with the code held out from it, heldout4): every speaker kept is right 157 of 171 (0.918).
CONFIDENCE = ("weak", "medium", "strong")
MIN_CONFIDENCE = "weak"
MAX_OPEN_PARAGRAPHS = 3  # paragraphs a quote left open may run on before one closes it

_Row = namedtuple("_Row", ["article_id", "outlet", "story", "position", "paragraph", "start", "text"])


def extract_quotes(sentences: pd.DataFrame, *, mentions: pd.DataFrame | None = None,
                   min_confidence: str = MIN_CONFIDENCE, _evidence: bool = False) -> pd.DataFrame:
    """Direct quotations of each article with their speaker.

    Args:
        sentences: one row per sentence with ``article_id``, ``outlet``, ``story``, ``position``,
            ``paragraph``, ``start`` and ``text`` (offsets into the article's document). Not modified.
        mentions: optional entity mentions (``article_id``, ``entity``, ``start``, ``end``, and
            ``label`` to resolve ``he``/``she`` to a person and ``it`` to an organisation) used to
            give each speaker its canonical entity. Without mentions a pronoun is the previous
            quote's speaker when there is one.
        min_confidence: the least ``confidence`` a speaker is given with (``weak``, ``medium`` or
            ``strong``); a quote whose attribution is less sure gets an empty speaker.

    Returns:
        DataFrame[story, outlet, article_id, sentence, speaker, entity, confidence, quote], one row per
        quotation in reading order: ``sentence`` is the position of the sentence where the quote
        opens, ``speaker`` who says it (a name or title as written, e.g. ``Nadella`` or
        ``Microsoft spokesperson``; the person a pronoun or role refers to; empty when the text
        does not say), ``entity`` its canonical entity (empty when none), ``confidence`` how sure
        the attribution is (``strong``: a speech verb beside the quote naming or describing the
        speaker, or ``according to`` a name; ``medium``: a pronoun resolved to the person last
        named, a role, ``it`` or a document's author, or a speaker going on to a quote with no
        attribution of its own; ``weak``: a pronoun resolved to the last speaker rather than to a
        name; empty with no speaker), ``quote`` the quoted words (a comma that closes the
        quotation is the reporter's and is dropped).

    >>> s = pd.DataFrame({"article_id": "a", "outlet": "X", "story": "", "position": [0, 1, 2],
    ...     "paragraph": [0, 1, 2], "start": [0, 100, 200],
    ...     "text": ["“We will replace every battery,” chief executive Dana Ortiz said.",
    ...              "“This was entirely preventable.”", "“It will not happen again,” she added."]})
    >>> for row in extract_quotes(s)[["speaker", "confidence", "quote"]].values.tolist():  # the default, weak
    ...     print(row)
    ['Dana Ortiz', 'strong', 'We will replace every battery']
    ['Dana Ortiz', 'medium', 'This was entirely preventable.']
    ['Dana Ortiz', 'weak', 'It will not happen again']
    >>> extract_quotes(s, min_confidence="strong")["speaker"].tolist()
    ['Dana Ortiz', '', '']
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
    out = pd.DataFrame(rows, columns=[*QUOTES, "evidence"])
    if min_confidence not in CONFIDENCE:
        raise ValueError(f"min_confidence is one of {', '.join(CONFIDENCE)}, not {min_confidence!r}")
    unsure = out["confidence"].map({c: k for k, c in enumerate(CONFIDENCE)}).fillna(-1) \
        < CONFIDENCE.index(min_confidence)
    out.loc[unsure, ["speaker", "entity", "confidence"]] = ""
    if not _evidence:
        out = out[QUOTES]
    return out.astype({"sentence": "int64"})


def _mentions_by_article(mentions: pd.DataFrame | None) -> dict[str, Mentions]:
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
        out[str(article)] = Mentions(starts[taken], ends[taken], entities[taken], labels[taken])
    return out


def _paragraphs(article: list) -> list[Paragraph]:
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
        out.append(Paragraph(number, start0, "".join(parts), spans))
    return out


def _article_quotes(article_id: str, article: list, mentions: Mentions | None) -> list[dict]:
    paragraphs = _paragraphs(article)
    state = Article({p.start: p.text for p in paragraphs}, mentions)
    rows: list[dict] = []
    previous: tuple[Speaker, int, int] | None = None  # the last quote's speaker, paragraph index, end
    open_quote: tuple[int, dict] | None = None  # paragraph index and row of a quote left open, no speaker
    skip_until: tuple[int, int] = (-1, -1)  # text (paragraph index, local offset) a continued quote took
    for index, para in enumerate(paragraphs):
        text = para.text
        if not any(mark in text for mark in MARKS):
            continue
        for match in QUOTE.finditer(text):
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
                if closed and continued is None and body.rstrip().endswith((",", ".", "!", "?")):
                    # "“That's tough,” quarterback Drew Brees said": too short to list, but a speaker to go on
                    short = speaker_after(state, para, match.end())
                    if short is not None and short.how == "name":
                        previous = (short, index, para.start + match.end())
                continue
            doc_start = para.start + match.start()
            if continued is not None:
                close_para = paragraphs[close_index]
                doc_end = close_para.start + close_at + 1
                state.quoted.append((doc_start, doc_end))  # a name inside the quote is not its speaker
                speaker = speaker_after(state, close_para, close_at + 1)
            else:
                doc_end = para.start + match.end()
                state.quoted.append((doc_start, doc_end))
                speaker = speaker_after(state, para, match.end())
            path = "after"
            title = _title(text[: match.start()], body)
            if speaker is None and not title:
                speaker, path = speaker_before(state, para, match.start()), "before"
            if speaker is None and match.start() == _first_mark(text):
                speaker, path = lead_in(state, paragraphs, index), "lead-in"
            if title:
                speaker = None
            if speaker is None and not title and previous is not None and previous[1] == index \
                    and _split_by_attribution(text[previous[2] - para.start : match.start()]):
                speaker, path = previous[0], "split"  # "“…,” says Fairman, “and she only shot …”"
            if speaker is not None:
                start, end, _ = para.sentence_at(match.start())
                state.attributions.append((doc_end, text[start:end], speaker))
            if speaker is None and previous is not None and index - previous[1] <= 1 and not title \
                    and not own_verb(para, match.start(), match.end()) \
                    and not someone_else(state, previous[2], doc_start, previous[0]):
                speaker, path = previous[0], "carried on"
            if speaker is None and match.start() == _first_mark(text) and index > 0:
                speaker, path = reported(state, paragraphs[index - 1]), "reported"
            if speaker is not None and open_quote is not None and index == open_quote[0] + 1 \
                    and match.start() == _first_mark(text):
                open_quote[1]["speaker"], open_quote[1]["entity"] = speaker.name, speaker.entity
                open_quote[1]["confidence"] = _confidence(path, speaker.how)
                open_quote[1]["evidence"] = f"continued|{path}|{speaker.how}"
            open_quote = None
            row = {
                "story": article[0].story,
                "outlet": article[0].outlet,
                "article_id": article_id,
                "sentence": int(para.sentence_at(match.start())[2]),
                "speaker": speaker.name if speaker else "",
                "entity": speaker.entity if speaker else "",
                "confidence": _confidence(path, speaker.how) if speaker else "",
                "quote": body.strip().rstrip(",").rstrip(),
                "evidence": f"{path}|{speaker.how}" if speaker else "",
            }
            rows.append(row)
            if speaker is not None:
                last = index if continued is None else close_index
                if not closed and continued is None:  # left open: it runs on through unmarked paragraphs
                    while last + 1 < len(paragraphs) and last - index < MAX_OPEN_PARAGRAPHS \
                            and not any(mark in paragraphs[last + 1].text for mark in MARKS):
                        last += 1
                previous = (speaker, last, doc_end)
            elif not closed and continued is None:
                open_quote = (index, row)
    return rows


def _confidence(path: str, how: str) -> str:
    """``strong``, ``medium`` or ``weak`` for a speaker found by ``path`` (``after``, ``before``,
    ``lead-in``, ``split``: beside the quote; ``carried on``, ``reported``: from the quote or
    paragraph before) and read as ``how`` (``Speaker.how``)."""
    how = how.removeprefix("according to ")
    level = {"name": 2, "unnamed": 2, "pronoun: last speaker": 0}.get(how, 1)
    if path in {"carried on", "reported"}:
        level = min(level, 1)
    return CONFIDENCE[level]


def _split_by_attribution(between: str) -> bool:
    """Whether the text between two quotes of a sentence is the first one's attribution and goes on
    (``“…,” says ADA Fairman, “…”``): then the second quote is the same speaker's."""
    return re.fullmatch(r"\s*,?\s*[^.;:!?“”\"]{1,80},\s*", between) is not None and _VERB.search(between) is not None


def _title(lead: str, body: str) -> bool:
    """A title, not a quotation: words in title case, not closing a sentence, after ``in``, ``titled`` or
    ``called``, or four or more of them (``Woodward wrote in “Secret Man: The Story of Watergate's
    Deep Throat”``; ``wrote in his 2006 expose, “Secret Man: …”``)."""
    words = re.findall(r"[\w’'-]+", body)
    long_words = [w for w in words if len(w) > 3]
    if not long_words or not all(w[:1].isupper() or w[:1].isdigit() for w in long_words):
        return False
    # "wrote in his 1974 book, “An American Life: One Man's Road to Watergate.”": a work's name, full stop inside
    if re.search(r"\b(?:book|memoir|autobiography|novel|film|movie|documentary|album|song|play|show|series|"
                 r"essay|poem|expose)\s*,?\s*$", lead):
        return True
    if body.rstrip().endswith((".", "!", "?")):
        return False
    return len(long_words) >= 4 or re.search(r"\b(?:in|titled|entitled|called|named)\s*$", lead) is not None


def _first_mark(text: str) -> int:
    stripped = len(text) - len(text.lstrip())
    return stripped if text[stripped : stripped + 1] in MARKS else -1


def _closing(paragraphs: list[Paragraph], index: int) -> tuple[int, int] | None:
    """Where a quote left open in paragraph ``index`` closes: the first quote mark of one of the
    next paragraphs, when that paragraph does not open with a mark (else a new quote opens)."""
    for k in range(index + 1, min(index + 1 + MAX_OPEN_PARAGRAPHS, len(paragraphs))):
        text = paragraphs[k].text
        marks = [i for i, ch in enumerate(text) if ch in MARKS]
        if not marks:
            continue
        if marks[0] == _first_mark(text) or text[marks[0]] == "“":
            return None
        return k, marks[0]
    return None
