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

import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, NullPool, create_engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from unionfacts.store import db as store_db

READ_KEYWORDS = ("SELECT", "WITH", "EXPLAIN", "VALUES")
_COMMENTS = re.compile(r"(--[^\n]*|/\*.*?\*/)", re.S)
_FIRST_WORD = re.compile(r"\s*\(?\s*([A-Za-z]+)")


class SqlError(Exception):
    """A query that was refused or failed; the message is one line."""


class ReadOnlyError(SqlError):
    """A query that would write."""


def first_keyword(sql: str) -> str:
    m = _FIRST_WORD.match(_COMMENTS.sub(" ", sql))
    return m.group(1).upper() if m else ""


# Where this reading of SQL and the server's could differ, this one must see
# more statements, never fewer: a `$` inside a name (PostgreSQL allows a$b$)
# starts no dollar quote, so names are read as tokens of their own; comments
# end at the first */ (PostgreSQL nests them: it then sees less, not more).
_TOKEN = re.compile(
    r"[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_$\x80-\U0010ffff]*"  # a name or keyword
    r"""|'(?:[^']|'')*'?"""  # a string literal ('' is a quote inside it)
    r'|"(?:[^"]|"")*"?'  # a quoted identifier
    r"|--[^\n]*"  # a line comment
    r"|/\*.*?(?:\*/|\Z)"  # a block comment
    r"|\$(?P<tag>[A-Za-z_][A-Za-z0-9_]*)?\$.*?(?:\$(?P=tag)\$|\Z)"  # a dollar-quoted string
    r"|;",
    re.S,
)


def statement_count(sql: str) -> int:
    """How many statements `sql` holds: the pieces between `;` outside quotes
    and comments that hold more than space and comments."""
    count, pos, filled = 0, 0, False
    for m in _TOKEN.finditer(sql):
        filled = filled or bool(sql[pos : m.start()].strip())  # 1, (, =: not tokens
        token, pos = m.group(), m.end()
        if token == ";":
            count, filled = count + filled, False
        elif not token.startswith(("--", "/*")):
            filled = True
    filled = filled or bool(sql[pos:].strip())
    return count + filled


def check_read_only(sql: str) -> None:
    n = statement_count(sql)
    if n > 1:
        raise ReadOnlyError(
            f"refused: one statement at a time (found {n} separated by ';'); "
            "the database is read-only here"
        )
    word = first_keyword(sql)
    if word not in READ_KEYWORDS:
        shown = word or "an empty statement"
        raise ReadOnlyError(
            f"refused: the database is read-only here ({shown}); "
            f"only {', '.join(READ_KEYWORDS)} statements may run"
        )


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
        raise SqlError(_first_line(str(e))) from e


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
        raise _error_from_text(_first_line(str(e))) from e
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
    return _error_from_text(_first_line(str(e.orig)))


def _error_from_text(text: str) -> SqlError:
    low = text.lower()
    if "readonly" in low or "read-only" in low or "read only" in low:
        return ReadOnlyError(f"refused: the database is read-only here ({text})")
    return SqlError(text)


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else "query failed"
