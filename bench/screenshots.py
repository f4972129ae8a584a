"""Screenshots of every dashboard tab on a store, in headless Chromium, to look at as a user would.

    python -m bench.screenshots --store DIR/stories100.duckdb --out shots/ --prefix s100

Starts ``streamlit run dashboard.py -- --store STORE`` on a free loopback port, opens each tab, waits
until the script has finished (the stApp element's ``data-test-script-state`` is ``notRunning``) and
plotly has drawn, and saves ``PREFIX-TAB.png`` at the page's full height (at most 9,000 px), printing
each page's height. Needs playwright and Debian's ``chromium`` (``--chromium``).
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABS = ["Overview", "Stories", "Entities", "Share of voice", "Sentiment", "Emphasis", "Articles"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("streamlit did not answer")


def shoot(store: Path, out: Path, prefix: str, *, chromium: str, width: int = 1500) -> dict[str, int]:
    from playwright.sync_api import expect, sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--", "--store", str(store)]
    heights = {}
    with open(out / f"{prefix}-server.log", "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(url, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
                page = browser.new_page(viewport={"width": width, "height": 1000})

                def settled() -> None:
                    page.wait_for_timeout(400)
                    expect(page.get_by_test_id("stApp")).to_have_attribute(
                        "data-test-script-state", "notRunning", timeout=300_000)

                page.goto(url)
                settled()
                for name in TABS:
                    page.get_by_role("tab", name=name).click()
                    settled()
                    page.wait_for_timeout(1000)
                    height = int(page.get_by_test_id("stMainBlockContainer").bounding_box()["height"])
                    # Streamlit scrolls inside the page: a full-page shot is the viewport, so make it the page
                    page.set_viewport_size({"width": width, "height": min(max(height + 150, 1000), 9000)})
                    settled()
                    page.wait_for_timeout(1200)
                    page.screenshot(path=str(out / f"{prefix}-{name.lower().replace(' ', '-')}.png"), full_page=True)
                    page.set_viewport_size({"width": width, "height": 1000})
                    heights[name] = height
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=15)
    return heights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--prefix", default="tab")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    for name, height in shoot(args.store, args.out, args.prefix, chromium=args.chromium).items():
        print(f"{name}: {height:,} px")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
