"""Requests to articles, and articles to stored reports, within the server's limits.

Readers are chosen by the request's field names (``text`` -> :func:`parse_text`, ``html`` ->
:func:`parse_html`, ``url`` -> :func:`fetch_url`, an upload -> text or HTML by its declared
format), never by looking at a string and guessing whether it is a path.

:class:`AnalysisService` owns the loaded pipelines. The pipeline is not assumed to be
thread-safe: each pipeline object is used by one thread at a time, and at most
``max_concurrent_analyses`` run at once. At most ``max_queued_analyses`` more may wait; any
request beyond that is refused at once (:class:`Busy`, 429), and a request whose analysis has
not finished ``analysis_timeout_s`` after it was accepted gets :class:`AnalysisTimeout` (504).
An analysis that times out while running still finishes and is stored, so asking again
returns it at once. :meth:`AnalysisService.analyze_embedded` is the same for comparisons,
and also hands back the article's embedding from the analysis' own encoder pass.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from unspin.article import Article, decode_bytes, fetch_url, parse_html, parse_text
from unspin.errors import FetchError, InputError
from unspin.report import Report
from unspin.server.errors import AnalysisTimeout, ArticleTooLarge, Busy, URLRefused
from unspin.server.schemas import AnalyzeRequest, ArticleMeta
from unspin.server.settings import Settings, normalise_host
from unspin.store import Saved, Store, article_hash, versions_key

log = logging.getLogger("unspin.server")

_WARM_UP = ("Council approves budget\n\nThe city council approved the budget on Monday, "
            "officials said.")


# --------------------------------------------------------------------------------------------
# requests -> articles
# --------------------------------------------------------------------------------------------


def _apply_meta(article: Article, meta: ArticleMeta) -> Article:
    if meta.outlet:
        article.outlet = meta.outlet
    if meta.date:
        article.date = meta.date.isoformat()
    if meta.byline:
        article.byline = meta.byline
    if meta.source_url and not article.url:
        article.url = meta.source_url
    return article


def _check_size(text: str, settings: Settings) -> None:
    if len(text) > settings.max_article_chars:
        raise ArticleTooLarge(
            f"the article is {len(text):,} characters long; this server analyses articles of at "
            f"most {settings.max_article_chars:,} characters")


def from_text(text: str, meta: ArticleMeta, settings: Settings) -> Article:
    """A plain-text article."""
    _check_size(text, settings)
    return _apply_meta(parse_text(text, url=meta.source_url), meta)


def from_html(html: str, meta: ArticleMeta, settings: Settings) -> Article:
    """An article from an HTML page (the request size limit bounds the page; the article
    size limit applies to the text extracted from it)."""
    article = _apply_meta(parse_html(html, url=meta.source_url), meta)
    _check_size(article.text, settings)
    return article


_REFUSAL_HINT = " (pass --allow-private to allow it)"


def from_url(url: str, meta: ArticleMeta, settings: Settings) -> Article:
    """Fetch ``url``. Private, loopback and link-local addresses are refused after DNS
    resolution and on every redirect; no request can lift that. Hosts the operator allowed
    (``allowed_private_hosts``, exact names) are fetched with no redirect followed, so an
    allowed host cannot bounce the fetch anywhere else."""
    url = url.strip()
    try:
        host = normalise_host(urlsplit(url).hostname or "")
    except ValueError:
        host = ""
    allowed = bool(host) and host in settings.allowed_hosts
    try:
        article = fetch_url(url, timeout=settings.fetch_timeout_s,
                            max_bytes=settings.max_fetch_bytes,
                            max_redirects=0 if allowed else 5, allow_private=allowed)
    except InputError as exc:
        message = str(exc)
        if message.startswith("refusing to fetch"):
            raise URLRefused(
                message.removesuffix(_REFUSAL_HINT)
                + " (this server fetches public addresses only)") from None
        raise
    except FetchError as exc:
        if allowed and "more than 0 redirects" in str(exc):
            raise FetchError(f"could not fetch URL: {host} is an allowed private host, and "
                             "redirects from allowed hosts are not followed") from None
        raise
    _check_size(article.text, settings)
    return _apply_meta(article, meta)


def from_request(request: AnalyzeRequest, settings: Settings) -> Article:
    """The article a JSON request names, by the field it is given in."""
    if request.text is not None:
        return from_text(request.text, request, settings)
    if request.html is not None:
        return from_html(request.html, request, settings)
    assert request.url is not None
    return from_url(request.url, request, settings)


_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def upload_format(filename: str | None, content_type: str | None, text: str) -> str:
    """"html" or "text" for an uploaded file whose format was not given: by its name, then its
    declared type, then whether it starts like an HTML document."""
    name = (filename or "").lower()
    if name.endswith(_HTML_SUFFIXES):
        return "html"
    if name.endswith((".txt", ".text", ".md")):
        return "text"
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if ctype == "text/plain":
        return "text"
    head = text.lstrip()[:512].lower()
    return "html" if head.startswith(("<!doctype html", "<html", "<?xml")) else "text"


def from_upload(data: bytes, filename: str | None, content_type: str | None, fmt: str,
                meta: ArticleMeta, settings: Settings) -> Article:
    """An uploaded file's article: bytes decoded (BOM, UTF-8, detection), then read as text
    or HTML (``fmt``: "text", "html" or "auto")."""
    if not data.strip():
        raise InputError("the uploaded file is empty")
    text = decode_bytes(data)
    kind = upload_format(filename, content_type, text) if fmt == "auto" else fmt
    if kind == "html":
        return from_html(text, meta, settings)
    return from_text(text, meta, settings)


# --------------------------------------------------------------------------------------------
# articles -> stored reports
# --------------------------------------------------------------------------------------------


def unspin_analyzer(first: bool, threads: int | None) -> Any:
    """unspin's pipeline: the process-wide default for the first slot, a fresh one (its own
    loaded models) for every other."""
    from unspin.pipeline import Analyzer, default_analyzer

    if first and threads is None:
        return default_analyzer()
    return Analyzer(threads=threads)


class AnalysisService:
    """Runs analyses on a fixed set of pipelines and stores their reports."""

    def __init__(self, settings: Settings, store: Store,
                 factory: Callable[[], Any] | None = None) -> None:
        self.settings = settings
        self.store = store
        n = settings.max_concurrent_analyses
        build = factory or settings.analyzer_factory
        if build is None:
            pipelines = [unspin_analyzer(i == 0, settings.analyzer_threads) for i in range(n)]
        else:
            pipelines = [build() for _ in range(n)]
        self._free: queue.Queue[Any] = queue.Queue()
        for pipeline in pipelines:
            self._free.put(pipeline)
        self.versions: dict[str, str] = dict(pipelines[0].versions())
        self.versions_key = versions_key(self.versions)
        self.slots = n + settings.max_queued_analyses
        self._admitted = threading.BoundedSemaphore(self.slots)
        self._executor = ThreadPoolExecutor(max_workers=n, thread_name_prefix="unspin-analysis")
        self._lock = threading.Lock()
        self._running = 0
        self._embedders: dict[int, Any] = {}

    @property
    def running(self) -> int:
        """Analyses running or waiting now."""
        with self._lock:
            return self._running

    def warm_up(self) -> None:
        """Analyse a short text with every pipeline, so models are loaded before requests."""
        pipelines = [self._free.get() for _ in range(self.settings.max_concurrent_analyses)]
        try:
            for pipeline in pipelines:
                pipeline(parse_text(_WARM_UP))
        finally:
            for pipeline in pipelines:
                self._free.put(pipeline)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def lookup(self, article: Article) -> Saved | None:
        """The stored report of this very article by the current models, if any."""
        return self.store.find(article_hash(article), self.versions_key)

    def analyze(self, article: Article) -> tuple[Saved, Report | None]:
        """The stored report of ``article``: found (no analysis), or analysed and stored now.
        The report is returned when it was analysed here (None when it was found)."""
        found = self.lookup(article)
        if found is not None:
            return found, None
        return self._run(self._job, article)

    def analyze_embedded(self, article: Article, timeout: float | None = None
                         ) -> tuple[Report, np.ndarray | None]:
        """For comparisons: the report of ``article`` (the stored one, or analysed and stored
        now, as :meth:`analyze`) and its embedding for grouping, from the same encoder pass
        as the analysis (a stored report gets one encoder pass, on a worker like an
        analysis). The embedding is None when the pipeline has no shipped encoder.

        ``timeout``: seconds to wait, at most (and by default) ``analysis_timeout_s``.
        Raises :class:`Busy` and :class:`AnalysisTimeout` as :meth:`analyze` does."""
        found = self.lookup(article)
        stored = self.store.get(found.id) if found is not None else None
        if stored is not None:
            return self._run(self._embed_job, stored.report, timeout)
        return self._run(self._compare_job, article, timeout)

    def _run(self, job: Callable[[Any], Any], arg: Any, timeout: float | None = None) -> Any:
        """``job(arg)`` on a worker, if a slot is free (else :class:`Busy`), waiting for its
        result at most ``timeout`` seconds (default and cap: ``analysis_timeout_s``; beyond:
        :class:`AnalysisTimeout`, and the job still finishes)."""
        limit = self.settings.analysis_timeout_s
        wait = limit if timeout is None else min(timeout, limit)
        if not self._admitted.acquire(blocking=False):
            raise Busy(f"the server is busy ({self.slots} analyses running or waiting); "
                       "try again in a few seconds")
        with self._lock:
            self._running += 1
        try:
            future: Future = self._executor.submit(job, arg)
        except RuntimeError:
            self._release(None)
            raise
        future.add_done_callback(self._release)
        try:
            return future.result(timeout=wait)
        except (FutureTimeout, CancelledError):
            future.cancel()
            raise AnalysisTimeout(f"the analysis did not finish within {wait:g} s") from None

    def _release(self, _future: Future | None) -> None:
        with self._lock:
            self._running -= 1
        self._admitted.release()

    def _job(self, article: Article) -> tuple[Saved, Report]:
        pipeline = self._free.get()
        try:
            report = pipeline(article)
        finally:
            self._free.put(pipeline)
        return self.store.add(report), report

    def _embedder(self, pipeline: Any) -> Any | None:
        """The embedding analyser over ``pipeline`` (built on its first use, by the thread
        holding the pipeline), or None when it is not unspin's Analyzer with an encoder."""
        key = id(pipeline)
        if key not in self._embedders:
            self._embedders[key] = embedder_of(pipeline)
        return self._embedders[key]

    def _compare_job(self, article: Article) -> tuple[Report, np.ndarray | None]:
        pipeline = self._free.get()
        try:
            embedder = self._embedder(pipeline)
            if embedder is None:
                report, vector = pipeline(article), None
            else:
                report, vector = embedder(article)
        finally:
            self._free.put(pipeline)
        self.store.add(report)
        return report, vector

    def _embed_job(self, report: Report) -> tuple[Report, np.ndarray | None]:
        from unspin.compare.analysis import embed_report

        pipeline = self._free.get()
        try:
            embedder = self._embedder(pipeline)
            vector = None if embedder is None else embed_report(report,
                                                                pipeline.models.encoder)
        finally:
            self._free.put(pipeline)
        return report, vector


def embedder_of(pipeline: Any) -> Any | None:
    """A callable ``article -> (Report, embedding)`` sharing ``pipeline``'s loaded models
    (:func:`unspin.compare.analysis.embedding_analyzer`), or None when ``pipeline`` is not
    unspin's :class:`~unspin.pipeline.Analyzer` or has no shipped encoder (its first call
    loads the encoder, as the pipeline's own first analysis would)."""
    from unspin.pipeline import Analyzer

    if not isinstance(pipeline, Analyzer) or pipeline.models.encoder is None:
        return None
    from unspin.compare.analysis import embedding_analyzer

    return embedding_analyzer(pipeline)
