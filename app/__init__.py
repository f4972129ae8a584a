"""The Coverage Lens dashboard's parts; ``dashboard.py`` at the top level runs them.

- ``options``: the command line after Streamlit's ``--`` (corpus, store, full limit).
- ``data``: cached data access: files, uploads, the store, a selection's tables (``LazyTables``).
- ``sidebar``: the filters, the sentiment engine, key messages, uploads and what loading said.
- ``widgets``: what every view draws the same way: tables, charts, CSV downloads, notes.
- ``page``: one run: the corpus or the store, the sidebar's choice, the header and the open tab.
- ``views``: one module per tab, each a function of the tables and the chosen filters.
"""
