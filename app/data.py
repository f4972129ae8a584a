"""Cached data access: files, uploads and the store in, the tables of a selection out.

Every expensive step is cached by what it reads: the spaCy step (``extract``) per corpus and per
uploaded article, sentiment per engine, the tables per :class:`~analysis.selection.Selection`, so a
filter change recomputes only the selection's aggregates. Analysis results are shared between
sessions (``st.cache_resource``), not copied: the analysis functions never mutate their input.

The store's readers are called here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

import analysis as an
from analysis.collect import Collection, FetchPolicy, collect
from analysis.quotes import extract_quotes
from analysis.schema import TABLES as TABLE_COLUMNS
from analysis.selection import Selection
from analysis.utils import short_hash

# Seconds the store's file stays open after a read, so the next filter change finds its data in
# memory (the 500-article sample's texts, sentences and mentions: 0.09-0.12 s, not 0.26-0.28 s). An
# ingest that has to wait makes the app let go within 0.05 s (analysis.store.file._KeptOpen).
STORE_LINGER = 30.0
TEXT_ONLY = ["article_id", "title"]  # what extraction reads: metadata edits never redo it
# "Add from links or feeds" fetches as `python -m analysis collect` does (1 s between two requests to
# one host), at most COLLECT_MAX pages a click so the page answers within minutes, not hours
COLLECT_POLICY = FetchPolicy()
COLLECT_MAX = 100


def corpus_key(articles: pd.DataFrame, aliases: an.Aliases, *, columns: Sequence[str] | None = None) -> str:
    """Identity of a loaded corpus for the caches: a hash of ``columns`` (default: every column but
    the text, which ``article_id`` already hashes) and of the aliases used to read it."""
    columns = [c for c in (columns or articles.columns) if c != "text"]
    rows = pd.util.hash_pandas_object(articles[columns], index=False).to_numpy().tobytes()
    return short_hash(repr(aliases.key()), repr(columns), rows)


def ids_key(ids: Iterable[str]) -> str:
    """A short key for a list of article ids (their order counts)."""
    return short_hash(*ids)


def recent_ids(articles: pd.DataFrame, n: int) -> list[str]:
    """The ``article_id`` of the ``n`` most recent articles (newest first; undated last, then in
    the table's order). Does not mutate ``articles``.

    >>> recent_ids(pd.DataFrame({"article_id": ["a", "b", "c"], "published": ["2020-01-02", "", "2020-03-01"]}), 2)
    ['c', 'a']
    """
    order = articles.assign(_row=range(len(articles)), _dated=articles["published"].astype(str) != "")
    order = order.sort_values(["_dated", "published", "_row"], ascending=[False, False, True], kind="stable")
    return order["article_id"].head(n).tolist()


def stack(parts):
    """One ``Analysis`` (or ``Extracted``) from several: their per-article tables simply stack."""
    if len(parts) == 1:
        return parts[0]
    return dataclasses.replace(parts[0], **{
        name: pd.concat([getattr(p, name) for p in parts], ignore_index=True)
        for name in ("articles", "sentences", "mentions")
    })


# --- files and uploads ------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def load_aliases() -> an.Aliases:
    return an.read_aliases()


@st.cache_resource(show_spinner="Loading the language model…")
def warm_model(names: tuple[str, ...]) -> bool:
    from analysis.nlp import load_pipeline

    load_pipeline(names)
    return True


@st.cache_resource(show_spinner=False)
def warm_similarity() -> threading.Thread:
    """Load the sentence-similarity vectors in the background, once per process, while the first
    page renders: the sentence views of a large store need them (0.1-0.2 s) and nothing else does."""
    from analysis.similarity import load_model

    thread = threading.Thread(target=load_model, name="warm-similarity", daemon=True)
    thread.start()
    return thread


@st.cache_data(show_spinner="Reading the corpus…", max_entries=4)
def load_sources(paths: tuple[str, ...], stamps: tuple[int, ...]) -> an.Corpus:
    """``stamps`` (modification times) makes an edited corpus folder load again."""
    return an.load_corpus(list(paths))


@st.cache_data(show_spinner=False, max_entries=16)
def load_uploads(files: tuple[tuple[str, bytes], ...]) -> an.Corpus:
    return an.load_files(list(files))


@st.cache_resource(show_spinner="Finding sentences and entities…", max_entries=4)
def extract_corpus(key: str, _articles: pd.DataFrame, _aliases: an.Aliases) -> an.Extracted:
    return an.extract(_articles, aliases=_aliases)


@st.cache_resource(show_spinner=False, max_entries=2000)
def extract_upload(key: str, _article: pd.DataFrame, _aliases: an.Aliases) -> an.Extracted:
    return an.extract(_article, aliases=_aliases)


@st.cache_resource(show_spinner="Scoring tone…", max_entries=8)
def scored(key: str, engine: str, _articles: pd.DataFrame, _extracted: an.Extracted,
           _aliases: an.Aliases | None = None) -> an.Analysis:
    return an.apply_sentiment(_articles, _extracted, sentiment=engine, aliases=_aliases)


def analyse_files(sources: list[Path], aliases: an.Aliases, engine: str) -> tuple[an.Corpus, an.Analysis | None, str]:
    """The corpus read from ``sources``, its analysis scored with ``engine`` (None when no article
    loaded) and its cache key."""
    stamps = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in sources)
    corpus = load_sources(tuple(str(p) for p in sources), stamps)
    key = corpus_key(corpus.articles, aliases)
    if corpus.articles.empty:
        return corpus, None, key
    warm_model(aliases.names)
    extracted = extract_corpus(corpus_key(corpus.articles, aliases, columns=TEXT_ONLY), corpus.articles, aliases)
    return corpus, scored(key, engine, corpus.articles, extracted, aliases), key


@st.cache_data(show_spinner=False, max_entries=16)
def place_uploads(base_key: str, _added: pd.DataFrame, added_key: str, _base: pd.DataFrame | None = None,
                  _read: StoreRead | None = None) -> pd.DataFrame:
    """The added articles with the stories and copies they get after the base corpus (``_base``, a
    corpus's articles as read, or the store ``_read``): an upload on a story the corpus holds joins it."""
    if _read is not None:
        return open_store(_read.path, _read.alias_key).assign_stories(_added)
    index = an.StoryIndex()
    an.assign_stories(_base, index=index)
    return an.assign_stories(_added, index=index, known=_base)


def analyse_uploads(added: pd.DataFrame, aliases: an.Aliases, engine: str, *,
                    done: Callable[[int], None]) -> tuple[an.Analysis, str]:
    """The analysis of uploaded articles (placed in stories, :func:`place_uploads`), each extracted
    alone (cached per article), and its cache key; ``done(n)`` after the n-th."""
    pieces = []
    for i in range(len(added)):
        one = added.iloc[[i]]
        pieces.append(extract_upload(corpus_key(one, aliases, columns=TEXT_ONLY), one, aliases))
        done(i + 1)
    key = corpus_key(added, aliases)
    return scored(key, engine, added, stack(pieces), aliases), key


def collect_links(urls: Sequence[str], known: frozenset[str], *, allow_private: bool,
                  progress: Callable[[int, int], None]) -> Collection:
    """Fetch the articles behind URLs (pages, feeds, sitemaps), skipping the ``known`` ones (already
    collected this session); ``progress(done, total)`` after each fetch. Not cached: the web changes."""
    policy = dataclasses.replace(COLLECT_POLICY, allow_private=True) if allow_private else COLLECT_POLICY
    return collect(list(urls), policy=policy, known=known, max_articles=COLLECT_MAX, progress=progress)


@st.cache_resource(show_spinner=False, max_entries=4)
def grouped(key: str, _analysis: an.Analysis) -> an.Analysis:
    """The corpus with outlet groups compared as outlets (``analysis.group_outlets``)."""
    return an.group_outlets(_analysis)


# --- the tables of a selection -------------------------------------------------------------------


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=32)
def cached_tables(key: str, engine: str, selection: Selection, messages: tuple[str, ...],
                  _chosen: an.Analysis) -> dict[str, pd.DataFrame]:
    """Every metric table of a selection, exactly what the CLI exports with the same filters.
    ``_chosen`` is the already selected analysis; the other arguments key the cache."""
    return an.build_tables(_chosen, messages=messages, outlets=selection.outlets)


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_selection(key: str, engine: str, selection: Selection, _analysis: an.Analysis) -> an.Analysis:
    return an.select(_analysis, selection)


def lazy_tables(key: str, engine: str, selection: Selection, messages: Sequence[str],
                analysis: an.Analysis) -> LazyTables:
    """The tables of a selection of a loaded corpus, built when a view first asks: the Overview
    needs only the articles table, so opening the app or changing a filter there aligns nothing."""
    chosen = cached_selection(key, engine, selection, analysis)

    def everything() -> dict[str, pd.DataFrame]:
        return cached_tables(key, engine, selection, tuple(messages), chosen)

    def voice(entities: tuple[str, ...] | None) -> pd.DataFrame:
        return picked(cached_voice(key, engine, selection, chosen), entities)

    return LazyTables({"articles": an.article_table(chosen)},
                      entities=lambda: cached_entities(key, engine, selection, chosen),
                      part=lambda: chosen, sentences=lambda: everything()["sentences"], tables=lambda _: everything(),
                      voice=voice, stories=lambda: story_tables(key, engine, selection, chosen)[0],
                      part_key=f"{key}:{selection!r}", engine=engine)


@st.cache_resource(show_spinner=False, max_entries=32)
def story_tables(key: str, engine: str, selection: Selection,
                 _chosen: an.Analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``stories.csv`` (as ``build_tables`` gives it) and the story × outlet coverage of a loaded selection."""
    stories = an.stories_table(_chosen.articles, _chosen.mentions, outlets=selection.outlets)
    return stories, an.story_coverage(_chosen.articles)


def story_overview(key: str, engine: str, selection: Selection,
                   analysis: an.Analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stories and their coverage for a selection of a loaded corpus (the Stories view and the
    sidebar's story picker pass it without its story filter)."""
    return story_tables(key, engine, selection, cached_selection(key, engine, selection, analysis))


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=32)
def cached_terms(part_key: str, engine: str, _part: an.Analysis) -> pd.DataFrame:
    return an.distinctive_terms(_part.sentences)[TABLE_COLUMNS["terms"]]


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=32)
def cached_quotes(part_key: str, engine: str, _part: an.Analysis) -> pd.DataFrame:
    return extract_quotes(_part.sentences, mentions=_part.mentions)[TABLE_COLUMNS["quotes"]].reset_index(drop=True)


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=64)
def cached_story_sentences(part_key: str, engine: str, story: str, _part: an.Analysis) -> pd.DataFrame:
    return an.sentence_table(an.select(_part, Selection(stories=[story])))


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=32)
def cached_entities(key: str, engine: str, selection: Selection, _chosen: an.Analysis) -> pd.DataFrame:
    """``entities.csv`` of a loaded selection, without aligning its sentences."""
    return an.build_entities(_chosen)


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_voice(key: str, engine: str, selection: Selection, _chosen: an.Analysis) -> pd.DataFrame:
    """``voice.csv`` of a loaded selection (a group-by of its mentions: no alignment, no entity table)."""
    return an.voice_table(_chosen.mentions, _chosen.articles)


def picked(voice: pd.DataFrame, entities: Sequence[str] | None) -> pd.DataFrame:
    """The rows of ``entities`` (all rows when None) of a voice table, index reset."""
    return voice if entities is None else voice[voice["entity"].isin(list(entities))].reset_index(drop=True)


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=32)
def cached_sentences(key: str, engine: str, _analysis: an.Analysis) -> pd.DataFrame:
    return an.sentence_table(_analysis)


@st.cache_resource(show_spinner="Comparing outlets…", max_entries=32)
def cached_sentence_tables(key: str, engine: str, messages: tuple[str, ...], _sentences: pd.DataFrame,
                           _part: an.Analysis) -> dict[str, pd.DataFrame]:
    """Terms, quotes and messages from a sample's aligned sentences (aligned once, for every view)."""
    return an.sentence_tables(_part, _sentences, messages=messages)


@st.cache_data(show_spinner=False, max_entries=8)
def zipped(key: str, engine: str, selection: Selection, messages: tuple[str, ...], _tables: LazyTables) -> bytes:
    tables = _tables.complete()
    return an.zip_tables({name: tables[name] for name in TABLE_COLUMNS})  # in the CLI's order


@st.cache_data(show_spinner=False, max_entries=4)
def report(key: str, engine: str, selection: Selection, messages: tuple[str, ...], entities: tuple[str, ...] | None,
           note: str, _tables: LazyTables, _colors: dict[str, str]) -> bytes:
    """The selection's report (``analysis.report.report_html``), as ``python -m analysis report`` writes it."""
    from datetime import datetime

    from analysis.report import report_html

    tables = _tables.complete()
    html = report_html({name: tables[name] for name in TABLE_COLUMNS}, selection=selection,
                       sentiment=engine, messages=messages, entities=entities,
                       colors=_colors, note=note, generated=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))
    return html.encode("utf-8")


class LazyTables(dict):
    """A selection's tables, each made the first time a view asks for it: ``articles`` given,
    ``entities()``, ``mentions`` read from ``part()``, ``sentences()``, ``stories()``, and the others
    built by ``tables(self)``. For a large store, entities and stories come from the store's SQL,
    the sentences are aligned alone and the terms, quotes and messages are made from them, so the
    Overview never aggregates entities, no tab but the sentence-level ones loads a sentence, the
    Sentiment tab builds no quote or term table, and nothing is aligned twice. ``voice(entities)``
    gives the share-of-voice rows of some entities (None: every row, ``self["voice"]``): a large
    store's SQL then returns only the rows a chart draws."""

    def __init__(self, given: dict[str, pd.DataFrame], *, entities, part, sentences, tables, voice,
                 stories, part_key: str = "", engine: str = "") -> None:
        super().__init__(given)
        self._entities, self._part, self._sentences, self._tables = entities, part, sentences, tables
        self._voice, self._stories = voice, stories
        self._part_key, self._engine = part_key, engine  # key ``part()``'s caches

    def terms(self) -> pd.DataFrame:
        """``terms.csv`` of the sentence-level articles, from their sentences without aligning them
        (the terms read only the text): the roll-up of many stories needs no alignment."""
        if "terms" not in self:
            self["terms"] = cached_terms(self._part_key, self._engine, self._part())
        return self["terms"]

    def quotes(self) -> pd.DataFrame:
        """``quotes.csv`` from the sentences and mentions, without aligning the sentences."""
        if "quotes" not in self:
            self["quotes"] = cached_quotes(self._part_key, self._engine, self._part())
        return self["quotes"]

    def story_sentences(self, story: str) -> pd.DataFrame:
        """The aligned sentences of one ``story``: its rows of ``sentences.csv`` (alignment is within a
        story), aligned alone unless every sentence already is."""
        if "sentences" in self:
            table = self["sentences"]
            return table[table["story"] == story]
        return cached_story_sentences(self._part_key, self._engine, story, self._part())

    def voice(self, entities: Sequence[str] | None = None) -> pd.DataFrame:
        """The voice table's rows of ``entities`` (every row when None)."""
        if entities is None:
            return self["voice"]
        if "voice" in self:
            return picked(self["voice"], entities)
        return self._voice(tuple(entities))

    def __missing__(self, name: str) -> pd.DataFrame:
        if name == "entities":
            self[name] = self._entities()
        elif name == "voice":
            self[name] = self._voice(None)
        elif name == "stories":  # names from entity counts: never aligns sentences
            self[name] = self._stories()
        elif name == "mentions":  # as build_tables gives it, without aligning sentences
            self[name] = self._part().mentions[TABLE_COLUMNS["mentions"]].reset_index(drop=True)
        elif name == "sentences":  # as build_tables gives it, without the tables built from it
            self[name] = self._sentences()
        elif name in TABLE_COLUMNS:
            self.complete()
        else:
            raise KeyError(name)
        return self[name]

    def complete(self) -> LazyTables:
        _ = self["entities"], self["voice"], self["stories"]  # loads them
        self.update({k: v for k, v in self._tables(self).items() if k not in self})
        return self


# --- the store -------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=4)
def open_store(path: str, alias_key: str):
    """The store, read-only and kept open between reads; ``alias_key`` (the aliases file's
    content) is part of the key because the store fixes its analyser version when opened."""
    from analysis.store import open_store as _open

    return _open(path, read_only=True, linger=STORE_LINGER)


@st.cache_resource(show_spinner="Reading the store…", max_entries=8)
def store_analysis(path: str, generation: int, engine: str, alias_key: str) -> an.Analysis:
    """Every article the store's current analyser has analysed, with stored tones for ``engine``."""
    return open_store(path, alias_key).analysis(sentiment=engine)


@st.cache_data(show_spinner=False, max_entries=8)
def store_summary(path: str, generation: int, engine: str, alias_key: str) -> dict[str, int]:
    return open_store(path, alias_key).summary(sentiment=engine)


@st.cache_data(show_spinner=False, max_entries=8)
def store_options(path: str, generation: int, alias_key: str) -> dict[str, list[str]]:
    return open_store(path, alias_key).options()


@st.cache_data(show_spinner=False, max_entries=8)
def store_outlet_groups(path: str, generation: int, alias_key: str) -> dict[str, str]:
    return open_store(path, alias_key).outlet_groups()


# The SQL tables of a selection (a large store): shared, not copied, like the analysis results.
@st.cache_resource(show_spinner="Counting the selection…", max_entries=32)
def store_articles(path: str, generation: int, engine: str, alias_key: str, selection: Selection) -> pd.DataFrame:
    return open_store(path, alias_key).articles_table(selection, sentiment=engine)


@st.cache_resource(show_spinner="Aggregating entities…", max_entries=32)
def store_entities(path: str, generation: int, engine: str, alias_key: str, selection: Selection) -> pd.DataFrame:
    return open_store(path, alias_key).entity_table(selection, sentiment=engine)


@st.cache_resource(show_spinner="Counting the share of voice…", max_entries=32)
def store_voice(path: str, generation: int, engine: str, alias_key: str, selection: Selection,
                entities: tuple[str, ...] | None) -> pd.DataFrame:
    """``voice.csv`` of a selection from the store's SQL: ``entities``' rows only, or all (None)."""
    return open_store(path, alias_key).voice_table(selection, sentiment=engine, entities=entities)


@st.cache_resource(show_spinner="Naming the stories…", max_entries=32)
def store_stories(path: str, generation: int, engine: str, alias_key: str, selection: Selection) -> pd.DataFrame:
    return open_store(path, alias_key).stories_table(selection, sentiment=engine)


@st.cache_data(show_spinner=False, max_entries=8)
def store_copies(path: str, generation: int, alias_key: str) -> int:
    return open_store(path, alias_key).copies()


@st.cache_resource(show_spinner="Reading the selected articles…", max_entries=8)
def store_part(path: str, generation: int, engine: str, alias_key: str, ids: tuple[str, ...]) -> an.Analysis:
    """The ``Analysis`` of some articles of a large store (at most the full limit)."""
    return open_store(path, alias_key).analysis(Selection(article_ids=ids), sentiment=engine)


@dataclasses.dataclass(frozen=True)
class StoreRead:
    """One rerun's reads of a store: its ``path``, ``generation`` (an ingest since makes every
    cached read stale), the sentiment ``engine`` and ``alias_key`` (the aliases, which key the caches)."""

    path: str
    generation: int
    engine: str
    alias_key: str

    @classmethod
    def open(cls, path: Path, engine: str, alias_key: str) -> StoreRead:
        """Raises ``analysis.store.StoreError`` when there is no store to read."""
        return cls(str(path), open_store(str(path), alias_key).generation(), engine, alias_key)

    @property
    def key(self) -> str:
        return f"store:{self.path}:{self.generation}"

    def summary(self) -> dict[str, int]:
        return store_summary(self.path, self.generation, self.engine, self.alias_key)

    def options(self) -> dict[str, list[str]]:
        return store_options(self.path, self.generation, self.alias_key)

    def outlet_groups(self) -> dict[str, str]:
        return store_outlet_groups(self.path, self.generation, self.alias_key)

    def analysis(self) -> an.Analysis:
        return store_analysis(self.path, self.generation, self.engine, self.alias_key)

    def articles(self, selection: Selection) -> pd.DataFrame:
        return store_articles(self.path, self.generation, self.engine, self.alias_key, selection)

    def stories(self, selection: Selection) -> pd.DataFrame:
        return store_stories(self.path, self.generation, self.engine, self.alias_key, selection)

    def copies(self) -> int:
        return store_copies(self.path, self.generation, self.alias_key)

    def story_overview(self, selection: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The stories (SQL) and their coverage (from the articles table) of a selection of a large store."""
        return self.stories(selection), an.story_coverage(self.articles(selection))

    def part(self, ids: tuple[str, ...]) -> an.Analysis:
        return store_part(self.path, self.generation, self.engine, self.alias_key, ids)

    def whole(self, selection: Selection, messages: Sequence[str],
              chosen: pd.DataFrame) -> tuple[LazyTables, an.Analysis]:
        """A selection of at most the full limit (``chosen``, its articles table): loaded whole,
        every table as for a small corpus."""
        part = self.part(tuple(chosen["article_id"]))
        key = f"{self.key}:{ids_key(chosen['article_id'])}"
        return lazy_tables(key, self.engine, selection, messages, part), part

    def sample(self, selection: Selection, messages: Sequence[str], chosen: pd.DataFrame,
               ids: tuple[str, ...]) -> tuple[LazyTables, Callable[[], an.Analysis]]:
        """A larger selection: articles (``chosen``) and entities from the store's SQL over all of
        it, every other table from the articles ``ids`` (its most recent), each read when asked."""
        sample_key = f"{self.key}:{ids_key(ids)}"

        def part() -> an.Analysis:
            return self.part(ids)

        def derived(lazy: LazyTables) -> dict[str, pd.DataFrame]:
            return cached_sentence_tables(sample_key, self.engine, tuple(messages), lazy["sentences"], part())

        def entities() -> pd.DataFrame:
            return store_entities(self.path, self.generation, self.engine, self.alias_key, selection)

        def voice(names: tuple[str, ...] | None) -> pd.DataFrame:
            return store_voice(self.path, self.generation, self.engine, self.alias_key, selection, names)

        tables = LazyTables({"articles": chosen[TABLE_COLUMNS["articles"]]}, entities=entities, part=part,
                            sentences=lambda: cached_sentences(sample_key, self.engine, part()), tables=derived,
                            voice=voice, stories=lambda: self.stories(selection), part_key=sample_key,
                            engine=self.engine)
        return tables, part
