"""The HTTP API (``/api``): analyse, compare, read, search, delete, trends, schema.

Analysis routes are plain ``def``: FastAPI runs them in its thread pool, and the analysis
itself runs on :class:`~unspin.server.analysis.AnalysisService`'s own bounded workers.
Dependencies (:func:`get_store`, :func:`get_analysis`, :func:`get_settings`) are looked up on
the app's state, so tests can override any of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from pydantic import ValidationError

from unspin.compare import Comparison
from unspin.errors import InputError
from unspin.report import Report, report_schema
from unspin.server import analysis as readers
from unspin.server.analysis import AnalysisService
from unspin.server.compare import compare_request
from unspin.server.errors import NotFound, RequestTooLarge
from unspin.server.schemas import (
    AnalyzeRequest,
    AnalyzeResponse,
    ArticleMeta,
    CompareRequest,
    Limits,
    Problem,
    ReportView,
    StoredReportResponse,
)
from unspin.server.security import require_token
from unspin.server.settings import Settings
from unspin.server.view import report_view
from unspin.store import Facets, OutletTrend, SearchPage, SearchQuery, Store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_analysis(request: Request) -> AnalysisService:
    return request.app.state.analysis


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisService, Depends(get_analysis)]

_ERRORS = {
    401: {"model": Problem, "description": "No valid bearer token."},
    413: {"model": Problem, "description": "The request is over the size limit."},
    422: {"model": Problem, "description": "The article cannot be read or analysed, is over "
                                           "the size limit, or its URL is refused."},
    429: {"model": Problem, "description": "Every analysis slot is taken; retry later."},
    502: {"model": Problem, "description": "The URL could not be fetched."},
    504: {"model": Problem, "description": "The analysis took longer than the limit."},
}

_INVALID = {422: {"model": Problem, "description": "The request is not valid (a one-line "
                                                  "message says why)."}}
router = APIRouter(prefix="/api", tags=["reports"], dependencies=[Depends(require_token)],
                   responses={401: _ERRORS[401], **_INVALID})
public = APIRouter(prefix="/api", tags=["meta"], responses=_INVALID)


def _answer(saved, report: Report | None, store: Store, response: Response) -> AnalyzeResponse:
    if report is None:
        stored = store.get(saved.id)
        if stored is None:  # deleted between the lookup and now
            raise NotFound(f"report {saved.id} was just deleted; send the article again")
        report = stored.report
    response.status_code = 201 if saved.created else 200
    response.headers["Location"] = f"/api/reports/{saved.id}"
    return AnalyzeResponse(id=saved.id, created=saved.created, analysed_at=saved.analysed_at,
                           report=report)


@router.post(
    "/analyze", response_model=AnalyzeResponse, status_code=201,
    responses={200: {"model": AnalyzeResponse, "description": "Already stored: the same "
                     "article analysed with the same model versions."},
               **{k: v for k, v in _ERRORS.items() if k != 401}},
    summary="Analyse an article given as text, HTML or a URL, and store its report")
def analyze(body: AnalyzeRequest, response: Response, settings: SettingsDep,
            service: AnalysisDep, store: StoreDep) -> AnalyzeResponse:
    article = readers.from_request(body, settings)
    saved, report = service.analyze(article)
    return _answer(saved, report, store, response)


@router.post(
    "/analyze/file", response_model=AnalyzeResponse, status_code=201,
    responses={200: {"model": AnalyzeResponse, "description": "Already stored."},
               **{k: v for k, v in _ERRORS.items() if k not in (401, 502)}},
    summary="Analyse an uploaded file (plain text or HTML) and store its report")
def analyze_file(
    response: Response,
    settings: SettingsDep,
    service: AnalysisDep,
    store: StoreDep,
    file: Annotated[UploadFile, File(description="The article: a .txt or .html file.")],
    format: Annotated[Literal["auto", "text", "html"], Form(
        description="How to read the file; auto: by its name, type, then content.")] = "auto",
    outlet: Annotated[str | None, Form(max_length=200)] = None,
    date: Annotated[str | None, Form(description="YYYY-MM-DD")] = None,
    byline: Annotated[str | None, Form(max_length=300)] = None,
    source_url: Annotated[str | None, Form(max_length=2000)] = None,
) -> AnalyzeResponse:
    fields = {"outlet": outlet, "date": date, "byline": byline, "source_url": source_url}
    try:
        meta = ArticleMeta.model_validate({k: v for k, v in fields.items() if v})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(f"{first['loc'][0]}: {first['msg']}") from None
    data = file.file.read(settings.max_request_bytes + 1)
    if len(data) > settings.max_request_bytes:
        raise RequestTooLarge("the uploaded file is larger than this server accepts")
    article = readers.from_upload(data, file.filename, file.content_type, format, meta,
                                  settings)
    saved, report = service.analyze(article)
    return _answer(saved, report, store, response)


_COMPARE_ERRORS = {
    413: {"model": Problem, "description": "The request is over the size limit, or sends more "
                                           "articles than max_compare_articles."},
    422: {"model": Problem, "description": "The request is not valid (fewer than 2 articles, "
                                           "a malformed article), or fewer than 2 of its "
                                           "articles could be read and analysed."},
    429: _ERRORS[429],
    504: {"model": Problem, "description": "Time limits left fewer than 2 articles analysed."},
}


@router.post(
    "/compare", response_model=Comparison, responses=_COMPARE_ERRORS,
    summary="Group 2 or more articles into stories and tell each story side by side",
    description=(
        "Each article is given as for `/api/analyze` (exactly one of `text`, `html` or "
        "`url`, with optional `outlet`, `date`, `byline`, `source_url`), plus an optional "
        "`id` that names it in the answer (default: its URL, else `article N`) and, for "
        "text, an optional `title`. Every article is analysed (and stored) like "
        "`/api/analyze`'s, within the same limits. The answer is what `unspin compare "
        "--format json` prints: stories with their figures side by side, claims told only "
        "in one article, sources and language per article; articles on no shared story in "
        "`unrelated`; articles that could not be read or analysed in `errors`."))
def compare(body: CompareRequest, settings: SettingsDep,
            service: AnalysisDep) -> Comparison:
    return compare_request(body, settings, service)


@router.get("/reports/{report_id}", response_model=StoredReportResponse,
            responses={404: {"model": Problem}}, summary="A stored report")
def get_report(report_id: int, store: StoreDep) -> StoredReportResponse:
    stored = store.get(report_id)
    if stored is None:
        raise NotFound(f"no stored report {report_id}")
    return StoredReportResponse(id=stored.id, analysed_at=stored.analysed_at,
                                report=stored.report)


@router.get("/reports/{report_id}/view", response_model=ReportView,
            responses={404: {"model": Problem}},
            summary="A stored report with its highlights laid out for the web page")
def get_report_view(report_id: int, store: StoreDep) -> ReportView:
    stored = store.get(report_id)
    if stored is None:
        raise NotFound(f"no stored report {report_id}")
    return report_view(stored)


@router.delete("/reports/{report_id}", status_code=204, responses={404: {"model": Problem}},
               summary="Delete a stored report (and its article, if no other report uses it)")
def delete_report(report_id: int, store: StoreDep) -> Response:
    if not store.delete(report_id):
        raise NotFound(f"no stored report {report_id}")
    return Response(status_code=204)


@router.get("/reports", response_model=SearchPage, summary="Search the stored reports")
def search_reports(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=500, description=(
        "Words that must all occur in the title or text (stemmed); a part in double "
        "quotes must occur as a phrase."))] = None,
    outlet: Annotated[str | None, Query(max_length=300)] = None,
    source: Annotated[str | None, Query(max_length=300, description=(
        "A cited source's name (case and spacing ignored), as listed by /api/facets."))] = None,
    technique: Annotated[str | None, Query(max_length=100, description=(
        "A technique name, e.g. Loaded_Language."))] = None,
    flag: Annotated[str | None, Query(max_length=64, description=(
        "A flag code, e.g. unused_source (borrowed authority)."))] = None,
    genre: Annotated[Literal["opinion", "reporting", "satire"] | None, Query()] = None,
    date_from: Annotated[dt.date | None, Query(description="Inclusive, YYYY-MM-DD.")] = None,
    date_to: Annotated[dt.date | None, Query(description="Inclusive, YYYY-MM-DD.")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> SearchPage:
    return store.search(SearchQuery(q=q, outlet=outlet, source=source, technique=technique,
                                    flag=flag, genre=genre, date_from=date_from,
                                    date_to=date_to, limit=limit, offset=offset))


@router.get("/facets", response_model=Facets,
            summary="The outlets, sources, techniques, flags and genres in the store")
def facets(store: StoreDep) -> Facets:
    return store.facets()


@router.get("/trends", response_model=list[OutletTrend],
            summary="Per outlet and week: flags, unattributed claims and loaded wording per "
                    "100 words")
def trends(
    store: StoreDep,
    outlet: Annotated[str | None, Query(max_length=300)] = None,
    date_from: Annotated[dt.date | None, Query()] = None,
    date_to: Annotated[dt.date | None, Query()] = None,
) -> list[OutletTrend]:
    return store.trends(outlet=outlet, date_from=date_from, date_to=date_to)


@public.get("/schema", summary="The JSON Schema of a report")
def schema() -> dict:
    return report_schema()


@public.get("/limits", response_model=Limits, summary="The server's limits")
def limits(settings: SettingsDep) -> Limits:
    return Limits(max_request_bytes=settings.max_request_bytes,
                  max_article_chars=settings.max_article_chars,
                  max_concurrent_analyses=settings.max_concurrent_analyses,
                  max_queued_analyses=settings.max_queued_analyses,
                  analysis_timeout_s=settings.analysis_timeout_s,
                  max_compare_articles=settings.max_compare_articles,
                  compare_timeout_s=settings.compare_timeout_s,
                  auth=settings.auth_required)
