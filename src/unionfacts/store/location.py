"""Where the database is, and which schema revision the code expects, without
importing SQLAlchemy or Alembic (start-up of `sql` and `--help`).

    resolve_url(None)            -> sqlite:///<cwd>/unionfacts.db
    resolve_url("data/x.db")     -> sqlite:////abs/path/data/x.db
    resolve_url("postgresql+psycopg://host/db") -> unchanged (anything with '://')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DEFAULT_DB_FILE = "unionfacts.db"

# The newest migration in migrations/versions. Reading the head from Alembic's
# script directory costs a tenth of a second at every start; this constant is
# compared with it by tests/test_migrations.py, so a new migration must bump it.
HEAD_REVISION = "0006"


def resolve_url(db: str | None) -> str:
    """A SQLAlchemy URL for a `--db` value (None means ./unionfacts.db)."""
    if db is None or not db.strip():
        return f"sqlite:///{Path(DEFAULT_DB_FILE).resolve()}"
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def plain_sqlite_path(url: str) -> str | None:
    """The file of a `sqlite:///path` URL without query options; None for any
    other URL (those take the general SQLAlchemy way)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return path


def dbapi_revision(dbapi_connection: Any) -> str | None:
    """The schema revision stored by Alembic, read with one plain query on a
    DBAPI connection; None for an empty database."""
    cur = dbapi_connection.cursor()
    try:
        try:
            cur.execute("SELECT version_num FROM alembic_version")
        except Exception:  # no alembic_version table: nothing created yet
            return None
        rows = cur.fetchall()
    finally:
        cur.close()
    return str(rows[0][0]) if len(rows) == 1 else None
