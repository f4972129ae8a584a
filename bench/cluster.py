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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def project_dask() -> list[str]:
    """The ``dask`` command where the project is installed: this interpreter's (``.venv/bin/dask``)."""
    return [str(Path(sys.executable).parent / "dask")]


def dask_without_project(folder: Path) -> list[str]:
    """A Python with every dependency of the project but not the project itself: a virtual
    environment in ``folder`` that sees this environment's site-packages through a ``.pth`` line,
    which does not run that folder's own ``.pth`` files, so the editable install's import hook
    (``__editable__.coverage_lens-*.pth``) is not there. This is a machine set up with
    ``pip install -r requirements.txt`` and not ``pip install -e .``: the issue's scheduler."""
    import site
    import sysconfig

    if not (folder / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=60)
    ours = sysconfig.get_paths()["purelib"]
    theirs = subprocess.run(
        [str(folder / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()
    Path(theirs, "dependencies.pth").write_text(ours + "\n" + "\n".join(site.getsitepackages()) + "\n")
    return [str(folder / "bin" / "python"), "-m", "dask"]


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

    def start_worker(self, dask: Sequence[str] | None = None, *, wait: bool = True, timeout: float = 60) -> Process:
        """Start one more ``dask worker`` (the ``dask`` command given, default the project's)
        and, with ``wait``, return once the scheduler counts it."""
        expected = len(self.workers) + 1
        name = f"worker{len(self.workers) + 1}"
        command = [*(dask or project_dask()), "worker", self.address, "--nworkers", "1", "--nthreads", "1"]
        worker = _start(name, command, self.folder)
        self.workers.append(worker)
        if wait:
            self.wait_for_workers(expected, timeout=timeout)
        return worker

    def wait_for_workers(self, n: int, *, timeout: float = 60) -> None:
        from distributed import Client

        deadline = time.monotonic() + timeout
        with Client(self.address, timeout=f"{timeout}s", set_as_default=False) as client:
            while len(client.scheduler_info(n_workers=-1)["workers"]) < n:
                dead = [w for w in self.workers if w.popen.poll() is not None]
                if dead or time.monotonic() > deadline:
                    logs = "\n".join(f"--- {w.name}\n{w.tail()}" for w in self.workers)
                    raise RuntimeError(f"{n} worker(s) did not join {self.address} in {timeout} s:\n{logs}")
                time.sleep(0.1)

    def busy_workers(self) -> list[str]:
        """Addresses of the workers running a task now."""
        from distributed import Client

        with Client(self.address, timeout="10s", set_as_default=False) as client:
            return [address for address, keys in client.processing().items() if keys]

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            process.stop()


def _start(name: str, command: list[str], folder: Path) -> Process:
    log = folder / f"{name}.log"
    with open(log, "wb") as out:
        popen = subprocess.Popen(command, cwd=folder, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 start_new_session=True, preexec_fn=_die_with_parent)
    return Process(name, popen, log)


@contextlib.contextmanager
def local_cluster(
    folder: Path,
    *,
    workers: int = 2,
    scheduler_dask: Sequence[str] | None = None,
    worker_dask: Sequence[str] | None = None,
    timeout: float = 60,
) -> Iterator[Cluster]:
    """``dask scheduler --host 127.0.0.1 --port PORT`` and ``workers`` x ``dask worker ADDRESS
    --nworkers 1 --nthreads 1`` (``scheduler_dask``/``worker_dask``: the ``dask`` command to run,
    default :func:`project_dask`), run from ``folder`` (outside the checkout, so what they import
    comes from the installed package) with logs there; stopped when the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    address = f"tcp://{HOST}:{port}"
    command = [*(scheduler_dask or project_dask()), "scheduler", "--host", HOST, "--port", str(port)]
    cluster = Cluster(address, folder, _start("scheduler", command, folder))
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
