"""The persistent store: an embedded DuckDB file holding articles and their per-article results.

Default path ``data/store/coverage.duckdb`` (ignored by git); any other with ``--store PATH``.

What is kept, and when an article is analysed again
- ``articles``: one row per ``article_id`` (the loaders' content hash) with its metadata and text.
  Ingesting an article again updates its metadata (the latest copy wins) and never re-analyses it
  unless its headline or exact text changed.
- ``analysed`` / ``sentences`` / ``mentions``: the output of ``extract``, keyed by article_id and
  the analyser version (:func:`analysis.versions.analyser_version`: package version, spaCy model,
  extraction code, aliases), fixed when the store is opened. A new analyser (say, an edited
  ``data/aliases.csv``) analyses every article again on the next ingest or export; the old
  results stay until :meth:`Store.prune`.
- ``tones``: sentence tone per sentiment scorer (:func:`analysis.versions.scorer_version`),
  computed by the workers at ingest, so switching scorers is free. Tones missing for a scorer's
  current version (a new TextBlob or VADER, an edited ``sentiment.py``) are scored on read, and
  stored by :meth:`Store.rescore`: the next ingest of those articles, or ``ingest`` with no
  SOURCE for the whole store, calls it. ``article_tones``: their mean per article, as
  ``apply_sentiment`` computes it.
- ``article_entities``: the mentions pre-aggregated per article, entity, label and scorer
  (``analysis.entities.ARTICLE_ENTITIES_SQL``); the entities table of any selection is a
  group-by over these rows (``analysis.entities.ENTITIES_SQL``).

The package's layers: :mod:`.file` (the file, its locks, linger and transactions), :mod:`.query`
(a ``Selection`` in, tables out), :mod:`.index` (the story index in tables: read for an ingest's
candidates, appended to) and :mod:`.write` (ingest, rescore and writes: the only one that runs the
engine).
"""

from .file import DEFAULT_STORE, SCHEMA_VERSION, StoreError, StoreReadOnly
from .write import IngestReport, Store, input_hash, open_store

__all__ = [
    "DEFAULT_STORE", "SCHEMA_VERSION", "IngestReport", "Store", "StoreError", "StoreReadOnly", "input_hash",
    "open_store",
]
