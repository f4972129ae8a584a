"""Automatic stories and wire copies: which articles report the same event, and which nearly
duplicate an earlier one.

An article with a ``story`` keeps it. The others are placed one at a time, in input order, into
the story whose term profile they match best, or open a new one (single-pass clustering, as in
topic detection and tracking):

- **Terms.** Each article is a bag of its words (headline counted twice), weighted by rarity in
  English (``analysis.lexicon``: ``MAX_ZIPF`` minus the word's Zipf frequency, so an unknown
  word such as a name weighs most) and by ``1 + log tf``; capitalised words (names of people,
  places, organisations) weigh ``NAME_BOOST`` times more, since names tell two events of one
  topic apart. The ``TERMS`` heaviest terms are kept, normalised.
- **Candidates.** Never every pair: an inverted index from a term to the stories whose profile
  holds it, blocked by date: a dated story is posted under each ``BUCKET``-day week its articles
  fall in, so a dated article looks up only the weeks its date window touches (and the stories
  that have no date yet); an undated one looks up every story (the ``POSTINGS`` most recent of
  each term; a week keeps as many). A story is a candidate when it shares at least ``MIN_SHARED``
  of the article's ``LOOKUP`` heaviest terms, and the ``CANDIDATES`` sharing most (within the date
  window) are scored.
- **Match.** Cosine between the article and the story's centroid (the sum of its articles);
  at least ``THRESHOLD`` (``DATED_THRESHOLD`` when both are dated) joins the best one. With dates
  on both sides the article must fall within ``WINDOW`` days of the story's first-to-last dates (a
  follow-up a month later is a new story; an event covered over three days is one).
- **Wire copies.** Word 4-gram shingles, a bottom-``SKETCH`` MinHash sketch per article, an index
  of each sketch's ``ANCHORS`` smallest hashes for candidates; estimated Jaccard of at least
  ``COPY_THRESHOLD`` makes the article a copy: it joins its original's story (unless it has a
  story of its own) and its copy group. ``copy_of`` is the earliest (by date, then id) article
  of the group, empty for that article itself.

The result depends only on the articles and their order, so placing a corpus at once or in
batches in the same order (a store's ingests, :class:`StoryIndex` kept in between) gives the same
stories. Story ids are ``auto-`` and 10 hex digits of the first article's id: stable.
The thresholds were chosen by ``bench/stories.py`` (see the README, "Automatic stories").
"""

from __future__ import annotations

import heapq
import itertools
import math
import operator
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from .lexicon import lexicon
from .schema import STOP_WORDS
from .utils import short_hash, text_of

MODES = ("auto", "given")
AUTO_PREFIX = "auto-"

MAX_ZIPF = 7.0  # a word this frequent in English (or more) weighs nothing
NAME_BOOST = 2.0
TERMS = 40
POSTINGS = 200
BUCKET = 7  # days: the week a dated story is posted under, for each of its articles' days
ALL = -1  # the posting key of every story (undated articles look it up)
UNDATED = -2  # the key of stories without a date (dated articles look it up beside their weeks)
LOOKUP = 20  # the article's heaviest terms looked up in the index
MIN_SHARED = 2
CANDIDATES = 10
THRESHOLD = 0.25  # cosine to join a story, when the article or the story is undated
DATED_THRESHOLD = 0.20  # when both are dated: the date window already rules out most stories
WINDOW = 7  # days
SHINGLE = 4
SKETCH = 64
ANCHORS = 6
MIN_SHINGLES = 8  # fewer and an article is never marked a copy (a one-line item)
COPY_THRESHOLD = 0.6
ANCHOR_POSTINGS = 64
VERIFY = 8  # candidates whose resemblance is computed

_ZEROS = itertools.repeat(0.0)  # the default of every centroid look-up
_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")
_MASK = np.uint64(2**64 - 1)
_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5][:SHINGLE],
                 dtype=np.uint64)


@dataclass
class StoryProfile:
    """What placing keeps of a story: its centroid (term -> summed weight) and norm, its first and
    last days, its size and the weeks it is posted under."""

    centroid: dict[str, float]
    norm: float
    first: int | None  # day ordinals
    last: int | None
    size: int = 0
    weeks: list[int] = field(default_factory=list)  # the BUCKET-day weeks its dated articles fall in


@dataclass
class IndexLog:
    """What placing changed in a :class:`StoryIndex` since the log was attached (a store appends
    only this): articles numbered ``first`` on are new, as are the last ``postings[key]`` entries
    of each posting list (fewer when trimmed) and the anchors of new articles; ``stories`` changed."""

    first: int
    postings: dict[tuple[str, int], int] = field(default_factory=dict)  # (term, week or key) -> entries added
    stories: set[str] = field(default_factory=set)


@dataclass
class StoryIndex:
    """What placing articles into stories keeps between calls (a store keeps it between ingests).

    Mutated by :func:`place`; copy it first (``copy.deepcopy``) to keep the old one. A store holds
    only the part that placing a batch reads (:func:`needs`) and appends what it adds (``log``).
    """

    stories: dict[str, StoryProfile] = field(default_factory=dict)
    postings: dict[tuple[str, int], list[str]] = field(default_factory=dict)  # (term, week or key) -> story ids
    anchors: dict[int, list[int]] = field(default_factory=dict)  # sketch hash -> article numbers
    sketches: dict[int, np.ndarray] = field(default_factory=dict)  # article number -> its sketch
    groups: dict[int, str] = field(default_factory=dict)  # article number -> its copy group (first member's id)
    placed: dict[str, tuple[str, str]] = field(default_factory=dict)  # article_id -> (story, group)
    numbers: dict[str, int] = field(default_factory=dict)  # article_id -> article number
    article_story: dict[int, str] = field(default_factory=dict)  # article number -> its story
    count: int = 0  # articles placed: the next article number
    log: IndexLog | None = None  # when set, what placing adds is recorded there too


def _day(published: str) -> int | None:
    try:
        return date.fromisoformat(text_of(published)[:10]).toordinal()
    except ValueError:
        return None


def _weights() -> dict[str, float]:
    return lexicon()


def terms(title: str, text: str) -> dict[str, float]:
    """The article's term profile: term -> weight, the ``TERMS`` heaviest, L2-normalised (module docstring).

    >>> sorted(terms("Quake hits Chile", "A strong quake hit Chile on Monday."))[:3]
    ['chile', 'hit', 'hits']
    """
    return _profile(Counter(_WORD.findall(text_of(title))), Counter(_WORD.findall(text_of(text))))


_TOKEN: dict[str, tuple[str, float, bool]] = {}  # word as written -> (term, rarity weight, capitalised)


def _token(word: str) -> tuple[str, float, bool]:
    low = word.lower()
    if "'" in low or "’" in low:
        low = low.replace("’", "'").removesuffix("'s")
    weight = 0.0 if len(low) < 2 or low in STOP_WORDS else max(0.0, MAX_ZIPF - _weights().get(low, 0.0))
    info = _TOKEN[word] = (low, weight, word[0].isupper())
    return info


def _profile(title_words: Counter[str], text_words: Counter[str]) -> dict[str, float]:
    if len(_TOKEN) > 2_000_000:
        _TOKEN.clear()
    counts: dict[str, int] = {}
    capital: dict[str, int] = {}
    weight: dict[str, float] = {}
    for words, times in ((title_words, 2), (text_words, 1)):
        for word, n in words.items():
            low, w, upper = _TOKEN.get(word) or _token(word)
            if w:
                counts[low] = counts.get(low, 0) + n * times
                weight[low] = w
                if upper:
                    capital[low] = capital.get(low, 0) + n * times
    scored = [(-(1.0 + math.log(n)) * weight[t] * (NAME_BOOST if capital.get(t, 0) * 2 > n else 1.0), t)
              for t, n in counts.items()]
    top = heapq.nsmallest(TERMS, scored)
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return {t: -w / norm for w, t in top}


_WORD_HASH: dict[str, int] = {}


def sketch(text: str) -> np.ndarray:
    """The bottom-``SKETCH`` MinHash sketch (sorted uint64) of the text's word 4-gram shingles
    (case ignored); empty when it has fewer than ``MIN_SHINGLES``."""
    return _sketch(_WORD.findall(text_of(text)))


def _sketch(words: list[str], unique: Iterable[str] | None = None) -> np.ndarray:
    """The sketch of ``words`` (as written: case is ignored); ``unique``: the distinct ones, when known."""
    if len(words) < SHINGLE + MIN_SHINGLES - 1:
        return np.empty(0, dtype=np.uint64)
    cache = _WORD_HASH
    if len(cache) > 2_000_000:
        cache.clear()
    for word in unique if unique is not None else set(words):
        if word not in cache:
            cache[word] = zlib.crc32(word.lower().encode("utf-8", "surrogatepass")) + 1
    ids = np.array([cache[w] for w in words], dtype=np.uint64)
    n = len(words) - SHINGLE + 1
    with np.errstate(over="ignore"):
        h = np.zeros(n, dtype=np.uint64)
        for i in range(SHINGLE):
            h = h * np.uint64(0x100000001B3) + ids[i : i + n] * _MULT[i]
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    unique = np.unique(h)
    if len(unique) < MIN_SHINGLES:
        return np.empty(0, dtype=np.uint64)
    return unique[:SKETCH]


def resemblance(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two sketches' shingle sets (0 when either is empty)."""
    if not len(a) or not len(b):
        return 0.0
    k = min(SKETCH, len(a), len(b))
    union = np.union1d(a, b)[:k]
    both = np.intersect1d(np.intersect1d(a, b, assume_unique=True), union, assume_unique=True)
    return len(both) / len(union)


def _copy_candidate(index: StoryIndex, sk: np.ndarray) -> int | None:
    """The article number this sketch nearly duplicates: of the ``VERIFY`` articles sharing most of
    its anchors, the most resembling one (the earliest placed on ties), or None."""
    if not len(sk):
        return None
    shared: Counter[int] = Counter()
    for value in sk[:ANCHORS].tolist():
        shared.update(index.anchors.get(value, ()))
    best, best_score = None, COPY_THRESHOLD
    for number in sorted(n for n, _ in shared.most_common(VERIFY)):
        score = resemblance(sk, index.sketches[number])
        if score > best_score or (score == best_score and best is None):
            best, best_score = number, score
    return best


def _keys(day: int | None) -> tuple[int, ...]:
    """The posting keys an article of ``day`` looks up: every story when undated; else the weeks its
    date window touches and the stories without a date."""
    if day is None:
        return (ALL,)
    return (*range((day - WINDOW) // BUCKET, (day + WINDOW) // BUCKET + 1), UNDATED)


def _candidates(index: StoryIndex, profile: dict[str, float], day: int | None) -> list[str]:
    """The stories an article is scored against: of those sharing at least ``MIN_SHARED`` of its
    ``LOOKUP`` heaviest terms, the ``CANDIDATES`` sharing most that its date window allows."""
    hits: Counter[str] = Counter()
    keys = _keys(day)
    get = index.postings.get
    chain = itertools.chain.from_iterable
    for term in itertools.islice(profile, LOOKUP):  # the heaviest terms (profiles are ordered by weight)
        hits.update(dict.fromkeys(chain([get((term, key), ()) for key in keys])).keys())  # a story once a term
    out = []
    for story_id, n in hits.most_common(CANDIDATES * 4):
        story = index.stories[story_id]
        if n < MIN_SHARED or (day is not None and story.first is not None
                              and not (story.first - WINDOW <= day <= story.last + WINDOW)):
            continue
        out.append(story_id)
        if len(out) >= CANDIDATES:
            break
    return out


def _best_story(index: StoryIndex, profile: dict[str, float], day: int | None) -> str | None:
    best, best_score = None, 0.0
    for story_id in _candidates(index, profile, day):
        story = index.stories[story_id]
        dated = day is not None and story.first is not None
        score = sum(map(operator.mul, profile.values(), map(story.centroid.get, profile, _ZEROS))) / story.norm
        if score >= (DATED_THRESHOLD if dated else THRESHOLD) and (
                score > best_score or (score == best_score and best is not None and story_id < best)):
            best, best_score = story_id, score
    return best


def _post(index: StoryIndex, term: str, key: int, story_id: str) -> None:
    posting = index.postings.setdefault((term, key), [])
    posting.append(story_id)
    if len(posting) > POSTINGS:
        del posting[: len(posting) - POSTINGS]
    if index.log is not None:
        index.log.postings[term, key] = index.log.postings.get((term, key), 0) + 1


def _add(index: StoryIndex, story_id: str, profile: dict[str, float], day: int | None) -> None:
    story = index.stories.get(story_id)
    if story is None:
        story = index.stories[story_id] = StoryProfile(centroid={}, norm=1.0, first=None, last=None)
    if index.log is not None:
        index.log.stories.add(story_id)
    keys = (ALL, *((UNDATED,) if story.first is None and day is None else ()), *story.weeks)
    centroid = story.centroid
    for term, w in profile.items():
        if term not in centroid:
            for key in keys:
                _post(index, term, key, story_id)
        centroid[term] = centroid.get(term, 0.0) + w
    if len(centroid) > 4 * TERMS:  # keep the profile's heaviest terms (the lightest barely move a cosine)
        kept = sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))[: 2 * TERMS]
        story.centroid = centroid = dict(kept)
    story.norm = math.sqrt(sum(w * w for w in centroid.values())) or 1.0
    story.size += 1
    if day is not None:
        story.first = day if story.first is None else min(story.first, day)
        story.last = day if story.last is None else max(story.last, day)
        week = day // BUCKET
        if week not in story.weeks:
            story.weeks.append(week)
            for term in centroid:
                _post(index, term, week, story_id)


@dataclass(frozen=True)
class Prepared:
    """One article as placing reads it: its id, given story, day ordinal, sketch and term profile."""

    article_id: str
    given: str
    day: int | None
    sketch: np.ndarray
    profile: dict[str, float]


def prepare(articles: pd.DataFrame) -> list[Prepared]:
    """Each of ``articles`` (columns article_id, title, text, published, story) as :func:`place` reads it."""
    return list(_prepared(articles))


def _prepared(articles: pd.DataFrame) -> Iterator[Prepared]:
    columns = ["article_id", "title", "text", "published", "story"]
    for article_id, title, text, published, given in articles[columns].itertuples(index=False, name=None):
        words = _WORD.findall(text_of(text))
        counts = Counter(words)
        yield Prepared(text_of(article_id), text_of(given).strip(), _day(published), _sketch(words, counts),
                       _profile(Counter(_WORD.findall(text_of(title))), counts))


@dataclass(frozen=True)
class Needs:
    """The parts of a :class:`StoryIndex` that placing a batch reads (a store loads only these):
    its articles' ids, the posting keys ``(term, week or key)`` and sketch hashes they look up, and
    the stories given to them."""

    article_ids: frozenset[str]
    postings: frozenset[tuple[str, int]]
    anchors: frozenset[int]
    stories: frozenset[str]


def needs(prepared: list[Prepared]) -> Needs:
    """What placing ``prepared`` (from :func:`prepare`) reads of an index, besides the stories and
    articles that the loaded postings and anchors name."""
    keys = {(term, key) for p in prepared for term in itertools.islice(p.profile, LOOKUP) for key in _keys(p.day)}
    anchors = {value for p in prepared for value in p.sketch[:ANCHORS].tolist()}
    return Needs(frozenset(p.article_id for p in prepared), frozenset(keys), frozenset(anchors),
                 frozenset(p.given for p in prepared if p.given))


def _record(index: StoryIndex, article: Prepared, story_id: str, group: str) -> None:
    number = index.count
    index.count += 1
    index.sketches[number] = article.sketch
    index.groups[number] = group
    index.article_story[number] = story_id
    index.numbers[article.article_id] = number
    index.placed[article.article_id] = (story_id, group)
    for value in article.sketch[:ANCHORS].tolist():
        posting = index.anchors.setdefault(value, [])
        posting.append(number)
        if len(posting) > ANCHOR_POSTINGS:
            del posting[0]


def place(index: StoryIndex, articles: pd.DataFrame, *, stories: str = "auto",
          prepared: list[Prepared] | None = None) -> None:
    """Place ``articles`` (columns article_id, title, text, published, story), in order, into
    ``index``: each gets a story and a copy group (read them with :func:`assignments`). An
    article already placed keeps its place. ``stories="given"`` leaves unlabelled articles in
    the default story (``""``) but still finds copies. ``prepared``: :func:`prepare` of
    ``articles``, when already computed."""
    if stories not in MODES:
        raise ValueError(f"unknown stories mode {stories!r}; choose one of {', '.join(MODES)}")
    for article in prepared if prepared is not None else _prepared(articles):
        if article.article_id in index.placed:
            continue
        given, day, profile = article.given, article.day, article.profile
        original = _copy_candidate(index, article.sketch)
        if given:
            story_id = given
        elif stories == "given":
            story_id = ""
        elif original is not None:
            story_id = index.article_story[original]
        else:
            story_id = _best_story(index, profile, day) or AUTO_PREFIX + short_hash(article.article_id, length=10)
        if story_id and (given or stories == "auto"):
            _add(index, story_id, profile, day)
        _record(index, article, story_id, index.groups[original] if original is not None else article.article_id)


def replay(index: StoryIndex, articles: pd.DataFrame, placed: pd.DataFrame) -> None:
    """Rebuild ``index`` from placements made before (a store of an older schema): ``articles``
    (as for :func:`place`, in the order they were placed) join the stories and copy groups that
    ``placed`` (columns article_id, story, copy_group) gives them, without placing them again."""
    where = {text_of(a): (text_of(s), text_of(g))
             for a, s, g in placed[["article_id", "story", "copy_group"]].itertuples(index=False, name=None)}
    for article in _prepared(articles):
        if article.article_id in index.placed or article.article_id not in where:
            continue
        story_id, group = where[article.article_id]
        if story_id:
            _add(index, story_id, article.profile, article.day)
        _record(index, article, story_id, group)


def assignments(index: StoryIndex, articles: pd.DataFrame) -> pd.DataFrame:
    """The story and ``copy_of`` of each of ``articles`` (placed before in ``index``): a DataFrame
    with columns ``article_id``, ``story``, ``copy_of`` in the order of ``articles``.

    ``copy_of`` is the earliest (by ``published``, undated last, then ``article_id``) article of
    the copy group among ``articles``; empty for that one and for an article alone in its group.
    """
    ids = articles["article_id"].astype(str)
    placed = [index.placed.get(a, ("", a)) for a in ids]
    table = pd.DataFrame({
        "article_id": ids.to_numpy(),
        "story": [p[0] for p in placed],
        "group": [p[1] for p in placed],
        "day": [text_of(p)[:10] or "9999-99-99" for p in articles["published"]],
    })
    first = table.sort_values(["day", "article_id"]).drop_duplicates("group").set_index("group")["article_id"]
    original = table["group"].map(first)
    table["copy_of"] = np.where(original.to_numpy() == table["article_id"].to_numpy(), "", original.to_numpy())
    return table[["article_id", "story", "copy_of"]]


def assign_stories(articles: pd.DataFrame, *, stories: str = "auto", index: StoryIndex | None = None,
                   known: pd.DataFrame | None = None) -> pd.DataFrame:
    """``articles`` (columns ``analysis.schema.ARTICLE_FIELDS``) with ``story`` filled in for every
    article without one (``stories="auto"``; ``"given"`` keeps the default story) and a
    ``copy_of`` column right after ``story``. ``index``: placements kept from earlier articles
    (mutated); a fresh one by default. ``known``: those earlier articles (columns ``article_id``
    and ``published``), so an article copying one of them has it as ``copy_of``. Does not mutate
    ``articles``.

    >>> rows = pd.DataFrame({"article_id": ["a", "b"], "title": ["", ""], "published": ["", ""],
    ...     "story": ["", ""], "text": ["Quake hits Chile", "Pope visits Kenya"]})
    >>> assign_stories(rows)["story"].str.startswith("auto-").all()
    np.True_
    """
    index = index if index is not None else StoryIndex()
    place(index, articles, stories=stories)
    rows = articles[["article_id", "published"]]
    if known is not None and not known.empty:
        rows = pd.concat([known[["article_id", "published"]].astype(str), rows.astype(str)], ignore_index=True)
    found = assignments(index, rows).tail(len(articles))
    out = articles.copy()
    out["story"] = found["story"].to_numpy()
    copy_of = found["copy_of"].to_numpy()
    if "copy_of" in out.columns:
        out = out.drop(columns="copy_of")
    out.insert(out.columns.get_loc("story") + 1, "copy_of", copy_of)
    return out
