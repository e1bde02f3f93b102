"""Authentication, request limits and the browser-facing security headers.

* Bearer tokens (:func:`require_token`): when tokens are configured every ``/api`` route but
  the schema needs ``Authorization: Bearer <token>``; tokens are compared in constant time.
  Without tokens the server only listens on loopback (:meth:`Settings.check`), and
  :class:`LoopbackGuard` then refuses requests whose ``Host`` is not a loopback name (so a
  web page cannot reach the API through DNS rebinding) and cross-origin writes (CSRF).
* :class:`BodyLimit` answers 413 for a body over ``max_request_bytes``, declared or streamed,
  before any route sees it.
* :class:`SecurityHeaders` sets a strict Content-Security-Policy on every response: scripts,
  styles and connections from the server itself only, no inline script or style, no
  framing; plus ``nosniff``, ``no-referrer`` and ``no-store`` on API answers.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unspin.server.errors import Unauthorized
from unspin.server.settings import Settings, is_loopback

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

_BEARER = HTTPBearer(auto_error=False, description="A token from UNSPIN_API_TOKENS.")


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
) -> None:
    """Dependency: a valid bearer token, when the server has tokens configured."""
    settings = settings_of(request)
    if not settings.auth_required:
        return
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("this server needs an API token: send Authorization: Bearer <token>")
    given = credentials.credentials.encode("utf-8")
    ok = False
    for token in settings.tokens:
        ok |= hmac.compare_digest(given, token.encode("utf-8"))
    if not ok:
        raise Unauthorized("the API token is not valid")


async def _send_json(send: Send, status: int, body: dict[str, Any],
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close"), *(headers or [])]})
    await send({"type": "http.response.body", "body": data})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether declared in
    Content-Length or streamed in chunks (the body is read up to the limit, then replayed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _too_large(self) -> dict[str, str]:
        mb = self.limit / 1_000_000
        return {"detail": f"the request is larger than this server accepts ({mb:g} MB)",
                "error": "request_too_large"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.limit:
            await _send_json(send, 413, self._too_large())
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _send_json(send, 413, self._too_large())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class LoopbackGuard:
    """Without authentication: only loopback Host names, and no cross-origin writes."""

    _UNSAFE = frozenset(("POST", "PUT", "PATCH", "DELETE"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    @staticmethod
    def _hostname(host: str) -> str:
        host = host.strip().lower()
        if host.startswith("["):
            return host[1:].split("]", 1)[0]
        return host.rsplit(":", 1)[0] if host.count(":") == 1 else host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host") or ""
        if not is_loopback(self._hostname(host)):
            await _send_json(send, 403, {
                "detail": "this server answers only requests addressed to 127.0.0.1 or "
                          "localhost (configure UNSPIN_API_TOKENS to serve other names)",
                "error": "forbidden"})
            return
        origin = _header(scope, b"origin")
        if scope["method"] in self._UNSAFE and origin and origin != "null":
            netloc = origin.split("://", 1)[-1].rstrip("/").lower()
            if netloc != host.strip().lower():
                await _send_json(send, 403, {"detail": "cross-origin requests are refused",
                                             "error": "forbidden"})
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """CSP and friends on every response; ``Cache-Control: no-store`` on API answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                ]
                if api and b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                headers += [(k, v) for k, v in extra if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
