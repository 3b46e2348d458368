"""How to connect, and bringing the schema to head (where the database is:
`unionfacts.store.location`).

`open_database(db)` is what commands call: it resolves the URL, creates the
engine and runs the migrations when the schema is not at head, so the
database is created on first use. Alembic is imported only then: comparing
`alembic_version` with `HEAD_REVISION` is one query.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url

import unionfacts
from unionfacts.store.errors import DatabaseError
from unionfacts.store.location import DEFAULT_DB_FILE, HEAD_REVISION, resolve_url
from unionfacts.store.sqlfuncs import register_sqlite_functions

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "DEFAULT_DB_FILE",
    "HEAD_REVISION",
    "DatabaseError",
    "current_revision",
    "head_revision",
    "make_engine",
    "open_database",
    "resolve_url",
    "upgrade",
]


def is_sqlite(engine_or_url: Engine | URL | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling commits before DDL and never BEGINs
    # before SELECT; switch it off and BEGIN ourselves (see _sqlite_on_begin) so
    # that one document, or one migration, is really one transaction.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is still crash-safe for the database, and much faster.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
    register_sqlite_functions(dbapi_connection)


def _sqlite_on_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; on SQLite with foreign keys, WAL and real transactions."""
    engine = create_engine(url, **kwargs)
    if is_sqlite(engine):
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def migrations_dir() -> Path:
    """The Alembic scripts: a packaged copy in a wheel, else the source tree's."""
    package = Path(unionfacts.__file__).resolve().parent
    for candidate in (package / "_data" / "migrations", package.parents[1] / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseError(f"migrations not found next to {package}")


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str | None:
    """The head as Alembic reads it from the scripts (HEAD_REVISION is the
    cheap copy that start-up compares with)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` on `engine`, in one transaction."""
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def open_database(db: str | None) -> Engine:
    """Engine for a `--db` value, with the schema created or upgraded to head."""
    url = resolve_url(db)
    try:
        engine = make_engine(url)
        if current_revision(engine) != HEAD_REVISION:
            upgrade(engine)
    except DatabaseError:
        raise
    except Exception as e:  # driver, URL and migration errors all end up here
        raise DatabaseError(f"{_safe(url)}: {_one_line(e)}") from e
    return engine


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _one_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e).strip()
    return text.splitlines()[0] if text else type(e).__name__
