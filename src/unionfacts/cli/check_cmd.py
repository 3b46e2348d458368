"""`unionfacts check`: run the consistency checks, store and report findings."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from unionfacts.cli.application import app
from unionfacts.cli.common import DbOption, console, warn_unknown_rule_files
from unionfacts.cli.output import warn
from unionfacts.store.errors import DatabaseError

LIVE = ("open", "confirmed", "dismissed", "fixed")  # every status but stale


class ReportFormat(StrEnum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"
    html = "html"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        help="Extra rules folder that adds to or overrides the bundled "
        "rules (intervals, scopes, sums; repeatable).",
        show_default=False,
    ),
]


@app.command("check")
def check(
    db: DbOption = None,
    rules: RulesOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="Report format.")
    ] = ReportFormat.terminal,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to this file.", show_default=False),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option("--fail-on", help="Exit 1 when an open finding is at least this severe."),
    ] = FailOn.error,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes for the checks (blocks of claims are independent; "
            "the findings are the same for any number).",
        ),
    ] = 1,
) -> None:
    """Find where the stored claims contradict each other.

    Stores the findings (review decisions are kept across runs) and reports
    them grouped by severity. Exit status: 0 when nothing open is at or above
    --fail-on, 1 when something is, 2 on usage errors."""
    # Imported here, not at the top, so that `unionfacts --help` stays quick.
    from unionfacts.check.rules import load_check_rules
    from unionfacts.decisions import latest_decisions
    from unionfacts.findings import check_database, list_findings
    from unionfacts.report import print_terminal, render_html, render_json, render_markdown
    from unionfacts.rulefiles import RulesError
    from unionfacts.store import open_database

    warn_unknown_rule_files(rules or [])
    try:
        check_rules = load_check_rules(rules or [])
    except RulesError as e:
        warn(f"error: broken rules:\n{e}")
        raise typer.Exit(2) from None
    try:
        engine = open_database(db, "write", on_upgrade=warn)
    except DatabaseError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None
    try:
        summary = check_database(engine, check_rules, jobs=jobs)
        findings = list_findings(engine, statuses=LIVE)
        decisions = latest_decisions(engine) if fmt is ReportFormat.html else {}
    finally:
        engine.dispose()
    extra = [f"{summary.new} new"]
    if summary.reopened:
        extra.append(f"{summary.reopened} reopened")
    if summary.stale:
        extra.append(f"{summary.stale} gone stale")
    warn(f"check: {summary.total} finding(s) produced ({', '.join(extra)})")
    if fmt is ReportFormat.terminal and output is None:
        print_terminal(findings, console)
    else:
        if fmt is ReportFormat.html:
            text = render_html(findings, decisions)
        else:
            render = render_json if fmt is ReportFormat.json else render_markdown
            text = render(findings)
        if output is None:
            typer.echo(text, nl=False)
        else:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as e:
                warn(f"error: {output}: {e.strerror or e}")
                raise typer.Exit(2) from None
            warn(f"report written to {output}")
    raise typer.Exit(_exit_status(findings, fail_on))


def _exit_status(findings: list, fail_on: FailOn) -> int:  # type: ignore[type-arg]
    if fail_on is FailOn.never:
        return 0
    levels = ("error",) if fail_on is FailOn.error else ("error", "warning")
    return int(any(f.status == "open" and f.severity in levels for f in findings))
