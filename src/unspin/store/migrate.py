"""Running the shipped Alembic migrations on a store's database.

The migrations live in ``unspin/store/migrations`` (``env.py`` and ``versions/``) and run on
the store's own connection, so opening a :class:`~unspin.store.Store` is all it takes to
create or upgrade its schema. Two processes opening the same database at once do not race:
on SQLite the migration holds the write lock (``BEGIN IMMEDIATE``), on PostgreSQL a
transaction-scoped advisory lock.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_LOCK = 0x756E7370  # "unsp"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the shipped migrations (on ``connection``, if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest migration's revision id."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: not created yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database's schema up to ``revision`` (default: the newest)."""
    with engine.connect() as conn:
        conn.execution_options(unspin_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
            command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database's schema back to ``revision`` (``"base"``: drop everything)."""
    with engine.connect() as conn:
        conn.execution_options(unspin_write=True)
        with conn.begin():
            command.downgrade(alembic_config(conn), revision)
