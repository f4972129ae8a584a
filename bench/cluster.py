"""A Dask cluster on this machine started as the README's recipe says: ``dask scheduler`` and
``dask worker`` as separate processes on 127.0.0.1, for the end-to-end tests and the benchmark.

    python -m bench.cluster --workers 2     # start one, print its address, stop it on Ctrl-C

Each worker is one ``dask worker ADDRESS --nworkers 1 --nthreads 1`` process (what the recipe's
``--nworkers auto`` gives on a one-core machine), so two of them stand for two machines. Every
process runs in its own session, logs to a file, gets SIGTERM when the process that started it
dies (Linux), and is stopped (its whole process group) when the ``with`` block ends, even on an
error. Starting waits at most ``timeout`` seconds for the scheduler's port and its workers.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
# the README's recipe ('Running on several machines'), which fills these in with 0.0.0.0, 8786,
# tcp://SCHEDULER:8786 and auto; here the loopback address, a free port and one process per worker
SCHEDULER_ARGS = ("scheduler", "--host", "{host}", "--port", "{port}")
WORKER_ARGS = ("worker", "{address}", "--nworkers", "{nworkers}", "--nthreads", "1")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def project_dask() -> list[str]:
    """The ``dask`` command where the project is installed: this interpreter's (``.venv/bin/dask``)."""
    return [str(Path(sys.executable).parent / "dask")]


def dask_without_project(folder: Path, *, checkout: Path | None = None) -> list[str]:
    """The ``dask`` command of a Python with every dependency of the project but not the project:
    a virtual environment in ``folder`` that sees this environment's site-packages through a
    ``.pth`` line, which does not run that folder's own ``.pth`` files, so the editable install's
    import hook is not there. A machine set up with ``pip install -r requirements.txt`` and not
    ``pip install -e .``: the issue's scheduler. With ``checkout``, the environment imports the
    package of that folder instead (another copy of the project: other code). Takes 0.2 s."""
    import site
    import sysconfig

    python = folder / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=60)
    theirs = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()
    paths = [*([str(checkout)] if checkout else []), sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    Path(theirs, "dependencies.pth").write_text("\n".join(paths) + "\n")
    return [str(python), "-m", "dask"]


try:  # loaded here: the child calls it between fork and exec, where importing is unsafe
    import ctypes

    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
except (ImportError, OSError, AttributeError):  # not Linux
    _PRCTL = None


def _die_with_parent() -> None:
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: SIGTERM when the process that started it dies


@dataclass
class Process:
    """One command of the recipe, running: its ``popen``, its ``log`` file and what it is."""

    name: str
    popen: subprocess.Popen
    log: Path

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, *, sig: int = signal.SIGTERM, grace: float = 10.0) -> None:
        """Signal the process group (the nanny and its worker too); SIGKILL after ``grace`` s."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)  # what is left of the group, if anything
        self.popen.wait()


@dataclass
class Cluster:
    """A running local cluster: the scheduler's ``address``, its processes and their logs in ``folder``."""

    address: str
    folder: Path
    scheduler: Process
    workers: list[Process] = field(default_factory=list)

    client: object = None  # a distributed.Client to look at the cluster, made when first needed

    def start_worker(
        self, dask: Sequence[str] | None = None, *, env: dict[str, str] | None = None, wait: bool = True,
        timeout: float = 60,
    ) -> Process:
        """Start one more ``dask worker`` (the ``dask`` command given, default the project's; ``env``:
        more environment variables) and, with ``wait``, return once the scheduler counts it."""
        name = f"worker{len(self.workers) + 1}"
        command = [*(dask or project_dask()), *_fill(WORKER_ARGS, address=self.address, nworkers=1)]
        worker = _start(name, command, self.folder, env)
        self.workers.append(worker)
        if wait:
            self.wait_for_workers(len(self.running()), timeout=timeout)
        return worker

    def stop_worker(self, worker: Process, *, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        """Stop ``worker`` (SIGKILL: as if its machine died) and wait until the scheduler lets it go."""
        worker.stop(sig=sig)
        self.wait_for_workers(len(self.running()), timeout=timeout)

    def running(self) -> list[Process]:
        return [w for w in self.workers if w.popen.poll() is None]

    def look(self):
        """The cluster's client (for the harness: ``processing()``, ``scheduler_info()``)."""
        if self.client is None:
            from distributed import Client

            self.client = Client(self.address, timeout="30s", set_as_default=False)
        return self.client

    def wait_for_workers(self, n: int, *, timeout: float = 60) -> None:
        """Until the scheduler counts exactly ``n`` workers; fails with their logs after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while len(self.look().scheduler_info(n_workers=-1)["workers"]) != n:
            if time.monotonic() > deadline:
                logs = "\n".join(f"--- {w.name}\n{w.tail()}" for w in self.workers)
                raise RuntimeError(f"{self.address} did not count {n} worker(s) in {timeout} s:\n{logs}")
            time.sleep(0.1)

    def busy(self) -> dict[str, list]:
        """The tasks each worker is running now, by worker address (only busy workers)."""
        return {address: keys for address, keys in self.look().processing().items() if keys}

    def tasks(self) -> dict[str, str]:
        """The scheduler's tasks and their states (a task is forgotten once its client let it go)."""
        def states(dask_scheduler) -> dict[str, str]:  # local: pickled by value, the scheduler lacks bench/
            return {str(key): task.state for key, task in dask_scheduler.tasks.items()}

        return self.look().run_on_scheduler(states)

    def worker_address(self, worker: Process) -> str:
        """The address ``worker`` listens on, from its log."""
        for line in worker.log.read_text(errors="replace").splitlines():
            if "Start worker at:" in line:
                return line.rsplit(" ", 1)[-1].strip()
        raise RuntimeError(f"{worker.name} has not started:\n{worker.tail()}")

    def stop(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
        for process in [*self.workers, self.scheduler]:
            process.stop()


def _fill(template: Sequence[str], **values: object) -> list[str]:
    return [part.format(**values) for part in template]


def _start(name: str, command: list[str], folder: Path, env: dict[str, str] | None = None) -> Process:
    log = folder / f"{name}.log"
    with open(log, "wb") as out:
        popen = subprocess.Popen(command, cwd=folder, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 env={**os.environ, **(env or {})}, start_new_session=True,
                                 preexec_fn=_die_with_parent)
    return Process(name, popen, log)


@contextlib.contextmanager
def local_cluster(
    folder: Path,
    *,
    workers: int = 2,
    scheduler_dask: Sequence[str] | None = None,
    worker_dask: Sequence[str] | None = None,
    scheduler_env: dict[str, str] | None = None,
    timeout: float = 60,
) -> Iterator[Cluster]:
    """``dask scheduler --host 127.0.0.1 --port PORT`` and ``workers`` x ``dask worker ADDRESS
    --nworkers 1 --nthreads 1`` (``scheduler_dask``/``worker_dask``: the ``dask`` command to run,
    default :func:`project_dask`; ``scheduler_env``: more environment variables for the scheduler,
    e.g. Dask settings), run from ``folder`` (outside the checkout, so what they import
    comes from the installed package) with logs there; stopped when the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    address = f"tcp://{HOST}:{port}"
    command = [*(scheduler_dask or project_dask()), *_fill(SCHEDULER_ARGS, host=HOST, port=port)]
    cluster = Cluster(address, folder, _start("scheduler", command, folder, scheduler_env))
    try:
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            if cluster.scheduler.popen.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the scheduler did not start in {timeout} s:\n{cluster.scheduler.tail()}")
            time.sleep(0.1)
        for _ in range(workers):
            cluster.start_worker(worker_dask, wait=False)
        if workers:
            cluster.wait_for_workers(workers, timeout=max(1.0, deadline - time.monotonic()))
        yield cluster
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/coverage-lens-cluster"))
    args = parser.parse_args(argv)
    with local_cluster(args.folder, workers=args.workers) as cluster:
        print(f"scheduler {cluster.address}, {args.workers} workers; logs in {args.folder}; Ctrl-C stops them",
              flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
