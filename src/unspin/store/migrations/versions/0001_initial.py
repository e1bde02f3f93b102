"""The first schema: articles, reports and their normalised rows, with full-text search.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_CHILDREN = ("techniques", "claims", "sources", "flags", "frames")


def _child(name: str, index: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.Integer,
                  sa.ForeignKey("reports.id", ondelete="CASCADE", name=f"fk_{name}_report"),
                  nullable=False),
        *columns,
    )
    op.create_index(f"ix_{name}_report", name, ["report_id"])
    op.create_index(f"ix_{name}_{index}", name, [index, "report_id"])


def upgrade() -> None:
    op.create_table(
        "articles",
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
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer,
                  sa.ForeignKey("articles.id", ondelete="CASCADE", name="fk_reports_article"),
                  nullable=False),
        sa.Column("versions_key", sa.String(64), nullable=False),
        sa.Column("versions", sa.Text, nullable=False),
        sa.Column("report_json", sa.Text, nullable=False),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
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
    )
    op.create_index("ix_reports_outlet_week", "reports", ["outlet_key", "week"])
    op.create_index("ix_reports_day", "reports", ["day"])
    op.create_index("ix_reports_genre", "reports", ["genre"])
    _child("techniques", "technique",
           sa.Column("technique", sa.String(100), nullable=False),
           sa.Column("start", sa.Integer, nullable=False),
           sa.Column("end", sa.Integer, nullable=False),
           sa.Column("text", sa.Text, nullable=False),
           sa.Column("score", sa.Float, nullable=False))
    _child("claims", "attribution",
           sa.Column("position", sa.Integer, nullable=False),
           sa.Column("start", sa.Integer, nullable=False),
           sa.Column("end", sa.Integer, nullable=False),
           sa.Column("text", sa.Text, nullable=False),
           sa.Column("checkworthiness", sa.Float, nullable=False),
           sa.Column("attribution", sa.String(32), nullable=False),
           sa.Column("source", sa.Text, nullable=True))
    _child("sources", "name_key",
           sa.Column("name", sa.Text, nullable=False),
           sa.Column("name_key", sa.String(200), nullable=False),
           sa.Column("kind", sa.String(32), nullable=False),
           sa.Column("mentions", sa.Integer, nullable=False),
           sa.Column("places", sa.String(64), nullable=False),
           sa.Column("n_claims", sa.Integer, nullable=False))
    _child("flags", "code",
           sa.Column("code", sa.String(64), nullable=False),
           sa.Column("message", sa.Text, nullable=False),
           sa.Column("start", sa.Integer, nullable=True),
           sa.Column("end", sa.Integer, nullable=True),
           sa.Column("text", sa.Text, nullable=True))
    _child("frames", "frame",
           sa.Column("frame", sa.String(100), nullable=False),
           sa.Column("score", sa.Float, nullable=False))

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "title, text, content='articles', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        # external content: the index follows the articles table through triggers
        op.execute(
            "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
            "END"
        )
        op.execute(
            "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
            "END"
        )
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('english', text), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS articles_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for name in _CHILDREN:
        op.drop_table(name)
    op.drop_table("reports")
    op.drop_table("articles")
