"""One real browser: Debian's Chromium driven by Playwright against a running Streamlit server.

Skipped when no Chromium is installed, unless COVERAGE_LENS_REQUIRE_BROWSER=1 (CI), which makes a
missing browser a failure. Screenshots of every tab go to tests/artifacts/ (ignored by git), and
the Overview of the bundled corpus to tests/artifacts/dashboard.png: the README's screenshot
(``make screenshot`` copies it to docs/).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from analysis import Selection, build_tables, select, to_csv_bytes

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
TABS = ["Overview", "Stories", "Entities", "Share of voice", "Sentiment", "Emphasis", "Articles"]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REQUIRED = os.environ.get("COVERAGE_LENS_REQUIRE_BROWSER") == "1"


def _chromium() -> str:
    candidates = [
        os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"
    ]
    found = next((c for c in candidates if c and Path(c).is_file()), None)
    if found is None:
        message = "no chromium binary found (Debian: apt-get install chromium)"
        if REQUIRED:
            pytest.fail(message + " and COVERAGE_LENS_REQUIRE_BROWSER=1")
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if REQUIRED:
            pytest.fail("playwright is not installed and COVERAGE_LENS_REQUIRE_BROWSER=1")
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(*app_args: str, address: bool = True) -> Iterator[str]:
    """``streamlit run dashboard.py`` on a free loopback port; yields its URL once healthy.

    ``address=False`` starts it as ``make run`` does, without ``--server.address``."""
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
        "--server.port", str(port), *(["--server.address", "127.0.0.1"] if address else []),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]
    if app_args:
        command += ["--", *app_args]
    log = ARTIFACTS / f"server-{port}.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as sink:
        server = subprocess.Popen(command, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while not _healthy(url):
                if server.poll() is not None:
                    raise AssertionError(f"streamlit exited with {server.returncode}: {log.read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise AssertionError("streamlit did not answer /_stcore/health within 60 s")
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.read().decode() == "ok"
    except OSError:
        return False


def _settled(page, timeout: float = 90_000) -> None:
    """Wait until the script has finished its run (a first look shows only the loading skeleton)."""
    from playwright.sync_api import expect

    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)


def _screenshots(page, prefix: str) -> None:
    for name in TABS:
        page.get_by_role("tab", name=name).click()  # only the open tab runs: a click reruns the script
        _settled(page)
        page.wait_for_timeout(800)  # plotly draws after the script has sent the figure
        page.screenshot(path=str(ARTIFACTS / f"{prefix}-{name.lower().replace(' ', '-')}.png"), full_page=True)


def _readme_shot(page) -> None:
    """The page as the README shows it, cut to its content: Streamlit scrolls inside the page, so a
    full-page screenshot is the viewport. The viewport is widened (every column of the articles
    table shows) and cut to the content's height, then restored."""
    size = page.viewport_size
    page.set_viewport_size({"width": 1600, "height": size["height"]})
    _settled(page)
    page.wait_for_timeout(500)
    bottoms = []
    for test_id in ("stMainBlockContainer", "stSidebarUserContent"):
        box = page.get_by_test_id(test_id).bounding_box()
        bottoms.append(box["y"] + box["height"])
    page.set_viewport_size({"width": 1600, "height": int(max(bottoms))})
    _settled(page)
    page.wait_for_timeout(800)  # plotly redraws at the new size
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    page.set_viewport_size(size)
    _settled(page)


def test_filter_download_and_screenshots(browser, bundled):
    from playwright.sync_api import expect

    with streamlit_server() as url:
        page = browser.new_page(viewport={"width": 1400, "height": 2600}, accept_downloads=True)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        start = time.perf_counter()
        page.goto(url)
        _settled(page)
        first_render = time.perf_counter() - start
        print(f"\nfirst render of the bundled corpus in the browser (cold server): {first_render:.1f}s")
        expect(page.get_by_text("2 articles from 2 outlets")).to_be_visible()
        page.wait_for_timeout(800)  # plotly draws after the script has sent the figure
        _readme_shot(page)
        _screenshots(page, "all-outlets")

        page.get_by_role("button", name="Remove TechCrunch").click()
        expect(page.get_by_text("1 article from 1 outlet")).to_be_visible(timeout=60_000)
        _settled(page)
        page.get_by_role("tab", name="Entities").click()
        _settled(page)
        with page.expect_download() as info:
            page.get_by_role("button", name="Download entities.csv").click()
        download = info.value
        assert download.suggested_filename == "entities.csv"
        data = Path(download.path()).read_bytes()
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        assert {row["outlet"] for row in rows} == {"TechRepublic"}
        entities = {row["entity"] for row in rows}
        assert "Tay" in entities and "Peter Thiel" not in entities
        expected = build_tables(select(bundled, Selection(outlets=["TechRepublic"])))["entities"]
        assert data == to_csv_bytes(expected)
        _screenshots(page, "techrepublic")
        assert not errors, errors
        page.close()


def test_hostile_article_renders_as_text_and_runs_nothing(browser, tmp_path):
    from playwright.sync_api import expect

    corpus = tmp_path / "hostile"
    corpus.mkdir()
    (corpus / "evil.md").write_text(
        "---\n"
        'outlet: "Evil <img src=y onerror=alert(3)> Times"\n'
        "title: \"Breaking <script>alert('title')</script> news\"\n"
        'published: "2016-11-15"\n'
        "---\n"
        "Microsoft said <img src=x onerror=alert(1)> would not run.\n\n"
        "OpenAI answered <script>alert(2)</script> and <a href=\"javascript:alert(4)\">a link</a>.\n",
        encoding="utf-8",
    )
    (corpus / "calm.md").write_text(
        '---\noutlet: "Calm Daily"\npublished: "2016-11-16"\n---\nMicrosoft and OpenAI work together on Azure.\n',
        encoding="utf-8",
    )
    with streamlit_server("--data", str(corpus)) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url)
        _settled(page)
        page.get_by_role("tab", name="Articles").click()
        _settled(page)
        page.get_by_test_id("stSelectbox").filter(has_text="Article").click()
        page.get_by_role("option").filter(has_text="Breaking").click()
        _settled(page)
        reader = page.locator(".cl-reader")
        expect(reader).to_contain_text("<img src=x onerror=alert(1)> would not run.")
        expect(reader).to_contain_text("<script>alert(2)</script>")
        expect(reader).to_contain_text("Breaking <script>alert('title')</script> news")
        assert page.locator("img[src='x'], img[src='y']").count() == 0
        assert reader.locator("script, a[href^='javascript']").count() == 0
        expect(page.get_by_text("Evil <img src=y onerror=alert(3)> Times").first).to_be_visible()
        _screenshots(page, "hostile")
        page.wait_for_timeout(1000)
        assert dialogs == []
        page.close()


def _outside_address() -> str | None:
    """An address of this machine other than the loopback one, if it has any."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_nested_yaml_upload_leaves_the_server_serving(browser, tmp_path):
    """Issue 16: a 60 KB front matter nested 30,000 levels deep killed the server for everyone. Started as
    ``make run`` starts it, the server also listens on the loopback interface only, and the page asks no
    other host for anything (its icon was a Material icon from Google's font CDN)."""
    from playwright.sync_api import expect

    hostile = ROOT / "tests" / "data" / "hostile"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "quoted.md").write_text(
        '---\noutlet: \'The "Quoted" Times\'\nstory: Harbour\n---\nMicrosoft met OpenAI at the harbour.\n',
        encoding="utf-8",
    )
    (corpus / "calm.md").write_text(
        "---\noutlet: Calm Daily\nstory: Harbour\n---\nOpenAI and Microsoft talked about Azure.\n", encoding="utf-8"
    )
    with streamlit_server("--data", str(corpus), address=False) as url:
        outside = _outside_address()
        if outside is not None:  # .streamlit/config.toml: server.address = "127.0.0.1"
            with pytest.raises(OSError):
                socket.create_connection((outside, int(url.rsplit(":", 1)[1])), timeout=2).close()
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        hosts: set[str] = set()
        errors: list[str] = []
        page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or request.url[:5]))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url)
        _settled(page)
        expect(page.get_by_text("2 articles from 2 outlets")).to_be_visible()

        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            [str(hostile / "deep_yaml.md"), str(hostile / "article.md")]
        )
        _settled(page)
        expect(page.get_by_text("deep_yaml.md: YAML front matter nested too deeply")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Added 1 uploaded article.")).to_be_visible()
        expect(page.get_by_text("3 articles from 3 outlets")).to_be_visible()

        page.get_by_role("button", name="Remove Calm Daily").click()  # a filter change after the upload
        _settled(page)
        expect(page.get_by_text("2 articles from 2 outlets")).to_be_visible(timeout=60_000)
        assert _healthy(url)  # the server process lives

        page.wait_for_timeout(800)  # plotly draws after the script has sent the figure
        labels = page.locator(".js-plotly-plot .xtick").all_text_contents()
        assert 'The "Quoted" Times' in labels, labels  # not &quot; (issue 16 item 9)
        icon = page.locator("link[rel='shortcut icon']").get_attribute("href")
        assert icon.startswith("data:image/svg+xml"), icon[:80]
        page.screenshot(path=str(ARTIFACTS / "hostile-upload.png"), full_page=True)
        assert hosts <= {"127.0.0.1", "data:"}, hosts
        assert not errors, errors
        page.close()


def test_report_opens_offline_renders_its_charts_and_runs_nothing(browser, tmp_path):
    """The report of the bundled corpus and a hostile article, opened from disk with every request
    refused: the charts draw from the embedded plotly.js, nothing is fetched and nothing in the
    article runs. Its screenshot goes to tests/artifacts/report.png."""
    from playwright.sync_api import expect

    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "evil.md").write_text(
        "---\n"
        'outlet: "Evil <img src=y onerror=window.__pwned=3> Times"\n'
        "title: \"Breaking <script>window.__pwned=1</script> news\"\n"
        'published: "2016-11-16"\n'
        'story: "Microsoft–OpenAI partnership"\n'
        "---\n"
        "Microsoft said <script>window.__pwned=2;alert(2)</script> would not run.\n\n"
        "OpenAI answered <img src=x onerror=\"window.__pwned=4\"> and <a href=\"javascript:alert(5)\">a link</a>.\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "analysis", "report", str(ROOT / "data" / "corpus"), str(hostile),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    charts = out.read_text(encoding="utf-8").count('<div class="chart">')
    page = browser.new_page(viewport={"width": 1300, "height": 1800})
    requested: list[str] = []
    dialogs: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    # the network is off: every request but the file itself is refused
    page.route("**/*", lambda route: route.continue_() if route.request.url == out.as_uri() else route.abort())
    page.goto(out.as_uri())
    expect(page.locator(".js-plotly-plot")).to_have_count(charts, timeout=30_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    page.wait_for_timeout(1000)
    assert requested == [out.as_uri()]
    assert page.locator(".js-plotly-plot .main-svg").count() >= charts
    assert page.locator("#chart-1 .bars path").count() >= 3  # three outlets' bars drawn
    assert page.evaluate("window.__pwned") is None and dialogs == []
    body = page.locator("main")
    expect(body).to_contain_text("Breaking <script>window.__pwned=1</script> news")
    expect(body).to_contain_text("Evil <img src=y onerror=window.__pwned=3> Times")
    # the only scripts in the page's body draw the charts (one each); no image, no javascript: link
    assert page.locator("main script").count() == page.locator("main .chart script").count() == charts
    assert page.locator("main img, main a[href^='javascript']").count() == 0
    assert not problems, problems
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    page.close()
