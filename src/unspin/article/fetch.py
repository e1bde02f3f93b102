"""URLs: fetching an http(s) page with httpx, within size and time limits, public hosts only.

Three guards sit between a URL and the network:

- one total deadline (:func:`_time_left`) for the whole download: DNS, every connection, TLS
  handshake, every read and write of every redirect hop. Each socket operation gets at most the
  time left, so a server that trickles a byte a second is cut off at the deadline too;
- an SSRF guard (:func:`_public_addresses`): before any connection, to the first URL or to a
  redirect target, the host is resolved and refused if any address is loopback, private,
  link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved or
  otherwise not public. The socket then connects to the very address that was checked;
- a size cap on the body, applied after gzip/deflate decoding, decoded in bounded steps so a
  gzip bomb stops at the cap.

Redirects are followed here, not by httpx, so each hop is counted and its scheme checked.
"""

from __future__ import annotations

import email.message
import functools
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from unspin.article.decoding import (
    _UNICODE_BOMS,
    _check_text,
    _codec,
    _decode_html_bytes,
    decode_bytes,
)
from unspin.article.dispatch import MAX_BYTES, _articles_from_text, _single
from unspin.article.model import Article, _collapse
from unspin.errors import FetchError, InputError

USER_AGENT = "unspin/0.1 (+https://github.com/unspin)"

_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
    "Accept-Encoding": "identity",
}
_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
_JSON_TYPES = frozenset(("application/json", "application/x-ndjson", "application/jsonl"))
_BINARY_TYPE = re.compile(r"^(?:image|audio|video|font)/|^application/(?:pdf|zip|gzip|x-tar)")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def fetch_url(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = 5,
    allow_private: bool = False,
) -> Article:
    """Fetch an http(s) URL and read the page as an article.

    ``url`` is an absolute http or https URL. The download (DNS, connections, every redirect,
    the body) must finish within ``timeout`` seconds in total; at most ``max_redirects``
    redirects are followed, to http(s) addresses only, and at most ``max_bytes`` bytes of
    (decoded) body are read. Unless ``allow_private`` is true, hosts that resolve to a
    non-public address (loopback, private, link-local, carrier-grade NAT...) are refused, for
    the URL itself and for every redirect target.

    Returns the page as an :class:`Article`: HTML goes to :func:`parse_html`, plain text to
    :func:`parse_text`, JSON to the record reader; ``Article.url`` is the URL given.

    Raises :class:`InputError` for a non-http(s) or malformed URL, a refused (non-public) host,
    and an over-size, non-text or empty page; :class:`FetchError` ("could not fetch URL:
    <reason>") for any network or HTTP failure, including the deadline passing.
    """
    url = url.strip()
    _check_url(url)
    data, content_type = _download(
        url,
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        allow_private=allow_private,
    )
    ctype, charset = _parse_content_type(content_type)
    if _BINARY_TYPE.match(ctype):
        raise InputError(f"the URL returned {ctype}, not an HTML page or text")
    if not data.strip():
        raise InputError("the URL returned an empty page")
    kind = "html" if ctype in _HTML_TYPES else "text" if ctype == "text/plain" else None
    kind = "records" if ctype in _JSON_TYPES else kind
    text = _decode_response(data, _codec(charset), kind)
    return _single(_articles_from_text(text, kind, url=url))


def fetch_bytes(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = 5,
    allow_private: bool = False,
) -> bytes:
    """The body of ``url`` as bytes (a feed, say), under the same deadline, size cap, redirect
    limit and address guard as :func:`fetch_url`; the same errors."""
    url = url.strip()
    _check_url(url)
    data, _ = _download(url, timeout=timeout, max_bytes=max_bytes,
                        max_redirects=max_redirects, allow_private=allow_private)
    if not data.strip():
        raise InputError("the URL returned an empty page")
    return data


def _check_url(url: str) -> None:
    """Raise :class:`InputError` unless ``url`` is an http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InputError(f"not a valid URL: {url}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "no scheme"
        raise InputError(f"only http and https URLs can be fetched, not {scheme}: {url}")
    if not parts.hostname:
        raise InputError(f"not a valid URL (no host): {url}")


# --------------------------------------------------------------------------------------------
# the deadline
# --------------------------------------------------------------------------------------------


def _time_left(deadline: float) -> float:
    """Seconds left until ``deadline`` (a :func:`time.monotonic` value), always > 0.

    Raises :class:`TimeoutError` once the deadline has passed. Every blocking step of a
    download asks this first and blocks for at most the answer, which is what makes the
    timeout one total deadline rather than a limit per operation.
    """
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the download took too long")
    return left


# --------------------------------------------------------------------------------------------
# the SSRF guard
# --------------------------------------------------------------------------------------------


def _non_public(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched ("a loopback address", ...), or None if public.

    IPv6 addresses that embed an IPv4 one (IPv4-mapped ``::ffff:a.b.c.d``, NAT64
    ``64:ff9b::a.b.c.d``, 6to4 ``2002:...``) are judged by the embedded address.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return _non_public(embedded)
    checks = (
        (address.is_unspecified, "an unspecified"),
        (address.is_loopback, "a loopback"),
        (address.is_link_local, "a link-local"),
        (address.is_multicast, "a multicast"),
        (address in _CGNAT, "a carrier-grade NAT"),
        (any(address in net for net in _PRIVATE_NETWORKS), "a private"),
        (isinstance(address, ipaddress.IPv6Address) and address.is_site_local, "a site-local"),
        (address.is_reserved, "a reserved"),
        (not address.is_global, "a special-use (non-public)"),
    )
    for hit, kind in checks:
        if hit:
            return f"{kind} address"
    return None


class _Refused(Exception):
    """A host resolved to a non-public address; the message says which and why."""


def _resolve(host: str, port: int, deadline: float) -> list[str]:
    """The addresses ``host`` resolves to, as IP strings in resolver order, without repeats.

    :func:`socket.getaddrinfo` runs in a daemon thread so that a slow DNS server counts
    against ``deadline`` (:class:`TimeoutError`); a failed lookup raises its
    :class:`socket.gaierror`.
    """
    box: list[Any] = []

    def lookup() -> None:
        try:
            box.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            box.append(exc)

    thread = threading.Thread(target=lookup, name="unspin-dns", daemon=True)
    thread.start()
    thread.join(_time_left(deadline))
    if not box:
        raise TimeoutError(f"looking up {host} took too long")
    if isinstance(box[0], BaseException):
        raise box[0]
    return list(dict.fromkeys(str(info[4][0]) for info in box[0]))


def _public_addresses(host: str, port: int, deadline: float) -> list[str]:
    """The addresses of ``host``, all of them public, to connect to (in order).

    This is the per-connection SSRF check: it runs before every new connection, for the first
    URL and for every redirect hop. Raises :class:`_Refused` if ANY address is non-public,
    :class:`socket.gaierror` for an unknown host, :class:`TimeoutError` past the deadline.
    """
    addresses = _resolve(host, port, deadline)
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        reason = _non_public(address)
        if reason is not None:
            literal = _as_ip(host)
            if literal is not None and literal == address:
                raise _Refused(f"{host} is {reason}")
            raise _Refused(f"{host} resolves to {text}, {reason}")
    return addresses


def _as_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# httpx over a guarded network backend
# --------------------------------------------------------------------------------------------


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads, writes and TLS handshake never block past the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def _limit(self, timeout: float | None) -> float:
        left = _time_left(self._deadline)
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._limit(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._limit(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, self._limit(timeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, with the deadline and (unless allowed) the SSRF check.

    Each new connection resolves the host itself, checks every address, then connects to a
    checked address as an IP literal, so the address checked is the address connected to:
    a DNS answer that changes between check and connect (DNS rebinding) cannot slip a private
    address in. TLS still uses the URL's host name for SNI and certificate checks, since
    httpcore passes the origin's name to ``start_tls``. Only new connections pass through
    here; a kept-alive connection reused for a redirect to the same origin was checked when
    it was opened.
    """

    def __init__(self, deadline: float, allow_private: bool) -> None:
        self._deadline = deadline
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if self._allow_private:
            addresses = _resolve(host, port, self._deadline)
        else:
            addresses = _public_addresses(host, port, self._deadline)
        error: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(
                    address,
                    port,
                    timeout=_time_left(self._deadline),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        raise error or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default verifying TLS context (certifi's roots), built once."""
    return httpx.create_ssl_context()


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's HTTP transport on a :class:`_GuardedBackend`, with no proxies.

    httpx has no public parameter for a network backend, so the connection pool that
    ``HTTPTransport`` builds is replaced by one that uses ours (httpx's request/response and
    exception mapping stay as they are).
    """

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(), max_connections=4, network_backend=backend
        )


# --------------------------------------------------------------------------------------------
# the download
# --------------------------------------------------------------------------------------------


def _download(
    url: str, *, timeout: float, max_bytes: int, max_redirects: int, allow_private: bool
) -> tuple[bytes, str | None]:
    """The decoded body of ``url`` and its Content-Type header (None if absent).

    Network and HTTP trouble becomes :class:`FetchError`, a refused host or an invalid URL
    :class:`InputError`, an over-size body :class:`InputError`.
    """
    deadline = time.monotonic() + timeout
    transport = _GuardedTransport(_GuardedBackend(deadline, allow_private))
    try:
        with httpx.Client(
            transport=transport, headers=_HEADERS, timeout=timeout, trust_env=False
        ) as client:
            return _follow(
                client, url, max_bytes=max_bytes, max_redirects=max_redirects, deadline=deadline
            )
    except httpx.InvalidURL as exc:
        raise InputError(f"not a valid URL: {_collapse(str(exc))}") from exc
    except (httpx.HTTPError, OSError, ValueError) as exc:
        raise FetchError(f"could not fetch URL: {_reason(exc, timeout)}") from exc


def _follow(
    client: httpx.Client, url: str, *, max_bytes: int, max_redirects: int, deadline: float
) -> tuple[bytes, str | None]:
    """GET ``url``, following at most ``max_redirects`` http(s) redirects; body and type."""
    hop = httpx.URL(url)
    for redirects in range(max_redirects + 1):
        try:
            with client.stream("GET", hop) as response:
                if response.is_redirect:
                    hop = _redirect_target(response)
                    continue
                if not 200 <= response.status_code < 300:
                    phrase = response.reason_phrase or "error"
                    raise FetchError(f"could not fetch URL: HTTP {response.status_code} {phrase}")
                _check_length(response.headers, max_bytes)
                data = _read_limited(response, max_bytes, deadline)
                return data, response.headers.get("Content-Type")
        except _Refused as exc:
            where = f"{hop} (redirected from {url})" if redirects else url
            raise InputError(
                f"refusing to fetch {where}: {exc} (pass --allow-private to allow it)"
            ) from None
    raise FetchError(f"could not fetch URL: more than {max_redirects} redirects")


def _redirect_target(response: httpx.Response) -> httpx.URL:
    """The absolute http(s) URL a redirect response points to; else :class:`FetchError`."""
    location = response.headers["Location"].strip()
    try:
        target = response.url.join(location)
    except (httpx.InvalidURL, ValueError) as exc:
        reason = f"redirected to an invalid address {location}"
        raise FetchError(f"could not fetch URL: {reason}") from exc
    if target.scheme not in ("http", "https") or not target.host:
        raise FetchError(f"could not fetch URL: redirected to a non-HTTP address {location}")
    return target


def _reason(exc: BaseException, timeout: float) -> str:
    """A short human reason for a network failure (``exc`` or the error that caused it)."""
    link: BaseException | None = exc
    while link is not None:  # httpx wraps httpcore's error, which wraps the socket's
        if isinstance(link, TimeoutError | httpx.TimeoutException | httpcore.TimeoutException):
            return f"timed out after {timeout:g} s"
        if isinstance(link, socket.gaierror):
            return f"unknown host ({link.strerror})"
        if isinstance(link, OSError) and link.strerror:
            return link.strerror
        link = link.__cause__ or link.__context__
    return _collapse(str(exc)) or type(exc).__name__


def _too_large(max_bytes: int, size: int | None = None) -> InputError:
    limit = f"{max_bytes / 1_000_000:g} MB"
    detail = f" ({size} bytes)" if size is not None else ""
    return InputError(f"the page is larger than {limit}{detail}")


def _check_length(headers: httpx.Headers, max_bytes: int) -> None:
    """Raise the size error early when the declared Content-Length is over the cap."""
    length = headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise _too_large(max_bytes, int(length))


def _read_limited(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """The body of ``response``, gzip/deflate undone, at most ``max_bytes`` bytes of it.

    The raw body is streamed and inflated in bounded steps, so neither the compressed nor the
    inflated data ever grows much past the cap; more raises :class:`InputError`, a corrupt
    compressed body :class:`FetchError`, the deadline passing :class:`TimeoutError`.
    """
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    inflater = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        inflater = zlib.decompressobj(wbits)
    chunks: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        _time_left(deadline)
        chunk = raw if inflater is None else _inflate(inflater, raw, max_bytes - size + 1)
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
        if inflater is not None and inflater.eof:
            break
    return b"".join(chunks)


def _inflate(inflater: Any, data: bytes, limit: int) -> bytes:
    """At most ``limit`` bytes inflated from ``data`` (more means the page is over the cap)."""
    try:
        return inflater.decompress(data, limit)
    except zlib.error as exc:
        raise FetchError("could not fetch URL: the compressed body is corrupt") from exc


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    """The lower-case media type and the charset parameter of a Content-Type header."""
    if not value:
        return "", None
    message = email.message.Message()
    message["Content-Type"] = value
    return message.get_content_type().lower(), message.get_content_charset()


def _decode_response(data: bytes, codec: str | None, kind: str | None) -> str:
    """Text of a response body: the declared charset, else the HTML meta charset or detection."""
    if codec and not data.startswith(_UNICODE_BOMS):
        return _check_text(data.decode(codec, errors="replace"))
    if kind == "html":
        return _decode_html_bytes(data)
    return decode_bytes(data)
