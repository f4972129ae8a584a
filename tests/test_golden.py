"""Golden tables: ``export`` of the bundled corpus and of the test fixtures gives the same CSVs, byte
for byte, as the commit the golden files were written at (8b1c4a6, before the house-in-order
refactor). A change that means to alter a table regenerates its folder with the command in
``CASES`` (run from the project root) and says why in its commit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden"

CASES = {
    "bundled": ["data/corpus", "--messages", "tests/data/golden/messages.txt"],
    "bundled_vader": ["data/corpus", "--sentiment", "vader"],
    "formats": ["tests/data/formats"],
    "stories": ["tests/data/stories/stories.csv"],
    "hostile": ["tests/data/hostile"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_export_matches_golden_tables(case, tmp_path):
    out = tmp_path / case
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "export", *CASES[case], "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    expected = sorted(p.name for p in (GOLDEN / case).glob("*.csv"))
    assert sorted(p.name for p in out.glob("*.csv")) == expected
    for name in expected:
        assert (out / name).read_bytes() == (GOLDEN / case / name).read_bytes(), f"{case}/{name} differs"
