"""HTTP errors: unspin's error classes mapped to status codes, in one table, and the handlers
that answer every error as ``{"detail": "<one line>", "error": "<kind>"}``.

    InputError, LanguageError    422  the article cannot be read or analysed
    ArticleTooLarge              422  over the article size limit
    URLRefused                   422  a URL on a private, loopback or link-local address
    TooFewArticles               422  a comparison with fewer than two readable articles
    RequestTooLarge              413  over the request size limit
    TooManyArticles              413  more articles than one comparison may send
    Busy                         429  every analysis slot is taken (Retry-After)
    AnalysisTimeout              504  the analysis took longer than the limit
    FetchError                   502  the URL could not be fetched
    ModelError, StoreError       503  the server is not in a state to analyse or store
    NotFound                     404
    Unauthorized                 401  (WWW-Authenticate: Bearer)
    Forbidden                    403
    any other UnspinError        400
    anything else (a bug)        500  logged with its traceback
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from unspin.errors import FetchError, InputError, LanguageError, ModelError, UnspinError
from unspin.store import StoreError

log = logging.getLogger("unspin.server")


class ArticleTooLarge(InputError):
    """The article is longer than the server analyses."""


class URLRefused(InputError):
    """The URL points at an address the server never fetches."""


class RequestTooLarge(InputError):
    """The request body is larger than the server accepts."""


class TooManyArticles(RequestTooLarge):
    """More articles in one comparison than the server compares."""


class TooFewArticles(InputError):
    """Fewer than two articles of a comparison could be read and analysed."""


class Busy(UnspinError):
    """Every analysis slot is taken; try again shortly."""


class AnalysisTimeout(UnspinError):
    """The analysis did not finish within the server's limit."""


class NotFound(UnspinError):
    """No such stored report."""


class Unauthorized(UnspinError):
    """No valid bearer token."""


class Forbidden(UnspinError):
    """The request is refused (cross-origin, or an unexpected Host)."""


#: (class, status, kind): the first class an error is an instance of decides.
STATUS: tuple[tuple[type[UnspinError], int, str], ...] = (
    (TooManyArticles, 413, "too_many_articles"),
    (RequestTooLarge, 413, "request_too_large"),
    (TooFewArticles, 422, "too_few_articles"),
    (ArticleTooLarge, 422, "article_too_large"),
    (URLRefused, 422, "url_refused"),
    (LanguageError, 422, "not_english"),
    (InputError, 422, "bad_input"),
    (Busy, 429, "busy"),
    (AnalysisTimeout, 504, "analysis_timeout"),
    (FetchError, 502, "fetch_failed"),
    (ModelError, 503, "model_unavailable"),
    (StoreError, 503, "store_unavailable"),
    (NotFound, 404, "not_found"),
    (Unauthorized, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (UnspinError, 400, "error"),
)


def status_of(error: UnspinError) -> tuple[int, str]:
    """The HTTP status and error kind for ``error``."""
    for cls, status, kind in STATUS:
        if isinstance(error, cls):
            return status, kind
    return 400, "error"


def error_response(status: int, kind: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    message = " ".join(str(message).split()) or kind.replace("_", " ")
    return JSONResponse({"detail": message, "error": kind}, status_code=status,
                        headers=headers)


def _headers(error: UnspinError) -> dict[str, str] | None:
    if isinstance(error, Busy):
        return {"Retry-After": "2"}
    if isinstance(error, Unauthorized):
        return {"WWW-Authenticate": 'Bearer realm="unspin"'}
    return None


async def _unspin_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnspinError)
    status, kind = status_of(exc)
    if status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
    return error_response(status, kind, str(exc), _headers(exc))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    parts = []
    for err in errors[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query"))
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    message = "invalid request: " + "; ".join(parts) if parts else "invalid request"
    return error_response(422, "invalid_request", message)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    kinds = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}
    return error_response(exc.status_code, kinds.get(exc.status_code, "http_error"),
                          str(exc.detail), dict(exc.headers or {}) or None)


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "the server failed on this request; the "
                          "error is in its log")


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""
    app.add_exception_handler(Exception, _bug)
    app.add_exception_handler(UnspinError, _unspin_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
