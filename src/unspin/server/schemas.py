"""The API's request and response models: the OpenAPI document is built from these.

Search results, facets and trends reuse the store's models (:mod:`unspin.store.types`); a
report is always the public :class:`~unspin.report.Report`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from unspin.report import Report


class ArticleMeta(BaseModel):
    """What the caller knows about an article besides its text; it overrides what the reader
    finds, and is part of what makes two submissions "the same article"."""

    model_config = ConfigDict(extra="forbid")

    outlet: str | None = Field(default=None, max_length=200,
                               description="The publication, e.g. 'Harbour Herald'.")
    date: dt.date | None = Field(default=None, description="Publication date (YYYY-MM-DD).")
    byline: str | None = Field(default=None, max_length=300)
    source_url: str | None = Field(
        default=None, max_length=2000,
        description="Where pasted text or HTML came from. Recorded in the report, never "
                    "fetched.")

    @model_validator(mode="after")
    def _blank_is_none(self) -> ArticleMeta:
        for name in ("outlet", "byline", "source_url"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, " ".join(value.split()) or None)
        return self


class AnalyzeRequest(ArticleMeta):
    """One article to analyse: exactly one of ``text``, ``html`` or ``url``.

    ``text`` is read as plain text (title on the first line, paragraphs separated by blank
    lines), ``html`` as a web page, and ``url`` is fetched by the server (http or https, public
    addresses only, every redirect checked). Nothing in a request is ever read as a path."""

    text: str | None = Field(default=None, description="The article as plain text.")
    html: str | None = Field(default=None, description="The article as an HTML page.")
    url: str | None = Field(default=None, max_length=2000,
                            description="An http(s) URL for the server to fetch.")

    @model_validator(mode="after")
    def _exactly_one(self) -> AnalyzeRequest:
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url"
                             + (f" (got {', '.join(given)})" if given else ""))
        return self


class CompareArticle(AnalyzeRequest):
    """One article of a comparison: exactly one of ``text``, ``html`` or ``url``, as for
    ``/api/analyze``, with an optional ``id`` to name it in the comparison (default: its
    ``url`` or ``source_url``, else "article N") and, for pasted text, an optional ``title``
    (put before the text as its first line)."""

    id: str | None = Field(default=None, max_length=200,
                           description="The article's name in the comparison.")
    title: str | None = Field(default=None, max_length=300,
                              description="The title of pasted text (text articles only).")

    @model_validator(mode="after")
    def _title_with_text(self) -> CompareArticle:
        for name in ("id", "title"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, " ".join(value.split()) or None)
        if self.title is not None and self.text is None:
            raise ValueError("title is for pasted text only (an HTML page or a URL has its "
                             "own)")
        return self


class CompareRequest(BaseModel):
    """Two or more articles to group into stories and tell side by side. The server's limit
    on how many (``max_compare_articles``, in ``/api/limits``) is answered 413 beyond."""

    model_config = ConfigDict(extra="forbid")

    articles: list[CompareArticle] = Field(description="The articles, 2 or more.")

    @model_validator(mode="after")
    def _at_least_two(self) -> CompareRequest:
        if len(self.articles) < 2:
            raise ValueError(f"give at least 2 articles to compare (got "
                             f"{len(self.articles)})")
        return self


class AnalyzeResponse(BaseModel):
    """The stored report of the article. ``created`` is false when the same article had
    already been analysed with the same model versions (it is stored once)."""

    id: int
    created: bool
    analysed_at: dt.datetime
    report: Report


class StoredReportResponse(BaseModel):
    id: int
    analysed_at: dt.datetime
    report: Report


class Problem(BaseModel):
    """Every error: a one-line message and a machine-readable kind."""

    detail: str
    error: str


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    store: str = Field(description="The database kind: sqlite or postgresql.")
    reports: int
    auth: bool = Field(description="Whether the API requires a bearer token.")
    analyses_running: int
    analysis_slots: int


class Limits(BaseModel):
    """The server's limits, for clients and the web page."""

    max_request_bytes: int
    max_article_chars: int
    max_concurrent_analyses: int
    max_queued_analyses: int
    analysis_timeout_s: float
    max_compare_articles: int
    compare_timeout_s: float
    auth: bool


# --- the web page's view of a report ----------------------------------------------------------


class ViewMark(BaseModel):
    """A highlight: ``layer`` (technique, hedge, quantity, entity, claim), ``index`` into the
    report's list of that layer (entities: into ``report.entities``), ``first`` false for the
    continuation of a span split by another, and what it contains."""

    layer: str
    index: int
    first: bool
    children: list[str | ViewMark]


class ViewBlock(BaseModel):
    """A displayed piece of the article (title, caption, credit, paragraph), as text runs
    (strings) and highlights, properly nested."""

    kind: Literal["title", "caption", "credit", "paragraph"]
    start: int
    end: int
    paragraph: int | None = Field(description="Index into report.paragraphs, if any.")
    nodes: list[str | ViewMark]


class LegendTechnique(BaseModel):
    name: str
    label: str
    color: int = Field(description="Index into the palette.")
    definition: str
    example: str
    count: int = Field(description="Spans of this technique in the article.")


class ReportView(BaseModel):
    """A stored report with what the web page needs to draw it: the highlighted blocks
    (overlaps resolved by :mod:`unspin.render.highlight`) and the technique legend."""

    id: int
    analysed_at: dt.datetime
    report: Report
    blocks: list[ViewBlock]
    techniques: list[LegendTechnique]


ViewMark.model_rebuild()
