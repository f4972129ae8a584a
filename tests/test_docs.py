"""The README stays honest: every CSV column is in its data dictionary under the module that computes
its table, and the quick start is two commands."""

from __future__ import annotations

import importlib
import re

from analysis.angles import ANGLES
from analysis.rollup import ROLLUP
from analysis.schema import TABLES
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(table: str) -> str:
    section = re.search(rf"^### `{table}\.csv`\n(.*?)(?=^### |^## |\Z)", README, flags=re.M | re.S)
    assert section, f"README has no data dictionary section for {table}.csv"
    return section.group(1)


def _dictionary(table: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", _section(table), flags=re.M))


def _exists(dotted: str) -> bool:
    """``analysis.module.name`` names a module of the package, or something defined in one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


# CSVs only the dashboard downloads, beside the tables every export writes
DOWNLOADS = {"unique-angles": ANGLES, "rollup": ROLLUP}


def test_every_csv_column_is_documented():
    for table, columns in {**TABLES, **DOWNLOADS}.items():
        documented = _dictionary(table)
        assert set(columns) <= documented, f"{table}.csv: undocumented {sorted(set(columns) - documented)}"
        extra = sorted(documented - set(columns))
        assert documented <= set(columns), f"{table}.csv: documented but not written {extra}"


def test_every_table_names_the_code_that_computes_it():
    for table in {**TABLES, **DOWNLOADS}:
        first = _section(table).splitlines()[0]
        assert first.startswith("Computed by "), f"{table}.csv: no 'Computed by' line under its heading"
        names = re.findall(r"`(analysis(?:\.\w+)+)`", first)
        assert names, f"{table}.csv: its 'Computed by' line names no analysis module"
        missing = [name for name in names if not _exists(name)]
        assert not missing, f"{table}.csv: the README names code that does not exist: {missing}"


def test_quick_start_is_two_commands_that_exist():
    quick = re.search(r"## Quick start\n(.*?)\n## ", README, flags=re.S).group(1)
    commands = re.findall(r"^(make \w+)", quick, flags=re.M)
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_make_run_ingests_the_bundled_corpus_and_opens_its_store():
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), flags=re.M).group(1)
    lines = [line.strip() for line in recipe.splitlines()]
    assert lines[0] == "$(PY) -m analysis ingest $(CORPUS)"
    assert lines[1].startswith("$(PY) -m streamlit run dashboard.py") and lines[1].endswith("-- --store")
    assert re.search(r"^CORPUS \?= data/corpus$", (ROOT / "Makefile").read_text(), flags=re.M)
