"""Alignment of one large story: its time and peak memory.

    python -m bench.align --store PATH [--sentences 30000] [--json FILE]

Takes the store's articles in ingest order until it has ``--sentences`` sentences, puts them all
in one story (their outlets kept), gives each article's sentences a distinct last word (so no
text is repeated or seen before) and times ``analysis.align.align_sentences`` on them, as
``python -m analysis export`` runs it on a corpus whose articles all cover one story. Prints a
Markdown table; ``--json`` also writes the numbers. Peak memory is this process's.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path


def run(store: Path, sentences: int) -> dict:
    from analysis import Selection
    from analysis.align import align_sentences
    from analysis.similarity import load_model
    from analysis.store import open_store
    from bench.corpus import made_distinct

    reader = open_store(store, read_only=True)
    counts = reader.articles_table()[["article_id", "sentences"]]
    ids = counts["article_id"][counts["sentences"].cumsum().shift(fill_value=0) < sentences].tolist()
    table = reader.analysis(Selection(article_ids=ids)).sentences.head(sentences)
    table = made_distinct(table).assign(story="one story")
    load_model().clear_caches()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    start = time.perf_counter()
    aligned = align_sentences(table)
    seconds = time.perf_counter() - start
    return {
        "store": str(store), "sentences": len(table), "articles": int(table["article_id"].nunique()),
        "outlets": int(table["outlet"].nunique()), "seconds": round(seconds, 2),
        "peak_mb_before": before, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "unique": int(aligned["unique"].sum()),
    }


def markdown(report: dict) -> str:
    return "\n".join([
        "| sentences (articles, outlets) of one story | align | peak memory (before -> after) |", "|---|---|---|",
        f"| {report['sentences']:,} ({report['articles']:,}, {report['outlets']}) | {report['seconds']:.2f} s "
        f"| {report['peak_mb_before']:,} -> {report['peak_mb']:,} MB |",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="a store (.duckdb) to take the articles from")
    parser.add_argument("--sentences", type=int, default=30_000, help="sentences in the story (default 30,000)")
    parser.add_argument("--json", help="also write the numbers here")
    args = parser.parse_args(argv)
    report = run(Path(args.store).resolve(), args.sentences)
    print(markdown(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
