"""The Dask backend: partitions as tasks on a Dask distributed cluster, and one line saying what
is wrong, and what to do, for each way a cluster fails.

Before anything is submitted, the cluster is checked, so a mistake in setting it up is named at
once rather than as a traceback from deep inside Dask:

1. the scheduler answers within ``CONNECT_TIMEOUT``;
2. the scheduler imports the project (it unpickles every task, so it needs the code as much as
   the workers do);
3. a worker joins within ``WORKER_WAIT``;
4. every worker imports the project and computes this machine's analyser version (the same code
   and spaCy model; the aliases travel with each task).

During the run, a worker that dies takes its partitions with it; Dask's scheduler runs them again
on the other workers (up to ``distributed.scheduler.allowed-failures`` deaths per partition, then
it gives up with ``KilledWorker``). ``retries=`` is not used: it re-runs a task that raised, and
an exception in the analysis is a bug that happens again (it propagates as one). A worker that
joins after the checks without the project cannot read its first task, and Dask drops it and runs
the task elsewhere; one with other code is refused by :func:`analysis.engine.iter_batches`, which
compares every batch's analyser version. When a partition has killed too many workers, when no
worker is left for ``WORKER_WAIT`` or when the scheduler goes away, the run stops with an
:class:`analysis.engine.EngineError`; what was yielded before stays valid (``ingest`` has written
it), and nothing half-done is yielded.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import time
import warnings
from collections.abc import Iterator, Sequence

import pandas as pd

from .aliases import Aliases
from .engine import Batch, EngineError, extract_partition, partitions
from .versions import __version__, analyser_version

CONNECT_TIMEOUT = "20s"  # to reach the scheduler
WORKER_WAIT = 30.0  # seconds without any worker (at the start or mid-run) before giving up
POLL = 1.0  # seconds between looks at the workers while waiting for results
RECIPE = "README, 'Running on several machines'"


def dask_batches(
    articles: pd.DataFrame, *, aliases: Aliases, scheduler: str, scorers: Sequence[str], size: int | None
) -> Iterator[Batch]:
    """:class:`analysis.engine.Batch` of each partition of ``articles`` (article_id, title, text),
    analysed on the cluster whose scheduler is at ``scheduler``, as each finishes (any order).
    Raises :class:`analysis.engine.EngineError` (a one-line message) when the cluster cannot run them."""
    with _client_logs_silenced():
        yield from _run(articles, aliases=aliases, scheduler=scheduler, scorers=scorers, size=size)


def _run(articles: pd.DataFrame, *, aliases: Aliases, scheduler: str, scorers: Sequence[str], size: int | None):
    client, warned = _connect(scheduler)
    futures: dict = {}
    try:
        _check_scheduler(client, scheduler)
        _wait_for_workers(client, scheduler)
        _check_workers(client, aliases)
        for warning in warned:  # e.g. Dask's table of package versions that differ, once all else is fine
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        workers = max(1, sum(client.nthreads().values()))
        for i, part in enumerate(partitions(articles, workers=workers, size=size)):
            # the aliases go with every task (a few KB): a copy scattered once would die with its workers
            task = client.submit(extract_partition, part, aliases=aliases, scorers=tuple(scorers), index=i, pure=False)
            futures[task] = len(part)
        yield from _results(client, futures, scheduler)
    finally:
        if futures:
            _quietly(client.cancel, list(futures))
        _quietly(client.close)


def scheduler_probe() -> str:
    """Run on the scheduler: unpickling this function imports the project, which is the check."""
    return __version__


def _connect(scheduler: str):
    from distributed import Client

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as error:
            raise EngineError(
                f"cannot reach the Dask scheduler at {scheduler} ({_line(error)}): start `dask scheduler` on "
                f"that machine, or check the address and that its port is open ({RECIPE})"
            ) from None
    return client, warned


def _check_scheduler(client, scheduler: str) -> None:
    try:
        client.run_on_scheduler(scheduler_probe)
    except Exception as error:  # anything: the scheduler could not run our code
        raise EngineError(
            f"the Dask scheduler at {scheduler} cannot load the project's code ({_line(error)}), and it unpickles "
            f"every task: {_install('the scheduler machine')} and restart `dask scheduler`"
        ) from None


def _wait_for_workers(client, scheduler: str) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except TimeoutError:
        raise EngineError(
            f"no Dask worker joined the scheduler at {scheduler} in {WORKER_WAIT:.0f} s: start workers with "
            f"`dask worker {scheduler} --nworkers auto --nthreads 1` ({RECIPE})"
        ) from None


def _check_workers(client, aliases: Aliases) -> None:
    expected = analyser_version(aliases)
    for worker, found in sorted(client.run(analyser_version, aliases, on_error="return").items()):
        if isinstance(found, BaseException):
            raise EngineError(
                f"the Dask worker at {worker} cannot load the project's code ({_line(found)}): "
                f"{_install('every worker machine')} and restart `dask worker`"
            )
        if found != expected:
            raise EngineError(
                f"the Dask worker at {worker} runs analyser {found}, this machine {expected}: install the same "
                "checkout (code and spaCy model) on every machine and restart `dask worker`"
            )


def _results(client, futures: dict, scheduler: str) -> Iterator[Batch]:
    """Yield each future's batch as it finishes; fail when no worker is left for ``WORKER_WAIT``."""
    finished: queue.SimpleQueue = queue.SimpleQueue()
    for future in futures:
        future.add_done_callback(finished.put)  # done, erred or cancelled
    alone_since = None
    while futures:
        try:
            future = finished.get(timeout=POLL)
        except queue.Empty:
            try:
                workers = len(client.nthreads())
            except Exception as error:
                raise _lost_scheduler(scheduler, error) from None
            alone_since = None if workers else (alone_since or time.monotonic())
            if alone_since is not None and time.monotonic() - alone_since > WORKER_WAIT:
                raise EngineError(
                    f"every Dask worker left the scheduler at {scheduler} and none came back in {WORKER_WAIT:.0f} "
                    f"s, {sum(futures.values())} articles not analysed: start workers (`dask worker {scheduler} "
                    "--nworkers auto --nthreads 1`) and run the command again (an ingest keeps what was finished)"
                ) from None
            continue
        batch = _result(future, futures.pop(future), scheduler)
        future.release()
        yield batch


def _result(future, articles: int, scheduler: str) -> Batch:
    """The future's batch; an error in the analysis itself (a bug) is raised as it is."""
    from distributed import KilledWorker
    from distributed.utils import CancelledError

    try:
        return future.result()
    except KilledWorker:
        raise EngineError(
            f"a partition of {articles} articles was lost with every Dask worker that ran it (they died while "
            "analysing it: out of memory? see the workers' logs): give the workers more memory, or run the command "
            "again (an ingest keeps what was finished)"
        ) from None
    except CancelledError as error:  # the scheduler went away and took the task with it
        raise _lost_scheduler(scheduler, error) from None


def _lost_scheduler(scheduler: str, error: BaseException) -> EngineError:
    return EngineError(
        f"lost the Dask scheduler at {scheduler} mid-run ({_line(error)}): restart it and "
        "its workers and run the command again (an ingest keeps what was finished)"
    )


@contextlib.contextmanager
def _client_logs_silenced() -> Iterator[None]:
    """The Dask client logs to stderr, tracebacks included, what the one-line errors here say
    (a lost scheduler, say, and again while closing): its handlers (Dask's logging configuration
    puts one on the ``distributed`` and ``tornado`` loggers) let nothing through during a run.
    The scheduler and workers keep their own logs."""
    import distributed  # noqa: F401  (importing it configures its logging, handlers included)

    handlers = {handler for name in ("distributed", "tornado") for handler in logging.getLogger(name).handlers}
    for handler in handlers:
        handler.addFilter(_nothing)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(_nothing)


def _nothing(record: logging.LogRecord) -> bool:
    return False


def _install(where: str) -> str:
    return f"install the checkout on {where} (`pip install -e .` in it; {RECIPE})"


def _line(error: BaseException) -> str:
    """The first line of an exception's message (Dask's can run over several); for an import
    error relayed by Dask (``Exception('ModuleNotFoundError("No module named …")')``) just that."""
    text = str(error).strip()
    missing = re.search(r"No module named '[^']+'", text)
    if missing:
        return missing.group(0)
    return text.splitlines()[0].strip() if text else type(error).__name__


def _quietly(call, *args) -> None:
    try:
        call(*args)
    except Exception:  # closing a client whose scheduler is gone: nothing left to clean up
        pass
