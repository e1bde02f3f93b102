"""A searchable store of analysed articles (SQLAlchemy 2; SQLite by default, PostgreSQL for
teams), with its schema in versioned Alembic migrations. See :mod:`unspin.store.store`."""

from unspin.store.store import (
    LOADED_LANGUAGE,
    Store,
    StoreError,
    article_hash,
    default_db_path,
    display_url,
    name_key,
    normalise_db_url,
    report_hash,
    versions_key,
)
from unspin.store.types import (
    Count,
    Facets,
    OutletTrend,
    ReportSummary,
    Saved,
    SearchPage,
    SearchQuery,
    StoredReport,
    TrendPoint,
)

__all__ = [
    "LOADED_LANGUAGE",
    "Count",
    "Facets",
    "OutletTrend",
    "ReportSummary",
    "Saved",
    "SearchPage",
    "SearchQuery",
    "Store",
    "StoreError",
    "StoredReport",
    "TrendPoint",
    "article_hash",
    "default_db_path",
    "display_url",
    "name_key",
    "normalise_db_url",
    "report_hash",
    "versions_key",
]
