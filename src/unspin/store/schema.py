"""The store's tables (SQLAlchemy Core), exactly as the Alembic migrations create them.

    articles   one row per distinct article (content hash): its text and metadata
    reports    one row per (article, model versions): the Report as JSON, plus the columns
               that searches and trends read (outlet, day, week, genre, counts)
    techniques, claims, sources, flags, frames
               normalised rows of each report, so that "every report using technique X",
               "citing source Y" or "flagged Z" is an indexed lookup, not a scan of JSON

Full-text search lives beside these tables and is dialect-specific, so it is created by the
migration, not by this metadata: on SQLite an FTS5 table ``articles_fts`` (external content:
``articles.title`` and ``articles.text``, porter stemming), on PostgreSQL a stored generated
``articles.search`` tsvector column (English configuration) with a GIN index.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("outlet", sa.Text, nullable=True),
    sa.Column("byline", sa.Text, nullable=True),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("published", sa.String(32), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
)

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer,
              sa.ForeignKey("articles.id", ondelete="CASCADE", name="fk_reports_article"),
              nullable=False),
    sa.Column("versions_key", sa.String(64), nullable=False),
    sa.Column("versions", sa.Text, nullable=False),
    sa.Column("report_json", sa.Text, nullable=False),
    sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
    # denormalised for filters and trends
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("outlet", sa.Text, nullable=True),
    sa.Column("outlet_key", sa.String(200), nullable=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("week", sa.Date, nullable=False),
    sa.Column("genre", sa.String(32), nullable=True),
    sa.Column("words", sa.Integer, nullable=False),
    sa.Column("n_claims", sa.Integer, nullable=False),
    sa.Column("n_unattributed", sa.Integer, nullable=False),
    sa.Column("n_flags", sa.Integer, nullable=False),
    sa.Column("n_techniques", sa.Integer, nullable=False),
    sa.Column("n_loaded", sa.Integer, nullable=False),
    sa.Column("n_sources", sa.Integer, nullable=False),
    sa.UniqueConstraint("article_id", "versions_key", name="uq_reports_article_versions"),
    sa.Index("ix_reports_outlet_week", "outlet_key", "week"),
    sa.Index("ix_reports_day", "day"),
    sa.Index("ix_reports_genre", "genre"),
)


def _child(name: str, *columns: sa.Column, index: tuple[str, ...]) -> sa.Table:
    """A table of rows belonging to one report (deleted with it)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.Integer,
                  sa.ForeignKey("reports.id", ondelete="CASCADE", name=f"fk_{name}_report"),
                  nullable=False),
        *columns,
        sa.Index(f"ix_{name}_report", "report_id"),
        sa.Index(f"ix_{name}_{index[0]}", *index, "report_id"),
    )


techniques = _child(
    "techniques",
    sa.Column("technique", sa.String(100), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    index=("technique",),
)

claims = _child(
    "claims",
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("checkworthiness", sa.Float, nullable=False),
    sa.Column("attribution", sa.String(32), nullable=False),
    sa.Column("source", sa.Text, nullable=True),
    index=("attribution",),
)

sources = _child(
    "sources",
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("mentions", sa.Integer, nullable=False),
    sa.Column("places", sa.String(64), nullable=False),
    sa.Column("n_claims", sa.Integer, nullable=False),
    index=("name_key",),
)

flags = _child(
    "flags",
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=True),
    sa.Column("end", sa.Integer, nullable=True),
    sa.Column("text", sa.Text, nullable=True),
    index=("code",),
)

frames = _child(
    "frames",
    sa.Column("frame", sa.String(100), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    index=("frame",),
)
