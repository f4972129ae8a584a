"""Writing the store: ingest (analyse what the store lacks), rescore (tones a new scorer lacks),
prune, and kept exports. The only module of the store that runs the engine.

Finished partitions are written in one transaction together with their articles (those that
finish within ``WRITE_INTERVAL`` of each other together), so an interrupted ingest leaves
complete articles only; the next ingest continues where it stopped. When the engine fails (an
:class:`analysis.engine.EngineError`: a Dask cluster that lost every worker, say), the partitions
that finished are written before the error goes on.

Two ingests at once share the work: each claims the articles it is about to analyse (table
``claims``, its owner in ``ingests``), analyses only those no live ingest has claimed, then waits
for the others' claims to be written and counts them as already analysed. A claim of an ingest
that died (its process is gone, or it has written nothing for ``CLAIM_STALE`` seconds) is taken
over.
"""

from __future__ import annotations

import itertools
import math
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from ..aliases import Aliases
from ..cpu import cores
from ..engine import Batch, EngineError, concat_batches, concat_mention_tones, iter_batches, iter_tones
from ..entities import ARTICLE_ENTITIES_SQL
from ..extract import Extracted
from ..grouping import IndexLog, StoryIndex, assignments, place, prepare, replay
from ..outlets import outlet_groups
from ..schema import ARTICLE_FIELDS, EXTRACTED, FETCHES, TONE, TONES
from ..selection import Selection
from ..sentiment import SCORERS
from ..tone import mention_tones, tone_version
from ..utils import short_hash
from .file import transaction
from .index import load_index, save_index
from .query import EVERYTHING, StoreQueries

EXPORTS_KEPT = 4  # exports whose CSVs the store keeps (the most recent ones)
EXPORT_MAX_BYTES = 256 * 2**20  # a larger export is rebuilt every time rather than kept
# seconds: partitions that finish within it are written together (measured: 300 articles on 2
# workers 0.4-1 s faster than a transaction per partition); an interruption loses at most that
WRITE_INTERVAL = 1.0
RESCORE_CHUNK = 1000  # articles per transaction when tones are scored again (rescore)
CLAIM_STALE = 600.0  # seconds without a write after which another ingest's claims are taken over
CLAIM_POLL = 0.5  # seconds between looks at the articles another ingest is analysing

_RESULT_TABLES = ("analysed", "sentences", "mentions", "tones", "article_tones", "article_entities", "mention_tones",
                  "article_entity_tones")
_TONE_TABLES = ("tones", "article_tones", "article_entities")


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
    shared: int = 0  # of ``reused``: analysed meanwhile by another ingest running at the same time


def input_hash(title: str, text: str) -> str:
    """Hash of exactly what ``extract`` reads (headline and text): a change means analysing again."""
    return short_hash(title, text)


class Store(StoreQueries):
    """A DuckDB store at ``path``: its file (:class:`analysis.store.file.StoreFile`), its reads
    (:class:`analysis.store.query.StoreQueries`) and its writes.

    Stories (``analysis.grouping``) are placed incrementally: table ``placements`` holds each
    article's given story, its story and its copy group, the ``index_*`` tables the
    :class:`analysis.grouping.StoryIndex` (:mod:`.index`), so an ingest reads the part of the index
    its new articles look up, places them after the stored ones without regrouping them, and
    appends what it added; ``articles.story`` is the placed story. When the store is opened to
    write, a store of schema 5 (its index pickled whole) has its index rebuilt from its placements,
    and articles stored without a placement (schema 4 or older) are placed, in ingest order.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.read_only:
            with self.connect(write=True) as con:
                indexed = con.execute("SELECT count(*) FROM index_articles").fetchall()[0][0]
                if not indexed and con.execute("SELECT count(*) FROM placements").fetchall()[0][0]:
                    fields = ", ".join(f'a."{c}"' for c in ARTICLE_FIELDS)
                    rows = con.execute(f"SELECT {fields} FROM articles a JOIN placements p USING (article_id) "
                                       "ORDER BY a.seq").df()
                    placed = con.execute("SELECT article_id, story, copy_group FROM placements").df()
                    index = StoryIndex(log=IndexLog(first=0))
                    replay(index, rows.astype(str), placed)
                    with transaction(con):
                        save_index(con, index)
                unplaced = con.execute("SELECT count(*) FROM articles a ANTI JOIN placements p USING (article_id)"
                                       ).fetchall()[0][0]
                if unplaced:
                    fields = ", ".join(f'a."{c}"' for c in ARTICLE_FIELDS)
                    rows = con.execute(f"SELECT {fields} FROM articles a ANTI JOIN placements p USING (article_id) "
                                       "ORDER BY a.seq").df()
                    with transaction(con):
                        placed = _place(con, rows.astype(str), "auto")
                        con.register("placed", placed[["article_id", "story"]])
                        con.execute("UPDATE articles SET story = placed.story FROM placed "
                                    "WHERE articles.article_id = placed.article_id")
                        con.unregister("placed")

    def ingest(
        self,
        articles: pd.DataFrame,
        *,
        jobs: int | None = None,
        backend: str = "local",
        scheduler: str | None = None,
        scorers: Sequence[str] = SCORERS,
        progress: Callable[[int], None] | None = None,
        partition_size: int | None = None,
        scoring: Callable[[int], None] | None = None,
        stories: str = "auto",
    ) -> IngestReport:
        """Add or update ``articles`` (columns ``analysis.schema.ARTICLE_FIELDS``) and analyse those
        the store's analyser has not analysed yet, partition by partition. Finished partitions are
        written in one transaction, at most one write per ``WRITE_INTERVAL`` (and one at the end).

        ``progress(n)`` is called with the number of articles written after each write (already
        analysed ones count at once). ``jobs``, ``backend``, ``scheduler``, ``scorers`` and
        ``partition_size`` go to :func:`analysis.engine.iter_batches`. Already analysed articles
        without tones for a scorer's current version are scored again (:meth:`rescore`, on this
        machine; ``scoring(n)`` after each write). Articles another ingest is analysing at the
        same time are not analysed twice: this one waits for them to be written (module
        docstring). New articles are placed into stories after the stored ones (``stories``:
        ``auto`` or ``given``, as :func:`analysis.grouping.assign_stories`). Does not mutate
        ``articles``.
        """
        rows = articles.drop_duplicates("article_id").reset_index(drop=True)
        rows = rows.assign(outlet_group=outlet_groups(rows))[ARTICLE_FIELDS]  # given, else the "(Section)" rule
        rows = rows.assign(input_hash=[input_hash(t, x) for t, x in zip(rows["title"], rows["text"], strict=True)])
        owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        with self.connect(write=True) as con:
            with transaction(con, new_generation=False):
                rows = _place(con, rows, stories)
            con.register("incoming", rows[["article_id", "input_hash"]])
            done = self._analysed(con, "incoming")
            known = int(con.execute("SELECT count(*) FROM incoming JOIN articles USING (article_id)").fetchall()[0][0])
            # ingest order, fixed before the partitions finish in any order (kept for known articles)
            first = int(con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchall()[0][0])
            rows = rows.assign(seq=range(first + 1, first + 1 + len(rows)))
            reuse = rows[rows["article_id"].isin(done)]
            with transaction(con, new_generation=False):
                elsewhere = _claimed_elsewhere(con, self.analyser, owner)
                todo = rows[~rows["article_id"].isin(done) & ~rows["article_id"].isin(elsewhere)]
                _claim(con, self.analyser, owner, todo["article_id"])
            if len(reuse):
                with transaction(con):
                    _write_articles(con, reuse)
            con.unregister("incoming")
        if progress and len(reuse):
            progress(len(reuse))
        waiting = rows[~rows["article_id"].isin(done) & rows["article_id"].isin(elsewhere)]
        analysed = shared = 0
        try:
            while True:
                analysed += self._analyse(todo, owner, jobs=jobs, backend=backend, scheduler=scheduler,
                                          scorers=scorers, partition_size=partition_size, progress=progress)
                if waiting.empty:
                    break
                found, todo = self._wait_for_others(waiting, owner)
                if len(found):
                    shared += len(found)
                    if progress:
                        progress(len(found))
                waiting = waiting[~waiting["article_id"].isin(found["article_id"]) & ~waiting["article_id"].isin(
                    todo["article_id"])]
        finally:
            with self.connect(write=True) as con, transaction(con, new_generation=False):
                con.execute("DELETE FROM claims WHERE owner = ?", [owner])
                con.execute("DELETE FROM ingests WHERE owner = ?", [owner])
        # articles analysed before whose tone a scorer's new version has not scored yet
        rescored = self.rescore(Selection(article_ids=reuse["article_id"]), scorers=scorers, jobs=jobs,
                                progress=scoring) if len(reuse) else 0
        return IngestReport(
            articles=len(rows), analysed=analysed, reused=len(reuse) + shared, new=len(rows) - known,
            analyser=self.analyser, rescored=rescored, shared=shared,
        )

    def _analysed(self, con: duckdb.DuckDBPyConnection, incoming: str) -> set[str]:
        """The ids of the registered table ``incoming`` (article_id, input_hash) analysed by the store's analyser."""
        return set(
            con.execute(
                f"SELECT i.article_id FROM {incoming} i JOIN analysed r ON r.article_id = i.article_id "
                "AND r.analyser = ? AND r.input_hash = i.input_hash",
                [self.analyser],
            ).fetchnumpy()["article_id"].tolist()
        )

    def _analyse(self, todo: pd.DataFrame, owner: str, *, progress, **engine) -> int:
        """Analyse ``todo`` (claimed by ``owner``) partition by partition; returns the articles written."""
        if todo.empty:
            return 0
        analysed = 0
        batches = iter_batches(todo, aliases=self.aliases, **engine)
        held: list[Batch] = []  # finished, not written yet
        last_write = time.monotonic()
        try:
            for batch in itertools.chain(batches, [None]):
                if batch is not None:
                    held.append(batch)
                # the partitions finished within WRITE_INTERVAL go in one transaction: each write costs
                # the main process CPU the workers need (opening the file, ~20 statements, the checkpoint)
                if held and (batch is None or time.monotonic() - last_write >= WRITE_INTERVAL):
                    written = self._write_batches(todo, held, owner)
                    held.clear()
                    last_write = time.monotonic()
                    analysed += written
                    if progress:
                        progress(written)
        except EngineError:  # the engine failed (a cluster lost its workers, say): keep what finished
            if held:
                self._write_batches(todo, held, owner)
            raise
        return analysed

    def _wait_for_others(self, waiting: pd.DataFrame, owner: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Wait until some of ``waiting`` (claimed by other ingests) are written, or their ingest
        died. Returns (the rows written meanwhile, stored with this ingest's metadata; the rows
        whose claims this ingest took over, to analyse)."""
        while True:
            time.sleep(CLAIM_POLL)
            with self.connect(write=True) as con:
                con.register("waiting", waiting[["article_id", "input_hash"]])
                found = waiting[waiting["article_id"].isin(self._analysed(con, "waiting"))]
                con.unregister("waiting")
                with transaction(con, new_generation=bool(len(found))):
                    if len(found):
                        _write_articles(con, found)
                    elsewhere = _claimed_elsewhere(con, self.analyser, owner)
                    orphans = waiting[~waiting["article_id"].isin(found["article_id"])
                                      & ~waiting["article_id"].isin(elsewhere)]
                    _claim(con, self.analyser, owner, orphans["article_id"])
            if len(found) or len(orphans):
                return found, orphans

    def _write_batches(self, todo: pd.DataFrame, batches: list[Batch], owner: str) -> int:
        """Write finished partitions and their article rows in one transaction (saying that
        ``owner`` is alive); returns the articles."""
        extracted, tones = concat_batches(batches)
        ids = extracted.articles["article_id"]
        with self.connect(write=True) as con, transaction(con):
            _write_articles(con, todo[todo["article_id"].isin(ids)])
            _write_results(con, batches[0].analyser, extracted, tones)
            toward = concat_mention_tones(batches)
            if toward is not None:  # idx: the mention's row in the batch, as the mentions table numbers them
                _write_mention_tones(con, batches[0].analyser, extracted.mentions, toward,
                                     range(len(extracted.mentions)))
            con.execute("UPDATE ingests SET heartbeat = now()::TIMESTAMP WHERE owner = ?", [owner])
        return len(ids)

    def rescore(
        self,
        selection: Selection = EVERYTHING,
        *,
        scorers: Sequence[str] = SCORERS,
        jobs: int | None = None,
        progress: Callable[[int], None] | None = None,
        chunk: int = RESCORE_CHUNK,
    ) -> int:
        """Score the sentence tone of the selected, analysed articles that have none stored for a
        scorer's current version (a new TextBlob or VADER, an edited ``sentiment.py``), so that the
        selection tables keep coming from SQL instead of scoring on read. Scored on ``jobs``
        processes (None: every core), written ``chunk`` articles per transaction; ``progress(n)``
        after each. Returns the articles scored.
        """
        missing: dict[str, list[str]] = {}  # article -> scorers without tones, in the selection's order
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, selection)
            for scorer in scorers:
                rows = con.execute(
                    f"WITH {chosen} SELECT c.article_id FROM chosen c ANTI JOIN article_tones t ON "
                    "t.article_id = c.article_id AND t.analyser = ? AND t.scorer = ? "
                    "WHERE c.sentences > 0 ORDER BY c.ord",
                    [*params, self.analyser, self.scorer(scorer)],
                ).fetchnumpy()["article_id"].tolist()
                for article in rows:
                    missing.setdefault(article, []).append(scorer)
        groups: dict[tuple[str, ...], list[str]] = {}
        for article, wanted in missing.items():
            groups.setdefault(tuple(wanted), []).append(article)
        workers = jobs if jobs is not None else cores()
        for wanted, articles in groups.items():
            size = max(1, min(chunk, math.ceil(len(articles) / workers)))  # every worker gets a part
            chunks = [articles[i : i + size] for i in range(0, len(articles), size)]
            held: list[tuple[list[str], Extracted]] = []  # read, waiting for their tones
            for tones in iter_tones(self._sentence_parts(chunks, held), scorers=wanted, jobs=min(workers, len(chunks))):
                part, extracted = held.pop(0)
                with self.connect(write=True) as con, transaction(con):
                    _write_results(con, self.analyser, extracted, tones, tables=_TONE_TABLES)
                if progress:
                    progress(len(part))
        retoned = self._retone(selection, chunk=chunk)
        return len(set(missing) | set(retoned))

    def _retone(self, selection: Selection, *, chunk: int) -> list[str]:
        """Score the tone toward the mentions of the selected articles that have none stored for
        the tone model's current version (``analysis.tone.tone_version``), from the stored
        sentences and mentions: spaCy does not run again. In this process (about 0.5 ms a
        mention), ``chunk`` articles per transaction. Returns the articles scored."""
        with self.connect(write=False) as con:
            chosen, params = self._chosen(con, selection)
            articles = con.execute(
                f"WITH {chosen} SELECT DISTINCT c.article_id, c.ord FROM chosen c JOIN mentions m ON "
                "m.article_id = c.article_id AND m.analyser = ? ANTI JOIN mention_tones t ON "
                "t.article_id = m.article_id AND t.analyser = m.analyser AND t.idx = m.idx AND t.model = ? "
                "ORDER BY c.ord",
                [*params, self.analyser, tone_version()],
            ).fetchnumpy()["article_id"].tolist()
        for first in range(0, len(articles), chunk):
            part = articles[first : first + chunk]
            with self.connect(write=False) as con:
                _, extracted, _, _ = self._load(con, Selection(article_ids=part), None)
                idx = con.execute(  # the stored numbering of the mentions, in the order _load reads them
                    "SELECT m.idx FROM (SELECT unnest(?) AS article_id, generate_subscripts(?, 1) AS ord) c "
                    "JOIN mentions m ON m.article_id = c.article_id AND m.analyser = ? ORDER BY c.ord, m.idx",
                    [part, part, self.analyser],
                ).fetchnumpy()["idx"]
            tone = mention_tones(extracted.sentences, extracted.mentions)
            with self.connect(write=True) as con, transaction(con):
                _write_mention_tones(con, self.analyser, extracted.mentions, tone, idx)
        return articles

    def _sentence_parts(self, chunks: list[list[str]], held: list) -> Iterator[pd.DataFrame]:
        """Each chunk's sentences (article_id, position, text), read from the store only when
        asked for; ``(chunk, Extracted)`` is appended to ``held`` for writing its tones."""
        for part in chunks:
            extracted = self.extracted(Selection(article_ids=part))[1]
            held.append((part, extracted))
            yield extracted.sentences[["article_id", "position", "text"]]

    def prune(self) -> int:
        """Delete the results of every analyser but the store's; returns the rows deleted."""
        deleted = 0
        with self.connect(write=True) as con, transaction(con):
            for table in _RESULT_TABLES:
                deleted += con.execute(f"DELETE FROM {table} WHERE analyser <> ?", [self.analyser]).fetchall()[0][0]
        return deleted

    def log_fetches(self, fetches: pd.DataFrame) -> None:
        """Append rows (columns ``analysis.schema.FETCHES``) to the fetch log; readers' caches are
        not invalidated (no article changes). Does not mutate ``fetches``."""
        if fetches.empty:
            return
        with self.connect(write=True) as con, transaction(con, new_generation=False):
            con.register("new_fetches", fetches[FETCHES].reset_index(drop=True))
            con.execute(f"INSERT INTO fetches SELECT {', '.join(FETCHES)} FROM new_fetches")
            con.unregister("new_fetches")

    def keep_export(
        self, key: str, csvs: dict[str, bytes], *, keep: int = EXPORTS_KEPT, max_bytes: int = EXPORT_MAX_BYTES
    ) -> bool:
        """Keep an export's CSVs under ``key`` (:meth:`export_key`), with the ``keep - 1`` most
        recent others (older ones are deleted). An export larger than ``max_bytes`` is not kept.
        Returns whether it was kept."""
        if sum(len(v) for v in csvs.values()) > max_bytes:
            return False
        rows = pd.DataFrame({"name": list(csvs), "position": range(len(csvs)), "csv": list(csvs.values())})
        with self.connect(write=True) as con, transaction(con, new_generation=False):
            con.register("new_export", rows)
            con.execute("DELETE FROM exports WHERE key = ?", [key])
            con.execute("INSERT INTO exports SELECT ?, name, position, csv::BLOB, now()::TIMESTAMP FROM new_export",
                        [key])
            con.execute(
                "DELETE FROM exports WHERE key NOT IN (SELECT key FROM exports GROUP BY key "
                "ORDER BY max(created) DESC, key = ? DESC LIMIT ?)",
                [key, keep],
            )
            con.unregister("new_export")
        return True


def _claim(con: duckdb.DuckDBPyConnection, analyser: str, owner: str, ids: pd.Series) -> None:
    """Say that ``owner`` (this process's ingest) is alive and analyses ``ids``."""
    host, pid = owner.split(":")[:2]
    con.execute("INSERT INTO ingests VALUES (?, ?, ?, now()::TIMESTAMP) ON CONFLICT DO UPDATE SET heartbeat = "
                "excluded.heartbeat", [owner, host, int(pid)])
    if len(ids):
        con.register("claimed", pd.DataFrame({"article_id": ids.to_numpy()}))
        con.execute("INSERT INTO claims SELECT article_id, ?, ? FROM claimed", [analyser, owner])
        con.unregister("claimed")


def _claimed_elsewhere(con: duckdb.DuckDBPyConnection, analyser: str, owner: str) -> set[str]:
    """The articles other live ingests claimed for ``analyser``; the claims of dead ones are dropped."""
    ingests = con.execute(
        "SELECT owner, host, pid, epoch(now()::TIMESTAMP) - epoch(heartbeat) FROM ingests WHERE owner <> ?", [owner]
    ).fetchall()
    dead = [other for other, host, pid, age in ingests if not _alive(host, int(pid), float(age))]
    for other in dead:
        con.execute("DELETE FROM claims WHERE owner = ?", [other])
        con.execute("DELETE FROM ingests WHERE owner = ?", [other])
    rows = con.execute("SELECT DISTINCT article_id FROM claims WHERE analyser = ? AND owner <> ?",
                       [analyser, owner]).fetchnumpy()["article_id"]
    return set(rows.tolist())


def _alive(host: str, pid: int, age: float) -> bool:
    """An ingest is alive while it writes within ``CLAIM_STALE`` and, on this machine, its process runs."""
    if age > CLAIM_STALE:
        return False
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _place(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, stories: str) -> pd.DataFrame:
    """Place ``rows`` (``ARTICLE_FIELDS``, in order) into the stored story index (new ones as
    ``stories`` says: ``auto`` or ``given``) and record their placements; returns ``rows`` with
    ``story`` the placed story (an article placed before keeps its story)."""
    prepared = prepare(rows)
    index = load_index(con, prepared)
    known = _placed(con, rows)
    before = index.count
    place(index, rows, stories=stories, prepared=prepared)
    placed = assignments(index, rows)
    if index.count > before:
        new = list(dict.fromkeys(a for a in rows["article_id"].astype(str) if a not in known))
        given = rows.drop_duplicates("article_id").set_index("article_id")["story"]
        table = pd.DataFrame({
            "article_id": pd.Series(new, dtype="str"),
            "given": pd.Series([str(given[a]) for a in new], dtype="str"),
            "story": pd.Series([index.placed[a][0] for a in new], dtype="str"),
            "copy_group": pd.Series([index.placed[a][1] for a in new], dtype="str"),
        })
        con.register("new_placements", table)
        con.execute("INSERT INTO placements SELECT * FROM new_placements ON CONFLICT DO NOTHING")
        con.unregister("new_placements")
        save_index(con, index)
    story = _placed(con, rows)
    return rows.assign(story=[story.get(a, s) for a, s in zip(rows["article_id"], placed["story"], strict=True)])


def _placed(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> dict[str, str]:
    """The stored story of each of ``rows`` placed before (article_id -> story)."""
    con.register("placing_ids", rows[["article_id"]].astype(str))
    query = "SELECT p.article_id, p.story FROM placements p JOIN placing_ids USING (article_id)"
    stored = dict(con.execute(query).fetchall())
    con.unregister("placing_ids")
    return stored


def _write_articles(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> None:
    con.register("new_articles", rows[[*ARTICLE_FIELDS, "input_hash", "seq"]].reset_index(drop=True))
    con.execute(
        """
        INSERT INTO articles
        SELECT n.article_id, n.seq,
               (SELECT coalesce(max(akey), 0) FROM articles) + row_number() OVER (ORDER BY n.seq),
               n.outlet, n.title, n.published, n.url, n.author, n.story, n.text, n.source, n.input_hash,
               now()::TIMESTAMP, n.outlet_group
        FROM new_articles n
        ON CONFLICT (article_id) DO UPDATE SET
            outlet = excluded.outlet, title = excluded.title, published = excluded.published,
            url = excluded.url, author = excluded.author, story = excluded.story, text = excluded.text,
            source = excluded.source, input_hash = excluded.input_hash, outlet_group = excluded.outlet_group
        """
    )
    con.unregister("new_articles")


def _write_results(con: duckdb.DuckDBPyConnection, analyser: str, extracted: Extracted, tones: pd.DataFrame, *,
                   tables: Sequence[str] = _RESULT_TABLES) -> None:
    """Replace the rows of ``extracted``'s articles in ``tables``: every result table (a new
    analysis: the extracted tables and their tones), or ``_TONE_TABLES`` (new tones of
    ``tones``' scorers: sentence tones, article means and the pre-aggregated entities)."""
    mentions = extracted.mentions[EXTRACTED["mentions"]].reset_index(drop=True)
    views = {
        "batch_ids": extracted.articles[["article_id"]],
        "batch_scorers": pd.DataFrame({"scorer": tones["scorer"].unique()}),
        "batch_articles": extracted.articles[EXTRACTED["articles"]],
        "batch_sentences": extracted.sentences[EXTRACTED["sentences"]],
        "batch_mentions": mentions.assign(idx=range(len(mentions))),
    }
    for name, view in views.items():
        con.register(name, view)
    only_tones = tables == _TONE_TABLES
    scorers = " AND scorer IN (SELECT scorer FROM batch_scorers)" if only_tones else ""
    for table in tables:
        con.execute(
            f"DELETE FROM {table} WHERE analyser = ? AND article_id IN (SELECT article_id FROM batch_ids){scorers}",
            [analyser],
        )
    if not only_tones:
        con.execute(
            "INSERT INTO analysed SELECT b.article_id, ?, a.input_hash, b.words, b.sentences, b.repairs, b.length "
            "FROM batch_articles b JOIN articles a USING (article_id)",
            [analyser],
        )
        con.execute('INSERT INTO sentences SELECT article_id, ?, position, paragraph, is_title, start, "end", text, '
                    "entities FROM batch_sentences", [analyser])
        con.execute('INSERT INTO mentions SELECT article_id, ?, idx, entity, label, text, sentence, start, "end" '
                    "FROM batch_mentions", [analyser])
    if len(tones):
        _write_tones(con, analyser, tones)
    for name in [*views, "batch_tones", "batch_article_tones"]:
        try:
            con.unregister(name)
        except duckdb.Error:
            pass


def _write_mention_tones(con: duckdb.DuckDBPyConnection, analyser: str, mentions: pd.DataFrame,
                         toward: pd.DataFrame, idx) -> None:
    """Replace the stored tones toward ``mentions`` (article_id, entity; ``toward``: tone and
    tone_score per mention, in order; ``idx``: each mention's number in the mentions table) and
    their sums per article and entity (``article_entity_tones``, which the entities table reads),
    keyed by the tone model's version. The mentions' entities must be in ``entity_names``."""
    con.register("batch_mention_tones", pd.DataFrame({
        "article_id": mentions["article_id"].astype(str).to_numpy(), "idx": idx,
        "entity": mentions["entity"].astype(str).to_numpy(),
        "tone": toward["tone"].astype(str).to_numpy(), "tone_score": toward["tone_score"].astype(float).to_numpy(),
    }))
    for table in ("mention_tones", "article_entity_tones"):
        con.execute(f"DELETE FROM {table} WHERE analyser = ? AND model = ? AND article_id IN "
                    "(SELECT DISTINCT article_id FROM batch_mention_tones)", [analyser, tone_version()])
    con.execute("INSERT INTO mention_tones SELECT article_id, ?, ?, idx, tone, tone_score FROM batch_mention_tones",
                [analyser, tone_version()])
    con.execute(
        "INSERT INTO article_entity_tones SELECT ?, ?, t.article_id, a.akey, e.ekey, count(*), sum(t.tone_score), "
        "count(*) FILTER (WHERE t.tone = 'negative'), count(*) FILTER (WHERE t.tone = 'positive') "
        "FROM batch_mention_tones t JOIN articles a ON a.article_id = t.article_id "
        "JOIN entity_names e ON e.entity = t.entity GROUP BY ALL",
        [analyser, tone_version()],
    )
    con.unregister("batch_mention_tones")


def _write_tones(con: duckdb.DuckDBPyConnection, analyser: str, tones: pd.DataFrame) -> None:
    """Insert sentence tones, their article means and the pre-aggregated entities (needs the
    ``batch_articles``, ``batch_sentences`` and ``batch_mentions`` views)."""
    con.register("batch_tones", tones[TONES])
    con.execute("INSERT INTO tones SELECT article_id, ?, scorer, position, polarity, subjectivity FROM batch_tones",
                [analyser])
    # the same pandas mean as apply_sentiment, so articles_table equals the Analysis exactly
    means = tones.groupby(["scorer", "article_id"], sort=False)[TONE].mean()
    con.register("batch_article_tones", means.reset_index())
    con.execute(
        "INSERT INTO article_tones SELECT article_id, ?, scorer, polarity, subjectivity FROM batch_article_tones",
        [analyser],
    )
    con.execute(
        "INSERT INTO entity_names SELECT (SELECT coalesce(max(ekey), 0) FROM entity_names) "
        "+ row_number() OVER (ORDER BY entity), "
        "entity FROM (SELECT DISTINCT entity FROM batch_mentions WHERE entity NOT IN (SELECT entity FROM entity_names))"
    )
    con.execute(ARTICLE_ENTITIES_SQL, [analyser])


def open_store(path: str | os.PathLike | None = None, *, read_only: bool = False, timeout: float = 60.0,
               linger: float = 0.0, aliases: Aliases | None = None) -> Store:
    """Open (and for writing, create) the store at ``path`` (default ``data/store/coverage.duckdb``).

    ``linger`` (read only): keep the file open that many seconds after each read, so the next
    reads find its data in memory; a writer that waits makes it let go at once (the dashboard).
    ``aliases`` (default ``data/aliases.csv``) decide the analyser version whose results it reads
    and writes.
    """
    return Store(path, read_only=read_only, timeout=timeout, linger=linger, aliases=aliases)
