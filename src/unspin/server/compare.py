"""``POST /api/compare``: several articles read, analysed and compared within the server's limits.

    compare_request(body, settings, service) -> Comparison

Each article is read as ``/api/analyze`` reads one (:mod:`unspin.server.analysis`: the same
size limit, URLs fetched from public addresses only with every redirect checked), analysed on
the server's bounded workers (:meth:`AnalysisService.analyze_embedded`, which stores each
report as ``/api/analyze`` does and keeps the encoder's embedding for grouping), then grouped
and told side by side by :func:`unspin.compare.compare_reports`: the answer is the
:class:`~unspin.compare.Comparison` that ``unspin compare --format json`` prints.

An article that cannot be read or analysed (refused or failed fetch, over the size limit, not
English, over its analysis time) is listed in the comparison's ``errors`` and the others are
compared; fewer than two analysed articles is :class:`TooFewArticles` (422), or
:class:`AnalysisTimeout` (504) when time limits are what left fewer than two. A server that
is busy (429), or whose models or store fail (503), fails the whole request.

Time: every fetch has ``fetch_timeout_s`` and every analysis ``analysis_timeout_s``; the whole
comparison has ``compare_timeout_s``, after which articles still to analyse are listed as not
analysed. URLs are fetched a few at a time; analyses run at most ``max_concurrent_analyses``
at a time for one request, each holding one of the service's slots while it runs or waits.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from unspin.article import Article
from unspin.compare import Comparison, compare_reports
from unspin.compare.api import unique_names
from unspin.compare.model import InputProblem
from unspin.errors import FetchError, InputError, LanguageError
from unspin.report import Report
from unspin.server import analysis as readers
from unspin.server.analysis import AnalysisService
from unspin.server.errors import AnalysisTimeout, TooFewArticles, TooManyArticles
from unspin.server.schemas import CompareArticle, CompareRequest
from unspin.server.settings import Settings

#: URLs of one comparison fetched at once.
FETCHERS = 4

#: Errors that make one article unusable without failing the comparison.
ARTICLE_ERRORS = (InputError, FetchError, LanguageError, AnalysisTimeout)


@dataclass
class Item:
    """One article of a comparison as it goes through: read, then analysed, or its error."""

    name: str
    request: CompareArticle
    article: Article | None = None
    report: Report | None = None
    vector: Any = None
    error: str | None = None
    timed_out: bool = False

    @property
    def usable(self) -> bool:
        return self.error is None


def article_name(article: CompareArticle, k: int) -> str:
    """The name of the ``k``-th article (from 0) in the comparison: its ``id``, else its
    ``url`` (or the ``source_url`` of pasted text or HTML), else ``article {k + 1}``."""
    url = (article.url or "").strip() or article.source_url
    return article.id or url or f"article {k + 1}"


def check_count(body: CompareRequest, settings: Settings) -> None:
    """Raise :class:`TooManyArticles` (413) when ``body`` sends more articles than
    ``settings.max_compare_articles``."""
    n, cap = len(body.articles), settings.max_compare_articles
    if n > cap:
        raise TooManyArticles(f"{n} articles sent; this server compares at most {cap} articles "
                              "in one request")


def read_article(request: CompareArticle, settings: Settings) -> Article:
    """The article one entry of the request names (its ``title``, for pasted text, put before
    the text as its first line). Raises what :func:`readers.from_request` raises."""
    if request.text is not None and request.title:
        request = request.model_copy(update={"text": f"{request.title}\n\n{request.text}"})
    return readers.from_request(request, settings)


def _read_into(item: Item, settings: Settings) -> None:
    try:
        item.article = read_article(item.request, settings)
    except ARTICLE_ERRORS as exc:
        item.error = str(exc)


def read_all(items: Sequence[Item], settings: Settings) -> None:
    """Read every item's article in place (``item.article``, or ``item.error``): pasted text
    and HTML here, URLs fetched :data:`FETCHERS` at a time."""
    urls = [item for item in items if item.request.url is not None]
    for item in items:
        if item.request.url is None:
            _read_into(item, settings)
    if not urls:
        return
    with ThreadPoolExecutor(max_workers=min(FETCHERS, len(urls)),
                            thread_name_prefix="unspin-fetch") as pool:
        list(pool.map(lambda item: _read_into(item, settings), urls))


def _analyse_into(item: Item, service: AnalysisService, deadline: float,
                  settings: Settings) -> None:
    """Analyse one read item in place (``item.report`` and ``item.vector``, or its error),
    waiting at most until ``deadline`` (a ``time.monotonic()`` value)."""
    if not item.usable or item.article is None:
        return
    late = f"not analysed: the comparison took longer than {settings.compare_timeout_s:g} s"
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        item.error, item.timed_out = late, True
        return
    cut = remaining < service.settings.analysis_timeout_s  # the deadline comes first
    try:
        item.report, item.vector = service.analyze_embedded(item.article, timeout=remaining)
    except AnalysisTimeout as exc:
        item.error, item.timed_out = (late if cut else str(exc)), True
    except ARTICLE_ERRORS as exc:
        item.error = str(exc)


def analyse_all(items: Sequence[Item], service: AnalysisService, settings: Settings,
                deadline: float) -> None:
    """Analyse every readable item in place, at most ``max_concurrent_analyses`` at a time.
    Errors of the server rather than of an article (Busy, ModelError, StoreError) are raised
    and fail the whole comparison."""
    todo = [item for item in items if item.usable]

    def one(item: Item) -> None:
        _analyse_into(item, service, deadline, settings)

    workers = min(settings.max_concurrent_analyses, len(todo))
    if workers <= 1:
        for item in todo:
            one(item)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="unspin-compare")
    try:
        list(pool.map(one, todo))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _too_few(items: Sequence[Item]) -> Exception:
    """The error for a comparison left with fewer than two analysed articles."""
    done = sum(1 for item in items if item.usable)
    problems = "; ".join(f"{item.name}: {item.error}" for item in items if not item.usable)
    message = (f"only {done} of the {len(items)} articles could be read and analysed, and a "
               f"comparison needs at least 2: {problems}")
    if any(item.timed_out for item in items):
        return AnalysisTimeout(message)
    return TooFewArticles(message)


def compare_items(items: Sequence[Item]) -> Comparison:
    """The comparison of the analysed items, with the others in its ``errors`` (in request
    order). Raises :class:`TooFewArticles` or :class:`AnalysisTimeout` when fewer than two
    were analysed."""
    done = [item for item in items if item.usable and item.report is not None]
    if len(done) < 2:
        raise _too_few(items)
    vectors = [item.vector for item in done]
    comparison = compare_reports(
        [item.report for item in done], [item.name for item in done],
        embeddings=vectors if any(v is not None for v in vectors) else False)
    comparison.errors = [InputProblem(input=item.name, error=item.error or "not analysed")
                         for item in items if not item.usable]
    return comparison


def compare_request(body: CompareRequest, settings: Settings,
                    service: AnalysisService) -> Comparison:
    """What ``POST /api/compare`` answers for ``body``: its articles read, analysed (and
    stored) and compared, within ``settings``' limits (see the module docstring)."""
    check_count(body, settings)
    deadline = time.monotonic() + settings.compare_timeout_s
    names = unique_names([article_name(a, k) for k, a in enumerate(body.articles)])
    items = [Item(name=name, request=a) for name, a in zip(names, body.articles, strict=True)]
    read_all(items, settings)
    analyse_all(items, service, settings, deadline)
    return compare_items(items)
