"""Alembic migrations of the store, shipped inside the package (see ``unspin.store.migrate``)."""
