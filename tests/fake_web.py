"""A small news site on 127.0.0.1 for the collection tests: articles, feeds, sitemaps and every
way a fetch can fail. It runs in a thread of the test process, answers at most ``max_requests``
requests and stops after ``lifetime`` seconds whatever happens; nothing leaves the machine.

``guard_network`` (for ``monkeypatch``) makes any name lookup other than ``localhost`` fail and
any connection to an address outside 127.0.0.0/8 and ::1 raise, so a bug cannot reach the network.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Harbour Herald</title>
<meta property="og:site_name" content="Harbour Herald">
<meta property="og:title" content="{title}">
<meta name="author" content="Lois Lane">
<meta property="article:published_time" content="{published}T08:00:00+00:00">
<script>document.write("SCRIPT-RAN")</script>
</head><body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>
<p>{body} The harbour authority said on Monday that the change would take effect next month.</p>
<p>Residents who spoke to the Herald were divided about the plan, and the council will vote on it.</p>
</article><footer>Copyright Harbour Herald</footer></body></html>"""

PLAIN = """<html><body><div>
<p>A page without any metadata still carries an article: the ferry timetable changes in May,
and the operator expects about a third fewer crossings on weekdays than in the busy summer.</p>
<p>Commuters will be able to use the new bridge instead, the transport office said in a note.</p>
</div></body></html>"""

NO_TEXT = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"

TITLES = {
    "ferry": ("Ferry riders switch to the bridge", "2024-03-03"),
    "tolls": ("Bridge tolls to rise in the summer", "2024-03-05"),
    "atom-one": ("Harbour dredging starts on Tuesday", "2024-03-06"),
    "map-a1": ("Council approves new cycle lanes", "2024-03-07"),
    "map-a2": ("Fish market moves to the old docks", "2024-03-08"),
    "map-b1": ("Lighthouse reopens to visitors", "2024-03-09"),
    "flaky": ("Storm closes the ferry terminal", "2024-03-10"),
    "busy": ("Port workers vote to strike", "2024-03-11"),
    "old": ("Harbour festival dates announced", "2023-06-01"),
    "secret": ("A page robots.txt keeps out", "2024-03-12"),
}


def article(slug: str) -> str:
    title, published = TITLES[slug]
    return ARTICLE.format(title=title, published=published, body=f"{title}, the Herald reports ({slug}).")


def rss(base: str) -> str:
    items = [
        ("/news/ferry.html?utm_source=rss", "Sun, 03 Mar 2024 08:00:00 GMT"),
        ("/news/tolls.html", "Tue, 05 Mar 2024 08:00:00 GMT"),
        ("/news/plain.html", ""),
        ("/news/old.html", "Thu, 01 Jun 2023 08:00:00 GMT"),
    ]
    body = "".join(
        f"<item><title>x</title><link>{base}{path}</link>" + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>"
        for path, date in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Herald</title>{body}</channel></rss>'


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/news/"><title>Herald</title>
<link rel="self" href="{base}/feed.atom"/>
<entry><title>x</title><link rel="alternate" href="atom-one.html"/><updated>2024-03-06T08:00:00Z</updated></entry>
<entry><title>y</title><link href="{base}/news/ferry.html?utm_source=twitter"/>
  <published>2024-03-03T08:00:00Z</published></entry>
</feed>"""


def sitemap_index(base: str) -> str:
    maps = "".join(f"<sitemap><loc>{base}/sitemap-{name}.xml</loc></sitemap>" for name in "ab")
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'


def sitemap(base: str, slugs: list[str]) -> str:
    urls = "".join(f"<url><loc>{base}/news/{slug}.html</loc><lastmod>2024-03-07</lastmod></url>" for slug in slugs)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


@dataclass
class Site:
    """The running site: its base URL and every request it has answered (path, headers, time)."""

    base: str
    requests: list[tuple[str, dict[str, str], float]] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)

    def count(self, path: str) -> int:
        return sum(1 for seen, _, _ in self.requests if seen == path)


@contextmanager
def serve(
    *, max_requests: int = 300, lifetime: float = 120.0, slow: float = 3.0, tls: tuple[str, str] | None = None
) -> Iterator[Site]:
    """Run the site on 127.0.0.1 (a free port) for the duration of the ``with`` block.

    ``tls``: (certificate file, key file) to serve https instead of http.
    """
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # a stuck client cannot hold a server thread

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with lock:
                if len(site.requests) >= max_requests:
                    self.send_error(503)
                    return
                site.requests.append((self.path, dict(self.headers), time.monotonic()))
                path = self.path
                site.hits[path.split("?")[0]] = hits = site.hits.get(path.split("?")[0], 0) + 1
            route = path.split("?")[0]
            base = site.base
            host = self.headers.get("Host", "")
            if route == "/robots.txt" and host.startswith("down."):
                return self.reply(503, "text/plain", "maintenance")
            if route == "/robots.txt" and host.startswith("careful."):
                rules = "User-agent: CoverageLens\nCrawl-delay: 1\n\nUser-agent: *\nDisallow: /\n"
                return self.reply(200, "text/plain", rules)
            if route == "/robots.txt":
                return self.reply(200, "text/plain", "User-agent: *\nDisallow: /private/\n")
            if route == "/feed.rss":
                return self.reply(200, "application/rss+xml", rss(base))
            if route == "/feed.atom":
                return self.reply(200, "application/atom+xml", atom(base))
            if route == "/sitemap_index.xml":
                return self.reply(200, "application/xml", sitemap_index(base))
            if route == "/sitemap-a.xml":
                return self.reply(200, "application/xml", sitemap(base, ["map-a1", "map-a2"]))
            if route == "/sitemap-b.xml":
                return self.reply(200, "text/xml", sitemap(base, ["map-b1"]))
            if route == "/news/plain.html":
                return self.reply(200, "text/html", PLAIN)
            if route == "/news/copy.html":
                return self.reply(200, "text/html; charset=utf-8", article("ferry"))
            if route == "/news/menu.html":
                return self.reply(200, "text/html", NO_TEXT)
            if route == "/news/flaky.html" and hits == 1:
                return self.reply(500, "text/html", "<h1>oops</h1>")
            if route == "/news/busy.html" and hits == 1:
                return self.reply(429, "text/html", "slow down", {"Retry-After": "1"})
            if route == "/news/impatient.html":
                return self.reply(429, "text/html", "slow down", {"Retry-After": "3600"})
            if route.startswith(("/news/", "/private/")) and route.endswith(".html"):
                slug = route.rsplit("/", 1)[1].removesuffix(".html")
                if slug in TITLES:
                    return self.reply(200, "text/html; charset=utf-8", article(slug))
            if route == "/slow.html":
                time.sleep(slow)
                return self.reply(200, "text/html", article("ferry"))
            if route == "/drip.html":
                return self.drip()
            if route == "/big.html":
                return self.stream_big(declared=False)
            if route == "/big-declared.html":
                return self.stream_big(declared=True)
            if route == "/loop-a":
                return self.reply(302, "text/html", "", {"Location": "/loop-b"})
            if route == "/loop-b":
                return self.reply(302, "text/html", "", {"Location": f"{base}/loop-a"})
            if route.startswith("/hop"):
                step = int(route.removeprefix("/hop") or 0)
                return self.reply(302, "text/html", "", {"Location": f"/hop{step + 1}"})
            if route == "/to-news":
                return self.reply(301, "text/html", "", {"Location": "/news/tolls.html"})
            if route == "/to-private":
                return self.reply(302, "text/html", "", {"Location": "http://10.0.0.1/admin"})
            if route == "/to-ftp":
                return self.reply(302, "text/html", "", {"Location": "ftp://127.0.0.1/file"})
            if route == "/report.pdf":
                return self.reply(200, "application/pdf", "%PDF-1.4 not really a pdf")
            return self.reply(404, "text/html", "<h1>Not found</h1>")

        def reply(self, status: int, media: str, body: str, headers: dict[str, str] | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def stream_big(self, *, declared: bool) -> None:
            chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
            count = 10
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if declared:
                self.send_header("Content-Length", str(len(chunk) * count))
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(count):
                    self.wfile.write(chunk)
            except OSError:  # the client stopped reading at its limit
                pass
            self.close_connection = True

        def drip(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(50):
                    self.wfile.write(b"<p>drip</p>\n")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
            self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    scheme = "http"
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    site = Site(base=f"{scheme}://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    stopper = threading.Timer(lifetime, server.shutdown)
    stopper.daemon = True
    stopper.start()
    try:
        yield site
    finally:
        stopper.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def guard_network(monkeypatch) -> None:
    """Refuse name lookups (except localhost) and connections beyond the loopback address."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name != "localhost":
            try:
                ipaddress.ip_address(name.strip("[]").split("%")[0])
            except ValueError:
                raise socket.gaierror(socket.EAI_NONAME, f"test guard: no DNS for {name}") from None
        return real_getaddrinfo(host, port, *args, **kwargs)

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            if not ipaddress.ip_address(address[0].split("%")[0]).is_loopback:
                raise ConnectionRefusedError(f"test guard: no connection to {address[0]}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


def certificate(folder, name: str) -> tuple[str, str]:
    """A self-signed certificate for host ``name`` (openssl), as (certificate file, key file)."""
    cert, key = str(folder / f"{name}.pem"), str(folder / f"{name}.key")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}",
         "-addext", f"subjectAltName=DNS:{name}", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,digitalSignature"],
        check=True, capture_output=True, timeout=30,
    )
    return cert, key


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
