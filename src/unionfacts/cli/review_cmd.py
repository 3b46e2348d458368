"""`unionfacts findings`, `show`, `review`, and `export conflicts`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from unionfacts.cli.application import app
from unionfacts.cli.common import DbOption, OutputOption, console
from unionfacts.cli.export_cmd import export_app
from unionfacts.cli.output import warn
from unionfacts.store.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from unionfacts.store.db import OpenMode


class Status(StrEnum):
    open = "open"
    confirmed = "confirmed"
    dismissed = "dismissed"
    fixed = "fixed"
    stale = "stale"


class Decision(StrEnum):
    confirmed = "confirmed"
    dismissed = "dismissed"
    fixed = "fixed"
    open = "open"


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


def _engine(db: str | None, mode: OpenMode = "read") -> Engine:
    # Listing and showing only read; `review` writes its decisions to an
    # existing database (never a new one).
    from unionfacts.store import open_database

    try:
        return open_database(db, mode, on_upgrade=warn)
    except DatabaseError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None


def _checks(values: list[str] | None) -> list[str] | None:
    # The registry imports every check: only when a name must be validated.
    from unionfacts.check.registry import CHECK_NAMES

    for v in values or []:
        if v not in CHECK_NAMES:
            raise typer.BadParameter(
                f"{v!r}: one of {', '.join(CHECK_NAMES)}", param_hint="--check"
            )
    return values


@app.command("findings")
def findings_cmd(
    db: DbOption = None,
    status: Annotated[
        list[Status] | None,
        typer.Option(
            "--status", help="Only findings with this status (repeatable).", show_default=False
        ),
    ] = None,
    check: Annotated[
        list[str] | None,
        typer.Option(
            "--check",
            help="Only this check (repeatable), e.g. same_fact_differs; "
            "a wrong name is answered with the list.",
            show_default=False,
        ),
    ] = None,
    severity: Annotated[
        list[Severity] | None,
        typer.Option("--severity", help="Only this severity (repeatable).", show_default=False),
    ] = None,
    fmt: Annotated[
        ListFormat,
        typer.Option(
            "--format",
            help="table; csv (a template for `review --from-csv`: fill in status and "
            "note, keep the rows you decide); json.",
        ),
    ] = ListFormat.table,
    output: OutputOption = None,
) -> None:
    """List stored findings (one line each; `show ID` for the details)."""
    from rich.table import Table
    from rich.text import Text

    from unionfacts.decisions import latest_decisions
    from unionfacts.findings import list_findings
    from unionfacts.report import render_findings_json, write_review_template

    engine = _engine(db)
    try:
        rows = list_findings(
            engine,
            statuses=[s.value for s in status or []],
            checks=_checks(check),
            severities=[s.value for s in severity or []],
        )
        decisions = latest_decisions(engine) if fmt is not ListFormat.table else {}
    finally:
        engine.dispose()
    if fmt is not ListFormat.table:
        _write(
            output,
            lambda out: (
                write_review_template(rows, out, decisions)
                if fmt is ListFormat.csv
                else out.write(render_findings_json(rows, decisions))
            ),
        )
        warn(f"{len(rows)} finding(s)")
        return
    table = Table(show_edge=False, pad_edge=False)
    for col in ("id", "severity", "status", "check", "explanation"):
        table.add_column(col, overflow="fold")
    for f in rows:
        table.add_row(
            f.id[:10],
            f.severity,
            f.status + ("*" if f.reopened else ""),
            f.check,
            Text(f.explanation),
        )
    console.print(table)
    warn(f"{len(rows)} finding(s)" + ("; * = reopened" if any(f.reopened for f in rows) else ""))


@app.command("show")
def show(
    finding_id: Annotated[str, typer.Argument(help="Finding id (a unique prefix is enough).")],
    db: DbOption = None,
) -> None:
    """Show one finding: the quotes in their context, the documents, the arithmetic
    and the review history."""
    from rich.text import Text

    from unionfacts.findings import ReviewError, get_finding
    from unionfacts.report import print_quote

    engine = _engine(db)
    try:
        f = get_finding(engine, finding_id)
    except ReviewError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    console.print(Text(f"{f.id}  {f.severity.upper()}  {f.check}  [{f.status}]", style="bold"))
    console.print(Text(f.explanation))
    console.print(Text("= " + f.arithmetic, style="bold"))
    if f.reopened and f.reopen_reason:
        console.print(Text("reopened: " + f.reopen_reason, style="magenta"))
    for c in f.claims:
        print_quote(console, c, indent="  ")
    console.print(
        Text(
            f"first seen {f.first_seen:%Y-%m-%d %H:%M}, "
            f"last seen {f.last_seen:%Y-%m-%d %H:%M} (UTC)",
            style="dim",
        )
    )
    for h in f.history:
        note = f" — {h.note}" if h.note else ""
        console.print(
            Text(
                f"  {h.at:%Y-%m-%d %H:%M} {h.who}: {h.from_status} → {h.to_status}{note}",
                style="dim",
            )
        )


@app.command("review")
def review_cmd(
    finding_id: Annotated[
        str | None,
        typer.Argument(help="Finding id (a unique prefix is enough).", show_default=False),
    ] = None,
    status: Annotated[
        Decision | None, typer.Option("--status", help="The decision.", show_default=False)
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Why (kept in the audit trail).")] = "",
    by: Annotated[
        str | None,
        typer.Option("--by", help="Reviewer name (default: your user name).", show_default=False),
    ] = None,
    from_csv: Annotated[
        Path | None,
        typer.Option(
            "--from-csv",
            help="Apply the decisions of a CSV file with columns "
            "id,status,note[,by] (all rows or none).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Record a review decision on a finding, or many from a CSV file."""
    from unionfacts.findings import ReviewError, default_user, review, review_csv

    if (from_csv is None) == (finding_id is None):
        raise typer.BadParameter("give either a finding ID or --from-csv FILE")
    if finding_id is not None and status is None:
        raise typer.BadParameter("--status is required with a finding ID")
    who = by or default_user()
    engine = _engine(db, "write")
    try:
        if from_csv is not None:
            done = review_csv(engine, from_csv, who)
        else:
            assert status is not None
            done = [review(engine, finding_id or "", status.value, note, who)]
    except ReviewError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    from rich.text import Text

    for fid, before, after in done:
        console.print(Text(f"{fid[:10]}: {before} → {after}"))


class ConflictFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def _write(output: Path | None, write: Callable[[TextIO], object]) -> None:
    try:
        if output is None:
            write(sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                write(out)
    except OSError as e:
        warn(f"error: {output}: {e.strerror or e}")
        raise typer.Exit(2) from None


@export_app.command("conflicts")
def export_conflicts(
    db: DbOption = None,
    fmt: Annotated[
        ConflictFormat,
        typer.Option("--format", help="JSON Lines (one finding per line) or CSV."),
    ] = ConflictFormat.jsonl,
    output: OutputOption = None,
) -> None:
    """Write every current finding (all severities, not stale) in the format
    the evaluation reads: id, check, severity, status, claims [{doc, start,
    end, quote}], explanation, arithmetic, and the last reviewer's note."""
    from unionfacts.decisions import latest_decisions
    from unionfacts.findings import list_findings
    from unionfacts.report import write_conflicts_csv, write_conflicts_jsonl

    engine = _engine(db)
    try:
        rows = list_findings(engine, statuses=["open", "confirmed", "dismissed", "fixed"])
        decisions = latest_decisions(engine)
    finally:
        engine.dispose()
    writer = write_conflicts_csv if fmt is ConflictFormat.csv else write_conflicts_jsonl
    _write(output, lambda out: writer(rows, out, decisions))
    if output is not None:
        warn(f"{len(rows)} finding(s) written to {output}")
