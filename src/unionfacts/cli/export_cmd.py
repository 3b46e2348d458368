"""`unionfacts export claims` (and the checker's `export conflicts`, which
attaches itself to `export_app`)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from unionfacts.cli.application import app
from unionfacts.cli.common import DbOption, OutputOption
from unionfacts.cli.output import warn
from unionfacts.store.errors import DatabaseError

export_app = typer.Typer(
    help="Write stored claims (and conflicts) for other tools.", no_args_is_help=True
)
app.add_typer(export_app, name="export")


class ClaimFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@export_app.command("claims")
def claims(
    db: DbOption = None,
    fmt: Annotated[
        ClaimFormat, typer.Option("--format", help="JSON Lines (one claim per line) or CSV.")
    ] = ClaimFormat.jsonl,
    output: OutputOption = None,
) -> None:
    """Write every stored claim, one per line, in the format the evaluation reads.

    Fields: id, doc (file name), start, end, value, unit, approx, metric,
    period, scope, kind, modality, part_of, then extras (surface, value_text, ...)."""
    from unionfacts.store import open_database, write_claims

    try:
        engine = open_database(db, "read")
    except DatabaseError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None
    try:
        if output is None:
            n = write_claims(engine, sys.stdout, fmt.value)
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                n = write_claims(engine, out, fmt.value)
    except OSError as e:
        warn(f"error: {output}: {e.strerror or e}")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    if output is not None:
        warn(f"{n} claim(s) written to {output}")
