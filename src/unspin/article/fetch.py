"""URLs: fetching an http(s) page with the standard library, within size and time limits."""

from __future__ import annotations

import re
import socket
import time
import urllib.error
import urllib.request
import zlib
from http.client import HTTPException, HTTPMessage
from typing import IO, Any
from urllib.parse import urlsplit

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

_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
_JSON_TYPES = frozenset(("application/json", "application/x-ndjson", "application/jsonl"))
_BINARY_TYPE = re.compile(r"^(?:image|audio|video|font)/|^application/(?:pdf|zip|gzip|x-tar)")


class _CountingRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows at most ``max_redirects`` redirects, to http(s) addresses only."""

    def __init__(self, max_redirects: int) -> None:
        super().__init__()
        self.max_redirects = max_redirects
        self.count = 0
        self.max_repeats = max_redirects + 1
        self.max_redirections = max_redirects + 1

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        self.count += 1
        if self.count > self.max_redirects:
            fp.close()
            raise FetchError(f"could not fetch URL: more than {self.max_redirects} redirects")
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            fp.close()
            raise FetchError(f"could not fetch URL: redirected to a non-HTTP address {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = 5,
) -> Article:
    """Fetch an http(s) URL and read the page as an article.

    Follows at most ``max_redirects`` redirects, reads at most ``max_bytes`` bytes and gives up
    after ``timeout`` seconds. HTML goes to :func:`parse_html`, plain text to
    :func:`parse_text`; ``Article.url`` is the URL given.

    Raises :class:`InputError` for a non-http(s) URL, an over-size or non-text page, and
    :class:`FetchError` ("could not fetch URL: <reason>") for any network or HTTP failure.
    """
    url = url.strip()
    _check_url(url)
    data, headers = _download(
        url, timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects
    )
    ctype = (headers.get_content_type() if headers.get("Content-Type") else "").lower()
    if _BINARY_TYPE.match(ctype):
        raise InputError(f"the URL returned {ctype}, not an HTML page or text")
    if not data.strip():
        raise InputError("the URL returned an empty page")
    kind = "html" if ctype in _HTML_TYPES else "text" if ctype == "text/plain" else None
    kind = "records" if ctype in _JSON_TYPES else kind
    text = _decode_response(data, _codec(headers.get_content_charset()), kind)
    return _single(_articles_from_text(text, kind, url=url))


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InputError(f"not a valid URL: {url}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "no scheme"
        raise InputError(f"only http and https URLs can be fetched, not {scheme}: {url}")
    if not parts.hostname:
        raise InputError(f"not a valid URL (no host): {url}")


def _download(
    url: str, *, timeout: float, max_bytes: int, max_redirects: int
) -> tuple[bytes, HTTPMessage]:
    """Body bytes and headers of ``url``; network trouble becomes :class:`FetchError`."""
    opener = urllib.request.build_opener(_CountingRedirectHandler(max_redirects))
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "identity",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            _check_length(response.headers, max_bytes)
            data = _read_limited(response, max_bytes, deadline)
            data = _decompress(data, response.headers.get("Content-Encoding"), max_bytes)
            return data, response.headers
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(f"could not fetch URL: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(f"could not fetch URL: {_reason(exc.reason, timeout)}") from exc
    except (OSError, HTTPException, ValueError) as exc:
        raise FetchError(f"could not fetch URL: {_reason(exc, timeout)}") from exc


def _reason(reason: object, timeout: float) -> str:
    """A short human reason for a network failure."""
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason.strerror})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return _collapse(str(reason)) or type(reason).__name__


def _too_large(max_bytes: int, size: int | None = None) -> InputError:
    limit = f"{max_bytes / 1_000_000:g} MB"
    detail = f" ({size} bytes)" if size is not None else ""
    return InputError(f"the page is larger than {limit}{detail}")


def _check_length(headers: Any, max_bytes: int) -> None:
    length = headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise _too_large(max_bytes, int(length))


def _read_limited(response: Any, max_bytes: int, deadline: float) -> bytes:
    """At most ``max_bytes`` of the body; more raises InputError, a late body times out."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        if time.monotonic() > deadline:
            raise TimeoutError("the download took too long")


def _decompress(data: bytes, encoding: str | None, max_bytes: int) -> bytes:
    """Undo gzip/deflate content encoding (servers may send it unasked), within the limit."""
    encoding = (encoding or "").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return data
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        decompressor = zlib.decompressobj(wbits)
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise FetchError("could not fetch URL: the compressed body is corrupt") from exc
    if len(out) > max_bytes:
        raise _too_large(max_bytes)
    return out


def _decode_response(data: bytes, codec: str | None, kind: str | None) -> str:
    """Text of a response body: the declared charset, else the HTML meta charset or detection."""
    if codec and not data.startswith(_UNICODE_BOMS):
        return _check_text(data.decode(codec, errors="replace"))
    if kind == "html":
        return _decode_html_bytes(data)
    return decode_bytes(data)
