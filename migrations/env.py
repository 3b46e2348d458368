"""Alembic environment for unionfacts.

Normally run through `unionfacts.store.db.upgrade(engine)`, which hands over an
open connection in `config.attributes["connection"]`. The `alembic` command
line also works from the repository top (alembic.ini); it then connects to
UNIONFACTS_DB, or ./unionfacts.db.
"""

from __future__ import annotations

import contextlib
import os

from alembic import context
from sqlalchemy.engine import Connection

from unionfacts.store import db as store_db
from unionfacts.store.schema import Base

# The checker's tables live on the same Base; they exist once its module does.
with contextlib.suppress(ModuleNotFoundError):
    import unionfacts.store.findings_schema  # noqa: F401

target_metadata = Base.metadata
config = context.config


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or store_db.resolve_url(
        os.environ.get("UNIONFACTS_DB")
    )
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or store_db.resolve_url(
        os.environ.get("UNIONFACTS_DB")
    )
    engine = store_db.make_engine(url)
    try:
        # Foreign keys off on SQLite while migrating, checked before commit.
        with store_db.migration_connection(engine) as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
