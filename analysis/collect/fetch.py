"""Fetch web pages politely and safely: one :class:`Fetcher` per collection run.

Polite: one request at a time, the same host asked at most once per ``delay`` seconds (longer
when its ``robots.txt`` asks for a ``Crawl-delay``, up to a minute), ``robots.txt`` obeyed, a
user agent naming the project, connect and read timeouts plus a deadline for the whole response,
retries with exponential backoff on 429 and 5xx answers honouring ``Retry-After``.

Safe: only ``http`` and ``https``; every hop of a redirect is resolved, checked and connected to
by the address that was checked (never resolved a second time, so a DNS answer that changes
between check and connection cannot slip past); addresses that are not globally routable
(loopback, private, link-local, shared, reserved) or multicast are refused unless the policy
allows them. Redirects are followed by hand, at most three. Bodies are streamed and cut at
``max_bytes``; nothing is executed, a page is only bytes handed to the HTML loader.

Every failure is a :class:`Fetch` with a one-line ``reason``; no exception escapes.
"""

from __future__ import annotations

import email.utils
import errno
import ipaddress
import os
import socket
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import urllib3

from analysis.loaders import DEFAULT_MAX_BYTES
from analysis.versions import __version__

__all__ = ["AGENT", "MEDIA", "USER_AGENT", "Fetch", "FetchPolicy", "Fetcher"]

AGENT = "CoverageLens"
"""The product token ``robots.txt`` rules are matched against."""

# Where a site's operator can read what this crawler is, or how to reach whoever runs it. The
# default is a placeholder until the project has a public home: set COVERAGE_LENS_CONTACT (a URL
# or mail address) before collecting from sites you do not run.
PROJECT_URL = os.environ.get("COVERAGE_LENS_CONTACT") or "https://github.com/coverage-lens/coverage-lens"
USER_AGENT = f"{AGENT}/{__version__} (+{PROJECT_URL}; news coverage comparison)"

MEDIA: dict[str, tuple[str, ...]] = {
    "HTML": ("text/html", "application/xhtml+xml"),
    "a feed or sitemap": (
        "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
        "text/xml", "application/x-gzip", "application/gzip",
    ),
}
"""Content types accepted, by the name a refusal gives (``not HTML (application/pdf)``)."""

_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: crawlers must read at least 500 KiB
_MAX_CRAWL_DELAY = 60.0

Resolver = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True)
class FetchPolicy:
    """How a :class:`Fetcher` behaves; the defaults are those of ``python -m analysis collect``.

    Attributes:
        delay: seconds between two requests to the same host.
        connect_timeout, read_timeout: seconds to connect, and to wait for each read.
        total_timeout: seconds for a whole response (a server dripping bytes cannot hold on).
        retries: further attempts after a 429 or 5xx answer.
        backoff: seconds before the first retry, doubled for each next one (without Retry-After).
        max_retry_after: a longer ``Retry-After`` gives up instead of waiting.
        max_redirects: redirects followed per fetch.
        max_bytes: largest body read; a longer one is refused as too large.
        allow_private: True to allow every address, or networks (``"10.0.0.0/8"``) to allow
            besides the globally routable ones.
        user_agent: the User-Agent header.
        ca_certs: a PEM file of the certificate authorities trusted for https (default: certifi's).
    """

    delay: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 10.0
    total_timeout: float = 60.0
    retries: int = 2
    backoff: float = 1.0
    max_retry_after: float = 60.0
    max_redirects: int = 3
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private: bool | tuple[str, ...] = False
    user_agent: str = USER_AGENT
    ca_certs: str | None = None

    def allows(self, address: str) -> bool:
        """Whether the policy lets a fetch connect to this IP address.

        >>> FetchPolicy().allows("93.184.215.14"), FetchPolicy().allows("10.1.2.3")
        (True, False)
        >>> FetchPolicy(allow_private=("127.0.0.0/8",)).allows("127.0.0.1")
        True
        """
        if self.allow_private is True:
            return True
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.version == 6 and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_global and not ip.is_multicast:
            return True
        networks = () if self.allow_private is False else self.allow_private
        return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


@dataclass(frozen=True)
class Fetch:
    """The outcome of fetching one URL: a row of the fetch log.

    Attributes:
        url: the URL asked for.
        final_url: the URL that answered, after redirects ("" when none did).
        status: the last HTTP status (0 when no answer came).
        reason: why the body is not usable ("" when it is).
        fetched_at: when the fetch ended, ISO 8601 in UTC to the second.
        content_type: the media type, lowercase, without parameters.
        charset: the charset the Content-Type header names, or "".
        body: the response body (empty on failure).
    """

    url: str
    final_url: str
    status: int
    reason: str
    fetched_at: str
    content_type: str = ""
    charset: str = ""
    body: bytes = field(default=b"", repr=False)

    @property
    def ok(self) -> bool:
        return not self.reason


class _Failed(Exception):
    def __init__(self, reason: str, status: int = 0, url: str = "") -> None:
        super().__init__(reason)
        self.reason, self.status, self.url = reason, status, url


class Fetcher:
    """Fetches URLs one at a time under a :class:`FetchPolicy`; use it as a context manager.

    Args:
        policy: timeouts, limits, delays and which addresses are allowed (default ``FetchPolicy()``).
        resolve: ``(host, port) -> IP addresses``; the system resolver by default (tests replace it).
    """

    def __init__(self, policy: FetchPolicy | None = None, *, resolve: Resolver | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._resolve = resolve or _system_resolve
        self._ready: dict[str, float] = {}  # host -> monotonic time of its next allowed request
        self._delay: dict[str, float] = {}  # host -> delay, when robots.txt asks for a longer one
        self._robots: dict[tuple[str, str, int], urllib.robotparser.RobotFileParser | _Failed] = {}
        self._pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()

    def fetch(self, url: str, *, accept: Iterable[str] = ("HTML",)) -> Fetch:
        """Fetch one URL; never raises.

        Args:
            url: an absolute http or https URL.
            accept: names from :data:`MEDIA`; a response of another declared type is refused
                unread (a response without a Content-Type is read).

        Returns:
            A :class:`Fetch`; ``reason`` is "" when ``body`` holds the page.
        """
        accepted = tuple(accept)
        try:
            final, status, media, charset, body = self._follow(url, accepted, robots=True)
        except _Failed as failure:
            return Fetch(url, failure.url, failure.status, failure.reason, _now())
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as error:  # a case not foreseen
            return Fetch(url, "", 0, f"request failed ({type(error).__name__}: {error})"[:240], _now())
        return Fetch(url, final, status, "", _now(), media, charset, body)

    def wait(self, url: str) -> float:
        """Seconds until this URL's host may be asked again (0 when it may be now)."""
        host = (urlsplit(url).hostname or "").lower()
        return max(0.0, self._ready.get(host, 0.0) - time.monotonic())

    # --- one fetch: redirects, robots, retries ---------------------------------------------

    def _follow(self, url: str, accept: tuple[str, ...], *, robots: bool, max_bytes: int | None = None):
        seen = {url}
        current = url
        for hop in range(self.policy.max_redirects + 1):
            parts = urlsplit(current)
            scheme = parts.scheme.lower()
            if scheme not in ("http", "https"):
                raise _Failed(f"not an http or https URL ({scheme or 'no scheme'})", url=current if hop else "")
            try:
                host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
            except ValueError:
                host = None
            if not host:
                raise _Failed("no host name in the URL", url=current if hop else "")
            address = self._address(host, port)
            if robots:
                self._obey_robots(scheme, host, port, current)
            response = self._request(scheme, host, port, address, parts)
            status = response.status
            if status in _REDIRECTS and response.headers.get("Location"):
                location = response.headers["Location"]
                _discard(response)
                try:
                    target = urlunsplit(urlsplit(urljoin(current, location.strip()))._replace(fragment=""))
                except ValueError:
                    raise _Failed("redirect to a malformed URL", status, current) from None
                if target in seen:
                    raise _Failed("redirect loop", status, current)
                if hop == self.policy.max_redirects:
                    raise _Failed(f"too many redirects (more than {self.policy.max_redirects})", status, current)
                seen.add(target)
                current = target
                continue
            try:
                if status >= 400:
                    raise _Failed(_http_reason(status), status, current)
                media, charset = _content_type(response.headers.get("Content-Type", ""))
                wanted = [MEDIA[name] for name in accept]
                if media and wanted and not any(media in types for types in wanted):
                    raise _Failed(f"not {' or '.join(accept)} ({media})", status, current)
                body = self._read(response, max_bytes or self.policy.max_bytes, status, current)
            finally:
                _discard(response)
            return current, status, media, charset, body
        raise AssertionError("unreachable")  # pragma: no cover

    def _address(self, host: str, port: int) -> str:
        """Resolve a host and return the address to connect to; refuse a non-public one."""
        try:
            addresses = list(dict.fromkeys(self._resolve(host, port)))
        except (OSError, UnicodeError):
            addresses = []
        if not addresses:
            raise _Failed(f"DNS failure (no address for {host})")
        for address in addresses:
            if not self.policy.allows(address):
                raise _Failed(f"private address ({address})")
        return addresses[0]

    def _obey_robots(self, scheme: str, host: str, port: int, url: str) -> None:
        key = (scheme, host, port)
        if key not in self._robots:
            self._robots[key] = self._read_robots(scheme, host, port)
        rules = self._robots[key]
        if isinstance(rules, _Failed):
            raise _Failed(rules.reason, rules.status)
        if not rules.can_fetch(AGENT, url):
            raise _Failed("disallowed by robots.txt")

    def _read_robots(self, scheme: str, host: str, port: int):
        default = 443 if scheme == "https" else 80
        netloc = _netloc(host, port, default)
        rules = urllib.robotparser.RobotFileParser(f"{scheme}://{netloc}/robots.txt")
        try:
            _, _, _, _, body = self._follow(rules.url, (), robots=False, max_bytes=_ROBOTS_MAX_BYTES)
        except _Failed as failure:
            if failure.reason.startswith("too large"):
                body = b""  # RFC 9309: parse what was read; read nothing rather than half a rule
            elif 400 <= failure.status < 500:
                body = b""  # no robots.txt: everything is allowed
            elif failure.status:
                return _Failed(f"robots.txt unavailable: {failure.reason}", failure.status)
            else:
                return failure
        rules.parse(body.decode("utf-8", "replace").splitlines())
        delay = rules.crawl_delay(AGENT)
        if delay:
            self._delay[host] = min(float(delay), _MAX_CRAWL_DELAY)
        return rules

    def _request(self, scheme, host, port, address, parts) -> urllib3.BaseHTTPResponse:
        """Send one GET, retrying 429 and 5xx answers; return the response unread."""
        policy = self.policy
        pool = self._pool(scheme, host, port, address)
        default = 443 if scheme == "https" else 80
        headers = {
            "Host": _netloc(host, port, default),
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        }
        target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
        if parts.query:
            target += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
        timeout = urllib3.Timeout(connect=policy.connect_timeout, read=policy.read_timeout)
        for attempt in range(policy.retries + 1):
            self._wait_turn(host)
            try:
                response = pool.urlopen(
                    "GET", target, headers=headers, redirect=False, retries=False,
                    preload_content=False, timeout=timeout, assert_same_host=False,
                )
            except urllib3.exceptions.HTTPError as error:
                raise _Failed(_network_reason(error)) from None
            finally:
                self._done(host)
            status = response.status
            if (status == 429 or 500 <= status < 600) and attempt < policy.retries:
                wait = _retry_after(response.headers.get("Retry-After"))
                if wait is None:
                    wait = policy.backoff * 2**attempt
                elif wait > policy.max_retry_after:
                    return response  # reported as the HTTP error it is
                _discard(response)
                self._ready[host] = max(self._ready.get(host, 0.0), time.monotonic() + wait)
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, response, limit: int, status: int, url: str) -> bytes:
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise _Failed(_too_large(int(length), limit), status, url)
        deadline = time.monotonic() + self.policy.total_timeout
        body = bytearray()
        try:
            for chunk in response.stream(_CHUNK, decode_content=True):
                body += chunk
                if len(body) > limit:
                    raise _Failed(_too_large(None, limit), status, url)
                if time.monotonic() > deadline:
                    raise _Failed(f"timeout (no full answer in {self.policy.total_timeout:g} s)", status, url)
        except urllib3.exceptions.HTTPError as error:
            raise _Failed(_network_reason(error), status, url) from None
        return bytes(body)

    def _pool(self, scheme: str, host: str, port: int, address: str) -> urllib3.HTTPConnectionPool:
        key = (scheme, address, port, host)
        if key not in self._pools:
            # The pool connects to the checked address; TLS still checks the certificate
            # against the host name (server_hostname for SNI, assert_hostname for the match).
            if scheme == "https":
                import certifi

                self._pools[key] = urllib3.HTTPSConnectionPool(
                    address, port, maxsize=1, server_hostname=host, assert_hostname=host,
                    cert_reqs="CERT_REQUIRED", ca_certs=self.policy.ca_certs or certifi.where(),
                )
            else:
                self._pools[key] = urllib3.HTTPConnectionPool(address, port, maxsize=1)
        return self._pools[key]

    def _wait_turn(self, host: str) -> None:
        pause = self._ready.get(host, 0.0) - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def _done(self, host: str) -> None:
        delay = max(self.policy.delay, self._delay.get(host, 0.0))
        self._ready[host] = max(self._ready.get(host, 0.0), time.monotonic() + delay)


# --- helpers --------------------------------------------------------------------------------


def _system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _netloc(host: str, port: int, default: int) -> str:
    name = f"[{host}]" if ":" in host else host
    return name if port == default else f"{name}:{port}"


def _discard(response) -> None:
    """Close a response without reading the rest of its body (its connection is not reused)."""
    response.close()
    response.release_conn()


def _content_type(header: str) -> tuple[str, str]:
    media, _, params = header.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


_HTTP_NAMES = {401: "unauthorised", 403: "forbidden", 404: "not found", 410: "gone", 429: "too many requests"}


def _http_reason(status: int) -> str:
    name = _HTTP_NAMES.get(status) or ("server error" if status >= 500 else "")
    return f"HTTP {status} ({name})" if name else f"HTTP {status}"


def _network_reason(error: Exception) -> str:
    exceptions = urllib3.exceptions
    if isinstance(error, exceptions.SSLError):
        return "TLS error (the certificate or the connection could not be verified)"
    # urllib3's NewConnectionError subclasses ConnectTimeoutError: look at it first
    if isinstance(error, exceptions.NewConnectionError):
        cause = error.__context__ or error.__cause__
        if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return "connection refused"
        if isinstance(cause, TimeoutError | socket.timeout):
            return "timeout"
        return f"cannot connect ({getattr(cause, 'strerror', None) or cause or error})"
    if isinstance(error, (exceptions.ConnectTimeoutError, exceptions.ReadTimeoutError)):
        return "timeout"
    if isinstance(error, exceptions.ProtocolError):
        cause = error.args[1] if len(error.args) > 1 else None
        if isinstance(cause, TimeoutError | socket.timeout):
            return "timeout"
        return "connection broken"
    if isinstance(error, exceptions.DecodeError):
        return "body could not be decompressed"
    return f"request failed ({type(error).__name__})"


def _too_large(size: int | None, limit: int) -> str:
    if size is None:
        return f"too large (more than {limit:,} bytes)"
    return f"too large ({size:,} bytes; the limit is {limit:,})"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
