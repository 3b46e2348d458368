"""`unionfacts sql "SELECT ..."`"""

from __future__ import annotations

import sys
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import typer

from unionfacts.cli import app
from unionfacts.cli.common import DbOption, console
from unionfacts.cli.output import warn
from unionfacts.store.errors import DatabaseError, SqlError


class SqlFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # values are stored as floats; 1200 reads better than 1200.0
    return value


@app.command("sql")
def sql(
    query: Annotated[
        str,
        typer.Argument(help="One SELECT / WITH / EXPLAIN / VALUES statement.", show_default=False),
    ],
    db: DbOption = None,
    fmt: Annotated[
        SqlFormat, typer.Option("--format", help="Output: a table, CSV, or JSON (a list of rows).")
    ] = SqlFormat.table,
) -> None:
    """Run a read-only SQL query; writes are refused.

    The `facts` view has one row per claim with its document (docs/facts.md)."""
    from unionfacts.store.location import resolve_url
    from unionfacts.store.readonly import quick_sqlite_sql

    try:
        # A SQLite file at head is read without SQLAlchemy (start-up time);
        # None means the general way decides.
        quick = quick_sqlite_sql(resolve_url(db), query)
    except SqlError as e:
        warn(f"error: {e}")
        raise typer.Exit(1) from None
    columns, rows = quick if quick is not None else _general(db, query)
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
        console.print(table)
        sys.stdout.flush()  # keep the count after the table when both go to one place
        warn(f"{len(rows)} row(s)")


def _general(db: str | None, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    from unionfacts.store import open_database, run_readonly_sql

    try:
        engine = open_database(db, "read")
    except DatabaseError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None
    try:
        return run_readonly_sql(engine, query)
    except SqlError as e:
        warn(f"error: {e}")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
