"""The README's Dask recipe, followed literally on this machine: ``dask scheduler`` and ``dask
worker`` as separate processes on 127.0.0.1 (bench/cluster.py), started from a folder outside the
checkout, so they import the project only through its installed package, as on other machines.

The recipe gives the tables of a local run byte for byte, survives a worker that dies, and every
way to get it wrong ends with one line on stderr saying what is wrong and what to do (exit 2),
with nothing half-written in the store.
"""

from __future__ import annotations

import filecmp
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.store import open_store
from bench.cluster import SCHEDULER_ARGS, WORKER_ARGS, dask_without_project, free_port, local_cluster, project_dask
from bench.corpus import generate, write_markdown
from tests.helpers import ROOT, assert_consistent_store, run_cli

pytest.importorskip("distributed")

ARTICLES = 12  # three partitions of four on two workers: both work, and a partition is left to lose


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_markdown(generate(ARTICLES, seed=22), folder)
    return folder


@pytest.fixture(scope="module")
def local_tables(corpus, tmp_path_factory) -> Path:
    """The tables of the same articles ingested and exported on this machine, one process."""
    work = tmp_path_factory.mktemp("local")
    _ok(run_cli("ingest", str(corpus), "--store", str(work / "local.duckdb"), "--jobs", "1"))
    _ok(run_cli("export", "--store", str(work / "local.duckdb"), "--out", str(work / "tables")))
    return work / "tables"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The recipe's scheduler and two workers (each ``--nworkers 1``: two one-core machines)."""
    with local_cluster(tmp_path_factory.mktemp("cluster"), workers=2) as running:
        yield running


def _ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def assert_one_line_error(result: subprocess.CompletedProcess, *expected: str) -> str:
    """Exit 2, no traceback, and the last line of stderr an ``error:`` line containing ``expected``."""
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: "), result.stderr[-3000:]
    for part in expected:
        assert part in last, last
    return last


def assert_same_tables(left: Path, right: Path) -> None:
    names = sorted(p.name for p in left.glob("*.csv"))
    assert names and names == sorted(p.name for p in right.glob("*.csv"))
    match, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
    assert match == names, (mismatch, errors)


def stored(store: Path) -> int:
    """The articles in ``store``, each checked whole (none half-written)."""
    return assert_consistent_store(open_store(store, read_only=True))[0]


def run_cli_with(settings: dict[str, object], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The CLI in a new process with some of ``analysis.cluster``'s waits shortened."""
    code = (
        "import sys, analysis.cluster as cluster\n"
        + "".join(f"cluster.{name} = {value!r}\n" for name, value in settings.items())
        + "from analysis.__main__ import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_the_harness_runs_the_readme_recipe():
    """The commands started here are the README's, with its placeholders filled in."""
    readme = (ROOT / "README.md").read_text()
    recipe = readme.split("### Running on several machines", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    dask = ".venv/bin/dask"
    assert project_dask() == [str(Path(sys.executable).parent / "dask")] and Path(project_dask()[0]).exists()
    assert "pip install -e ." in recipe and "PYTHONPATH" not in readme
    assert f"{dask} " + " ".join(SCHEDULER_ARGS).format(host="0.0.0.0", port=8786) in recipe
    assert f"{dask} " + " ".join(WORKER_ARGS).format(address="tcp://SCHEDULER:8786", nworkers="auto") in recipe
    assert "coverage-lens ingest /data/feeds/2024-05/ --scheduler tcp://SCHEDULER:8786" in recipe


def test_the_recipe_gives_the_local_tables_byte_for_byte(cluster, corpus, local_tables, tmp_path):
    store = tmp_path / "dask.duckdb"
    ingest = _ok(run_cli("ingest", str(corpus), "--store", str(store), "--scheduler", cluster.address))
    assert f"analysed {ARTICLES}," in ingest.stderr
    _ok(run_cli("export", "--store", str(store), "--out", str(tmp_path / "tables")))
    assert_same_tables(tmp_path / "tables", local_tables)
    assert stored(store) == ARTICLES

    def analysed_here() -> bool:  # run on each worker (a local function: sent by value)
        return "analysis.extract" in sys.modules

    assert set(cluster.look().run(analysed_here).values()) == {True}, "both workers analysed a partition"


def test_a_scheduler_without_the_project_is_named(corpus, tmp_path):
    """The issue's scheduler: the requirements installed, the project not (no ``pip install -e .``)."""
    without = dask_without_project(tmp_path / "venv")
    with local_cluster(tmp_path / "cluster", workers=1, scheduler_dask=without) as bare:
        result = run_cli("ingest", str(corpus), "--store", str(tmp_path / "s.duckdb"), "--scheduler", bare.address)
    assert_one_line_error(
        result, f"the Dask scheduler at {bare.address} cannot load the project's code (No module named 'analysis')",
        "pip install -e .", "restart `dask scheduler`",
    )
    assert "Mismatched versions" not in result.stderr  # Dask's table is left out when the line says it all


def test_a_worker_without_the_project_is_named(cluster, corpus, tmp_path):
    worker = cluster.start_worker(dask_without_project(tmp_path / "venv"))
    try:
        result = run_cli("ingest", str(corpus), "--store", str(tmp_path / "s.duckdb"), "--scheduler", cluster.address)
        address = cluster.worker_address(worker)
    finally:
        cluster.stop_worker(worker)
    assert_one_line_error(
        result, f"the Dask worker at {address} cannot load the project's code (", "No module named 'analysis'",
        "pip install -e .", "restart `dask worker`",
    )
    assert stored(tmp_path / "s.duckdb") == 0


def test_a_worker_with_other_code_is_named(cluster, corpus, tmp_path):
    """A worker whose checkout has another extract.py: another analyser version."""
    other = tmp_path / "other"
    shutil.copytree(ROOT / "analysis", other / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    (other / "data").symlink_to(ROOT / "data")
    with open(other / "analysis" / "extract.py", "a") as extract:
        extract.write("\n# another version of the extraction code\n")
    worker = cluster.start_worker(dask_without_project(tmp_path / "venv", checkout=other))
    try:
        result = run_cli("ingest", str(corpus), "--store", str(tmp_path / "s.duckdb"), "--scheduler", cluster.address)
        address = cluster.worker_address(worker)
    finally:
        cluster.stop_worker(worker)
    last = assert_one_line_error(result, f"the Dask worker at {address} runs analyser ", ", this machine ",
                                 "install the same checkout")
    assert "+code." in last
    assert stored(tmp_path / "s.duckdb") == 0


def test_an_unreachable_scheduler_is_named(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = run_cli_with({"CONNECT_TIMEOUT": "2s"}, "ingest", str(ROOT / "data" / "corpus"), "--store",
                          str(tmp_path / "s.duckdb"), "--scheduler", address)
    assert_one_line_error(result, f"cannot reach the Dask scheduler at {address}", "start `dask scheduler`")
    assert time.monotonic() - started < 30


def test_a_scheduler_without_workers_is_named(tmp_path):
    with local_cluster(tmp_path / "cluster", workers=0) as lonely:
        result = run_cli_with({"WORKER_WAIT": 2.0}, "ingest", str(ROOT / "data" / "corpus"), "--store",
                              str(tmp_path / "s.duckdb"), "--scheduler", lonely.address)
    assert_one_line_error(result, f"no Dask worker joined the scheduler at {lonely.address} in 2 s",
                          f"dask worker {lonely.address}")


def _kill_when_busy(cluster, victim, *, after_first: bool = False, timeout: float = 120) -> None:
    """SIGKILL ``victim``'s process group (as if its machine died) while it runs a partition; with
    ``after_first``, once the client has the result of its first partition and it runs another."""
    address = cluster.worker_address(victim)
    first = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = cluster.busy().get(address, [])
        first = first or (str(running[0]) if running else None)
        if running and (not after_first or (str(running[0]) != first and first not in cluster.tasks())):
            cluster.stop_worker(victim, sig=signal.SIGKILL)
            return
        time.sleep(0.05)
    raise AssertionError(f"{victim.name} never ran a partition")


def test_a_partition_lost_with_a_worker_runs_on_another(corpus, local_tables, tmp_path):
    with local_cluster(tmp_path / "cluster", workers=2) as both:
        store = tmp_path / "dask.duckdb"
        ingest = subprocess.Popen(
            [sys.executable, "-m", "analysis", "ingest", str(corpus), "--store", str(store), "--scheduler",
             both.address], cwd=ROOT, stderr=subprocess.PIPE, text=True,
        )
        try:
            _kill_when_busy(both, both.workers[1])
            stderr = ingest.communicate(timeout=300)[1]
        finally:
            ingest.kill()
        assert both.scheduler.log.read_text().count("Remove worker") == 1
    assert ingest.returncode == 0, stderr[-3000:]
    assert f"analysed {ARTICLES}," in stderr and "Traceback" not in stderr
    _ok(run_cli("export", "--store", str(store), "--out", str(tmp_path / "tables")))
    assert_same_tables(tmp_path / "tables", local_tables)


def test_when_every_worker_dies_the_run_stops_and_resumes(corpus, local_tables, tmp_path):
    """The only worker dies after its first partition: one line, the finished articles whole in the
    store and the others absent; with a worker again, the same command finishes the job."""
    store = tmp_path / "dask.duckdb"
    args = ["ingest", str(corpus), "--store", str(store)]
    with local_cluster(tmp_path / "cluster", workers=1) as one:
        code = (
            "import sys, analysis.cluster as cluster\ncluster.WORKER_WAIT = 3.0\n"
            "from analysis.__main__ import main\nsys.exit(main(sys.argv[1:]))\n"
        )
        ingest = subprocess.Popen([sys.executable, "-c", code, *args, "--scheduler", one.address], cwd=ROOT,
                                  stderr=subprocess.PIPE, text=True)
        try:
            _kill_when_busy(one, one.workers[0], after_first=True)
            stderr = ingest.communicate(timeout=120)[1]
        finally:
            ingest.kill()
        result = subprocess.CompletedProcess(ingest.args, ingest.returncode, "", stderr)
        assert_one_line_error(result, f"every Dask worker left the scheduler at {one.address}",
                              "articles not analysed", "run the command again")
        kept = stored(store)
        assert 0 < kept < ARTICLES
        one.start_worker()
        again = _ok(run_cli(*args, "--scheduler", one.address))
    assert f"analysed {ARTICLES - kept}, already analysed {kept}" in again.stderr
    _ok(run_cli("export", "--store", str(store), "--out", str(tmp_path / "tables")))
    assert_same_tables(tmp_path / "tables", local_tables)


def test_a_partition_that_kills_its_workers_is_named(corpus, tmp_path):
    """Dask gives up on a partition after ``allowed-failures`` worker deaths (3; 0 here, so one
    death is enough): one line, not Dask's KilledWorker traceback."""
    settings = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    with local_cluster(tmp_path / "cluster", workers=2, scheduler_env=settings) as fragile:
        ingest = subprocess.Popen(
            [sys.executable, "-m", "analysis", "ingest", str(corpus), "--store", str(tmp_path / "s.duckdb"),
             "--scheduler", fragile.address], cwd=ROOT, stderr=subprocess.PIPE, text=True,
        )
        try:
            _kill_when_busy(fragile, fragile.workers[1])
            stderr = ingest.communicate(timeout=300)[1]
        finally:
            ingest.kill()
    result = subprocess.CompletedProcess(ingest.args, ingest.returncode, "", stderr)
    assert_one_line_error(result, "was lost with every Dask worker that ran it", "see the workers' logs")
    stored(tmp_path / "s.duckdb")


def test_a_scheduler_lost_mid_run_is_named(corpus, tmp_path):
    with local_cluster(tmp_path / "cluster", workers=1) as doomed:
        ingest = subprocess.Popen(
            [sys.executable, "-m", "analysis", "ingest", str(corpus), "--store", str(tmp_path / "s.duckdb"),
             "--scheduler", doomed.address], cwd=ROOT, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.monotonic() + 120
            while not doomed.busy() and time.monotonic() < deadline:
                time.sleep(0.05)
            doomed.scheduler.stop(sig=signal.SIGKILL)
            stderr = ingest.communicate(timeout=120)[1]
        finally:
            ingest.kill()
    result = subprocess.CompletedProcess(ingest.args, ingest.returncode, "", stderr)
    assert_one_line_error(result, f"lost the Dask scheduler at {doomed.address} mid-run", "run the command again")
    stored(tmp_path / "s.duckdb")
