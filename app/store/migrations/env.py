"""Alembic environment: always run on the already-keyed connection handed over by the app.

There is no URL here on purpose: a URL would need the key in a string, and the database key never
leaves memory.
"""

from alembic import context

from app.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Resettle migrations run only through app.store.migrate on an open database")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
