"""The CLI end to end, as a user runs it: a subprocess, real files, exit codes, CSVs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.schema import TABLES
from tests.helpers import ROOT
from tests.helpers import run_cli as run


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    messages = out / "messages.txt"
    messages.write_text(
        "Google lags behind Amazon on GPU virtual machines\n\nMicrosoft is committed to democratizing AI\n"
    )
    # run from another folder: paths must not depend on the working directory
    result = run("export", "--out", str(out / "tables"), "--messages", str(messages), cwd=out)
    return result, out / "tables"


def test_export_writes_every_table_with_documented_columns(exported):
    result, out = exported
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name, columns in TABLES.items():
        table = pd.read_csv(out / f"{name}.csv", keep_default_na=False)
        assert list(table.columns) == columns, name
    articles = pd.read_csv(out / "articles.csv", keep_default_na=False)
    assert sorted(articles["outlet"]) == ["TechCrunch", "TechRepublic"]
    mentions = pd.read_csv(out / "mentions.csv")
    assert len(mentions[(mentions["outlet"] == "TechCrunch") & (mentions["entity"] == "OpenAI")]) == 8


def test_export_writes_key_messages_as_claims_per_story(exported):
    result, out = exported
    assert result.returncode == 0, result.stderr
    messages = pd.read_csv(out / "messages.csv", keep_default_na=False)
    carried = set(map(tuple, messages.loc[messages["found"], ["outlet", "message"]].values))
    # TechCrunch writes that Google lagged behind; TechRepublic names Google only among the
    # Partnership on AI members, which is the topic, not the claim
    assert ("TechCrunch", "Google lags behind Amazon on GPU virtual machines") in carried
    assert ("TechRepublic", "Google lags behind Amazon on GPU virtual machines") not in carried
    assert {("TechCrunch", "Microsoft is committed to democratizing AI"),
            ("TechRepublic", "Microsoft is committed to democratizing AI")} <= carried
    assert set(messages["story"]) == {"Microsoft–OpenAI partnership"}


def test_export_filters_by_outlet(tmp_path):
    result = run("export", "--outlet", "TechRepublic", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    entities = pd.read_csv(tmp_path / "entities.csv")
    assert set(entities["outlet"]) == {"TechRepublic"}
    assert "Tay" in set(entities["entity"]) and "Peter Thiel" not in set(entities["entity"])


def test_vader_engine(tmp_path):
    result = run("export", "--sentiment", "vader", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    sentences = pd.read_csv(tmp_path / "sentences.csv")
    tay = sentences[sentences["text"].str.contains("called Tay was manipulated")]
    assert tay["polarity"].iloc[0] == pytest.approx(-0.7964, abs=1e-4)


@pytest.mark.parametrize(
    "args, says",
    [
        (["export"], "--out"),
        (["export", "--out", "x", "--sentiment", "bogus"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
        (["export", "/no/such/path", "--out", "x"], "/no/such/path"),
        (["export", "--outlet", "Nobody", "--out", "x"], "no article matches"),
        (["export", "--messages", "/no/such/file", "--out", "x"], "/no/such/file"),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, args, says):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_loadable_exits_2(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("export", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "nothing could be loaded" in result.stderr.splitlines()[-1]
    assert "empty.txt" in result.stderr  # the skip is explained too


def test_export_reads_every_input_format(tmp_path):
    formats = ROOT / "tests" / "data" / "formats"
    result = run("export", str(formats), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    articles = pd.read_csv(tmp_path / "articles.csv", keep_default_na=False)
    suffixes = set(articles["source"].str.replace(r":\d+$", "", regex=True).str.rsplit(".", n=1).str[-1])
    assert suffixes == {"md", "txt", "csv", "jsonl", "html"}
    # the HTML page has no story: it gets an automatic one (it is on ferry riders, neither given story)
    html = articles["source"].str.endswith(".html")
    assert set(articles.loc[~html, "story"]) == {"Harbour bridge opens", "City budget vote"}
    assert articles.loc[html, "story"].str.fullmatch(r"auto-[0-9a-f]{10}").all()
    # comparisons stay within a story: every aligned sentence matched one of its own story
    sentences = pd.read_csv(tmp_path / "sentences.csv", keep_default_na=False)
    matched = sentences[sentences["matched_article_id"] != ""]
    story_of = dict(zip(articles["article_id"], articles["story"], strict=True))
    assert (matched["matched_article_id"].map(story_of) == matched["story"]).all()


def test_console_script_names_itself(tmp_path):
    """The installed ``coverage-lens`` command says ``coverage-lens`` in its help and errors, not ``python -m``."""
    script = Path(sys.executable).with_name("coverage-lens")
    if not script.exists():
        pytest.skip("the package is not installed with its console script in this environment")
    shown = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and shown.stdout.startswith("usage: coverage-lens ")
    failed = subprocess.run([str(script), "export", str(ROOT / "data" / "corpus")], capture_output=True, text=True,
                            timeout=120)
    assert failed.returncode == 2 and "coverage-lens export:" in failed.stderr
    assert run("--help").stdout.startswith("usage: python -m analysis ")
