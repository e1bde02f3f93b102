"""The server's settings: every limit and switch of ``unspin serve`` in one object.

Build it with :meth:`Settings.from_env` (environment variables, then keyword overrides) or
directly; :meth:`Settings.check` raises :class:`ServeError` with a one-line message for a
setting that cannot work (a public bind address without tokens, a limit below 1, ...).

Environment variables (all optional):

``UNSPIN_API_TOKENS``         bearer tokens, separated by commas or spaces
``UNSPIN_DB``                 the store's database URL (``--db`` wins)
``UNSPIN_ALLOW_HOSTS``        host names or IP addresses on private networks that URLs may
                              be fetched from (exact names, separated by commas or spaces)
``UNSPIN_MAX_REQUEST_BYTES``  largest request body (413 beyond)
``UNSPIN_MAX_ARTICLE_CHARS``  longest article text analysed (422 beyond)
``UNSPIN_MAX_CONCURRENT``     analyses running at once (one loaded pipeline each)
``UNSPIN_MAX_QUEUED``         analyses waiting for a pipeline (429 beyond)
``UNSPIN_ANALYSIS_TIMEOUT``   seconds an analysis may take, waiting included (504 beyond)
``UNSPIN_FETCH_TIMEOUT``      seconds a URL fetch may take, all redirects included
``UNSPIN_MAX_COMPARE``        articles one ``POST /api/compare`` may send (413 beyond)
``UNSPIN_COMPARE_TIMEOUT``    seconds a comparison may take, fetching and analysing included
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from unspin.errors import UnspinError

_LOOPBACK_NAMES = frozenset(("localhost", "localhost.localdomain", "ip6-localhost"))
MIN_TOKEN_LENGTH = 16


class ServeError(UnspinError):
    """The server cannot start with these settings."""


def is_loopback(host: str) -> bool:
    """True for a bind address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    host = host.strip().strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _split(value: str | None) -> frozenset[str]:
    return frozenset(part for part in re.split(r"[\s,]+", value or "") if part)


def normalise_host(host: str) -> str:
    """A host name or IP literal as URLs are compared against the allow-list."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


@dataclass(frozen=True)
class Settings:
    """What ``unspin serve`` listens on, where it stores reports, and its limits."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: SQLAlchemy URL of the store; None: the default SQLite file.
    db_url: str | None = None
    #: Accepted bearer tokens. Empty: no authentication (allowed on loopback only).
    tokens: frozenset[str] = frozenset()
    #: Largest request body in bytes (text, HTML, upload): 413 beyond.
    max_request_bytes: int = 8_000_000
    #: Longest article text (code points) the server analyses: 422 beyond.
    max_article_chars: int = 200_000
    #: Analyses that run at once; each has its own loaded pipeline.
    max_concurrent_analyses: int = 1
    #: Analyses that may wait for a free pipeline; more at once are answered 429.
    max_queued_analyses: int = 8
    #: Seconds from accepting an analysis to its report, waiting included: 504 beyond.
    analysis_timeout_s: float = 60.0
    #: Seconds a URL fetch may take in total (DNS, redirects, body).
    fetch_timeout_s: float = 15.0
    #: Largest fetched page, in bytes after decompression.
    max_fetch_bytes: int = 5_000_000
    #: Articles one comparison (``POST /api/compare``) may send: 413 beyond.
    max_compare_articles: int = 20
    #: Seconds a comparison may take in all (fetches and analyses); articles not analysed by
    #: then are reported as not analysed. Each analysis also has ``analysis_timeout_s``.
    compare_timeout_s: float = 300.0
    #: Hosts on private networks the operator allows URLs to be fetched from (exact names
    #: or IP literals). Such URLs are fetched without following redirects.
    allowed_private_hosts: frozenset[str] = frozenset()
    #: ONNX Runtime threads per pipeline (None: its default).
    analyzer_threads: int | None = None
    #: Builds one analysis pipeline (a callable Article -> Report with ``versions()``);
    #: None: unspin's own (the first one is :func:`unspin.pipeline.default_analyzer`).
    analyzer_factory: Callable[[], Any] | None = field(default=None, compare=False)
    #: Analyse a short text at startup so the first request does not pay for model loading.
    warm_up: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from the ``UNSPIN_*`` environment variables, then ``overrides`` (keyword
        arguments named like the fields; a ``None`` override is ignored, except for
        ``db_url``, where None falls back to ``UNSPIN_DB``)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if env.get("UNSPIN_API_TOKENS"):
            values["tokens"] = _split(env["UNSPIN_API_TOKENS"])
        if env.get("UNSPIN_DB"):
            values["db_url"] = env["UNSPIN_DB"]
        if env.get("UNSPIN_ALLOW_HOSTS"):
            values["allowed_private_hosts"] = _split(env["UNSPIN_ALLOW_HOSTS"])
        numbers = {
            "UNSPIN_MAX_REQUEST_BYTES": ("max_request_bytes", int),
            "UNSPIN_MAX_ARTICLE_CHARS": ("max_article_chars", int),
            "UNSPIN_MAX_CONCURRENT": ("max_concurrent_analyses", int),
            "UNSPIN_MAX_QUEUED": ("max_queued_analyses", int),
            "UNSPIN_ANALYSIS_TIMEOUT": ("analysis_timeout_s", float),
            "UNSPIN_FETCH_TIMEOUT": ("fetch_timeout_s", float),
            "UNSPIN_MAX_COMPARE": ("max_compare_articles", int),
            "UNSPIN_COMPARE_TIMEOUT": ("compare_timeout_s", float),
        }
        for var, (name, kind) in numbers.items():
            if env.get(var):
                try:
                    values[name] = kind(env[var])
                except ValueError:
                    raise ServeError(f"{var} must be a number, not {env[var]!r}") from None
        for name, value in overrides.items():
            if name not in {f.name for f in dataclasses.fields(cls)}:
                raise TypeError(f"unknown setting {name!r}")
            if value is not None:
                values[name] = frozenset(value) if isinstance(value, list | tuple | set) \
                    else value
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @property
    def auth_required(self) -> bool:
        """Whether requests must carry a bearer token: always when tokens are configured."""
        return bool(self.tokens)

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(normalise_host(h) for h in self.allowed_private_hosts)

    def check(self) -> None:
        """Raise :class:`ServeError` unless these settings can serve safely."""
        if not self.tokens and not is_loopback(self.host):
            raise ServeError(
                f"refusing to listen on {self.host} without authentication: set "
                "UNSPIN_API_TOKENS to one or more secret tokens (comma-separated), or bind "
                "to 127.0.0.1")
        short = [tok for tok in self.tokens if len(tok) < MIN_TOKEN_LENGTH]
        if short:
            raise ServeError(f"UNSPIN_API_TOKENS: every token must be at least "
                             f"{MIN_TOKEN_LENGTH} characters long")
        if not 0 < self.port < 65536:
            raise ServeError(f"not a port number: {self.port}")
        for name in ("max_request_bytes", "max_article_chars", "max_concurrent_analyses",
                     "max_fetch_bytes"):
            if getattr(self, name) < 1:
                raise ServeError(f"{name} must be at least 1")
        if self.max_compare_articles < 2:
            raise ServeError("max_compare_articles must be at least 2")
        if self.max_queued_analyses < 0:
            raise ServeError("max_queued_analyses must not be negative")
        if min(self.analysis_timeout_s, self.fetch_timeout_s, self.compare_timeout_s) <= 0:
            raise ServeError("timeouts must be positive")
