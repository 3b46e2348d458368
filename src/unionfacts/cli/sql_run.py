"""What `unionfacts sql` does once its arguments are parsed, without Typer:
both the Typer command (sql_cmd) and the quick way (unionfacts.cli.quick)
call `run_sql`, so the two print the same and exit with the same code."""

from __future__ import annotations

import sys
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from unionfacts.cli.output import get_console, warn
from unionfacts.store.errors import DatabaseError, SqlError


class SqlFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class _Failed(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    # A Decimal (PostgreSQL numeric) exists only once its module is imported:
    # `sql` on SQLite need not import it to tell.
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # values are stored as floats; 1200 reads better than 1200.0
    return value


def run_sql(query: str, db: str | None, fmt: SqlFormat) -> int:
    """Run one read-only statement and print its rows; the exit code (0 done,
    1 a refused or failing statement, 2 no usable database)."""
    from unionfacts.store.location import resolve_url
    from unionfacts.store.readonly import quick_sqlite_sql

    try:
        # A SQLite file at head is read without SQLAlchemy (start-up time);
        # None means the general way decides.
        quick = quick_sqlite_sql(resolve_url(db), query)
    except SqlError as e:
        warn(f"error: {e}")
        return 1
    try:
        columns, rows = quick if quick is not None else _general(db, query)
    except _Failed as e:
        return e.code
    if fmt is SqlFormat.csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in r] for r in rows])
    elif fmt is SqlFormat.json:
        import json

        records = [dict(zip(columns, (_plain(v) for v in r), strict=True)) for r in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(show_header=True, header_style="bold")
        # Cells and names are Text, never markup: `[/x]` or `[a]` in the data
        # is shown as it is, not parsed (or dropped) by Rich.
        for name in columns:
            table.add_column(Text(name), overflow="fold")  # wrap long text, never cut it
        for r in rows:
            table.add_row(*(Text("" if v is None else str(_plain(v))) for v in r))
        get_console().print(table)
        sys.stdout.flush()  # keep the count after the table when both go to one place
        warn(f"{len(rows)} row(s)")
    return 0


def _general(db: str | None, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    from unionfacts.store import open_database, run_readonly_sql

    try:
        engine = open_database(db, "read")
    except DatabaseError as e:
        warn(f"error: {e}")
        raise _Failed(2) from None
    try:
        return run_readonly_sql(engine, query)
    except SqlError as e:
        warn(f"error: {e}")
        raise _Failed(1) from None
    finally:
        engine.dispose()
