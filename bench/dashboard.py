"""The dashboard's latency on a store: the first render, then filter and tab changes, each timed.

    python -m bench.dashboard --store PATH [--full-limit N] [--json FILE]

Runs ``dashboard.py`` in Streamlit's ``AppTest`` (the script as the server runs it, without a
browser) against the store, and times every step a user takes: the first render of the
Overview, a filter change on each tab, and opening each tab. Each step is a rerun of the script
with that session's caches, as in the app. A store made by ``python -m bench.bench --keep`` (scaled to
100,000 articles) shows the large-store mode. Prints a Markdown table; ``--json`` also writes the
numbers. Peak memory is this process's (the script runs in it).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def steps(app, outlets: list[str]) -> list[tuple[str, object]]:
    """(label, action) pairs: each action changes the session, then the script reruns."""
    def choose(chosen: list[str]) -> None:  # the widget of the latest run (each run makes new ones)
        if "outlet_mode" in app.session_state:
            app.session_state["outlet_mode"] = "Pick"  # more than 12 outlets: pick them by name
            app.session_state["outlets"] = chosen
            return
        app.sidebar.multiselect(key="outlets").set_value(chosen)

    few, more = outlets[: max(1, len(outlets) // 4)], outlets[: max(1, len(outlets) // 3)]
    half = outlets[: max(1, len(outlets) // 2)]  # a selection no earlier step has aggregated

    def tab(name: str):
        return lambda: app.session_state.__setitem__("tab", name)

    def pick_others() -> None:  # the next three entities offered, instead of the first three
        picks = app.multiselect(key="voice_entities")
        picks.set_value(list(picks.options[3:6]))

    return [
        (f"Overview: {len(few)} outlets", lambda: choose(few)),
        (f"Overview: {len(more)} outlets", lambda: choose(more)),
        ("open Entities", tab("Entities")),
        (f"Entities: {len(few)} outlets", lambda: choose(few)),
        (f"Entities: all {len(outlets)} outlets", lambda: choose(outlets)),
        ("open Share of voice", tab("Share of voice")),
        (f"Share of voice: {len(half)} outlets", lambda: choose(half)),
        ("Share of voice: three other entities", pick_others),
        (f"Share of voice: all {len(outlets)} outlets", lambda: choose(outlets)),
        ("open Sentiment", tab("Sentiment")),
        (f"Sentiment: {len(few)} outlets", lambda: choose(few)),
        ("open Emphasis", tab("Emphasis")),
        (f"Emphasis: {len(more)} outlets", lambda: choose(more)),
        ("open Articles", tab("Articles")),
    ]


def run(store: Path, full_limit: int | None) -> dict:
    from streamlit.testing.v1 import AppTest

    limit = [] if full_limit is None else ["--full-limit", str(full_limit)]
    sys.argv = ["dashboard.py", "--store", str(store), *limit]
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    results = []

    def timed(label: str, action) -> None:
        start = time.perf_counter()
        if action is not None:
            action()
        app.run()
        if app.exception:
            raise SystemExit(f"{label}: {app.exception[0].message}")
        results.append({"step": label, "seconds": round(time.perf_counter() - start, 3)})

    timed("first render (Overview, every outlet)", None)
    outlets = (list(app.sidebar.multiselect(key="outlets").options) if "outlet_mode" not in app.session_state
               else read_outlets(store))
    for label, action in steps(app, outlets):
        timed(label, action)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    unseen = unseen_sample(store, full_limit)
    return {"store": str(store), "full_limit": full_limit, "steps": results, "peak_mb": peak, "unseen": unseen}


def read_outlets(store: Path) -> list[str]:
    from analysis.store import open_store

    return open_store(store, read_only=True).options()["outlets"]


def unseen_sample(store: Path, full_limit: int | None) -> list[dict]:
    """What the sentence views cost on text this process has never seen: a store scaled from a few
    hundred articles repeats their sentences, whose vectors the similarity model then has cached.
    Takes the sample the app would (the most recent articles of the whole store), gives every
    article's sentences a distinct final word, empties the model's caches and times each step."""
    import dataclasses

    import analysis as an
    from analysis.similarity import load_model
    from analysis.store import open_store
    from app.data import STORE_LINGER, recent_ids
    from app.options import FULL_LIMIT
    from bench.corpus import made_distinct

    reader = open_store(store, read_only=True, linger=STORE_LINGER)  # as the app opens it
    limit = full_limit or FULL_LIMIT
    timings = []

    def timed(label: str, action):
        start = time.perf_counter()
        value = action()
        timings.append({"step": label, "seconds": round(time.perf_counter() - start, 3)})
        return value

    ids = recent_ids(reader.articles_table(), limit)
    part = timed(
        f"read the {len(ids):,} most recent articles (the sample of every outlet)",
        lambda: reader.analysis(an.Selection(article_ids=ids)),
    )
    fresh = dataclasses.replace(part, sentences=made_distinct(part.sentences))
    load_model().clear_caches()
    aligned = timed("align its sentences, none seen before", lambda: an.sentence_table(fresh))
    timed("terms, quotes and messages from them", lambda: an.sentence_tables(fresh, aligned))
    return timings


def markdown(report: dict) -> str:
    lines = ["| step | time |", "|---|---|"]
    lines += [f"| {s['step']} | {s['seconds']:.2f} s |" for s in report["steps"]]
    lines.append(f"| peak memory (this process) | {report['peak_mb']:,} MB |")
    lines += ["", "Sentence views on text never seen (every sentence of the sample made distinct):", "",
              "| step | time |", "|---|---|"]
    lines += [f"| {s['step']} | {s['seconds']:.2f} s |" for s in report["unseen"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="a store (.duckdb) to open")
    parser.add_argument("--full-limit", type=int, default=None, help="the dashboard's --full-limit (default its own)")
    parser.add_argument("--json", help="also write the numbers here")
    args = parser.parse_args(argv)
    report = run(Path(args.store).resolve(), args.full_limit)
    print(markdown(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
