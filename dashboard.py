"""Coverage Lens dashboard: ``streamlit run dashboard.py [-- --data PATH ...]``.

A thin UI over the ``analysis`` package: load (cached), filter with the sidebar's widgets, call
``analysis.select`` and ``analysis.build_tables``, render. The expensive spaCy step (``extract``)
is cached per corpus and per uploaded article, sentiment per engine, and the tables per selection,
so a filter change recomputes only the selection's aggregates. The parts live in ``app/``: the
command line (``options``), cached data access (``data``), the sidebar, shared widgets, one run of
the page (``page``) and one module per tab (``views``).

``-- --store PATH`` reads a store (``python -m analysis ingest``). A store of at most ``FULL_LIMIT``
(500) analysed articles loads whole, as a corpus of files does. A bigger one is read per selection:
a selection of at most ``FULL_LIMIT`` articles loads whole (every table equal to the CLI's); a bigger
selection takes its Overview, Entities and per-outlet/per-entity tone from ``Store.articles_table``
and ``Store.entity_table`` (aggregated inside DuckDB), and its sentence-level views (tone arc,
sentences, mentions, Emphasis, the reader, and their downloads, named ``*-recent.csv``) from its
``FULL_LIMIT`` most recent articles, saying so on each. Change the limit with ``-- --full-limit N``
or the environment variable ``COVERAGE_LENS_FULL_LIMIT=N``. Uploads are off for a large store.
"""

import sys

from app.page import main

if __name__ == "__main__":
    main(sys.argv)
