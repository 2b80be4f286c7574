"""Alembic environment: the Store hands in its open connection (see store.repository.migrate)."""

from alembic import context

from newsdistill.store.tables import Base, is_mapped_schema

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_name=is_mapped_schema,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
