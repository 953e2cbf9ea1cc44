"""Alembic's environment: migrate the connection :mod:`diagwizard.cases.migrate` passes in
``config.attributes["connection"]``, inside the transaction it already began (and locked)."""

from __future__ import annotations

from alembic import context

from diagwizard.cases.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
