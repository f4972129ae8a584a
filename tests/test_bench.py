"""The benchmark script runs end to end on a tiny corpus (correctness only, no timing asserts)."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pandas as pd

from bench import bench
from bench import corpus as generator
from tests.helpers import ROOT


def _run(script: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``python -m bench.<script>`` with ``args`` in a new process from the checkout, as a user would."""
    return subprocess.run([sys.executable, "-m", f"bench.{script}", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_generated_corpus_varies_names_and_keeps_real_text(bundled_articles):
    articles = generator.generate(8, seed=1)
    assert articles["article_id"].is_unique and len(articles) == 8
    assert set(articles["outlet"]) <= set(generator.OUTLETS)
    # every paragraph comes from a seed article (names aside): the first one of article 0, say
    first = articles["text"].iloc[0].split("\n\n")
    assert len(first) == len(bundled_articles["text"].iloc[0].split("\n\n")) + 1
    # "Elon Musk" and "Satya Nadella" are replaced by invented names
    assert not articles["text"].str.contains("Elon Musk|Satya Nadella").any()
    assert generator.generate(8, seed=1).equals(articles)


def test_scaled_store_repeats_results_under_new_ids(tmp_path, bundled_articles):
    from analysis.store import open_store

    store = open_store(tmp_path / "s.duckdb")
    store.ingest(generator.generate(3, seed=2), jobs=1)
    held = bench.scale_store(store.path, tmp_path / "big.duckdb", 10)
    assert held == 10
    big = open_store(tmp_path / "big.duckdb", read_only=True)
    assert big.summary() == {"articles": 10, "analysed": 10, "pending": 0}
    small, large = store.analysis(), big.analysis()
    # ids 1..10 in ingest order: copies of articles 1, 2, 3, 1, 2, 3, 1, 2, 3, 1
    per_article = small.articles["sentences"].tolist()
    assert len(large.sentences) == 4 * per_article[0] + 3 * per_article[1] + 3 * per_article[2]
    assert large.articles["text"].tolist() == [small.articles["text"].iloc[i % 3] for i in range(10)]
    with duckdb.connect(str(tmp_path / "big.duckdb"), read_only=True) as con:
        per_table = dict(con.execute("SELECT 'mentions', count(DISTINCT article_id) FROM mentions").fetchall())
    assert per_table["mentions"] == 10
    assert large.articles["article_id"].is_unique


def test_bench_runs_on_a_tiny_corpus(tmp_path):
    out = tmp_path / "r.json"
    result = _run("bench", "--n", "4", "--jobs", "1", "--baseline-n", "2", "--scale", "12", "--repeat", "1",
                  "--workdir", str(tmp_path / "work"), "--json", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["articles"] == 4 and report["words"] > 0
    assert report["ingest"]["1"]["analysed"] == 4
    assert report["warm_ingest"]["analysed"] == 0  # nothing is analysed twice
    assert report["baseline"]["articles"] == 2 and report["ratio_vs_baseline"] > 0
    scaled = report["scale"]["12"]
    assert scaled["articles"] == 12
    for mode in ("sql", "pandas"):
        selections = scaled[mode]["selections"]
        assert selections["all outlets"]["articles"] == 12
        assert selections["all outlets"]["entity_rows"] > 0
    # the two paths select the same articles and build tables of the same size
    assert {k: (v["articles"], v["entity_rows"]) for k, v in scaled["sql"]["selections"].items()} == {
        k: (v["articles"], v["entity_rows"]) for k, v in scaled["pandas"]["selections"].items()
    }
    assert "| measurement |" in result.stdout and "throughput vs baseline" in result.stdout
    assert isinstance(pd.read_pickle(tmp_path / "work" / "corpus.pkl"), pd.DataFrame)


def test_bench_ingests_on_a_local_dask_cluster(tmp_path):
    """``--dask 1 --ingest-only``: a cluster started as the README's recipe says, cold then warm."""
    out = tmp_path / "r.json"
    result = _run("bench", "--n", "3", "--jobs", "1", "--dask", "1", "--ingest-only", "--workdir",
                  str(tmp_path / "work"), "--json", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["ingest"]["1"]["analysed"] == 3 and "baseline" not in report
    dask = report["dask"]["1"]
    assert dask["cold"]["analysed"] == dask["warm"]["analysed"] == 3
    assert dask["cold"]["peak_mb"] > report["ingest"]["1"]["peak_mb"] / 2  # the workers' memory counts
    assert "| ingest on a local Dask cluster, 1 worker(s), new workers" in result.stdout


def test_dashboard_bench_times_every_step(tmp_path, bundled_articles):
    """``bench/dashboard.py`` drives the app on a store through every tab (large-store mode here)."""
    from analysis.store import open_store

    open_store(tmp_path / "s.duckdb").ingest(bundled_articles, jobs=1)
    out = tmp_path / "d.json"
    result = _run("dashboard", "--store", str(tmp_path / "s.duckdb"), "--full-limit", "1", "--json", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    labels = [s["step"] for s in report["steps"]]
    assert labels[0].startswith("first render") and "open Emphasis" in labels and "open Articles" in labels
    assert all(s["seconds"] > 0 for s in report["steps"]) and report["peak_mb"] > 0
    assert "| open Sentiment |" in result.stdout
    unseen = [s["step"] for s in report["unseen"]]
    assert unseen[0].startswith("read the 1 most recent articles") and len(unseen) == 3
    assert "none seen before" in result.stdout


def test_align_bench_puts_the_articles_in_one_story(tmp_path, bundled_articles):
    """``bench/align.py`` aligns the store's first sentences as one story: here both seeds, whole."""
    from analysis.store import open_store

    store = open_store(tmp_path / "s.duckdb")
    store.ingest(bundled_articles, jobs=1)
    total = int(store.articles_table()["sentences"].sum())
    out = tmp_path / "a.json"
    result = _run("align", "--store", str(tmp_path / "s.duckdb"), "--sentences", "1000", "--json", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert (report["sentences"], report["articles"], report["outlets"]) == (total, 2, 2)
    assert 0 < report["unique"] < total and report["peak_mb"] >= report["peak_mb_before"] > 0
    assert "| sentences (articles, outlets) of one story |" in result.stdout
