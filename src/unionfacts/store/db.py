"""How to connect, and bringing the schema to head (where the database is:
`unionfacts.store.location`).

`open_database(db, mode)` is what commands call: it resolves the URL and
creates the engine. Only mode "create" (ingest, db upgrade) may create a
database; "write" (check, review) upgrades an existing unionfacts database;
"read" (sql, findings, show, export) opens one at head or refuses, in one line.
Alembic is imported only when the schema is not at head: comparing
`alembic_version` with `HEAD_REVISION` is one query.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, NullPool, create_engine, event, inspect, text
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
    "downgrade",
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
    # First, so that switching a new file to WAL also waits for another process.
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is still crash-safe for the database, and much faster.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
    register_sqlite_functions(dbapi_connection)


# How long a writer waits for another process's write transaction to end. Each
# document is written in a short transaction of its own (its claims extracted
# beforehand), so waits are short; this bounds a pathological one.
BUSY_TIMEOUT_MS = 120_000
WRITE = {"unionfacts_write": True}


def _sqlite_on_begin(conn: Any) -> None:
    # A write transaction takes the write lock when it begins (IMMEDIATE), so it
    # waits its turn under busy_timeout. A deferred one would read first and
    # then fail at once with "database is locked" when another process had
    # committed meanwhile: SQLite cannot upgrade a stale snapshot to a writer.
    write = conn.get_execution_options().get("unionfacts_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def writing(engine: Engine) -> Engine:
    """`engine` for a transaction that writes: on SQLite it begins IMMEDIATE."""
    return engine.execution_options(**WRITE)


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
        return _stored_revision(conn)


def _stored_revision(conn: Connection) -> str | None:
    # One query instead of Alembic's MigrationContext (and its import).
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for running migrations.

    On SQLite foreign keys are switched off for its duration (the pragma is a
    no-op inside a transaction, so before BEGIN) and checked before COMMIT: a
    migration that rebuilds a table then cannot cascade-delete the rows that
    reference it, and one that breaks a reference fails instead of committing."""
    with writing(engine).connect() as conn:
        sqlite = is_sqlite(engine)
        if sqlite:
            _raw_pragma(conn, "PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(
                            f"migration left {len(broken)} broken reference(s), "
                            f"first in table {broken[0][0]}; nothing was changed"
                        )
        finally:
            if sqlite:
                _raw_pragma(conn, "PRAGMA foreign_keys=ON")


def _raw_pragma(conn: Connection, pragma: str) -> None:
    # On the DBAPI connection itself: SQLAlchemy's would autobegin first.
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cur = dbapi.cursor()
    cur.execute(pragma)
    cur.close()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` on `engine`, in one transaction."""
    from alembic import command

    cfg = alembic_config()
    with migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Run the migrations down to `revision` on `engine`, in one transaction."""
    from alembic import command

    cfg = alembic_config()
    with migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


OpenMode = Literal["create", "write", "read"]
NO_DB_HINT = "`unionfacts ingest` or `unionfacts db upgrade` creates one"


def open_database(
    db: str | None, mode: OpenMode = "create", on_upgrade: Callable[[str], None] | None = None
) -> Engine:
    """Engine for a `--db` value.

    "create" (ingest, db upgrade): create the database or upgrade its schema
    to head, but never add tables to another application's SQLite file.
    "write" (check, review): an existing unionfacts database only, upgraded
    when behind. "read" (sql, findings, show, export): an existing unionfacts
    database at head only; nothing is written, not even a pragma that changes
    the file, before that is known. `on_upgrade` hears one line when an
    existing schema was upgraded (not when a database is created)."""
    url = resolve_url(db)
    try:
        if mode == "create":
            path = sqlite_file(url)
            if path is not None and path.exists():
                # another application's SQLite file is not ours to add tables to
                probe_revision(url)
        else:
            revision = probe_revision(url)
            if revision is None:
                raise DatabaseError(
                    f"{_safe(url)}: not a unionfacts database (empty); {NO_DB_HINT}"
                )
            if mode == "read" and revision != HEAD_REVISION:
                raise DatabaseError(
                    f"{_safe(url)}: at schema revision {revision}, this unionfacts reads "
                    f"{head_revision()}; run `unionfacts db upgrade` first"
                )
        engine = make_engine(url)
        before = current_revision(engine)
        if before != HEAD_REVISION:
            upgrade(engine)
            if before is not None and on_upgrade is not None:
                on_upgrade(f"{_safe(url)}: schema upgraded from {before} to {HEAD_REVISION}")
    except DatabaseError:
        raise
    except Exception as e:  # driver, URL and migration errors all end up here
        raise DatabaseError(f"{_safe(url)}: {_one_line(e)}") from e
    return engine


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database or another server."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def probe_revision(url: str) -> str | None:
    """The schema revision of an existing database, read without changing it.

    None for an empty database (no tables at all). Raises DatabaseError, one
    line, for a missing SQLite file, a file that is not SQLite, a database
    holding other tables but no unionfacts schema, or a revision this
    unionfacts does not know."""
    require_driver(url)  # a PostgreSQL URL without psycopg: say how to install it
    path = sqlite_file(url)
    if path is not None:
        tables, revision = _probe_sqlite_file(path)
    elif is_sqlite(url):  # in memory: nothing to protect
        return None
    else:
        tables, revision = _probe_server(url)
    if revision is None:
        if tables:
            raise DatabaseError(
                f"{_safe(url)}: not a unionfacts database (it has tables but no "
                "alembic_version); refusing to add to it"
            )
        return None
    if revision == HEAD_REVISION:
        return revision
    from alembic.script import ScriptDirectory

    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision not in known:
        raise DatabaseError(
            f"{_safe(url)}: schema revision {revision} is unknown to this unionfacts "
            "(made by a newer version?)"
        )
    return revision


def _probe_sqlite_file(path: Path) -> tuple[list[str], str | None]:
    if not path.exists():
        raise DatabaseError(f"{path}: no such database; {NO_DB_HINT}")
    if path.is_dir():
        raise DatabaseError(f"{path}: is a directory, not a database file")
    try:
        # mode=ro: this connection cannot write the file, whatever it is.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise DatabaseError(f"{path}: cannot open: {e}") from None
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        if "alembic_version" not in tables:
            return tables, None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return tables, (row[0] if row else None)
    except sqlite3.DatabaseError as e:
        raise DatabaseError(f"{path}: not a SQLite database ({e})") from None
    finally:
        conn.close()


def _probe_server(url: str) -> tuple[list[str], str | None]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            if "alembic_version" not in tables:
                return tables, None
            return tables, _stored_revision(conn)
    finally:
        engine.dispose()


def _safe(url: str) -> str:
    """The URL without its password, for messages; a SQLite file by its path."""
    path = sqlite_file(url)
    if path is not None:
        return str(path)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _one_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e).strip()
    return text.splitlines()[0] if text else type(e).__name__
