"""What the store hands back: typed results (pydantic), reused as the HTTP API's models."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from unspin.report import Report


class Saved(BaseModel):
    """The outcome of storing a report: its id, and whether this call created it (False: the
    same article had already been analysed with the same model versions)."""

    id: int
    created: bool
    analysed_at: dt.datetime


class StoredReport(BaseModel):
    """A stored report with its id and when it was analysed."""

    id: int
    analysed_at: dt.datetime
    report: Report


class SearchQuery(BaseModel):
    """A search over stored reports. Every given filter must hold (AND).

    ``q``: words that must all occur in the title or text (stemmed, any order); a part in
    double quotes must occur as a phrase. ``outlet`` and ``source``: a name, matched without
    regard to case or spacing. ``technique``: a technique name as reported
    (``Loaded_Language``); ``flag``: a flag code (``unused_source``); ``genre``: ``opinion``,
    ``reporting`` or ``satire``. ``date_from`` / ``date_to``: inclusive bounds on the
    article's date (the day it was analysed when the article has none)."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(default=None, max_length=500)
    outlet: str | None = Field(default=None, max_length=300)
    source: str | None = Field(default=None, max_length=300)
    technique: str | None = Field(default=None, max_length=100)
    flag: str | None = Field(default=None, max_length=64)
    genre: str | None = Field(default=None, max_length=32)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _blank_is_none(self) -> SearchQuery:
        for name in ("q", "outlet", "source", "technique", "flag", "genre"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                setattr(self, name, None)
        return self


class Count(BaseModel):
    """A name with how many stored reports carry it."""

    name: str
    count: int


class ReportSummary(BaseModel):
    """One line of a search result."""

    id: int
    analysed_at: dt.datetime
    title: str | None
    outlet: str | None
    url: str | None
    date: str | None = Field(description="The article's date, if known (ISO).")
    day: dt.date = Field(description="The article's date, or the day it was analysed.")
    genre: str | None
    words: int
    claims: int
    unattributed_claims: int
    sources: int
    flags: list[Count] = Field(description="Flag codes, with how often each was raised.")
    techniques: list[Count] = Field(description="Technique names with their number of spans.")


class SearchPage(BaseModel):
    """One page of search results, newest first."""

    total: int
    limit: int
    offset: int
    items: list[ReportSummary]


class Facets(BaseModel):
    """The values the search filters can take, with counts, most frequent first."""

    outlets: list[Count]
    sources: list[Count]
    techniques: list[Count]
    flags: list[Count]
    genres: list[Count]


class TrendPoint(BaseModel):
    """One outlet's stored reports in one week (Monday to Sunday)."""

    week: dt.date = Field(description="The Monday the week starts on.")
    reports: int
    words: int
    flags: int
    unattributed_claims: int
    loaded_wording: int = Field(description="Technique spans labelled Loaded_Language.")
    flags_per_100_words: float
    unattributed_claims_per_100_words: float
    loaded_wording_per_100_words: float


class OutletTrend(BaseModel):
    """An outlet's weekly series; ``outlet`` is None for articles with no known outlet."""

    outlet: str | None
    reports: int
    weeks: list[TrendPoint]
