"""`unionfacts sql "SELECT ..."` (the work is in unionfacts.cli.sql_run)."""

from __future__ import annotations

from typing import Annotated

import typer

from unionfacts.cli.application import app
from unionfacts.cli.common import DbOption
from unionfacts.cli.sql_run import SqlFormat, run_sql


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
    code = run_sql(query, db, fmt)
    if code:
        raise typer.Exit(code)
