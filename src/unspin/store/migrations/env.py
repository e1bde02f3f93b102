"""Alembic environment for unspin's store.

The store runs migrations itself (:func:`unspin.store.migrate.upgrade`) and hands Alembic an
open connection in ``config.attributes["connection"]``; the plain ``alembic`` command works
too, with ``sqlalchemy.url`` set in its config (``alembic -x`` is not needed).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from unspin.store.schema import metadata

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
