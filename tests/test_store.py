"""The DuckDB store: round trip, incremental analysis, selections, interruption and concurrent reads."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis.engine as engine_module
import analysis.store.file as file_module
import analysis.store.write as write_module
from analysis import Selection, analyse, read_aliases, select
from analysis.aliases import Aliases
from analysis.loaders import article_id
from analysis.schema import ARTICLE_FIELDS, ENTITIES
from analysis.store import DEFAULT_STORE, Store, StoreError, open_store
from analysis.versions import analyser_version
from tests.helpers import (
    ROOT,
    TECHCRUNCH,
    TECHREPUBLIC,
    assert_consistent_store,
    assert_same_analysis,
    make_corpus,
    run_cli,
)


def count_extracted(monkeypatch) -> list[int]:
    """Record how many articles reach ``extract`` (the in-process engine path)."""
    seen: list[int] = []
    real = engine_module.extract

    def counting(articles, **kwargs):
        seen.append(len(articles))
        return real(articles, **kwargs)

    monkeypatch.setattr(engine_module, "extract", counting)
    return seen


@pytest.fixture(scope="module")
def filled(tmp_path_factory, bundled_articles):
    store = open_store(tmp_path_factory.mktemp("store") / "coverage.duckdb")
    report = store.ingest(bundled_articles, jobs=1)
    return store, report


def test_default_store_lives_in_the_ignored_data_folder():
    assert DEFAULT_STORE == ROOT / "data" / "store" / "coverage.duckdb"
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "data/store/" in ignored


def test_round_trip_equals_in_memory_analysis(filled, bundled_articles, bundled, bundled_vader):
    store, report = filled
    assert (report.articles, report.analysed, report.reused, report.new) == (2, 2, 0, 2)
    assert_same_analysis(store.analysis(), bundled)
    # both engines' tones are stored at ingest; VADER scores the Tay sentence -0.80
    vader = store.analysis(sentiment="vader")
    assert_same_analysis(vader, bundled_vader)
    tay = vader.sentences[vader.sentences["text"].str.contains("called Tay was manipulated")]
    assert tay["polarity"].iloc[0] == pytest.approx(-0.7964, abs=1e-4)


def test_stored_facts_match_the_seeds(filled):
    store, _ = filled
    mentions = store.analysis().mentions
    openai = mentions[mentions["entity"] == "OpenAI"].groupby("outlet").size()
    assert openai.to_dict() == {TECHCRUNCH: 8, TECHREPUBLIC: 10}
    assert store.summary() == {"articles": 2, "analysed": 2, "pending": 0}
    assert store.options()["outlets"] == [TECHCRUNCH, TECHREPUBLIC]


def test_ids_keep_the_given_order(filled, bundled_articles):
    store, _ = filled
    ids = list(bundled_articles["article_id"])[::-1]
    assert list(store.analysis(Selection(article_ids=ids)).articles["article_id"]) == ids
    assert store.analysis(Selection(article_ids=[])).articles.empty


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    outlets=st.none() | st.lists(st.sampled_from([TECHCRUNCH, TECHREPUBLIC, "Nobody"]), unique=True),
    start=st.none() | st.sampled_from(["2016-11-14", "2016-11-15", "2016-11-16"]),
    end=st.none() | st.sampled_from(["2016-11-14", "2016-11-15", "2016-11-16"]),
)
def test_selection_in_the_store_equals_select(filled, bundled, outlets, start, end):
    store, _ = filled
    selection = Selection(outlets=outlets, since=start, until=end)
    assert_same_analysis(store.analysis(selection), select(bundled, selection))


def test_second_ingest_analyses_nothing(filled, bundled_articles, monkeypatch):
    store, _ = filled
    seen = count_extracted(monkeypatch)
    generation = store.generation()
    report = store.ingest(bundled_articles, jobs=1)
    assert seen == [] and report.analysed == 0 and report.reused == 2 and report.new == 0
    assert store.generation() == generation + 1  # the metadata upsert is one write


def test_adding_one_article_to_many_analyses_one(tmp_path, bundled_articles, monkeypatch):
    corpus = make_corpus(bundled_articles, 12)
    store = open_store(tmp_path / "s.duckdb")
    assert store.ingest(corpus.iloc[:11], jobs=1).analysed == 11
    seen = count_extracted(monkeypatch)
    report = store.ingest(corpus, jobs=1)
    assert seen == [1]
    assert (report.analysed, report.reused, report.new) == (1, 11, 1)
    assert_same_analysis(store.analysis(), analyse(corpus))


@pytest.mark.parametrize("interval, writes", [(0, 4), (3600, 1)])
def test_finished_partitions_are_written_together_within_the_write_interval(
    tmp_path, bundled_articles, monkeypatch, interval, writes
):
    """Four partitions: a write (one transaction, one generation) each with no interval, one for
    all within a long one; the stored analysis is the same either way."""
    monkeypatch.setattr(write_module, "WRITE_INTERVAL", interval)
    corpus = make_corpus(bundled_articles, 8, seed=3)
    store = open_store(tmp_path / "s.duckdb")
    generation = store.generation()
    written: list[int] = []
    report = store.ingest(corpus, jobs=1, partition_size=2, progress=written.append)
    assert report.analysed == 8 and sum(written) == 8 and len(written) == writes
    assert store.generation() == generation + writes
    assert_same_analysis(store.analysis(), analyse(corpus))


def test_metadata_updates_without_analysis_but_text_changes_analyse(tmp_path, bundled_articles, monkeypatch):
    store = open_store(tmp_path / "s.duckdb")
    store.ingest(bundled_articles, jobs=1)
    seen = count_extracted(monkeypatch)
    renamed = bundled_articles.assign(outlet=["TC", "TR"])
    assert store.ingest(renamed, jobs=1).analysed == 0
    assert sorted(store.analysis().articles["outlet"]) == ["TC", "TR"]
    # same article_id (whitespace-insensitive hash) but other paragraphs: analysed again
    reflowed = bundled_articles.iloc[[1]].assign(text=lambda d: d["text"].str.replace("\n\n", "\n\n\n", n=1))
    assert reflowed["article_id"].iloc[0] == article_id(reflowed["text"].iloc[0])
    assert store.ingest(reflowed, jobs=1).analysed == 1
    # a new headline changes what extract reads: analysed again
    retitled = bundled_articles.iloc[[1]].assign(title="Microsoft and OpenAI team up")
    assert store.ingest(retitled, jobs=1).analysed == 1
    assert seen == [1, 1]
    stored = store.analysis()
    assert len(stored.articles) == 2
    assert stored.sentences[stored.sentences["is_title"]]["text"].tolist()[-1] == "Microsoft and OpenAI team up"


def test_changed_aliases_re_analyse_and_old_results_can_be_pruned(tmp_path, bundled_articles, monkeypatch):
    store = open_store(tmp_path / "s.duckdb")
    store.ingest(bundled_articles, jobs=1)
    base = read_aliases()
    extra = pd.DataFrame({"alias": ["Tay"], "entity": ["Tay chatbot"], "label": ["product"]})
    renamed = Aliases(pd.concat([base.table[base.table["alias"] != "Tay"], extra], ignore_index=True))
    assert analyser_version(renamed) != analyser_version(base)
    other = open_store(store.path, aliases=renamed)  # the analyser version is the one of the aliases it is opened with
    assert other.analyser == analyser_version(renamed) and store.analyser == analyser_version(base)
    assert other.summary()["pending"] == 2
    assert len(other.pending()) == 2
    seen = count_extracted(monkeypatch)
    assert other.ingest(bundled_articles, jobs=1).analysed == 2
    assert seen == [2]
    entities = set(other.analysis().mentions["entity"])
    assert "Tay chatbot" in entities and "Tay" not in entities
    # the old analyser's results are still there (switching back costs nothing) until pruned
    assert "Tay" in set(store.analysis().mentions["entity"])
    assert other.prune() > 0
    assert store.analysis().articles.empty
    assert other.summary()["analysed"] == 2


def test_missing_tones_are_scored_on_read(tmp_path, bundled_articles, bundled_vader):
    store = open_store(tmp_path / "s.duckdb")
    store.ingest(bundled_articles, jobs=1, scorers=("textblob",))
    with store.connect() as con:
        assert con.execute("SELECT count(DISTINCT scorer) FROM tones").fetchone()[0] == 1
    assert_same_analysis(store.analysis(sentiment="vader"), bundled_vader)


def _tone_rows(store: Store) -> dict[str, int]:
    with store.connect() as con:
        tables = ("tones", "article_tones", "article_entities")
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_ingest_again_scores_the_tone_an_engine_lacks_without_analysing(
    tmp_path, bundled_articles, filled, monkeypatch
):
    """Articles stored without an engine's tones (ingested for one engine only) get them on the
    next ingest of the same files: nothing is analysed again, and the tables then come from SQL
    equal to those of a store that scored both engines from the start."""
    both, _ = filled
    store = open_store(tmp_path / "s.duckdb")
    store.ingest(bundled_articles, jobs=1, scorers=("textblob",))
    assert _tone_rows(store) != _tone_rows(both)
    seen = count_extracted(monkeypatch)
    written: list[int] = []
    report = store.ingest(bundled_articles, jobs=2, scoring=written.append)
    assert (report.analysed, report.reused, report.rescored, seen) == (0, 2, 2, [])
    assert sum(written) == 2 and len(written) == 2  # one part per worker
    assert _tone_rows(store) == _tone_rows(both)
    for sentiment in ("textblob", "vader"):
        with store.connect() as con:
            assert not store._unscored(con, *store._chosen(con, Selection()), store.scorer(sentiment))
        got, expected = store.entity_table(sentiment=sentiment), both.entity_table(sentiment=sentiment)
        exact = [c for c in expected.columns if c not in _MEANS]
        pd.testing.assert_frame_equal(got[exact], expected[exact], check_exact=True)
        # summed in another order
        pd.testing.assert_frame_equal(got[_MEANS], expected[_MEANS], check_exact=False, rtol=1e-12)
        pd.testing.assert_frame_equal(
            store.articles_table(sentiment=sentiment), both.articles_table(sentiment=sentiment), check_exact=True
        )
    assert store.ingest(bundled_articles, jobs=1).rescored == 0  # nothing left to score


def test_a_new_scorer_version_is_scored_again_for_the_whole_store(tmp_path, bundled_articles, bundled, monkeypatch):
    """A new TextBlob or an edited sentiment.py changes the scorer version: the stored tones no
    longer count, reads would score every article on read, and ``rescore`` brings them back."""
    from analysis import entity_table

    open_store(tmp_path / "s.duckdb").ingest(bundled_articles, jobs=1)
    real = engine_module.scorer_version

    def upgraded(scorer: str) -> str:
        return real(scorer) + ".upgraded" if scorer == "textblob" else real(scorer)

    monkeypatch.setattr(engine_module, "scorer_version", upgraded)  # where the workers score
    monkeypatch.setattr(file_module, "scorer_version", upgraded)  # where a store takes its versions when opened
    store = open_store(tmp_path / "s.duckdb")
    with store.connect() as con:
        chosen = store._chosen(con, Selection())
        assert store._unscored(con, *chosen, upgraded("textblob")) == 2
        assert store._unscored(con, *chosen, upgraded("vader")) == 0
    before = _tone_rows(store)
    assert store.rescore(jobs=1) == 2
    after = _tone_rows(store)
    assert {t: after[t] - before[t] for t in after} == {t: n // 2 for t, n in before.items()}  # textblob's again
    with store.connect() as con:
        assert store._unscored(con, *store._chosen(con, Selection()), upgraded("textblob")) == 0
    expected = entity_table(bundled.mentions, bundled.sentences, bundled.articles)
    pd.testing.assert_frame_equal(store.entity_table(), expected, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(
        store.articles_table(), bundled.articles.drop(columns="text"), check_exact=False, rtol=1e-12
    )
    assert store.rescore(jobs=1) == 0


def test_read_only_store(tmp_path, filled):
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "missing.duckdb", read_only=True)
    store, _ = filled
    reader = open_store(store.path, read_only=True)
    assert reader.summary()["articles"] == 2
    with pytest.raises(StoreError, match="read only"):
        reader.ingest(pd.DataFrame(columns=ARTICLE_FIELDS))


# ------------------------------------------------------------------ interruption and concurrency

_INGEST = textwrap.dedent(
    """
    import os, sys, time, pandas as pd
    import analysis.store.write
    from analysis.store import open_store
    analysis.store.write.WRITE_INTERVAL = 0  # a write per partition: these tests interleave with them
    corpus = pd.read_pickle(sys.argv[2])
    store = open_store(sys.argv[1])
    reads = sys.argv[4] if len(sys.argv) > 4 else None

    def after_partition(n):
        # wait (up to 20 s) until the reader has read once more, so reads and writes interleave
        # on a machine of any speed instead of the reader meeting a lock every time
        seen = os.path.getsize(reads)
        deadline = time.monotonic() + 20
        while os.path.getsize(reads) == seen and time.monotonic() < deadline:
            time.sleep(0.01)

    print("start", flush=True)
    store.ingest(corpus, jobs=1, partition_size=int(sys.argv[3]), progress=after_partition if reads else None)
    print("done", flush=True)
    """
)


def _start_ingest(
    tmp_path, corpus: pd.DataFrame, partition: int, name: str = "corpus", reads: os.PathLike | None = None
) -> tuple[subprocess.Popen, os.PathLike]:
    """Ingest ``corpus`` in a subprocess; with ``reads``, it waits after each partition until that file grows."""
    path = tmp_path / "s.duckdb"
    open_store(path)  # created empty, so a reader can open it at once
    pickled = tmp_path / f"{name}.pkl"
    corpus.to_pickle(pickled)
    process = subprocess.Popen(
        [sys.executable, "-c", _INGEST, str(path), str(pickled), str(partition), *([str(reads)] if reads else [])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    return process, path


def test_killed_ingest_leaves_complete_articles_and_resumes(tmp_path, bundled_articles, monkeypatch):
    corpus = make_corpus(bundled_articles, 24, seed=1)
    process, path = _start_ingest(tmp_path, corpus, partition=2)
    reader = open_store(path, read_only=True)
    deadline = time.monotonic() + 240
    while reader.summary()["articles"] < 4 and time.monotonic() < deadline:
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    done, _ = assert_consistent_store(open_store(path))
    assert 4 <= done < 24, "killed before the end"
    seen = count_extracted(monkeypatch)
    report = open_store(path).ingest(corpus, jobs=1)
    assert report.analysed == 24 - done and sum(seen) == 24 - done
    assert assert_consistent_store(open_store(path))[0] == 24
    assert_same_analysis(open_store(path, read_only=True).analysis(), analyse(corpus))


def test_an_engine_failure_keeps_the_partitions_that_finished(tmp_path, bundled_articles, monkeypatch):
    """A failing engine (a Dask cluster that lost every worker) after one partition: that one,
    still held for the next write, is written whole; the other is not there at all."""
    real = write_module.iter_batches

    def failing(articles, **options):
        yield next(real(articles, **{**options, "partition_size": 1}))
        raise engine_module.EngineError("every Dask worker left")

    monkeypatch.setattr(write_module, "iter_batches", failing)
    monkeypatch.setattr(write_module, "WRITE_INTERVAL", 3600.0)
    store = open_store(tmp_path / "s.duckdb")
    with pytest.raises(engine_module.EngineError):
        store.ingest(bundled_articles, jobs=1)
    assert store.summary() == {"articles": 1, "analysed": 1, "pending": 0}
    assert assert_consistent_store(store)[0] == 1


@pytest.mark.parametrize("linger", [0, 60], ids=["opened per read", "kept open between reads"])
def test_reader_sees_consistent_growing_store_while_two_ingests_run(tmp_path, bundled_articles, linger, monkeypatch):
    """Both ingests finish, between the reads, also when the reader keeps the file open for a
    minute after each read (the dashboard's): a waiting writer makes it let go."""
    corpus = make_corpus(bundled_articles, 16, seed=2)
    reads = tmp_path / "reads"
    reads.write_bytes(b"")
    process, path = _start_ingest(tmp_path, corpus.iloc[:10], partition=2, name="first", reads=reads)
    other, _ = _start_ingest(tmp_path, corpus.iloc[10:], partition=2, name="second", reads=reads)
    opened = _count_opens(monkeypatch)
    kept = _count_kept_reads(monkeypatch)
    reader = open_store(path, read_only=True, timeout=60, linger=linger)
    counts = []
    while process.poll() is None or other.poll() is None:
        chosen = reader.analysis(Selection(outlets=["Gazette", "Herald", "Daily Planet"]))
        ids = set(chosen.articles["article_id"])
        assert set(chosen.sentences["article_id"]) <= ids and set(chosen.mentions["article_id"]) <= ids
        assert (chosen.sentences.groupby("article_id").size().reindex(chosen.articles["article_id"]).to_numpy()
                == chosen.articles["sentences"].to_numpy()).all()
        counts.append(len(ids))
        with reads.open("ab") as tally:
            tally.write(b".")
        time.sleep(0.05)
    assert process.returncode == 0, process.stderr.read()
    assert other.returncode == 0, other.stderr.read()
    assert counts == sorted(counts), "the store only grows"
    assert len(set(counts)) >= 3, f"reads interleaved with the writes: {counts}"
    assert not (tmp_path / "s.duckdb.waiting").exists()
    # kept open: far fewer opens than reads (it let go for each write); else one open per read
    # kept open: some reads went through the kept instance (each write made it let go first)
    assert (kept[0] > 0) if linger else (kept[0] == 0 and len(opened) >= len(counts))
    reader.close()
    assert assert_consistent_store(open_store(path))[0] == 16
    stored = open_store(path, read_only=True).analysis(Selection(article_ids=corpus["article_id"]))
    assert_same_analysis(stored, analyse(corpus))


def _count_opens(monkeypatch) -> list[bool]:
    """Record every ``duckdb.connect`` the store makes in this process (read_only flags)."""
    opened: list[bool] = []
    real = file_module.duckdb.connect

    def connect(path, read_only=False, **kwargs):
        opened.append(read_only)
        return real(path, read_only=read_only, **kwargs)

    monkeypatch.setattr(file_module.duckdb, "connect", connect)
    return opened


def _count_kept_reads(monkeypatch) -> list[int]:
    """Count the operations that ran on a kept-open instance."""
    kept = [0]
    real = file_module._KeptOpen.cursor

    def cursor(self):
        found = real(self)
        kept[0] += found is not None
        return found

    monkeypatch.setattr(file_module._KeptOpen, "cursor", cursor)
    return kept


def test_a_lingering_reader_reads_through_one_instance_then_lets_go(tmp_path, bundled_articles, monkeypatch):
    path = tmp_path / "s.duckdb"
    open_store(path).ingest(bundled_articles.iloc[:1], jobs=1)
    opened = _count_opens(monkeypatch)
    reader = open_store(path, read_only=True, linger=0.3)
    first = reader.analysis()
    assert reader.articles_table()["article_id"].tolist() == first.articles["article_id"].tolist()
    assert reader.summary()["analysed"] == 1 and len(opened) == 1  # four operations, one open
    deadline = time.monotonic() + 10
    while reader._kept.con is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader._kept.con is None, "closed once idle for `linger` seconds"
    assert_same_analysis(reader.analysis(), first)
    assert len(opened) == 2
    reader.close()


def test_a_writer_gets_in_at_once_past_a_lingering_reader(tmp_path, bundled_articles):
    """The reader would keep the file an hour; a writer of this process (a lock, as from another)
    says it waits, the reader lets go within a poll, and its next read sees the new article."""
    path = tmp_path / "s.duckdb"
    writer = open_store(path, timeout=30)
    writer.ingest(bundled_articles.iloc[:1], jobs=1)
    reader = open_store(path, read_only=True, linger=3600)
    assert reader.summary()["articles"] == 1 and reader._kept.con is not None
    start = time.monotonic()
    writer.ingest(bundled_articles.iloc[1:], jobs=1)
    assert time.monotonic() - start < 20
    assert not (tmp_path / "s.duckdb.waiting").exists()
    assert reader.summary()["articles"] == 2
    assert_same_analysis(reader.analysis(), open_store(path, read_only=True).analysis())
    reader.close()


def test_a_dead_writers_waiting_file_is_ignored(tmp_path, bundled_articles):
    path = tmp_path / "s.duckdb"
    open_store(path).ingest(bundled_articles.iloc[:1], jobs=1)
    waiting = tmp_path / "s.duckdb.waiting"
    waiting.touch()
    reader = open_store(path, read_only=True, linger=3600)
    assert reader.summary()["articles"] == 1 and reader._kept.con is None  # a writer waits: not kept
    old = time.time() - file_module.WAITING_FRESH - 1
    os.utime(waiting, (old, old))
    assert reader.summary()["articles"] == 1 and reader._kept.con is not None  # that writer is long gone
    reader.close()
    assert reader._kept.con is None


# ------------------------------------------------------------------ the CLI


def test_cli_ingest_then_nothing_to_analyse(tmp_path):
    store = tmp_path / "s.duckdb"
    first = run_cli("ingest", str(ROOT / "data" / "corpus"), "--store", str(store), "--jobs", "1")
    assert first.returncode == 0, first.stderr
    assert "analysed 2, already analysed 0" in first.stderr and "analysing" in first.stderr  # the progress bar
    second = run_cli("ingest", str(ROOT / "data" / "corpus"), "--store", str(store))
    assert second.returncode == 0, second.stderr
    assert "(0 new)" in second.stderr and "analysed 0, already analysed 2" in second.stderr
    assert open_store(store, read_only=True).summary()["articles"] == 2


def test_cli_ingest_and_whole_store_export_score_missing_tones(tmp_path, bundled_articles, filled):
    both, _ = filled
    for name in ("ingest", "export", "update"):
        open_store(tmp_path / f"{name}.duckdb").ingest(bundled_articles, jobs=1, scorers=("textblob",))
    ingest = run_cli("ingest", str(ROOT / "data" / "corpus"), "--store", str(tmp_path / "ingest.duckdb"), "--jobs", "1")
    assert ingest.returncode == 0, ingest.stderr
    assert "analysed 0, already analysed 2 (the tone of 2 scored again" in ingest.stderr
    assert "scoring tone" in ingest.stderr  # its progress bar
    export = run_cli(
        "export", "--store", str(tmp_path / "export.duckdb"), "--out", str(tmp_path / "out"), "--jobs", "1"
    )
    assert export.returncode == 0, export.stderr
    assert "scoring tone" in export.stderr
    update = run_cli("ingest", "--store", str(tmp_path / "update.duckdb"), "--jobs", "1")  # no SOURCE: the whole store
    assert update.returncode == 0, update.stderr
    assert "up to date: analysed 0, scored the tone of 2; the store holds 2 articles" in update.stderr
    for name in ("ingest", "export", "update"):
        assert _tone_rows(open_store(tmp_path / f"{name}.duckdb", read_only=True)) == _tone_rows(both)
    again = run_cli("ingest", str(ROOT / "data" / "corpus"), "--store", str(tmp_path / "ingest.duckdb"), "--jobs", "1")
    assert "scored again" not in again.stderr and "scoring tone" not in again.stderr


def test_cli_export_through_the_store_twice_gives_the_same_tables(tmp_path):
    store = tmp_path / "s.duckdb"
    plain = run_cli("export", "--out", str(tmp_path / "plain"))
    corpus = str(ROOT / "data" / "corpus")
    first = run_cli(
        "export", corpus, "--store", str(store), "--out", str(tmp_path / "first"), "--jobs", "1", cwd=tmp_path
    )
    second = run_cli("export", corpus, "--store", str(store), "--out", str(tmp_path / "second"))
    whole = run_cli("export", "--store", str(store), "--out", str(tmp_path / "whole"))  # no SOURCE: the whole store
    for result in (plain, first, second, whole):
        assert result.returncode == 0, result.stderr
    assert "analysed 2, reused 0" in first.stderr
    assert "analysed 0, reused 2" in second.stderr
    assert "nothing changed since an earlier export" in second.stderr  # the tables the first one kept
    # the whole store holds just these articles, in this order: the same inputs, the same tables
    assert "nothing changed" not in first.stderr and "nothing changed" in whole.stderr
    for name in sorted(p.name for p in (tmp_path / "plain").glob("*.csv")):
        plain_bytes = (tmp_path / "plain" / name).read_bytes()
        assert (tmp_path / "first" / name).read_bytes() == plain_bytes, name
        assert (tmp_path / "second" / name).read_bytes() == plain_bytes, name
        assert (tmp_path / "whole" / name).read_bytes() == plain_bytes, name


def test_cli_export_of_the_whole_store(tmp_path, bundled_articles):
    store = tmp_path / "s.duckdb"
    extra = make_corpus(bundled_articles, 3, seed=5)
    open_store(store).ingest(extra, jobs=1)
    result = run_cli("export", "--store", str(store), "--out", str(tmp_path / "out"), "--outlet", "Gazette")
    assert result.returncode == 0, result.stderr
    articles = pd.read_csv(tmp_path / "out" / "articles.csv", keep_default_na=False)
    assert articles["article_id"].tolist() == extra.loc[extra["outlet"] == "Gazette", "article_id"].tolist()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--out", "x", "--store", "data/corpus"], "--store expects a .duckdb file"),
        (["export", "--out", "x", "--engine", "dask"], "--engine dask needs --scheduler"),
        (
            ["export", "--out", "x", "--engine", "local", "--scheduler", "tcp://127.0.0.1:1"],
            "only applies to --engine dask",
        ),
        (["ingest", "data/corpus", "--store", "{tmp}/s.duckdb", "--jobs", "0"], "--jobs must be at least 1"),
        (["ingest", "{tmp}/nothing-here", "--store", "{tmp}/s.duckdb"], "no such file"),
        (["ingest", "--store", "{tmp}/none.duckdb"], "without SOURCE, ingest updates an existing store"),
        (["export", "--out", "{tmp}/o", "--store", "{tmp}/empty.duckdb"], "holds no article"),
    ],
)
def test_cli_user_errors_exit_2_with_one_line(tmp_path, args, message):
    result = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------ aggregations inside DuckDB


# Sentences of the seeds with other names, where spaCy labels one name two ways: "Elena Horvat"
# once an organization and once a person (a tie), "Dara Adeyemi" twice a person and once a place.
_TWO_LABELS = [
    ("Microsoft teams up with Elena Horvat’s OpenAI project",
     "OpenAI, the artificial intelligence research non-profit backed by Tesla’s Elena Horvat, Y Combinator’s "
     "Yara Zhou and numerous other tech luminaries, is partnering with Microsoft.\n\nReport number 1."),
    ("Microsoft teams up with Dara Adeyemi’s OpenAI project",
     "OpenAI, the artificial intelligence research non-profit backed by Tesla’s Dara Adeyemi, Y Combinator’s "
     "Gita Dimitrov and numerous other tech luminaries, is partnering with Microsoft.\n\nDara Adeyemi said the "
     "deal matters.\n\nReport number 2."),
]


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory, bundled_articles):
    two_labels = pd.DataFrame(
        [{"article_id": article_id(text), "outlet": "Gazette", "title": title, "published": "2016-11-15", "url": "",
          "author": "", "story": "s1", "text": text, "source": f"labels/{i}.md"}
         for i, (title, text) in enumerate(_TWO_LABELS)],
        columns=ARTICLE_FIELDS,
    )
    corpus = pd.concat([make_corpus(bundled_articles, 30, seed=7), two_labels], ignore_index=True)
    store = open_store(tmp_path_factory.mktemp("agg") / "s.duckdb")
    store.ingest(corpus, jobs=1)
    return store


_MEANS = ["polarity", "subjectivity", "tone", "first_seen", "tone_low", "tone_high"]  # the interval: from the mean tone


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    outlets=st.none() | st.lists(st.sampled_from(["Daily Planet", "Gazette", "Herald"]), unique=True),
    stories=st.none() | st.lists(st.sampled_from(["s1", "s2"]), min_size=1, unique=True),
    start=st.none() | st.sampled_from(["2016-11-11", "2016-11-15"]),
    sentiment=st.sampled_from(["textblob", "vader"]),
)
def test_sql_aggregates_equal_the_pandas_tables(generated_store, outlets, stories, start, sentiment):
    from analysis import entity_table

    selection = Selection(outlets=outlets, stories=stories, since=start)
    chosen = generated_store.analysis(selection, sentiment=sentiment)
    expected = entity_table(chosen.mentions, chosen.sentences, chosen.articles)
    got = generated_store.entity_table(selection, sentiment=sentiment)
    exact = [c for c in expected.columns if c not in _MEANS]
    pd.testing.assert_frame_equal(got[exact], expected[exact], check_exact=True)
    # means: same numbers, summed in another order
    pd.testing.assert_frame_equal(got[_MEANS], expected[_MEANS], check_exact=False, rtol=1e-12, atol=1e-15)
    articles = generated_store.articles_table(selection, sentiment=sentiment)
    pd.testing.assert_frame_equal(articles, chosen.articles.drop(columns="text"), check_exact=False, rtol=1e-12)


def test_one_label_per_entity_decided_across_the_store(generated_store):
    """The corpus holds names whose mentions carry two labels (the model's guesses differ per
    sentence); each entity comes out with one label, the one most of its mentions carry across
    the whole store (ties to the alphabetically first), in pandas and in SQL alike."""
    _, extracted = generated_store.extracted()
    votes = extracted.mentions.groupby(["entity", "label"]).size().rename("n").reset_index()
    assert votes.groupby("entity")["label"].nunique().max() > 1  # the case is there
    stored = generated_store.analysis()
    assert stored.mentions.groupby("entity")["label"].nunique().max() == 1
    links = generated_store.name_links()
    plain = votes[~votes["entity"].isin(set(links.links["entity"]) | set(links.links["linked"]))]
    majority = plain.sort_values(["entity", "n", "label"], ascending=[True, False, True]).drop_duplicates("entity")
    got = stored.mentions.drop_duplicates("entity").set_index("entity")["label"]
    assert got[majority["entity"]].tolist() == majority["label"].tolist()
    table = generated_store.entity_table()
    assert (table["label"].to_numpy() == table["entity"].map(got).to_numpy()).all()


def test_tables_of_articles_without_stored_tones_score_them_on_read(tmp_path, bundled_articles):
    """A store whose tones for an engine are missing for an article (written before that engine
    was stored, or by another scorer version) still gives the tables of scoring on read, also
    after an earlier read found every article scored (that finding lasts one store generation)."""
    from analysis import entity_table
    from analysis.store.file import transaction

    store = open_store(tmp_path / "s.duckdb")
    store.ingest(bundled_articles, jobs=1)
    before = store.entity_table()
    gone = bundled_articles["article_id"].iloc[1]
    with store.connect(write=True) as con, transaction(con):
        for table in ("tones", "article_tones", "article_entities"):
            con.execute(f"DELETE FROM {table} WHERE article_id = ? AND scorer = ?", [gone, store.scorer("textblob")])
    chosen = store.analysis()
    expected = entity_table(chosen.mentions, chosen.sentences, chosen.articles)
    got = store.entity_table()
    pd.testing.assert_frame_equal(got, expected)
    assert got["mentions"].sum() == before["mentions"].sum()  # the article's entities are still counted
    pd.testing.assert_frame_equal(store.articles_table(), chosen.articles.drop(columns="text"))


def test_entity_table_facts_from_the_seeds(filled):
    store, _ = filled
    entities = store.entity_table().set_index(["outlet", "entity"])
    assert entities.loc[(TECHCRUNCH, "OpenAI"), "mentions"] == 8
    assert entities.loc[(TECHREPUBLIC, "OpenAI"), "mentions"] == 10
    assert entities.loc[(TECHREPUBLIC, "Tay"), "exclusive"]
    assert entities.groupby("outlet")["share"].sum().round(12).eq(1).all()
    empty = store.entity_table(Selection(outlets=[]))
    assert empty.empty and list(empty.columns) == ENTITIES


def test_export_key_covers_every_input(tmp_path, bundled_articles, monkeypatch):
    store = open_store(tmp_path / "s.duckdb")
    store.ingest(bundled_articles, jobs=1)
    ids = list(bundled_articles["article_id"])
    these = Selection(article_ids=ids)
    key = store.export_key(these)
    assert store.export_key(these) == key  # deterministic
    others = {
        "order": store.export_key(Selection(article_ids=ids[::-1])),
        "fewer articles": store.export_key(Selection(article_ids=ids[:1])),
        "filter": store.export_key(Selection(article_ids=ids, outlets=["TechCrunch", "TechRepublic"])),
        "messages": store.export_key(these, messages=["Azure is OpenAI's preferred cloud"]),
        "sentiment": store.export_key(these, sentiment="vader"),
    }
    assert len({key, *others.values()}) == len(others) + 1, others
    assert store.export_key() == key  # the whole store is these articles in this order
    store.ingest(bundled_articles.assign(author="Someone Else"), jobs=1)  # metadata only: nothing re-analysed
    assert store.export_key(these) != key
    moved = store.export_key(these)
    monkeypatch.setattr("analysis.store.query.tables_version", lambda: "edited code")
    assert store.export_key(these) != moved


def test_kept_exports_round_trip_and_only_the_latest_stay(tmp_path):
    store = open_store(tmp_path / "s.duckdb")
    assert store.stored_export("k0") is None
    generation = store.generation()
    for i in range(5):
        assert store.keep_export(f"k{i}", {"b": f"second {i}".encode(), "a": b"first"}, keep=3)
    assert store.generation() == generation  # readers' caches stay: no article or result changed
    assert store.stored_export("k4") == {"b": b"second 4", "a": b"first"}  # names in their order
    assert [store.stored_export(f"k{i}") is not None for i in range(5)] == [False, False, True, True, True]
    assert not store.keep_export("big", {"a": b"x" * 11}, max_bytes=10)
    assert store.stored_export("big") is None


def test_cli_export_rebuilds_when_the_filters_or_messages_change(tmp_path):
    store = tmp_path / "s.duckdb"
    corpus = str(ROOT / "data" / "corpus")
    messages = tmp_path / "messages.txt"
    messages.write_text("Azure is OpenAI's preferred cloud\n", encoding="utf-8")
    runs = {}
    for name, extra in [("first", []), ("outlet", ["--outlet", "TechCrunch"]),
                        ("messages", ["--messages", str(messages)]), ("again", ["--messages", str(messages)])]:
        out = str(tmp_path / name)
        runs[name] = run_cli("export", corpus, "--store", str(store), "--out", out, "--jobs", "1", *extra)
        assert runs[name].returncode == 0, runs[name].stderr
    assert ["nothing changed" in r.stderr for r in runs.values()] == [False, False, False, True]
    outlet = pd.read_csv(tmp_path / "outlet" / "articles.csv", keep_default_na=False)
    assert outlet["outlet"].tolist() == ["TechCrunch"]
    found = pd.read_csv(tmp_path / "again" / "messages.csv", keep_default_na=False)
    assert set(found["message"]) == {"Azure is OpenAI's preferred cloud"}
    assert (tmp_path / "again" / "messages.csv").read_bytes() == (tmp_path / "messages" / "messages.csv").read_bytes()


def _as_old_schema(path, version: str, undo: str) -> None:
    """Make the store at ``path`` look written by an older Coverage Lens: ``undo`` its newer tables or
    columns and set its schema to ``version``; a reader must then refuse it with the upgrade command."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute(undo)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", [version])
    con.close()
    with pytest.raises(StoreError, match=rf"older Coverage Lens \(schema {version}\).*ingest --store") as refused:
        open_store(path, read_only=True)
    assert f"--store {path}`" in str(refused.value)  # the command names this store, ready to paste


def test_a_schema_3_store_is_upgraded_by_a_writer_and_named_to_a_reader(tmp_path, bundled_articles):
    """A store written before the entity-tone tables (schema 3) is not lost: opening it to write adds
    them (an ingest then scores what they lack), and a reader that cannot write says in one line how
    to upgrade it."""
    path = tmp_path / "old.duckdb"
    open_store(path).ingest(bundled_articles, jobs=1)
    _as_old_schema(path, "3", "DROP TABLE mention_tones; DROP TABLE article_entity_tones")
    open_store(path).ingest(bundled_articles, jobs=1)
    fresh = tmp_path / "fresh.duckdb"
    open_store(fresh).ingest(bundled_articles, jobs=1)
    upgraded = open_store(path, read_only=True).entity_table()
    assert upgraded["tone"].notna().all()
    pd.testing.assert_frame_equal(upgraded, open_store(fresh, read_only=True).entity_table())


def test_a_schema_4_store_gains_outlet_groups_by_the_section_rule(tmp_path, bundled_articles):
    """A store written before ``outlet_group`` (schema 4) is upgraded by a writer: the column is added
    and filled by the "Name (Section)" rule from each stored outlet; a reader says how to upgrade."""
    path = tmp_path / "old.duckdb"
    sections = bundled_articles.assign(outlet=["Fox News (Opinion)", "TechRepublic"])
    open_store(path).ingest(sections, jobs=1)
    _as_old_schema(path, "4", "ALTER TABLE articles DROP COLUMN outlet_group")
    open_store(path)
    groups = open_store(path, read_only=True).articles_table().set_index("outlet")["outlet_group"]
    assert groups.to_dict() == {"Fox News (Opinion)": "Fox News", "TechRepublic": "TechRepublic"}
