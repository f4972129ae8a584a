"""The persistent store: an embedded DuckDB file holding articles and their per-article results.

Default path ``data/store/coverage.duckdb`` (ignored by git); any other with ``--store PATH``.

What is kept, and when an article is analysed again
- ``articles``: one row per ``article_id`` (the loaders' content hash) with its metadata and text.
  Ingesting an article again updates its metadata (the latest copy wins) and never re-analyses it
  unless its headline or exact text changed.
- ``analysed`` / ``sentences`` / ``mentions``: the output of ``extract``, keyed by article_id and
  the analyser version (:func:`analysis.engine.analyser_version`: package version, spaCy model,
  extraction code, aliases). A new analyser (say, an edited ``data/aliases.csv``) analyses every
  article again on the next ingest or export; the old results stay until :meth:`Store.prune`.
- ``tones``: sentence tone per sentiment engine (:func:`analysis.engine.scorer_version`), computed
  by the workers at ingest, so switching engines is free. Tones missing for an engine's current
  version (a new TextBlob or VADER, an edited ``sentiment.py``) are scored on read, and stored
  by :meth:`Store.rescore`: the next ingest of those articles, or ``ingest`` with no SOURCE for
  the whole store, calls it.
  ``article_tones``: their mean per article, as ``apply_sentiment`` computes it.
- ``article_entities``: the mentions pre-aggregated per article, entity (integer keys ``akey``,
  ``ekey`` from ``entity_names``), label and sentiment engine: mention count, the distinct
  sentences mentioning it with their tone sums, and its first_seen in the article. The entities
  table of any selection is a group-by over these rows.

Reading
- :meth:`Store.analysis` gives the same ``Analysis`` as ``select(analyse(articles), ...)``.
- For the dashboard at scale, :meth:`Store.articles_table` (articles.csv without text) and
  :meth:`Store.entity_table` (entities.csv) aggregate a selection inside DuckDB: loading every
  mention of 100,000 articles into pandas takes seconds and gigabytes, their aggregate milliseconds.

Consistency and concurrency
- Finished partitions are written in one transaction together with their articles (those that
  finish within ``WRITE_INTERVAL`` of each other together), so an interrupted ingest leaves
  complete articles only; the next ingest continues where it stopped.
- DuckDB lets one process write, and while it has the file open no other process may open it,
  not even to read. So no one holds the file for long: each operation opens it, runs, closes it
  (writes take milliseconds per partition), and an open that meets a lock waits and retries
  for up to ``timeout`` seconds. The dashboard (read only) and an ingest (read-write) thus
  interleave; :meth:`Store.generation` changes with every write, for cache keys.
- A reader opened with ``linger`` (the dashboard: 30 s) keeps the file open that long after each
  read, so the next one finds the data in memory (a fresh open reads every column from disk
  again: a 500-article sample's texts, sentences and mentions in 0.26 s, warm in 0.09 s). Its
  cache can grow to the store's size on disk (0.4 GB at 100,000 articles) and is freed when it
  closes. A writer that meets a lock touches ``<store>.waiting``; such readers let go within
  0.05 s and open per operation until the writer is done, so an ingest never waits out the linger.
"""

from __future__ import annotations

import atexit
import hashlib
import itertools
import json
import math
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from .aliases import Aliases, read_aliases
from .cpu import cores
from .engine import Batch, concat_batches, iter_batches, iter_tones
from .extract import Extracted
from .schema import EXTRACTED, TONES
from .sentiment import SCORERS
from .versions import analyser_version, scorer_version, tables_version
from .pipeline import Analysis, apply_sentiment
from .entities import entity_table
from .schema import ARTICLE_FIELDS, ARTICLES, ENTITIES, MENTIONS, SENTENCES
from .sentiment import score_texts

DEFAULT_STORE = Path(__file__).resolve().parent.parent / "data" / "store" / "coverage.duckdb"
SCHEMA_VERSION = "3"
EXPORTS_KEPT = 4  # exports whose CSVs the store keeps (the most recent ones)
EXPORT_MAX_BYTES = 256 * 2**20  # a larger export is rebuilt every time rather than kept
# seconds: partitions that finish within it are written together (measured: 300 articles on 2
# workers 0.4-1 s faster than a transaction per partition); an interruption loses at most that
WRITE_INTERVAL = 1.0
RESCORE_CHUNK = 1000  # articles per transaction when tones are scored again (rescore)
WAITING_FRESH = 120.0  # seconds: a writer's waiting file older than this is a dead writer's

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, seq BIGINT NOT NULL, akey BIGINT NOT NULL,
    outlet VARCHAR NOT NULL, title VARCHAR NOT NULL, published VARCHAR NOT NULL, url VARCHAR NOT NULL,
    author VARCHAR NOT NULL, story VARCHAR NOT NULL, text VARCHAR NOT NULL, source VARCHAR NOT NULL,
    input_hash VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS analysed (
    article_id VARCHAR NOT NULL, analyser VARCHAR NOT NULL, input_hash VARCHAR NOT NULL,
    words BIGINT, sentences BIGINT, repairs BIGINT, length BIGINT,
    PRIMARY KEY (article_id, analyser)
);
CREATE TABLE IF NOT EXISTS sentences (
    article_id VARCHAR NOT NULL, analyser VARCHAR NOT NULL, position BIGINT, paragraph BIGINT,
    is_title BOOLEAN, start BIGINT, "end" BIGINT, text VARCHAR, entities VARCHAR
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR NOT NULL, analyser VARCHAR NOT NULL, idx BIGINT, entity VARCHAR, label VARCHAR,
    text VARCHAR, sentence BIGINT, start BIGINT, "end" BIGINT
);
CREATE TABLE IF NOT EXISTS tones (
    article_id VARCHAR NOT NULL, analyser VARCHAR NOT NULL, scorer VARCHAR NOT NULL, position BIGINT,
    polarity DOUBLE, subjectivity DOUBLE
);
CREATE TABLE IF NOT EXISTS article_tones (
    article_id VARCHAR NOT NULL, analyser VARCHAR NOT NULL, scorer VARCHAR NOT NULL, polarity DOUBLE, subjectivity DOUBLE
);
CREATE TABLE IF NOT EXISTS entity_names (ekey INTEGER PRIMARY KEY, entity VARCHAR NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS article_entities (
    analyser VARCHAR NOT NULL, scorer VARCHAR NOT NULL, article_id VARCHAR NOT NULL, akey BIGINT NOT NULL,
    ekey INTEGER NOT NULL, label VARCHAR NOT NULL, n BIGINT NOT NULL, is_first BOOLEAN NOT NULL,
    sentences BIGINT, polarity_sum DOUBLE, subjectivity_sum DOUBLE, first_seen DOUBLE
);
CREATE TABLE IF NOT EXISTS exports (
    key VARCHAR NOT NULL, name VARCHAR NOT NULL, position INTEGER NOT NULL, csv BLOB NOT NULL,
    created TIMESTAMP NOT NULL, PRIMARY KEY (key, name)
);
INSERT INTO meta VALUES ('schema', '3'), ('generation', '0') ON CONFLICT DO NOTHING;
"""


class StoreError(Exception):
    """The store cannot be used as asked (missing, locked for too long, from a newer version)."""


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did: ``articles`` given, ``analysed`` now, ``reused`` (already analysed by
    this analyser, not analysed again), ``new`` (not in the store before), ``analyser`` version,
    ``rescored`` (reused articles whose tone a new scorer version scored)."""

    articles: int
    analysed: int
    reused: int
    new: int
    analyser: str
    rescored: int = 0


def input_hash(title: str, text: str) -> str:
    """Hash of exactly what ``extract`` reads (headline and text): a change means analysing again."""
    return hashlib.sha1(f"{title}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


_RESULT_TABLES = ("analysed", "sentences", "mentions", "tones", "article_tones", "article_entities")


def _busy(error: Exception) -> bool:
    message = str(error).lower()
    return "lock" in message or "different configuration" in message


def _waiting_file(path: Path) -> Path:
    """Where a writer that meets a lock says it is waiting (next to the store)."""
    return path.with_name(path.name + ".waiting")


def _wait_for(path: Path) -> bool:
    """Say (again: its time is refreshed) that a writer waits for ``path``; False if it cannot be said."""
    try:
        _waiting_file(path).touch()
        return True
    except OSError:
        return False


def _writer_waits(path: Path) -> bool:
    """A writer said it waits, within ``WAITING_FRESH`` seconds (older: a writer that died waiting)."""
    try:
        return time.time() - _waiting_file(path).stat().st_mtime < WAITING_FRESH
    except OSError:
        return False


class _KeptOpen:
    """A read-only DuckDB instance of one store kept open between operations, each on a cursor.

    A fresh instance reads every column it touches from disk again: a selection's articles,
    sentences and mentions take 0.26 s on a new instance and 0.09 s on a warm one at 100,000
    articles. But while a process has the file open no other may write it, so the instance is
    closed ``linger`` seconds after its last operation ends, or within ``POLL`` seconds once a
    writer says it waits (:func:`_wait_for`); until that writer is done, operations open the
    file each for itself as before. Thread-safe: the dashboard's sessions share one store.
    """

    POLL = 0.05
    _all: "weakref.WeakSet[_KeptOpen]" = weakref.WeakSet()  # closed at exit, before DuckDB is torn down

    def __init__(self, path: Path, linger: float) -> None:
        self.path, self.linger = path, linger
        self.lock = threading.Lock()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.users = 0
        self.last = 0.0
        self.watcher: threading.Thread | None = None
        self._all.add(self)

    @classmethod
    def close_all(cls) -> None:
        for kept in list(cls._all):
            kept.close()

    def cursor(self) -> duckdb.DuckDBPyConnection | None:
        """A cursor on the kept instance (opened if need be), or None while a writer waits."""
        with self.lock:
            if _writer_waits(self.path):
                self._close_idle()
                return None
            if self.con is None:
                self.con = duckdb.connect(str(self.path), read_only=True)  # a lock raises: the caller retries
            self.users += 1
            if self.watcher is None:
                self.watcher = threading.Thread(target=self._watch, name=f"store-linger {self.path.name}", daemon=True)
                self.watcher.start()
            return self.con.cursor()

    def release(self, cursor: duckdb.DuckDBPyConnection) -> None:
        cursor.close()
        with self.lock:
            self.users -= 1
            self.last = time.monotonic()

    def close(self) -> None:
        with self.lock:
            self._close_idle()

    def _close_idle(self) -> None:  # with the lock held
        if self.con is not None and self.users == 0:
            self.con.close()
            self.con = None

    def _watch(self) -> None:
        while True:
            time.sleep(self.POLL)
            with self.lock:
                if self.con is not None and self.users == 0 and (
                        time.monotonic() - self.last >= self.linger or _writer_waits(self.path)):
                    self._close_idle()
                if self.con is None:
                    self.watcher = None
                    return


class Store:
    """A DuckDB store at ``path``; opened per operation, or kept open ``linger`` seconds by a reader
    (see the module docstring)."""

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False, timeout: float = 60.0,
                 linger: float = 0.0) -> None:
        self.path = Path(path) if path is not None else DEFAULT_STORE
        self.read_only = read_only
        self.timeout = timeout
        self._scored: set[tuple[int, str, str]] = set()  # see _unscored
        self._kept = _KeptOpen(self.path, linger) if read_only and linger > 0 else None
        if read_only:
            if not self.path.exists():
                raise StoreError(f"no store at {self.path}: run `python -m analysis ingest SOURCE` first")
            with self.connect() as con:
                self._check_schema(con)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.connect(write=True) as con:
                con.execute(_SCHEMA)
                self._check_schema(con)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, read_only={self.read_only})"

    @staticmethod
    def _check_schema(con: duckdb.DuckDBPyConnection) -> None:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchall()
        row = rows[0] if rows else None
        if row is None or row[0] != SCHEMA_VERSION:
            raise StoreError(f"store schema {row[0] if row else '?'} is not {SCHEMA_VERSION}: use a new --store path")

    @contextmanager
    def connect(self, *, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one operation, waiting (up to ``timeout`` s) while another process holds the file.

        A reader opened with ``linger`` reads through its kept-open instance when it can (see
        :class:`_KeptOpen`). A writer that meets a lock says so in the waiting file, so that
        such readers let go of the file.
        """
        if write and self.read_only:
            raise StoreError(f"{self.path} is opened read only")
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        waiting = False
        try:
            while True:
                try:
                    kept = self._kept.cursor() if self._kept is not None else None
                    con = kept if kept is not None else duckdb.connect(str(self.path), read_only=not write)
                    break
                except duckdb.Error as error:
                    if not _busy(error):
                        raise StoreError(f"cannot open {self.path}: {error}") from None
                    if time.monotonic() > deadline:
                        raise StoreError(f"{self.path} stayed locked by another process for {self.timeout:.0f} s") from None
                    if write:
                        waiting = _wait_for(self.path) or waiting
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
        finally:
            if waiting:
                _waiting_file(self.path).unlink(missing_ok=True)
        try:
            yield con
        finally:
            if kept is not None:
                self._kept.release(con)
            else:
                con.close()

    def close(self) -> None:
        """Let go of the file now (a reader with ``linger`` keeps it open between operations)."""
        if self._kept is not None:
            self._kept.close()

    # ---------------------------------------------------------------- writing

    def ingest(
        self,
        articles: pd.DataFrame,
        *,
        aliases: Aliases | None = None,
        jobs: int | None = None,
        backend: str = "local",
        scheduler: str | None = None,
        scorers: Sequence[str] = SCORERS,
        progress: Callable[[int], None] | None = None,
        partition_size: int | None = None,
        scoring: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Add or update ``articles`` (columns ``analysis.schema.ARTICLE_FIELDS``) and analyse those
        this analyser has not analysed yet, partition by partition. Finished partitions are
        written in one transaction, at most one write per ``WRITE_INTERVAL`` (and one at the end).

        ``progress(n)`` is called with the number of articles written after each write (already
        analysed ones count at once). ``jobs``, ``engine``, ``scheduler``, ``engines`` and
        ``partition_size`` go to :func:`analysis.engine.iter_batches`. Already analysed articles
        without tones for an engine's current version are scored again (:meth:`rescore`, on this
        machine; ``scoring(n)`` after each write). Does not mutate ``articles``.
        """
        aliases = aliases if aliases is not None else read_aliases()
        analyser = analyser_version(aliases)
        rows = articles[ARTICLE_FIELDS].drop_duplicates("article_id").reset_index(drop=True)
        rows = rows.assign(input_hash=[input_hash(t, x) for t, x in zip(rows["title"], rows["text"])])
        with self.connect(write=True) as con:
            con.register("incoming", rows[["article_id", "input_hash"]])
            done = set(
                con.execute(
                    "SELECT i.article_id FROM incoming i JOIN analysed r ON r.article_id = i.article_id "
                    "AND r.analyser = ? AND r.input_hash = i.input_hash",
                    [analyser],
                ).fetchnumpy()["article_id"].tolist()
            )
            known = int(con.execute("SELECT count(*) FROM incoming JOIN articles USING (article_id)").fetchall()[0][0])
            # ingest order, fixed before the partitions finish in any order (kept for known articles)
            first = int(con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchall()[0][0])
            rows = rows.assign(seq=range(first + 1, first + 1 + len(rows)))
            reuse = rows[rows["article_id"].isin(done)]
            if len(reuse):
                with _transaction(con):
                    self._write_articles(con, reuse)
        if progress and len(reuse):
            progress(len(reuse))
        todo = rows[~rows["article_id"].isin(done)]
        analysed = 0
        batches = iter_batches(
            todo, aliases=aliases, jobs=jobs, backend=backend, scheduler=scheduler, scorers=scorers,
            partition_size=partition_size,
        )
        held: list[Batch] = []  # finished, not written yet
        last_write = time.monotonic()
        for batch in itertools.chain(batches, [None]):
            if batch is not None:
                held.append(batch)
            # the partitions finished within WRITE_INTERVAL go in one transaction: each write costs
            # the main process CPU the workers need (opening the file, ~20 statements, the checkpoint)
            if held and (batch is None or time.monotonic() - last_write >= WRITE_INTERVAL):
                written = self._write_batches(todo, held)
                held.clear()
                last_write = time.monotonic()
                analysed += written
                if progress:
                    progress(written)
        # articles analysed before whose tone an engine's new version has not scored yet
        rescored = self.rescore(ids=list(reuse["article_id"]), aliases=aliases, scorers=scorers, jobs=jobs,
                                progress=scoring) if len(reuse) else 0
        return IngestReport(
            articles=len(rows), analysed=analysed, reused=len(reuse), new=len(rows) - known, analyser=analyser,
            rescored=rescored,
        )

    def _write_batches(self, todo: pd.DataFrame, batches: list[Batch]) -> int:
        """Write finished partitions and their article rows in one transaction; returns the articles."""
        extracted, tones = concat_batches(batches)
        batch = Batch(extracted=extracted, tones=tones, analyser=batches[0].analyser, index=0)
        ids = extracted.articles["article_id"]
        with self.connect(write=True) as con, _transaction(con):
            self._write_articles(con, todo[todo["article_id"].isin(ids)])
            self._write_batch(con, batch)
        return len(ids)

    @staticmethod
    def _write_articles(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> None:
        con.register("new_articles", rows[[*ARTICLE_FIELDS, "input_hash", "seq"]].reset_index(drop=True))
        con.execute(
            """
            INSERT INTO articles
            SELECT n.article_id, n.seq,
                   (SELECT coalesce(max(akey), 0) FROM articles) + row_number() OVER (ORDER BY n.seq),
                   n.outlet, n.title, n.published, n.url, n.author, n.story, n.text, n.source, n.input_hash,
                   now()::TIMESTAMP
            FROM new_articles n
            ON CONFLICT (article_id) DO UPDATE SET
                outlet = excluded.outlet, title = excluded.title, published = excluded.published,
                url = excluded.url, author = excluded.author, story = excluded.story, text = excluded.text,
                source = excluded.source, input_hash = excluded.input_hash
            """
        )
        con.unregister("new_articles")

    @staticmethod
    def _write_batch(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
        analyser = batch.analyser
        extracted = batch.extracted
        ids = extracted.articles[["article_id"]]
        con.register("batch_ids", ids)
        for table in _RESULT_TABLES:
            con.execute(f"DELETE FROM {table} WHERE analyser = ? AND article_id IN (SELECT article_id FROM batch_ids)", [analyser])
        con.register("batch_articles", extracted.articles[EXTRACTED["articles"]])
        con.execute(
            "INSERT INTO analysed SELECT b.article_id, ?, a.input_hash, b.words, b.sentences, b.repairs, b.length "
            "FROM batch_articles b JOIN articles a USING (article_id)",
            [analyser],
        )
        con.register("batch_sentences", extracted.sentences[EXTRACTED["sentences"]])
        con.execute(
            'INSERT INTO sentences SELECT article_id, ?, position, paragraph, is_title, start, "end", text, entities '
            "FROM batch_sentences",
            [analyser],
        )
        mentions = extracted.mentions[EXTRACTED["mentions"]].reset_index(drop=True)
        con.register("batch_mentions", mentions.assign(idx=range(len(mentions))))
        con.execute(
            'INSERT INTO mentions SELECT article_id, ?, idx, entity, label, text, sentence, start, "end" FROM batch_mentions',
            [analyser],
        )
        if len(batch.tones):
            Store._write_tone_rows(con, analyser, batch.tones)
        for name in ("batch_ids", "batch_articles", "batch_sentences", "batch_mentions", "batch_tones", "batch_article_tones"):
            try:
                con.unregister(name)
            except duckdb.Error:
                pass

    @staticmethod
    def _write_article_entities(con: duckdb.DuckDBPyConnection, analyser: str) -> None:
        """Pre-aggregate the batch's mentions (``batch_*`` views) into ``article_entities``."""
        con.execute(
            "INSERT INTO entity_names SELECT (SELECT coalesce(max(ekey), 0) FROM entity_names) + row_number() OVER (ORDER BY entity), "
            "entity FROM (SELECT DISTINCT entity FROM batch_mentions WHERE entity NOT IN (SELECT entity FROM entity_names))"
        )
        con.execute(
            """
            INSERT INTO article_entities
            WITH m AS (
                SELECT x.article_id, a.akey, e.ekey, x.label, x.sentence, x.start, b.length
                FROM batch_mentions x JOIN articles a ON a.article_id = x.article_id
                JOIN entity_names e ON e.entity = x.entity JOIN batch_articles b ON b.article_id = x.article_id
            ),
            per_label AS (SELECT article_id, akey, ekey, label, count(*) AS n FROM m GROUP BY ALL),
            firsts AS (
                SELECT akey, ekey, arg_min(sentence, start) AS sentence, min(start) AS start,
                       any_value(length) AS length, any_value(article_id) AS article_id, min(label) AS label
                FROM m GROUP BY ALL
            ),
            seen AS (
                SELECT f.akey, f.ekey, f.label,
                       CASE WHEN s.is_title THEN 0.0 ELSE f.start::DOUBLE / nullif(f.length, 0)::DOUBLE END AS first_seen
                FROM firsts f LEFT JOIN batch_sentences s ON s.article_id = f.article_id AND s.position = f.sentence
            ),
            sents AS (SELECT DISTINCT article_id, akey, ekey, sentence FROM m),
            tone AS (
                SELECT t.scorer, s.akey, s.ekey, sum(t.polarity) AS polarity_sum,
                       sum(t.subjectivity) AS subjectivity_sum, count(t.polarity) AS sentences
                FROM sents s JOIN batch_tones t ON t.article_id = s.article_id AND t.position = s.sentence GROUP BY ALL
            )
            SELECT ?, tone.scorer, p.article_id, p.akey, p.ekey, p.label, p.n, p.label = seen.label,
                   CASE WHEN p.label = seen.label THEN tone.sentences END,
                   CASE WHEN p.label = seen.label THEN tone.polarity_sum END,
                   CASE WHEN p.label = seen.label THEN tone.subjectivity_sum END,
                   CASE WHEN p.label = seen.label THEN seen.first_seen END
            FROM per_label p JOIN seen USING (akey, ekey) JOIN tone USING (akey, ekey)
            ORDER BY p.akey, p.ekey
            """,
            [analyser],
        )

    def rescore(
        self,
        *,
        ids: Sequence[str] | None = None,
        aliases: Aliases | None = None,
        scorers: Sequence[str] = SCORERS,
        jobs: int | None = None,
        progress: Callable[[int], None] | None = None,
        chunk: int = RESCORE_CHUNK,
    ) -> int:
        """Score the sentence tone of analysed articles that have none stored for an engine's
        current version (a new TextBlob or VADER, an edited ``sentiment.py``), so that the
        selection tables keep coming from SQL instead of scoring on read. ``ids``: only those
        articles (None: the whole store). Scored on ``jobs`` processes (None: every core), written
        ``chunk`` articles per transaction; ``progress(n)`` after each. Returns the articles scored.
        """
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        missing: dict[str, list[str]] = {}  # article -> engines without tones, in ingest order
        with self.connect(write=False) as con:
            join = ""
            if ids is not None:
                con.register("wanted", pd.DataFrame({"article_id": pd.Series(list(ids), dtype="str")}))
                join = "JOIN wanted w ON w.article_id = r.article_id "
            for engine in scorers:
                rows = con.execute(
                    f"SELECT r.article_id FROM analysed r {join}JOIN articles a ON a.article_id = r.article_id "
                    "AND a.input_hash = r.input_hash ANTI JOIN article_tones t ON t.article_id = r.article_id "
                    "AND t.analyser = r.analyser AND t.scorer = ? WHERE r.analyser = ? AND r.sentences > 0 ORDER BY a.seq",
                    [scorer_version(engine), analyser],
                ).fetchnumpy()["article_id"].tolist()
                for article in rows:
                    missing.setdefault(article, []).append(engine)
        groups: dict[tuple[str, ...], list[str]] = {}
        for article, wanted in missing.items():
            groups.setdefault(tuple(wanted), []).append(article)
        workers = jobs if jobs is not None else cores()
        for wanted, articles in groups.items():
            size = max(1, min(chunk, math.ceil(len(articles) / workers)))  # every worker gets a part
            chunks = [articles[i : i + size] for i in range(0, len(articles), size)]
            held: list[tuple[list[str], Extracted]] = []  # read, waiting for their tones
            parts = self._sentence_parts(chunks, aliases, held)
            for tones in iter_tones(parts, scorers=wanted, jobs=min(workers, len(chunks))):
                part, extracted = held.pop(0)
                with self.connect(write=True) as con, _transaction(con):
                    self._write_tones(con, analyser, extracted, tones)
                if progress:
                    progress(len(part))
        return len(missing)

    def _sentence_parts(self, chunks: list[list[str]], aliases: Aliases | None, held: list) -> Iterator[pd.DataFrame]:
        """Each chunk's sentences (article_id, position, text), read from the store only when
        asked for; ``(chunk, Extracted)`` is appended to ``held`` for writing its tones."""
        for part in chunks:
            extracted = self.extracted(aliases=aliases, ids=part)[1]
            held.append((part, extracted))
            yield extracted.sentences[["article_id", "position", "text"]]

    @staticmethod
    def _write_tones(con: duckdb.DuckDBPyConnection, analyser: str, extracted: Extracted, tones: pd.DataFrame) -> None:
        """Replace the tones of ``tones``' scorers for ``extracted``'s articles (sentence tones,
        article means, the pre-aggregated entities), as :meth:`_write_batch` writes them."""
        con.register("batch_ids", extracted.articles[["article_id"]])
        con.register("batch_scorers", pd.DataFrame({"scorer": tones["scorer"].unique()}))
        for table in ("tones", "article_tones", "article_entities"):
            con.execute(
                f"DELETE FROM {table} WHERE analyser = ? AND article_id IN (SELECT article_id FROM batch_ids) "
                "AND scorer IN (SELECT scorer FROM batch_scorers)",
                [analyser],
            )
        con.register("batch_articles", extracted.articles[EXTRACTED["articles"]])
        con.register("batch_sentences", extracted.sentences[EXTRACTED["sentences"]])
        con.register("batch_mentions", extracted.mentions[EXTRACTED["mentions"]])
        Store._write_tone_rows(con, analyser, tones)
        for name in ("batch_ids", "batch_scorers", "batch_articles", "batch_sentences", "batch_mentions",
                     "batch_tones", "batch_article_tones"):
            con.unregister(name)

    @staticmethod
    def _write_tone_rows(con: duckdb.DuckDBPyConnection, analyser: str, tones: pd.DataFrame) -> None:
        """Insert sentence tones, their article means and the pre-aggregated entities (needs the
        ``batch_articles``, ``batch_sentences`` and ``batch_mentions`` views)."""
        con.register("batch_tones", tones[TONES])
        con.execute(
            "INSERT INTO tones SELECT article_id, ?, scorer, position, polarity, subjectivity FROM batch_tones",
            [analyser],
        )
        # the same pandas mean as apply_sentiment, so articles_table equals the Analysis exactly
        means = tones.groupby(["scorer", "article_id"], sort=False)[["polarity", "subjectivity"]].mean()
        con.register("batch_article_tones", means.reset_index())
        con.execute(
            "INSERT INTO article_tones SELECT article_id, ?, scorer, polarity, subjectivity FROM batch_article_tones",
            [analyser],
        )
        Store._write_article_entities(con, analyser)

    def pending(self, *, aliases: Aliases | None = None) -> pd.DataFrame:
        """Stored articles (columns ``analysis.schema.ARTICLE_FIELDS``) the current analyser has not
        analysed yet, in ingest order: pass them to :meth:`ingest` to bring the store up to date."""
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        fields = ", ".join(f'a."{c}"' for c in ARTICLE_FIELDS)
        with self.connect(write=False) as con:
            rows = con.execute(
                f"SELECT {fields} FROM articles a LEFT JOIN analysed r ON r.article_id = a.article_id "
                "AND r.analyser = ? AND r.input_hash = a.input_hash WHERE r.article_id IS NULL ORDER BY a.seq",
                [analyser],
            ).df()
        return _typed(rows, ARTICLE_FIELDS)

    def prune(self, *, aliases: Aliases | None = None) -> int:
        """Delete the results of every analyser but the current one; returns the rows deleted."""
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        deleted = 0
        with self.connect(write=True) as con, _transaction(con):
            for table in _RESULT_TABLES:
                deleted += con.execute(f"DELETE FROM {table} WHERE analyser <> ?", [analyser]).fetchall()[0][0]
        return deleted

    # ---------------------------------------------------------------- stored exports

    def export_key(
        self,
        *,
        sentiment: str = "textblob",
        aliases: Aliases | None = None,
        ids: Sequence[str] | None = None,
        filters: dict | None = None,
        messages: Sequence[str] = (),
    ) -> str:
        """The identity of an export's tables: a hash of every input that decides them.

        That is the analysed articles ``ids`` (None: every one in the store) in order, with their
        metadata and content hashes, the ``filters`` applied to them, the key ``messages``, and
        the analyser, sentiment and :func:`analysis.engine.tables_version` versions. Equal keys
        give equal CSVs, so :meth:`stored_export` can return them instead of building them.
        """
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        fields = ", ".join(f'c."{c}"' for c in [*ARTICLE_FIELDS, "input_hash"] if c != "text")
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, analyser, ids, None, None, None, None)
            count, rows = con.execute(
                f"WITH {chosen} SELECT count(*), md5(coalesce(string_agg(concat_ws(chr(31), {fields}), chr(30) "
                f"ORDER BY c.ord), '')) FROM chosen c",
                params,
            ).fetchall()[0]
        inputs = {"tables": tables_version(), "analyser": analyser, "scorer": scorer_version(sentiment),
                  "articles": [int(count), rows], "filters": filters or {}, "messages": list(messages)}
        return hashlib.sha1(json.dumps(inputs, sort_keys=True, default=str).encode("utf-8")).hexdigest()

    def stored_export(self, key: str) -> dict[str, bytes] | None:
        """The CSVs kept under ``key`` by :meth:`keep_export` (name -> bytes, in their order), or None."""
        with self.connect(write=False) as con:
            try:
                rows = con.execute("SELECT name, csv FROM exports WHERE key = ? ORDER BY position", [key]).fetchall()
            except duckdb.CatalogException:  # a store written before exports were kept
                return None
        return {name: bytes(csv) for name, csv in rows} or None

    def keep_export(self, key: str, csvs: dict[str, bytes], *, keep: int = EXPORTS_KEPT, max_bytes: int = EXPORT_MAX_BYTES) -> bool:
        """Keep an export's CSVs under ``key``, with the ``keep - 1`` most recent others (older ones
        are deleted). An export larger than ``max_bytes`` is not kept. Returns whether it was kept."""
        if sum(len(v) for v in csvs.values()) > max_bytes:
            return False
        rows = pd.DataFrame({"name": list(csvs), "position": range(len(csvs)), "csv": list(csvs.values())})
        with self.connect(write=True) as con, _transaction(con, new_generation=False):
            con.register("new_export", rows)
            con.execute("DELETE FROM exports WHERE key = ?", [key])
            con.execute("INSERT INTO exports SELECT ?, name, position, csv::BLOB, now()::TIMESTAMP FROM new_export", [key])
            con.execute(
                "DELETE FROM exports WHERE key NOT IN (SELECT key FROM exports GROUP BY key "
                "ORDER BY max(created) DESC, key = ? DESC LIMIT ?)",
                [key, keep],
            )
            con.unregister("new_export")
        return True

    # ---------------------------------------------------------------- reading

    def generation(self) -> int:
        """A number that changes with every write (a cache key for readers)."""
        with self.connect(write=False) as con:
            return _generation(con)

    def summary(self, *, aliases: Aliases | None = None, sentiment: str | None = None) -> dict[str, int]:
        """Counts: ``articles`` stored, ``analysed`` by the current analyser, ``pending`` (not yet);
        with ``sentiment``, ``unscored``: analysed articles without its tones stored (scored on
        every read until :meth:`rescore` or an ingest stores them)."""
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        with self.connect(write=False) as con:
            total, done = con.execute(
                "SELECT count(*), count(r.article_id) FROM articles a LEFT JOIN analysed r "
                "ON r.article_id = a.article_id AND r.analyser = ? AND r.input_hash = a.input_hash",
                [analyser],
            ).fetchall()[0]
            counts = {"articles": int(total), "analysed": int(done), "pending": int(total - done)}
            if sentiment is not None:
                chosen, params = self._chosen(con, analyser, None, None, None, None, None)
                counts["unscored"] = int(self._unscored(con, chosen, params, analyser, scorer_version(sentiment)))
        return counts

    def options(self, *, aliases: Aliases | None = None) -> dict[str, list[str]]:
        """The filter choices of the analysed articles: ``outlets``, ``stories`` and ``dates`` (sorted)."""
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        with self.connect(write=False) as con:
            found = {}
            for key, column in (("outlets", "outlet"), ("stories", "story"), ("dates", "substr(published, 1, 10)")):
                found[key] = [
                    r[0]
                    for r in con.execute(
                        f"SELECT DISTINCT {column} FROM articles a JOIN analysed r ON r.article_id = a.article_id "
                        f"AND r.analyser = ? AND r.input_hash = a.input_hash ORDER BY 1",
                        [analyser],
                    ).fetchall()
                ]
        return found

    def extracted(
        self,
        *,
        aliases: Aliases | None = None,
        ids: Sequence[str] | None = None,
        outlets: Sequence[str] | None = None,
        stories: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> tuple[pd.DataFrame, Extracted]:
        """``(articles, Extracted)`` of the selected, analysed articles, as ``load_corpus`` and
        ``extract`` would give them. ``ids`` keeps those articles in that order; otherwise they
        come in ingest order. Selection as in ``analysis.select``."""
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        with self.connect(write=False) as con:
            meta, extracted, _ = self._load(con, analyser, None, ids, outlets, stories, start, end)
        return meta, extracted

    def analysis(
        self,
        *,
        sentiment: str = "textblob",
        aliases: Aliases | None = None,
        ids: Sequence[str] | None = None,
        outlets: Sequence[str] | None = None,
        stories: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> Analysis:
        """The ``Analysis`` of the selected articles, equal to ``select(analyse(articles), ...)``.

        Only articles analysed by the current analyser are included (see :meth:`summary` for the
        pending ones). Sentence tone comes from the store; sentences without a stored score for
        ``sentiment`` are scored now.
        """
        if sentiment not in SCORERS:
            raise ValueError(f"unknown sentiment scorer {sentiment!r}; choose one of {', '.join(SCORERS)}")
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        with self.connect(write=False) as con:
            meta, extracted, scores = self._load(con, analyser, scorer_version(sentiment), ids, outlets, stories, start, end)
        missing = scores["polarity"].isna().to_numpy()
        if missing.any():
            fresh = score_texts(extracted.sentences.loc[missing, "text"], scorer=sentiment)
            scores.loc[missing, ["polarity", "subjectivity"]] = fresh.to_numpy()
        return apply_sentiment(meta, extracted, sentiment=sentiment, scores=scores)

    def articles_table(
        self,
        *,
        sentiment: str = "textblob",
        aliases: Aliases | None = None,
        ids: Sequence[str] | None = None,
        outlets: Sequence[str] | None = None,
        stories: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> pd.DataFrame:
        """``Analysis.articles`` of the selection without ``text`` (``analysis.schema.ARTICLES`` plus
        ``length``): equal to ``self.analysis(...).articles.drop(columns="text")`` (tone to the last
        bits of a double: pandas' group means depend on the other groups in the frame), from stored
        article tones, without reading sentences or mentions."""
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        scorer = scorer_version(sentiment)
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, analyser, ids, outlets, stories, start, end)
            if not self._unscored(con, chosen, params, analyser, scorer):
                fields = ", ".join(f'c."{c}"' for c in ARTICLES if c not in {"polarity", "subjectivity"})
                table = _frame(
                    con,
                    f"WITH {chosen} SELECT {fields}, t.polarity, t.subjectivity, c.length FROM chosen c "
                    f"LEFT JOIN article_tones t ON t.article_id = c.article_id AND t.analyser = ? AND t.scorer = ? "
                    f"ORDER BY c.ord",
                    [*params, analyser, scorer],
                )
                return _typed(table, [*ARTICLES, "length"])[[*ARTICLES, "length"]]
        chosen_analysis = self.analysis(
            sentiment=sentiment, aliases=aliases, ids=ids, outlets=outlets, stories=stories, start=start, end=end
        )
        return chosen_analysis.articles.drop(columns="text")

    def entity_table(
        self,
        *,
        sentiment: str = "textblob",
        aliases: Aliases | None = None,
        ids: Sequence[str] | None = None,
        outlets: Sequence[str] | None = None,
        stories: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> pd.DataFrame:
        """``entities.csv`` for the selection, aggregated inside DuckDB (``analysis.schema.ENTITIES``).

        Equal to ``analysis.entity_table`` on ``self.analysis(...)``: counts, labels, shares,
        exclusivity and emphasis exactly, the means (polarity, subjectivity, first_seen) to the
        last bits of a double (summation order). Sentences without a stored tone for ``sentiment``
        give an empty tone.
        """
        analyser = analyser_version(aliases if aliases is not None else read_aliases())
        scorer = scorer_version(sentiment)
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, analyser, ids, outlets, stories, start, end)
            if not self._unscored(con, chosen, params, analyser, scorer):
                table = _frame(con, f"WITH {chosen}, {_entity_sql()}", [*params, analyser, scorer])
            else:
                table = None
        if table is None:  # this engine's tones are not stored: score on read, aggregate in pandas
            chosen_analysis = self.analysis(
                sentiment=sentiment, aliases=aliases, ids=ids, outlets=outlets, stories=stories, start=start, end=end
            )
            return entity_table(chosen_analysis.mentions, chosen_analysis.sentences, chosen_analysis.articles)
        if table.empty:
            return entity_table_columns()
        table["exclusive"] = table["exclusive"].astype(bool)
        for column in ("share", "polarity", "subjectivity", "emphasis", "first_seen"):
            table[column] = table[column].astype(float)
        return _typed(table, ENTITIES)[ENTITIES]

    def _unscored(self, con, chosen: str, params: list, analyser: str, scorer: str) -> int:
        """How many selected articles with sentences lack stored tones for ``scorer``.

        ``self._scored`` remembers the (generation, analyser, scorer) for which no article of the
        whole store lacks them (the usual case): then a selection needs no scan of its own.
        """
        generation = _generation(con)
        if (generation, analyser, scorer) in self._scored:
            return 0
        everywhere = con.execute(
            "SELECT count(*) FROM analysed r ANTI JOIN article_tones t ON t.article_id = r.article_id "
            "AND t.analyser = r.analyser AND t.scorer = ? WHERE r.analyser = ? AND r.sentences > 0",
            [scorer, analyser],
        ).fetchall()[0][0]
        if not everywhere:
            self._scored.add((generation, analyser, scorer))
            return 0
        return con.execute(
            f"WITH {chosen} SELECT count(*) FROM chosen c ANTI JOIN article_tones t ON t.article_id = c.article_id "
            f"AND t.analyser = ? AND t.scorer = ? WHERE c.sentences > 0",
            [*params, analyser, scorer],
        ).fetchall()[0][0]

    @staticmethod
    def _chosen(con, analyser, ids, outlets, stories, start, end) -> tuple[str, list]:
        """The ``chosen`` CTE (selected, analysed articles with their stats and order) and its parameters."""
        where, params = ["r.analyser = ?"], [analyser]
        order = "a.seq"
        join = ""
        if ids is not None:
            wanted = pd.DataFrame({"article_id": pd.Series(list(ids), dtype="str"), "ord": pd.Series(range(len(ids)), dtype="int64")})
            con.register("wanted", wanted)
            join = "JOIN wanted w ON w.article_id = a.article_id"
            order = "w.ord"
        if outlets is not None:
            where.append("list_contains(?::VARCHAR[], a.outlet)")
            params.append(list(outlets))
        if stories is not None:
            where.append("list_contains(?::VARCHAR[], a.story)")
            params.append(list(stories))
        day = "substr(a.published, 1, 10)"
        if start is not None:
            where.append(f"{day} <> '' AND {day} >= ?")
            params.append(str(start)[:10])
        if end is not None:
            where.append(f"{day} <> '' AND {day} <= ?")
            params.append(str(end)[:10])
        chosen = (
            f"chosen AS (SELECT a.*, r.words, r.sentences, r.repairs, r.length, row_number() OVER (ORDER BY {order}) AS ord "
            f"FROM articles a {join} JOIN analysed r ON r.article_id = a.article_id AND r.input_hash = a.input_hash "
            f"WHERE {' AND '.join(where)})"
        )
        return chosen, params

    def _load(self, con, analyser, scorer, ids, outlets, stories, start, end):
        chosen, params = self._chosen(con, analyser, ids, outlets, stories, start, end)
        # The selection first, without text: with ``text`` in it DuckDB reads every stored text
        # (100,000 of them: 0.1-0.2 s) before the joins drop most; each table below then joins
        # the picked ids, a small frame, instead of evaluating the selection again.
        fields = ", ".join(f'c."{c}"' for c in ARTICLE_FIELDS if c != "text")
        meta = _frame(con, f"WITH {chosen} SELECT {fields}, c.words, c.sentences, c.repairs, c.length FROM chosen c ORDER BY c.ord", params)
        con.register("picked", pd.DataFrame({"article_id": meta["article_id"].astype("str"), "ord": range(len(meta))}))
        texts = _frame(con, "SELECT a.text FROM picked p JOIN articles a ON a.article_id = p.article_id ORDER BY p.ord", [])
        meta.insert(list(ARTICLE_FIELDS).index("text"), "text", pd.Series(texts["text"].to_numpy(), index=meta.index, dtype="str"))
        sentences = _frame(
            con,
            "SELECT s.article_id, s.position, s.paragraph, s.is_title, s.start, s.\"end\", s.text, "
            "s.entities, t.polarity, t.subjectivity FROM picked c JOIN sentences s ON s.article_id = c.article_id "
            "AND s.analyser = ? LEFT JOIN tones t ON t.article_id = s.article_id AND t.analyser = s.analyser "
            "AND t.position = s.position AND t.scorer = ? ORDER BY c.ord, s.position",
            [analyser, scorer or ""],
        )
        mentions = _frame(
            con,
            "SELECT m.article_id, m.entity, m.label, m.text, m.sentence, m.start, m.\"end\" "
            "FROM picked c JOIN mentions m ON m.article_id = c.article_id AND m.analyser = ? ORDER BY c.ord, m.idx",
            [analyser],
        )
        con.unregister("picked")
        extracted = Extracted(
            articles=_typed(meta[EXTRACTED["articles"]], EXTRACTED["articles"]),
            sentences=_typed(sentences[EXTRACTED["sentences"]], EXTRACTED["sentences"]),
            mentions=_typed(mentions[EXTRACTED["mentions"]], EXTRACTED["mentions"]),
        )
        scores = sentences[["polarity", "subjectivity"]].astype(float)
        return _typed(meta[ARTICLE_FIELDS], ARTICLE_FIELDS), extracted, scores


def _entity_sql() -> str:
    """The entities table of ``chosen`` from ``article_entities``, as ``analysis.entity_table`` computes it.

    Parameters after the ``chosen`` ones: analyser, scorer. An entity's label is the one most of
    its mentions carry, ties to the alphabetically first. Aggregated per label first (the rows
    are per article, entity and label; the per-article values sit on one of them), then per
    entity: 0.1 s less at 100,000 articles than one pass with a vote column per label.
    """
    return """
per_label AS (
    SELECT c.story, c.outlet, e.ekey, e.label, sum(e.n) AS n, sum(e.is_first::BIGINT) AS articles,
           sum(e.polarity_sum) AS polarity_sum, sum(e.subjectivity_sum) AS subjectivity_sum,
           sum(e.sentences) AS sentences, sum(e.first_seen) AS first_seen_sum, count(e.first_seen) AS first_seen_n
    FROM chosen c JOIN article_entities e ON e.akey = c.akey AND e.analyser = ? AND e.scorer = ?
    GROUP BY c.story, c.outlet, e.ekey, e.label
),
agg AS (
    SELECT story, outlet, ekey, first(label ORDER BY n DESC, label) AS label, sum(n)::BIGINT AS mentions,
           sum(articles)::BIGINT AS articles, sum(polarity_sum) / sum(sentences) AS polarity,
           sum(subjectivity_sum) / sum(sentences) AS subjectivity, sum(first_seen_sum) / sum(first_seen_n) AS first_seen
    FROM per_label GROUP BY story, outlet, ekey
),
outlets AS (SELECT story, count(DISTINCT outlet) AS n FROM agg GROUP BY story),
totals AS (
    SELECT agg.*, outlets.n AS outlets_in_story,
           (sum(mentions) OVER (PARTITION BY story, outlet))::DOUBLE AS outlet_total,
           (sum(mentions) OVER (PARTITION BY story))::DOUBLE AS story_total,
           (sum(mentions) OVER (PARTITION BY story, ekey))::DOUBLE AS entity_total
    FROM agg JOIN outlets USING (story)
)
SELECT story, outlet, names.entity, label, mentions, articles, mentions::DOUBLE / outlet_total AS share, polarity, subjectivity,
       (entity_total - mentions = 0) AND outlets_in_story > 1 AS exclusive,
       CASE WHEN entity_total - mentions > 0 AND outlets_in_story > 1
            THEN (mentions::DOUBLE / outlet_total) / ((entity_total - mentions) / (story_total - outlet_total)) END AS emphasis,
       first_seen
FROM totals JOIN entity_names names USING (ekey)
ORDER BY story, outlet, mentions DESC, names.entity
"""


def entity_table_columns() -> pd.DataFrame:
    """An empty entities table with the columns and dtypes ``analysis.entity_table`` gives."""
    empty = pd.DataFrame({c: pd.Series(dtype="str") for c in MENTIONS})
    return entity_table(empty, pd.DataFrame({c: pd.Series(dtype="str") for c in SENTENCES}), pd.DataFrame(columns=[*ARTICLES, "length"]))


def _frame(con: duckdb.DuckDBPyConnection, query: str, params: list) -> pd.DataFrame:
    """A query's result as a DataFrame, through Arrow (strings arrive as pandas' ``str`` dtype
    without a Python object per cell: twice as fast as ``.df()`` for 100,000 articles)."""
    table = con.sql(query, params=params).to_arrow_table()
    if table.num_rows == 0:  # Arrow cannot convert a result without chunks
        return con.sql(query, params=params).df()
    return table.to_pandas()


def _typed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Give DuckDB's result the dtypes ``extract`` and the loaders use (str, int64, bool)."""
    out = frame.reset_index(drop=True)
    for column in columns:
        series = out[column]
        if column == "is_title":
            out[column] = series.astype(bool)
        elif pd.api.types.is_integer_dtype(series.dtype):
            out[column] = series.astype("int64")
        elif not pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            out[column] = series.astype("str")
    return out


def _generation(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchall()[0][0])


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection, *, new_generation: bool = True) -> Iterator[None]:
    """One transaction; ``new_generation`` (a write readers must see: articles, results) changes
    :meth:`Store.generation`, so their caches read again. Kept exports change nothing they read."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        if new_generation:
            con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'generation'")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


atexit.register(_KeptOpen.close_all)


def open_store(path: str | os.PathLike | None = None, *, read_only: bool = False, timeout: float = 60.0,
               linger: float = 0.0) -> Store:
    """Open (and for writing, create) the store at ``path`` (default ``data/store/coverage.duckdb``).

    ``linger`` (read only): keep the file open that many seconds after each read, so the next
    reads find its data in memory; a writer that waits makes it let go at once (the dashboard).
    """
    return Store(path, read_only=read_only, timeout=timeout, linger=linger)
