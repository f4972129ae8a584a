"""Running the per-article step (``extract`` plus sentence tone) on every core or on a Dask cluster.

The articles are cut into partitions; each partition is analysed by one worker, which loads the
spaCy pipeline once per process (``analysis.nlp.load_pipeline`` is cached) and returns a
:class:`Batch`. Partitions are independent, so concatenating their results in input order gives
exactly what ``extract`` gives for the whole table.

- ``backend="local"``: a pool of ``jobs`` worker processes on this machine (``jobs=None``: every
  core). Small inputs (one partition) run in this process: spawning workers and loading the
  model in each costs a few seconds, more than analysing a handful of articles.
- ``backend="dask"``: the partitions become tasks on a Dask distributed cluster (``scheduler`` is
  its address, e.g. ``tcp://10.0.0.5:8786``; :mod:`analysis.cluster` checks the cluster first and
  says what is wrong with it). The workers need the same code and models: each batch carries the
  analyser version computed on its worker, and :func:`iter_batches` refuses a batch whose version
  differs from this machine's, so results from another code base never mix in.

Sentence tone is computed in the workers too, for every sentiment scorer in ``scorers``: the store
keeps it, so switching the scorer later costs nothing.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

import pandas as pd

from .aliases import Aliases
from .cpu import cores
from .extract import Extracted, extract
from .nlp import load_pipeline
from .schema import ENTITY_TONE, EXTRACTED, TONES
from .sentiment import SCORERS, score_texts
from .tone import mention_tones, warm_tone_model
from .versions import analyser_version, scorer_version

BACKENDS = ("local", "dask")


class EngineError(RuntimeError):
    """The engine cannot run as asked (unknown backend, unreachable scheduler, version mismatch)."""


@dataclass(frozen=True)
class Batch:
    """The per-article results of one partition.

    - ``extracted``: ``analysis.extract.Extracted`` for the partition's articles
    - ``tones``: ``analysis.schema.TONES`` (one row per sentence and sentiment scorer; ``scorer``
      is :func:`analysis.versions.scorer_version` of the scorer)
    - ``analyser``: :func:`analysis.versions.analyser_version` on the machine that computed it
    - ``index``: the partition's position in the input
    """

    extracted: Extracted
    tones: pd.DataFrame
    analyser: str
    index: int
    # ``analysis.schema.ENTITY_TONE`` per row of ``extracted.mentions`` (``analysis.tone``), or None
    mention_tones: pd.DataFrame | None = None


def extract_partition(
    articles: pd.DataFrame, *, aliases: Aliases, scorers: Sequence[str] = SCORERS, index: int = 0
) -> Batch:
    """Analyse one partition (columns article_id, title, text) in this process."""
    extracted = extract(articles, aliases=aliases)
    tones = tone_table(extracted.sentences, scorers=scorers)
    # the tone toward each mention rides on the mentions (columns tone, tone_score), for the
    # store to key by the tone model's version
    # the tone toward each mention, when sentence tones are asked for (an ingest, not run_extract)
    toward = mention_tones(extracted.sentences, extracted.mentions) if scorers else None
    return Batch(extracted=extracted, tones=tones, analyser=analyser_version(aliases), index=index,
                 mention_tones=toward)


def tone_table(sentences: pd.DataFrame, *, scorers: Sequence[str] = SCORERS) -> pd.DataFrame:
    """The tone of each sentence (``article_id``, ``position``, ``text``) by each scorer:
    DataFrame[``analysis.schema.TONES``], scorer by scorer, ``scorer`` being
    :func:`analysis.versions.scorer_version`. Does not mutate ``sentences``."""
    tones = [
        score_texts(sentences["text"], scorer=scorer).assign(
            article_id=sentences["article_id"].to_numpy(),
            position=sentences["position"].to_numpy(),
            scorer=scorer_version(scorer),
        )[TONES]
        for scorer in scorers
    ]
    return pd.concat(tones, ignore_index=True) if tones else pd.DataFrame(columns=TONES)


def iter_tones(
    parts: Iterable[pd.DataFrame], *, scorers: Sequence[str] = SCORERS, jobs: int | None = None
) -> Iterator[pd.DataFrame]:
    """:func:`tone_table` of each part of sentences, in order, on ``jobs`` processes (None: every
    core). Parts are read from ``parts`` only as workers free up (at most two per worker wait)."""
    workers = jobs if jobs is not None else cores()
    if workers == 1:
        yield from (tone_table(part, scorers=scorers) for part in parts)
        return
    context = multiprocessing.get_context(_start_method())
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        queued: list = []
        for part in parts:
            queued.append(pool.submit(tone_table, part, scorers=tuple(scorers)))
            if len(queued) >= 2 * workers:
                yield queued.pop(0).result()
        for future in queued:
            yield future.result()


MAX_PARTITION = 200  # articles: bounds a batch's memory and the work lost to an interruption
MIN_PARTITION = 4


def partition_sizes(n: int, *, workers: int) -> list[int]:
    """Sizes of the partitions of ``n`` articles for ``workers`` workers, largest first.

    Guided self-scheduling: each partition takes a ``2 * workers``-th of what is left (between
    ``MIN_PARTITION`` and ``MAX_PARTITION``), so the last partitions are small and every worker
    finishes at about the same time instead of one waiting for the other's last large partition.
    Up to ``2 * MIN_PARTITION`` articles make one partition (analysed in the calling process).

    >>> partition_sizes(300, workers=2)
    [75, 57, 42, 32, 24, 18, 13, 10, 8, 6, 4, 4, 4, 3]
    >>> partition_sizes(10, workers=1), partition_sizes(8, workers=2)
    ([5, 4, 1], [8])
    """
    if n <= 2 * MIN_PARTITION:
        return [n] if n else []
    sizes = []
    left = n
    while left > 0:
        size = min(left, MAX_PARTITION, max(MIN_PARTITION, math.ceil(left / (2 * workers))))
        sizes.append(size)
        left -= size
    return sizes


def partitions(articles: pd.DataFrame, *, workers: int, size: int | None = None) -> list[pd.DataFrame]:
    """Cut ``articles`` into consecutive partitions: of ``size`` articles each when given, else of
    :func:`partition_sizes` (shrinking towards the end, for load balance)."""
    n = len(articles)
    if n == 0:
        return []
    sizes = [size] * math.ceil(n / size) if size is not None else partition_sizes(n, workers=workers)
    starts = [0, *itertools.accumulate(sizes)][: len(sizes)]
    return [articles.iloc[start : start + length] for start, length in zip(starts, sizes, strict=True)]


def _warm(names: tuple[str, ...], tones: bool = False) -> None:
    """Worker initialiser: load the pipeline once, before the first partition arrives (and, for
    an ingest, the entity-tone model and the static vectors it reads: 0.5 s a worker otherwise)."""
    load_pipeline(names)
    if tones:
        warm_tone_model()


def iter_batches(
    articles: pd.DataFrame,
    *,
    aliases: Aliases,
    jobs: int | None = None,
    backend: str = "local",
    scheduler: str | None = None,
    scorers: Sequence[str] = SCORERS,
    partition_size: int | None = None,
) -> Iterator[Batch]:
    """Yield one :class:`Batch` per partition of ``articles`` as soon as it is done (any order).

    ``jobs``: worker processes for ``backend="local"`` (None: every core). ``scheduler``: the Dask
    scheduler's address, required for ``backend="dask"``. ``scorers``: the sentiment scorers
    whose tones the workers compute too. Does not mutate ``articles``.
    """
    if backend not in BACKENDS:
        raise EngineError(f"unknown engine {backend!r}; choose one of {', '.join(BACKENDS)}")
    if jobs is not None and jobs < 1:
        raise EngineError("jobs must be at least 1")
    columns = articles[["article_id", "title", "text"]]
    expected = analyser_version(aliases)
    if backend == "dask":
        if not scheduler:
            raise EngineError("the dask engine needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        from .cluster import dask_batches  # imports this module

        batches = dask_batches(columns, aliases=aliases, scheduler=scheduler, scorers=scorers, size=partition_size)
    else:
        workers = jobs if jobs is not None else cores()
        parts = partitions(columns, workers=workers, size=partition_size)
        if workers == 1 or len(parts) <= 1:
            batches = (
                extract_partition(part, aliases=aliases, scorers=scorers, index=i) for i, part in enumerate(parts)
            )
        else:
            batches = _pool_batches(parts, aliases=aliases, workers=min(workers, len(parts)), scorers=scorers)
    for batch in batches:
        if batch.analyser != expected:
            raise EngineError(
                f"a worker runs analyser {batch.analyser}, this machine {expected}: install the same code, "
                "model and aliases on every worker"
            )
        yield batch


def _start_method() -> str:
    """``fork`` when this process runs no other Python thread, else ``spawn``.

    Forked workers inherit the imported modules and the loaded pipeline (measured: 300 articles
    on 2 workers in 13.6 s instead of 15.6 s); forking a program that runs threads (a Streamlit
    server) can deadlock the child, so those get a clean interpreter per worker.
    """
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _pool_batches(
    parts: list[pd.DataFrame], *, aliases: Aliases, workers: int, scorers: Sequence[str]
) -> Iterator[Batch]:
    method = _start_method()
    if method == "fork":
        _warm(aliases.names, bool(scorers))  # once here, inherited by every worker
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_warm, initargs=(aliases.names, bool(scorers))
    ) as pool:
        pending = {
            pool.submit(extract_partition, part, aliases=aliases, scorers=tuple(scorers), index=i)
            for i, part in enumerate(parts)
        }
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()


def concat_batches(batches: Iterable[Batch]) -> tuple[Extracted, pd.DataFrame]:
    """Join batches back in partition order: ``(Extracted, tones)`` as for the whole input."""
    ordered = sorted(batches, key=lambda b: b.index)

    def join(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)

    extracted = Extracted(**{
        name: join([getattr(b.extracted, name) for b in ordered], columns) for name, columns in EXTRACTED.items()
    })
    return extracted, join([b.tones for b in ordered], TONES)


def concat_mention_tones(batches: Iterable[Batch]) -> pd.DataFrame | None:
    """The batches' ``mention_tones`` in partition order (rows as :func:`concat_batches`' mentions),
    or None when a batch has none."""
    ordered = sorted(batches, key=lambda b: b.index)
    if any(b.mention_tones is None for b in ordered):
        return None
    frames = [b.mention_tones for b in ordered if len(b.mention_tones)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ENTITY_TONE)


def run_extract(articles: pd.DataFrame, *, aliases: Aliases, **options) -> Extracted:
    """``extract`` on every core or on a Dask cluster; equal to ``extract(articles, aliases=aliases)``.
    ``options``: ``jobs``, ``backend``, ``scheduler`` and ``partition_size`` of :func:`iter_batches`."""
    extracted, _ = concat_batches(iter_batches(articles, aliases=aliases, scorers=(), **options))
    return extracted
