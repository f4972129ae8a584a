"""The processor this process may use: how many cores, and BLAS held to one thread.

Both the per-article step (:mod:`analysis.engine`, spaCy in worker processes) and the
comparison step (:mod:`analysis.align`, a thread per story) size their workers by
:func:`cores` and run numpy's matrix products with :func:`one_blas_thread`: OpenBLAS's own
threads would otherwise fight the workers for the same cores.
"""

from __future__ import annotations

import os

from threadpoolctl import threadpool_limits


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def one_blas_thread() -> threadpool_limits:
    """A context in which BLAS uses one thread (restored on exit)."""
    return threadpool_limits(limits=1, user_api="blas")
