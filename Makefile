# The two commands of the README: `make run` (dashboard on the bundled corpus) and `make test`.
# Each sets up what it needs by itself: a virtual environment in .venv with the project installed
# editable (pip install -e .), its pinned requirements.txt as dependencies. Editable, because the
# package reads its reference files from data/ beside it and the checkout is what runs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=
# `make run` analyses these into the default store (data/store/, only what it lacks), then opens it
CORPUS ?= data/corpus

.PHONY: run test export bench browser screenshot clean

$(VENV)/.runtime: pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The store keeps every article's analysis between runs: the second `make run` analyses nothing and
# the dashboard's first page needs no language model. ARGS: Streamlit's options (--server.port 8502).
run: $(VENV)/.runtime
	$(PY) -m analysis ingest $(CORPUS)
	$(PY) -m streamlit run dashboard.py $(ARGS) -- --store

browser:
	@bash scripts/ensure-chromium.sh

# lint first: CI runs this target, so it fails on lint too
test: $(VENV)/.dev browser
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(ARGS)

# the README's screenshot: the browser test saves the Overview of the bundled corpus, this keeps it
screenshot: $(VENV)/.dev browser
	rm -f tests/artifacts/dashboard.png
	COVERAGE_LENS_REQUIRE_BROWSER=1 $(PY) -m pytest -q tests/test_browser.py -k test_filter_download_and_screenshots
	mkdir -p docs
	cp tests/artifacts/dashboard.png docs/dashboard.png

export: $(VENV)/.runtime
	$(PY) -m analysis export --out out $(ARGS)

bench: $(VENV)/.dev
	$(PY) -m bench.bench $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis out *.egg-info
