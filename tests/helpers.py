"""Helpers the test modules share (no test module imports another): paths, the CLI as a user runs
it, a generated corpus of real paragraphs, and the comparison of two analyses."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pandas as pd

from analysis.loaders import article_id
from analysis.schema import ARTICLE_FIELDS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
TECHCRUNCH = "TechCrunch"
TECHREPUBLIC = "TechRepublic"


def run_cli(*args: str, cwd=None, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` in a new process (the installed package), from ``cwd`` (default: the checkout)."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout
    )


def assert_same_analysis(left, right) -> None:
    for name in ("articles", "sentences", "mentions"):
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name), check_exact=True, obj=name)
    assert left.sentiment == right.sentiment


def make_corpus(source: pd.DataFrame, n: int, *, seed: int = 0) -> pd.DataFrame:
    """``n`` articles re-assembled from shuffled paragraphs of ``source`` (real text, new ids)."""
    rng = random.Random(seed)
    paragraphs = [p for text in source["text"] for p in text.split("\n\n") if p.strip()]
    outlets = ["Daily Planet", "Gazette", "Herald"]
    rows = []
    for i in range(n):
        chosen = rng.sample(paragraphs, 3)
        text = "\n\n".join(chosen) + f"\n\nReport number {i}."
        rows.append(
            {
                "article_id": article_id(text),
                "outlet": outlets[i % 3],
                "title": f"Story {i}" if i % 2 else "",
                "published": f"2016-11-{10 + i % 10:02d}" if i % 4 else "",
                "url": "",
                "author": "",
                "story": "s1" if i % 5 else "s2",
                "text": text,
                "source": f"gen/{i}.md",
            }
        )
    return pd.DataFrame(rows, columns=ARTICLE_FIELDS).astype(str)


def assert_consistent_store(store) -> tuple[int, int]:
    """Check that every stored article is complete (none half-written): its analysis, sentences and
    tones; returns (articles, sentences)."""
    with store.connect() as con:
        articles, analysed = con.execute(
            "SELECT count(*), count(r.article_id) FROM articles a LEFT JOIN analysed r USING (article_id)"
        ).fetchone()
        orphans = con.execute(
            "SELECT count(*) FROM sentences s ANTI JOIN articles a USING (article_id)"
        ).fetchone()[0]
        short = con.execute(
            "SELECT count(*) FROM analysed r LEFT JOIN (SELECT article_id, count(*) n FROM sentences GROUP BY 1) s "
            "USING (article_id) WHERE coalesce(s.n, 0) <> r.sentences"
        ).fetchone()[0]
        unique_keys = con.execute("SELECT count(*) = count(DISTINCT akey) FROM articles").fetchone()[0]
        # the pre-aggregated rows count every mention once per sentiment engine
        aggregated = con.execute(
            "SELECT (SELECT count(*) FROM mentions) * (SELECT count(DISTINCT scorer) FROM tones), "
            "(SELECT coalesce(sum(n), 0) FROM article_entities)"
        ).fetchone()
    assert articles == analysed and orphans == 0 and short == 0
    assert unique_keys and aggregated[0] == aggregated[1]
    return articles, int(store.analysis().sentences.shape[0])


def run_app(monkeypatch, *args: str, timeout: float = 60):
    """The dashboard run once by AppTest with ``args`` on its command line; fails on any exception."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(sys, "argv", ["dashboard.py", *args])
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at
