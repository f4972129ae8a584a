"""The parallel and distributed engines give exactly what ``extract`` gives in one process."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import analysis.cluster as cluster_module
import analysis.engine as engine_module
from analysis import extract, read_aliases
from analysis.aliases import Aliases
from analysis.engine import Batch, EngineError, concat_batches, iter_batches, partitions, run_extract
from analysis.store import open_store
from analysis.versions import aliases_digest, analyser_version, scorer_version
from tests.helpers import assert_same_analysis, make_corpus


def assert_same_extracted(left, right) -> None:
    for name in ("articles", "sentences", "mentions"):
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name), check_exact=True, obj=name)


@pytest.fixture(scope="module")
def corpus(bundled_articles) -> pd.DataFrame:
    return pd.concat([bundled_articles, make_corpus(bundled_articles, 10, seed=3)], ignore_index=True)


@pytest.fixture(scope="module")
def reference(corpus):
    return extract(corpus, aliases=read_aliases())


@given(n=st.integers(0, 300), workers=st.integers(1, 8), size=st.none() | st.integers(1, 50))
def test_partitions_cover_every_row_once_in_order(n, workers, size):
    frame = pd.DataFrame({"article_id": [str(i) for i in range(n)]})
    parts = partitions(frame, workers=workers, size=size)
    assert [i for part in parts for i in part["article_id"]] == list(frame["article_id"])
    assert all(len(part) > 0 for part in parts)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_process_pool_equals_one_process(corpus, reference, method, monkeypatch):
    monkeypatch.setattr(engine_module, "_start_method", lambda: method)
    batches = list(iter_batches(corpus, aliases=read_aliases(), jobs=2, partition_size=3, scorers=("vader",)))
    assert len(batches) == 4 and sorted(b.index for b in batches) == [0, 1, 2, 3]
    extracted, tones = concat_batches(batches)
    assert_same_extracted(extracted, reference)
    assert len(tones) == len(reference.sentences) and set(tones["scorer"]) == {scorer_version("vader")}


def test_versions_name_what_changes_the_results():
    aliases = read_aliases()
    version = analyser_version(aliases)
    assert "core_web_sm" in version and "+aliases." in version and "+code." in version
    shuffled = Aliases(aliases.table.sample(frac=1, random_state=0).reset_index(drop=True))
    assert aliases_digest(shuffled) == aliases_digest(aliases)  # row order does not matter
    fewer = Aliases(aliases.table.iloc[1:].reset_index(drop=True))
    assert analyser_version(fewer) != version
    assert scorer_version("textblob").startswith("textblob-") and scorer_version("vader").startswith("vader-")


def test_a_worker_with_other_code_is_refused(corpus, monkeypatch):
    real = engine_module.extract_partition

    def other(*args, **kwargs) -> Batch:
        batch = real(*args, **kwargs)
        return Batch(batch.extracted, batch.tones, "0.0.1+other", batch.index)

    monkeypatch.setattr(engine_module, "extract_partition", other)
    with pytest.raises(EngineError, match="install the same code"):
        list(iter_batches(corpus.iloc[:1], aliases=read_aliases(), jobs=1))


def test_engine_errors_are_user_errors(corpus, monkeypatch):
    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(EngineError, match="unknown engine"):
        list(iter_batches(corpus, aliases=read_aliases(), backend="spark"))
    with pytest.raises(EngineError, match="needs --scheduler"):
        list(iter_batches(corpus, aliases=read_aliases(), backend="dask"))
    with pytest.raises(EngineError, match="cannot reach"):
        list(iter_batches(corpus, aliases=read_aliases(), backend="dask", scheduler="tcp://127.0.0.1:9"))


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


def test_dask_engine_equals_local_engine(cluster, corpus, reference):
    extracted = run_extract(corpus, aliases=read_aliases(), backend="dask", scheduler=cluster.scheduler_address)
    assert_same_extracted(extracted, reference)


def test_dask_ingest_gives_the_same_store(cluster, corpus, tmp_path):
    local = open_store(tmp_path / "local.duckdb")
    local.ingest(corpus, jobs=1)
    remote = open_store(tmp_path / "dask.duckdb")
    report = remote.ingest(corpus, backend="dask", scheduler=cluster.scheduler_address, partition_size=3)
    assert report.analysed == len(corpus)
    for sentiment in ("textblob", "vader"):
        assert_same_analysis(remote.analysis(sentiment=sentiment), local.analysis(sentiment=sentiment))
    # and the tables the CLI writes are identical
    from analysis import build_tables

    left, right = build_tables(remote.analysis()), build_tables(local.analysis())
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], check_exact=True, obj=name)


def test_workers_are_forked_only_without_other_threads():
    import threading

    assert engine_module._start_method() == ("fork" if threading.active_count() == 1 else "spawn")
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert engine_module._start_method() == "spawn"
    finally:
        stop.set()
        worker.join()


def test_spacy_runs_on_numpy_blas_one_thread_at_a_time(monkeypatch):
    """The pipeline is built on thinc's numpy ops (OpenBLAS, not BLIS), and every run of it holds
    BLAS to one thread, so a worker per core does not also start BLAS threads; the limit is lifted
    afterwards."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from analysis.cpu import one_blas_thread
    from analysis.nlp import load_pipeline

    aliases = read_aliases()
    ner = load_pipeline(aliases.names).get_pipe("ner")
    assert type(ner.model.ops).__name__ == "NumpyOps" and ner.model.ops.use_blis is False

    def blas_threads() -> set[int]:
        return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

    seen: list[set[int]] = []
    real_pipe = type(load_pipeline(aliases.names)).pipe

    def spying_pipe(self, *args, **kwargs):
        for item in real_pipe(self, *args, **kwargs):
            seen.append(blas_threads())
            yield item

    monkeypatch.setattr(type(load_pipeline(aliases.names)), "pipe", spying_pipe)
    with threadpool_limits(limits=2, user_api="blas"):  # as on a 2-core machine, even on one core
        before = blas_threads()
        extract(pd.DataFrame({"article_id": ["a"], "title": ["Microsoft"], "text": ["Microsoft and OpenAI team up."]}),
                aliases=aliases)
        assert before == {2} and blas_threads() == before
    assert seen and all(threads == {1} for threads in seen)
    with one_blas_thread():
        assert blas_threads() == {1}
