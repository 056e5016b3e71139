"""Alembic environment: migrations run on the connection ``db.migrate`` hands over."""

from alembic import context

from sync.server.store import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
