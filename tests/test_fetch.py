"""fetch_url against real local servers: the total deadline, the SSRF guard, limits, errors.

Every server here listens on 127.0.0.1 (or 127.0.0.2), so fetching from it needs
``allow_private=True``; the guard itself is tested by leaving that off. No test reaches the
internet: the only name looked up outside /etc/hosts is ``nonexistent.invalid``, which never
resolves.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import importlib
import ipaddress
import itertools
import re
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspin.article import fetch_url
from unspin.errors import FetchError, InputError

fetch = importlib.import_module("unspin.article.fetch")

TITLE = "Harbor council backs seawall"
PAGE = (
    f"<html><head><title>{TITLE} | The Ledger</title></head><body><article><h1>{TITLE}</h1>"
    "<p>The council voted on Tuesday to fund a new seawall along the harbor front.</p>"
    "<p>Work starts in May, officials said.</p></article></body></html>"
).encode()
PLAIN = "Café headline\n\nA plain text story about a café, in Windows-1252.".encode("cp1252")
BOMB = gzip.compress(b"\0" * 20_000_000, compresslevel=9)  # ~20 kB that inflate to 20 MB


# --------------------------------------------------------------------------------------------
# servers
# --------------------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    """Routes for the ordinary tests; every request path is logged on the server."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        routes = {
            "/article": (200, "text/html; charset=utf-8", PAGE, {}),
            "/plain": (200, "text/plain; charset=windows-1252", PLAIN, {}),
            "/gzip": (200, "text/html", gzip.compress(PAGE), {"Content-Encoding": "gzip"}),
            "/bomb": (200, "text/html", BOMB, {"Content-Encoding": "gzip"}),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, {}),
            "/empty": (200, "text/html", b"", {}),
            "/ua": (200, "text/plain", f"UA\n\n{self.headers['User-Agent']}".encode(), {}),
        }
        if path == "/declared-huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "6000000")
            self.end_headers()
            self.wfile.write(b"<p>only a little</p>")
        elif path.startswith(("/hop", "/slowhop")) or path in ("/loop", "/to-ftp", "/redirect"):
            self._redirect(path)
        elif path in routes:
            self._send(*routes[path])
        else:
            self._send(404, "text/plain", b"not found", {})

    def _redirect(self, path: str) -> None:
        if path == "/to-ftp":
            target = "ftp://127.0.0.1/file"
        elif path == "/redirect":
            target = parse_qs(urlsplit(self.path).query)["to"][0]
        elif path == "/loop":
            target = "/loop"
        else:
            slow = path.startswith("/slowhop")
            left = int(path.removeprefix("/slowhop" if slow else "/hop"))
            if slow:
                time.sleep(0.8)
            prefix = "/slowhop" if slow else "/hop"
            target = f"{prefix}{left - 1}" if left > 0 else "/article"
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, code: int, ctype: str, body: bytes, extra: dict[str, str]) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server:
    """A threaded http.server on ``host``, port 0; ``paths`` lists the requests it saw."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.httpd = http.server.ThreadingHTTPServer((host, 0), _Handler)
        self.httpd.paths = []  # type: ignore[attr-defined]
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def paths(self) -> list[str]:
        return self.httpd.paths  # type: ignore[attr-defined,no-any-return]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _RawServer:
    """A TCP server on 127.0.0.1 that runs ``behave(connection, stop)`` for each client."""

    def __init__(self, behave: Callable[[socket.socket, threading.Event], None]) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.stop = threading.Event()
        self.behave = behave
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):  # OSError: the client hung up
            self.behave(conn, self.stop)

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def _trickle(data: Iterator[int], conn: socket.socket, stop: threading.Event) -> None:
    for byte in data:
        conn.sendall(bytes([byte]))
        if stop.wait(1.0):
            return


def _trickle_headers(conn: socket.socket, stop: threading.Event) -> None:
    """A status line and then an endless header, one byte a second."""
    _trickle(itertools.chain(b"HTTP/1.1 200 OK\r\nX-Slow: ", itertools.repeat(ord("a"))),
             conn, stop)


def _trickle_body(conn: socket.socket, stop: threading.Event) -> None:
    """Prompt headers, then an endless body, one byte a second."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n")
    _trickle(itertools.repeat(ord("a")), conn, stop)


def _silent(conn: socket.socket, stop: threading.Event) -> None:
    """Accept the connection and never send a byte."""
    stop.wait(30)


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    srv = _Server()
    yield srv
    srv.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket, threading.Event], None]], str]]:
    started: list[_RawServer] = []

    def start(behave: Callable[[socket.socket, threading.Event], None]) -> str:
        started.append(_RawServer(behave))
        return started[-1].url

    yield start
    for srv in started:
        srv.close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)


# --------------------------------------------------------------------------------------------
# pages
# --------------------------------------------------------------------------------------------


def test_html_page_becomes_an_article(server: _Server) -> None:
    for path in ("/article", "/gzip", "/hop4"):  # /hop4 is 5 redirects, the most allowed
        article = fetch_url(server.url + path, allow_private=True)
        assert article.title is not None and article.title.text == TITLE
        assert article.paragraphs[0].text.startswith("The council voted on Tuesday")
        assert article.url == server.url + path


def test_charset_from_headers_and_user_agent(server: _Server) -> None:
    article = fetch_url(server.url + "/plain", allow_private=True)
    assert article.title is not None and article.title.text == "Café headline"
    ua = fetch_url(server.url + "/ua", allow_private=True)
    assert ua.paragraphs[0].text == fetch.USER_AGENT


def test_http_errors_and_redirect_limits(server: _Server) -> None:
    cases = {
        "/missing": r"^could not fetch URL: HTTP 404 Not Found$",
        "/hop5": r"^could not fetch URL: more than 5 redirects$",  # 6 redirects
        "/loop": r"^could not fetch URL: more than 5 redirects$",
        "/to-ftp": r"^could not fetch URL: redirected to a non-HTTP address ftp://127\.0\.0\.1/",
    }
    for path, message in cases.items():
        with pytest.raises(FetchError, match=message):
            fetch_url(server.url + path, allow_private=True)
    with pytest.raises(FetchError, match="more than 0 redirects"):
        fetch_url(server.url + "/hop0", allow_private=True, max_redirects=0)
    assert server.paths[-1] == "/hop0"  # the redirect it named was not followed


def test_size_and_type_limits(server: _Server) -> None:
    with pytest.raises(InputError, match=r"larger than 5 MB \(6000000 bytes\)"):
        fetch_url(server.url + "/declared-huge", allow_private=True)
    with pytest.raises(InputError, match="larger than 0.0001 MB"):
        fetch_url(server.url + "/article", allow_private=True, max_bytes=100)
    with pytest.raises(InputError, match="image/png"):
        fetch_url(server.url + "/image", allow_private=True)
    with pytest.raises(InputError, match="empty page"):
        fetch_url(server.url + "/empty", allow_private=True)


def test_gzip_bomb_stops_at_the_cap(server: _Server) -> None:
    assert len(BOMB) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="larger than 1 MB"):
            fetch_url(server.url + "/bomb", allow_private=True, max_bytes=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000  # the 20 MB inflated body was never held


def test_bad_urls_and_unknown_host() -> None:
    for url in ("file:///etc/passwd", "ftp://example.test/file.html"):
        with pytest.raises(InputError, match="only http and https"):
            fetch_url(url)
    with pytest.raises(InputError, match="no host"):
        fetch_url("http://")
    with pytest.raises(FetchError, match=r"^could not fetch URL: unknown host"):
        fetch_url("http://nonexistent.invalid/", timeout=5)


def test_refused_connection_is_a_fetch_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match=r"^could not fetch URL: Connection refused$"):
        fetch_url(f"http://127.0.0.1:{port}/", timeout=2, allow_private=True)


# --------------------------------------------------------------------------------------------
# the total deadline
# --------------------------------------------------------------------------------------------


def _assert_times_out(url: str, timeout: float = 2.0) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match=rf"^could not fetch URL: timed out after {timeout:g} s$"):
        fetch_url(url, timeout=timeout, allow_private=True)
    elapsed = time.monotonic() - start
    assert timeout - 0.1 <= elapsed < timeout + 2, elapsed


@pytest.mark.parametrize("behave", [_trickle_headers, _trickle_body, _silent])
def test_deadline_cuts_off_trickling_and_silent_servers(
    raw_server: Callable[[Callable[[socket.socket, threading.Event], None]], str],
    behave: Callable[[socket.socket, threading.Event], None],
) -> None:
    _assert_times_out(raw_server(behave))


def test_deadline_spans_redirect_hops(server: _Server) -> None:
    # four hops of 0.8 s each: every one is well within 2 s, all of them together are not
    _assert_times_out(server.url + "/slowhop3")


def test_deadline_covers_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def slow(host: str, *args: object, **kwargs: object) -> object:
        if host == "slow.test":
            time.sleep(5)
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    _assert_times_out("http://slow.test/", timeout=1.0)


def test_time_left() -> None:
    assert 0 < fetch._time_left(time.monotonic() + 5) <= 5
    with pytest.raises(TimeoutError):
        fetch._time_left(time.monotonic() - 0.001)


# --------------------------------------------------------------------------------------------
# the SSRF guard
# --------------------------------------------------------------------------------------------

REFUSED = {
    "127.0.0.1": "loopback",
    "10.1.2.3": "private",
    "192.168.0.1": "private",
    "172.16.5.4": "private",
    "169.254.169.254": "link-local",
    "::1": "loopback",
    "fe80::1": "link-local",
    "fd12:3456::1": "private",
    "::ffff:127.0.0.1": "loopback",
    "::ffff:10.0.0.1": "private",
    "64:ff9b::a9fe:a9fe": "link-local",  # NAT64 of 169.254.169.254
    "100.64.0.1": "carrier-grade NAT",
    "0.0.0.0": "unspecified",
    "::": "unspecified",
    "224.0.0.1": "multicast",
    "ff02::1": "multicast",
    "240.0.0.1": "reserved",
    "192.0.2.10": "special-use (non-public)",  # documentation range
}


@pytest.mark.parametrize(("address", "kind"), REFUSED.items())
def test_classifier_refuses(address: str, kind: str) -> None:
    assert fetch._non_public(ipaddress.ip_address(address)) == (
        f"{'an' if kind == 'unspecified' else 'a'} {kind} address"
    )


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"]
)
def test_classifier_allows(address: str) -> None:
    assert fetch._non_public(ipaddress.ip_address(address)) is None


@given(st.ip_addresses(v=4))
def test_classifier_sees_through_ipv4_mapped(address: ipaddress.IPv4Address) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    assert fetch._non_public(mapped) == fetch._non_public(address)
    if not address.is_global:
        assert fetch._non_public(address) is not None


def test_public_addresses_refuses_if_any_address_is_private(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = {
        "public.test": ["8.8.8.8", "2001:4860:4860::8888"],
        "mixed.test": ["8.8.8.8", "10.0.0.5"],
    }

    def fake(host: str, port: int, *args: object, **kwargs: object) -> list[tuple]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    deadline = time.monotonic() + 5
    assert fetch._public_addresses("public.test", 80, deadline) == answers["public.test"]
    with pytest.raises(fetch._Refused, match=r"^mixed\.test resolves to 10\.0\.0\.5, a private"):
        fetch._public_addresses("mixed.test", 80, deadline)
    with pytest.raises(socket.gaierror):
        fetch._public_addresses("other.test", 80, deadline)


def test_private_hosts_are_refused_before_connecting(
    server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = server.url.rsplit(":", 1)[1]
    before = list(server.paths)

    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    url = f"{server.url}/article"
    with pytest.raises(InputError) as info:
        fetch_url(url)
    assert str(info.value) == (
        f"refusing to fetch {url}: 127.0.0.1 is a loopback address "
        "(pass --allow-private to allow it)"
    )
    for host, detail in [
        ("localhost", "localhost resolves to 127.0.0.1, a loopback address"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1 is a loopback address"),
        ("0.0.0.0", "0.0.0.0 is an unspecified address"),
        ("2130706433", "2130706433 resolves to 127.0.0.1, a loopback address"),
        ("169.254.169.254", "169.254.169.254 is a link-local address"),
    ]:
        with pytest.raises(InputError, match="^refusing to fetch .*: " + re.escape(detail)):
            fetch_url(f"http://{host}:{port}/article")
    assert server.paths == before


def test_allow_private_lets_a_local_fetch_through(server: _Server) -> None:
    with pytest.raises(InputError, match="refusing"):
        fetch_url(server.url + "/article")
    assert fetch_url(server.url + "/article", allow_private=True).title is not None


@pytest.fixture
def victim() -> Iterator[_Server]:
    """A second server, on 127.0.0.2, that a redirect must not reach."""
    try:
        srv = _Server("127.0.0.2")
    except OSError:
        pytest.skip("cannot listen on 127.0.0.2")
    yield srv
    srv.close()


def test_every_redirect_hop_is_checked(
    server: _Server, victim: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend 127.0.0.1 (the first hop) is public, so the guard lets the first request out;
    # its redirect to 127.0.0.2, and to cloud metadata, must still be refused.
    real = fetch._non_public
    monkeypatch.setattr(
        fetch, "_non_public", lambda a: None if str(a) == "127.0.0.1" else real(a)
    )
    secret = f"{victim.url}/article"
    start = f"{server.url}/redirect?to={secret}"
    with pytest.raises(InputError) as info:
        fetch_url(start)
    assert str(info.value) == (
        f"refusing to fetch {secret} (redirected from {start}): 127.0.0.2 is a loopback "
        "address (pass --allow-private to allow it)"
    )
    assert server.paths[-1] == f"/redirect?to={secret}"  # the first hop did go out
    assert victim.paths == []  # the second never did
    with pytest.raises(InputError, match=r"169\.254\.169\.254 is a link-local address"):
        fetch_url(f"{server.url}/redirect?to=http://169.254.169.254/latest/meta-data/")
    # the same redirect, allowed, does reach the victim: the refusal above was the guard
    article = fetch_url(start, allow_private=True)
    assert article.title is not None and article.title.text == TITLE
    assert victim.paths == ["/article"]
