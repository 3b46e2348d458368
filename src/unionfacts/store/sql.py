"""Read-only SQL for analysts (`unionfacts sql`).

Three locks, so that no one of them has to be perfect:

- exactly one statement: `SELECT 1; COMMIT; DELETE …` is refused before it
  reaches the database (quotes, dollar quotes and comments are skipped when
  looking for the `;` that ends one);
- it must start with a reading keyword (SELECT, WITH, EXPLAIN, VALUES);
- the database itself refuses writes: SQLite opens the file read-only
  (`mode=ro`) with `PRAGMA query_only`, on a connection of its own;
  PostgreSQL runs it as a prepared statement (one statement, or the server
  refuses) in a READ ONLY transaction that is always rolled back.

On PostgreSQL a superuser can still call functions that read server files
(`pg_read_file`); connect with a role that has SELECT rights alone when the
analysts are not trusted with the server.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, NullPool, create_engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from unionfacts.store import db as store_db
from unionfacts.store.errors import ReadOnlyError, SqlError
from unionfacts.store.readonly import (
    READ_KEYWORDS,
    check_read_only,
    error_from_message,
    first_keyword,
    first_line,
    statement_count,
)
from unionfacts.store.sqlfuncs import register_sqlite_functions

__all__ = [
    "READ_KEYWORDS",
    "ReadOnlyError",
    "SqlError",
    "check_read_only",
    "first_keyword",
    "run_readonly_sql",
    "statement_count",
]


def run_readonly_sql(engine: Engine, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one reading statement; returns (column names, rows)."""
    check_read_only(sql)
    try:
        if store_db.is_sqlite(engine):
            return _run_sqlite(engine, sql)
        with engine.connect() as conn:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            try:
                return _fetch_prepared(conn, sql)
            finally:
                conn.rollback()
    except SqlError:
        raise
    except DBAPIError as e:
        raise _sql_error(e) from e
    except SQLAlchemyError as e:
        raise SqlError(first_line(str(e))) from e


def _run_sqlite(engine: Engine, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        # An in-memory database exists only on the connection that made it.
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA query_only=ON")
            try:
                return _fetch(conn, sql)
            finally:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA query_only=OFF")
    # A connection of our own that cannot write the file (mode=ro), never
    # returned to a pool, so the pragma dies with it.
    uri = f"{Path(database).resolve().as_uri()}?mode=ro"
    ro = create_engine(
        "sqlite://",
        poolclass=NullPool,
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
    )

    @event.listens_for(ro, "connect")
    def _query_only(dbapi_connection: Any, _record: Any) -> None:
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA query_only=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()
        register_sqlite_functions(dbapi_connection)

    try:
        with ro.connect() as conn:
            try:
                return _fetch(conn, sql)
            finally:
                conn.rollback()
    finally:
        ro.dispose()


def _fetch_prepared(conn: Connection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """On psycopg 3, as a prepared statement: then the server itself refuses a
    second statement ("cannot insert multiple commands into a prepared
    statement"), whatever the check above made of the text; a COMMIT cannot
    follow the SELECT and end the READ ONLY transaction."""
    if conn.dialect.driver != "psycopg":
        return _fetch(conn, sql)
    dbapi: Any = conn.connection.dbapi_connection  # a psycopg.Connection
    cur = dbapi.cursor()
    try:
        cur.execute(sql, prepare=True)  # no parameters: a % is only a %
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], [tuple(r) for r in cur.fetchall()]
    except conn.dialect.loaded_dbapi.Error as e:
        raise error_from_message(str(e)) from e
    finally:
        cur.close()


def _fetch(conn: Connection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    if conn.dialect.paramstyle in ("format", "pyformat"):
        # psycopg reads % as a placeholder even without parameters (LIKE '%x').
        sql = sql.replace("%", "%%")
    result = conn.exec_driver_sql(sql)
    if not result.returns_rows:
        return [], []
    return list(result.keys()), [tuple(r) for r in result]


def _sql_error(e: DBAPIError) -> SqlError:
    return error_from_message(str(e.orig))
