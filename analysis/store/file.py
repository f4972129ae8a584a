"""The store's file: its schema, the connections to it, its locks, its linger and its transactions.

DuckDB lets one process write, and while it has the file open no other process may open it, not
even to read. So no one holds the file for long: each operation opens it, runs, closes it
(writes take milliseconds per partition), and an open that meets a lock waits and retries for up
to ``timeout`` seconds. The dashboard (read only) and an ingest (read-write) thus interleave;
:meth:`StoreFile.generation` changes with every write, for cache keys.

A reader opened with ``linger`` (the dashboard: 30 s) keeps the file open that long after each
read, so the next one finds the data in memory (a fresh open reads every column from disk again:
a 500-article sample's texts, sentences and mentions in 0.26 s, warm in 0.09 s). Its cache can
grow to the store's size on disk (0.4 GB at 100,000 articles) and is freed when it closes. A
writer that meets a lock touches ``<store>.waiting``; such readers let go within 0.05 s and open
per operation until the writer is done, so an ingest never waits out the linger.
"""

from __future__ import annotations

import atexit
import os
import shlex
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from ..aliases import Aliases, read_aliases
from ..outlets import outlet_group
from ..sentiment import SCORERS
from ..versions import analyser_version, scorer_version
from .index import INDEX_TABLES

DEFAULT_STORE = Path(__file__).resolve().parents[2] / "data" / "store" / "coverage.duckdb"
SCHEMA_VERSION = "6"
WAITING_FRESH = 120.0  # seconds: a writer's waiting file older than this is a dead writer's

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, seq BIGINT NOT NULL, akey BIGINT NOT NULL,
    outlet VARCHAR NOT NULL, title VARCHAR NOT NULL, published VARCHAR NOT NULL, url VARCHAR NOT NULL,
    author VARCHAR NOT NULL, story VARCHAR NOT NULL, text VARCHAR NOT NULL, source VARCHAR NOT NULL,
    input_hash VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL, outlet_group VARCHAR NOT NULL DEFAULT ''
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
    article_id VARCHAR NOT NULL, analyser VARCHAR NOT NULL, scorer VARCHAR NOT NULL,
    polarity DOUBLE, subjectivity DOUBLE
);
CREATE TABLE IF NOT EXISTS mention_tones (
    article_id VARCHAR NOT NULL, analyser VARCHAR NOT NULL, model VARCHAR NOT NULL, idx BIGINT,
    tone VARCHAR, tone_score DOUBLE
);
CREATE TABLE IF NOT EXISTS article_entity_tones (
    analyser VARCHAR NOT NULL, model VARCHAR NOT NULL, article_id VARCHAR NOT NULL, akey BIGINT NOT NULL,
    ekey INTEGER NOT NULL, n BIGINT NOT NULL, tone_sum DOUBLE, negative BIGINT NOT NULL, positive BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS entity_names (ekey INTEGER PRIMARY KEY, entity VARCHAR NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS article_entities (
    analyser VARCHAR NOT NULL, scorer VARCHAR NOT NULL, article_id VARCHAR NOT NULL, akey BIGINT NOT NULL,
    ekey INTEGER NOT NULL, label VARCHAR NOT NULL, n BIGINT NOT NULL, is_first BOOLEAN NOT NULL,
    sentences BIGINT, polarity_sum DOUBLE, subjectivity_sum DOUBLE, first_seen DOUBLE
);
CREATE TABLE IF NOT EXISTS fetches (
    url VARCHAR NOT NULL, final_url VARCHAR NOT NULL, status INTEGER NOT NULL, reason VARCHAR NOT NULL,
    fetched_at VARCHAR NOT NULL, content_hash VARCHAR NOT NULL, article_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ingests (owner VARCHAR PRIMARY KEY, host VARCHAR NOT NULL, pid BIGINT NOT NULL,
    heartbeat TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS claims (article_id VARCHAR NOT NULL, analyser VARCHAR NOT NULL, owner VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS placements (
    article_id VARCHAR PRIMARY KEY, given VARCHAR NOT NULL, story VARCHAR NOT NULL, copy_group VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS exports (
    key VARCHAR NOT NULL, name VARCHAR NOT NULL, position INTEGER NOT NULL, csv BLOB NOT NULL,
    created TIMESTAMP NOT NULL, PRIMARY KEY (key, name)
);
""" + INDEX_TABLES


class StoreError(Exception):
    """The store cannot be used as asked (missing, locked for too long, from a newer version, damaged)."""


class StoreReadOnly(StoreError):
    """The store's file (or its folder) cannot be written: it can still be opened ``read_only``."""


def _busy(error: Exception) -> bool:
    """Another process holds the file (not "block", which a damaged file's errors name)."""
    message = str(error).lower()
    return "could not set lock" in message or "conflicting lock" in message or "different configuration" in message


def _damaged(error: Exception) -> bool:
    """DuckDB says the file is not a whole, valid store (cut short, overwritten, not DuckDB at all)."""
    message = str(error).lower()
    return any(word in message for word in ("corrupt", "checksum", "not a valid duckdb", "could not read enough bytes"))


def _unwritable(error: Exception) -> bool:
    message = str(error).lower()
    return "permission denied" in message or "read-only file system" in message


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
    _all: weakref.WeakSet[_KeptOpen] = weakref.WeakSet()  # closed at exit, before DuckDB is torn down

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


class StoreFile:
    """A DuckDB store at ``path``; opened per operation, or kept open ``linger`` seconds by a reader
    (see the module docstring).

    The versions its results are read and written under are fixed when it is opened:
    ``analyser`` (:func:`analysis.versions.analyser_version` of ``aliases``, default
    ``data/aliases.csv``) and ``scorers`` (each sentiment scorer's version).
    """

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False, timeout: float = 60.0,
                 linger: float = 0.0, aliases: Aliases | None = None) -> None:
        self.path = Path(path) if path is not None else DEFAULT_STORE
        self.read_only = read_only
        self.timeout = timeout
        self.aliases = aliases if aliases is not None else read_aliases()
        self.analyser = analyser_version(self.aliases)
        self.scorers = {name: scorer_version(name) for name in SCORERS}
        self._scored: set[tuple[int, str]] = set()  # (generation, scorer) with every tone stored: see _unscored
        self._kept = _KeptOpen(self.path, linger) if read_only and linger > 0 else None
        if read_only:
            if not self.path.exists():
                raise StoreError(f"no store at {self.path}: run `python -m analysis ingest SOURCE` first")
            with self.connect() as con:
                self._check_schema(con, self.path)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create the folder of the store {self.path.parent}: "
                                 f"{error.strerror or error}") from None
            with self.connect(write=True) as con:
                con.execute(_SCHEMA)
                con.execute("INSERT INTO meta VALUES ('schema', ?), ('generation', '0') ON CONFLICT DO NOTHING",
                            [SCHEMA_VERSION])
                # schema 3 lacks the entity-tone tables and 3 and 4 the story tables, which _SCHEMA has just created
                # (the Store places the stored articles into stories, in ingest order); 3 and 4 lack
                # articles.outlet_group, which the "Name (Section)" rule fills from the outlet
                old = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if old is not None and old[0] in {"3", "4"}:
                    con.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS outlet_group VARCHAR DEFAULT ''")
                    names = [row[0] for row in con.execute("SELECT DISTINCT outlet FROM articles").fetchall()]
                    con.register("groups", pd.DataFrame({"outlet": pd.Series(names, dtype="str"), "outlet_group":
                                                         pd.Series([outlet_group(n) for n in names], dtype="str")}))
                    con.execute("UPDATE articles SET outlet_group = g.outlet_group FROM groups g "
                                "WHERE articles.outlet = g.outlet")
                    con.unregister("groups")
                    con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", [SCHEMA_VERSION])
                # schema 5 kept the story index pickled whole in story_index: the Store rebuilds it in
                # the index tables from the placements (analysis.grouping.replay), in ingest order
                if old is not None and old[0] == "5":
                    con.execute("DROP TABLE IF EXISTS story_index")
                    con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", [SCHEMA_VERSION])
                self._check_schema(con, self.path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, read_only={self.read_only})"

    def scorer(self, sentiment: str) -> str:
        """The version of the sentiment scorer named ``sentiment`` (ValueError for an unknown one)."""
        if sentiment not in self.scorers:
            raise ValueError(f"unknown sentiment scorer {sentiment!r}; choose one of {', '.join(SCORERS)}")
        return self.scorers[sentiment]

    @staticmethod
    def _check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchall()
        row = rows[0] if rows else None
        if row is not None and row[0] in {"3", "4", "5"}:
            raise StoreError(f"the store was written by an older Coverage Lens (schema {row[0]}): run "
                             f"`python -m analysis ingest --store {shlex.quote(str(path))}` once to upgrade it")
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
                    if _damaged(error):
                        raise self._damaged_error(error) from None
                    if write and _unwritable(error):
                        raise StoreReadOnly(f"cannot write the store {self.path}: {error}") from None
                    if not _busy(error):
                        raise StoreError(f"cannot open {self.path}: {error}") from None
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"{self.path} stayed locked by another process for {self.timeout:.0f} s"
                        ) from None
                    if write:
                        waiting = _wait_for(self.path) or waiting
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
        finally:
            if waiting:
                _waiting_file(self.path).unlink(missing_ok=True)
        try:
            yield con
        except duckdb.Error as error:
            if _damaged(error):  # blocks are read when a query needs them, not when the file opens
                raise self._damaged_error(error) from None
            raise
        finally:
            if kept is not None:
                self._kept.release(con)
            else:
                con.close()

    def _damaged_error(self, error: Exception) -> StoreError:
        return StoreError(f"the store {self.path} is damaged ({' '.join(str(error).split())}): restore it from a "
                          "copy, or ingest the articles into a new --store path")

    def close(self) -> None:
        """Let go of the file now (a reader with ``linger`` keeps it open between operations)."""
        if self._kept is not None:
            self._kept.close()

    def generation(self) -> int:
        """A number that changes with every write (a cache key for readers)."""
        with self.connect(write=False) as con:
            return generation(con)


def generation(con: duckdb.DuckDBPyConnection) -> int:
    """The store's write count (see :meth:`StoreFile.generation`)."""
    return int(con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchall()[0][0])


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, *, new_generation: bool = True) -> Iterator[None]:
    """One transaction; ``new_generation`` (a write readers must see: articles, results) changes
    :meth:`StoreFile.generation`, so their caches read again. Kept exports change nothing they read."""
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
