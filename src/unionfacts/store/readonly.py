"""The first locks of read-only SQL (one statement, starting with a reading
keyword), and `unionfacts sql` on a SQLite file at head without SQLAlchemy.

The quick way exists for start-up time: SQLAlchemy and Alembic take most of a
second to import. It is taken only for a plain `sqlite:///file` URL of an
existing database whose `alembic_version` is HEAD_REVISION; anything else
(a missing file, an older schema, PostgreSQL) returns None and the caller
goes the general way (`unionfacts.store.sql`).
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any
from urllib.parse import quote

from unionfacts.store.errors import ReadOnlyError, SqlError
from unionfacts.store.location import HEAD_REVISION, dbapi_revision, plain_sqlite_path
from unionfacts.store.sqlfuncs import register_sqlite_functions

Rows = tuple[list[str], list[tuple[Any, ...]]]

READ_KEYWORDS = ("SELECT", "WITH", "EXPLAIN", "VALUES")
_COMMENTS = re.compile(r"(--[^\n]*|/\*.*?\*/)", re.S)
_FIRST_WORD = re.compile(r"\s*\(?\s*([A-Za-z]+)")


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


def error_from_message(text: str) -> SqlError:
    """A driver's message as a one-line SqlError (ReadOnlyError for writes)."""
    text = first_line(text)
    low = text.lower()
    if "readonly" in low or "read-only" in low or "read only" in low:
        return ReadOnlyError(f"refused: the database is read-only here ({text})")
    return SqlError(text)


def first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else "query failed"


def quick_sqlite_sql(url: str, sql: str) -> Rows | None:
    """(columns, rows) of one reading statement on a SQLite file at head,
    through the sqlite3 module alone; None when the general way must decide."""
    path = plain_sqlite_path(url)
    if path is None:
        return None
    check_read_only(sql)
    try:
        # mode=ro: never create a missing file (the general way says why) and
        # never write, as unionfacts.store.sql opens it
        conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        if dbapi_revision(conn) != HEAD_REVISION:
            return None
        conn.execute("PRAGMA query_only=ON")
        register_sqlite_functions(conn)
        try:
            cur = conn.execute(sql)
            columns = [d[0] for d in cur.description or ()]
            return columns, [tuple(r) for r in cur] if cur.description else []
        except sqlite3.Warning as e:  # e.g. more than one statement
            raise SqlError(first_line(str(e))) from e
        except sqlite3.Error as e:
            raise error_from_message(str(e)) from e
    finally:
        conn.close()
