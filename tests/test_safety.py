"""Hostile input through the CLI: every good article kept, every skip explained, no formula in any CSV."""

from __future__ import annotations

import csv

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis import neutralise, to_csv_bytes
from analysis.schema import TABLES
from tests.helpers import ROOT
from tests.helpers import run_cli as run

HOSTILE = ROOT / "tests" / "data" / "hostile"
INJECTION = ROOT / "tests" / "data" / "injection"
NUMERIC = {"words", "sentences", "polarity", "subjectivity", "repairs", "position", "paragraph", "start", "end",
           "best_match", "matched_position", "sentence", "mentions", "articles", "share", "emphasis",
           "first_seen", "count", "z", "similarity", "tone_score", "negative_mentions", "positive_mentions",
           "tone_low", "tone_high"}
# ``tone`` is a number in entities.csv (a mean) and a word in mentions.csv
NUMERIC_IN = {"entities": {"tone"}}


def test_hostile_folder_keeps_the_good_and_explains_the_bad(tmp_path):
    result = run("export", str(HOSTILE), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("binary.md", "empty.md", "missing_outlet.md", "bad_yaml.md"):
        assert any(name in line for line in result.stderr.splitlines() if line.startswith("skipped")), name
    assert any(line.startswith("duplicate") and "article_copy.md" in line for line in result.stderr.splitlines())
    articles = pd.read_csv(tmp_path / "articles.csv", keep_default_na=False)
    assert len(articles) == 23  # the good articles of the fixture folder, duplicates once
    assert articles["article_id"].is_unique


def test_strict_turns_a_skip_into_exit_2(tmp_path):
    result = run("export", str(HOSTILE), "--strict", "--out", str(tmp_path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_no_csv_cell_can_run_as_a_formula(tmp_path):
    result = run("export", str(INJECTION), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in TABLES:
        with open(tmp_path / f"{name}.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            for column, value in row.items():
                if (column in NUMERIC or column in NUMERIC_IN.get(name, ())) and value != "":
                    float(value)  # numbers stay numbers, negative ones included
                elif value:
                    assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, column, value)
    articles = pd.read_csv(tmp_path / "articles.csv", keep_default_na=False)
    assert set(articles["outlet"]) == {"'=HYPERLINK(\"http://evil.example\",\"click\")", "Plain Daily"}
    assert "'@SUM(1+1)" in set(articles["title"])
    sentences = pd.read_csv(tmp_path / "sentences.csv", keep_default_na=False)
    assert "'-2+3 is what the spreadsheet would compute." in set(sentences["text"])


INVISIBLE = '"\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff'


def _formula(text: str) -> bool:
    """A spreadsheet may run it: a formula sign first, or after quotes, spaces or invisible characters."""
    if text.startswith(("=", "+", "-", "@", "\t", "\r")):
        return True
    rest = text.lstrip()
    while rest and (rest[0] in INVISIBLE or rest[0].isspace()):
        rest = rest[1:]
    return rest.startswith(("=", "+", "-", "@", "＝", "＋", "－", "＠"))


@given(st.lists(st.one_of(st.text(max_size=12), st.text(st.sampled_from(' "=+-@\t\u200b＝＠a1'), max_size=5),
                          st.floats(allow_nan=False), st.integers()), min_size=1, max_size=8))
def test_neutralise_prefixes_only_formula_text(values):
    table = pd.DataFrame({"v": pd.Series(values, dtype=object)})
    out = neutralise(table)
    for before, after in zip(values, out["v"], strict=True):
        if isinstance(before, str) and _formula(before):
            assert after == "'" + before
        else:
            assert after == before
    assert table["v"].tolist() == values  # input untouched


def test_csv_bytes_keep_negative_numbers_numeric():
    data = to_csv_bytes(pd.DataFrame({"polarity": [-0.5, 0.25], "text": ["-bad", "good"]})).decode()
    assert data.splitlines() == ["polarity,text", "-0.5,'-bad", "0.25,good"]


# --- formulas behind a quote, in full width, or after a zero-width space -------------------------------


def test_no_cell_runs_as_a_formula_behind_a_quote_or_in_full_width(tmp_path):
    result = run("export", str(HOSTILE / "formulas.csv"), str(HOSTILE / "article.md"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    seen = set()
    for name in TABLES:
        with open(tmp_path / f"{name}.csv", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column, value in row.items():
                    if column not in NUMERIC and column not in NUMERIC_IN.get(name, ()):
                        assert not _formula(value), (name, column, value)
                        seen.add(value)
    assert {"'＝HYPERLINK(\"http://evil.example\",\"click\")", "'\u200b=1+2", "'\"=cmd|' /C calc'!A0"} <= seen
    assert any(value.startswith("'\"=2+3\" is what") for value in seen)  # a sentence
