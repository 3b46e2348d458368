"""Where the database is, how to connect, and bringing its schema to head.

    resolve_url(None)            -> sqlite:///<cwd>/unionfacts.db
    resolve_url("data/x.db")     -> sqlite:////abs/path/data/x.db
    resolve_url("postgresql+psycopg://host/db") -> unchanged (anything with '://')

`open_database(db)` is what commands call: it resolves the URL, creates the
engine and runs the migrations when the schema is not at head, so the
database is created on first use.
"""

from __future__ import annotations

import json
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

import unionfacts

DEFAULT_DB_FILE = "unionfacts.db"


class DatabaseError(Exception):
    """The database cannot be opened or upgraded (one-line message)."""


def resolve_url(db: str | None) -> str:
    """A SQLAlchemy URL for a `--db` value (None means ./unionfacts.db)."""
    if db is None or not db.strip():
        return f"sqlite:///{Path(DEFAULT_DB_FILE).resolve()}"
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


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


def _sqlite_on_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def require_driver(url: str) -> None:
    """psycopg is an optional extra: say how to install it, not ImportError."""
    if make_url(url).get_backend_name() == "postgresql" and find_spec("psycopg") is None:
        raise DatabaseError(
            "a PostgreSQL database needs psycopg: pip install 'unionfacts[postgres]'"
        )


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; on SQLite with foreign keys, WAL and real transactions."""
    require_driver(url)
    # JSON columns (a finding's evidence) keep Chinese readable in SQL tools
    # and Datasette, not as \uXXXX escapes.
    kwargs.setdefault("json_serializer", _json_dumps)
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
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` on `engine`, in one transaction."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def open_database(db: str | None) -> Engine:
    """Engine for a `--db` value, with the schema created or upgraded to head."""
    url = resolve_url(db)
    try:
        engine = make_engine(url)
        if current_revision(engine) != head_revision():
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
