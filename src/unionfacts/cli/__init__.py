"""The `unionfacts` command line. Each command parses arguments, calls one
library function and renders its result; no SQL and no regex here."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="unionfacts",
    help="Numeric facts from Chinese reports, and where the reports disagree.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Command modules attach themselves to `app` on import.
    from unionfacts.cli import (  # noqa: F401
        check_cmd,
        db_cmd,
        export_cmd,
        ingest_cmd,
        review_cmd,
        sql_cmd,
    )


def main() -> None:
    _register()
    app()
