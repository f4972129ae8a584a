"""The Emphasis tab's latency over many stories: filter changes on a store, each timed.

    python -m bench.outlets --out DIR && python -m analysis ingest DIR/speed600.jsonl --store DIR/speed600.duckdb
    python -m bench.emphasis --store DIR/speed600.duckdb --full-limit 1000

Runs ``dashboard.py`` in Streamlit's ``AppTest`` against the store (``--full-limit`` above the
store's size loads a selection whole, as a corpus of files does), opens the Emphasis tab and times
each step as the analyst takes it: outlet selections no earlier step has built, another story in
detail, a rerun with nothing changed. Prints a Markdown table of wall time and this process's CPU
time (the script runs in it), which is steadier than wall time on a shared machine, and the load
average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(store: Path, full_limit: int | None) -> list[tuple[str, float, float]]:
    from streamlit.testing.v1 import AppTest

    sys.argv = ["dashboard.py", "--store", str(store), *(["--full-limit", str(full_limit)] if full_limit else [])]
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    rows: list[tuple[str, float, float]] = []

    def timed(label: str, action) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        app.run()
        if app.exception:
            raise SystemExit(f"{label}: {app.exception[0].message}")
        rows.append((label, time.perf_counter() - wall, time.process_time() - cpu))

    def outlets(chosen: list[str]):
        return lambda: app.sidebar.multiselect(key="outlets").set_value(chosen)

    timed("first render (Overview)", lambda: None)
    timed("open Emphasis", lambda: app.session_state.__setitem__("tab", "Emphasis"))
    every = list(app.sidebar.multiselect(key="outlets").options)
    for n in range(len(every) - 1, max(1, len(every) - 4), -1):
        timed(f"Emphasis: {n} of {len(every)} outlets", outlets(every[:n]))
    timed("Emphasis: another story in detail", lambda: app.selectbox(key="emphasis_story").select_index(5))
    timed("Emphasis: rerun, nothing changed", lambda: None)
    timed(f"Emphasis: all {len(every)} outlets again (cached)", outlets(every))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a store (.duckdb) to open")
    parser.add_argument("--full-limit", type=int, default=None, help="the dashboard's --full-limit")
    args = parser.parse_args(argv)
    rows = run(args.store, args.full_limit)
    print("| step | wall (s) | CPU (s) |\n| --- | --- | --- |")
    for label, wall, cpu in rows:
        print(f"| {label} | {wall:.2f} | {cpu:.2f} |")
    print(f"\nload average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
