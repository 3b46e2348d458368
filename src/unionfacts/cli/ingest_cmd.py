"""`unionfacts ingest PATH...`"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from unionfacts.cli.application import app
from unionfacts.cli.common import DbOption, console, err_console, warn_unknown_rule_files
from unionfacts.cli.output import warn
from unionfacts.store.errors import DatabaseError
from unionfacts.store.location import resolve_url

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from unionfacts.ingest import IngestSummary
    from unionfacts.models import MetaOverrides
    from unionfacts.store.readers import StoredDocument


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@app.command("ingest")
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Report files and folders (searched recursively for .txt and .md).",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules",
            help="Extra rules folder that adds to or overrides the bundled rules (repeatable).",
            show_default=False,
        ),
    ] = None,
    date_: Annotated[
        str | None,
        typer.Option(
            "--date", help="Document date YYYY-MM-DD (single file only).", show_default=False
        ),
    ] = None,
    scope: Annotated[
        str | None,
        typer.Option(
            "--scope", help="Home jurisdiction, e.g. 北京市 (single file only).", show_default=False
        ),
    ] = None,
    genre: Annotated[
        str | None,
        typer.Option(
            "--genre",
            help="Genre id from rules/genres.yaml, e.g. gwr (single file only).",
            show_default=False,
        ),
    ] = None,
    manifest_path: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="CSV (file,date,scope,genre) or YAML file giving many files their frame.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Extract again even when a file is unchanged.")
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes that extract (SQLite: one writer; PostgreSQL: each saves).",
        ),
    ] = 1,
    queue: Annotated[
        bool,
        typer.Option(
            "--queue",
            help="PostgreSQL: share the files with other `ingest --queue` processes "
            "(other machines too) through the ingest_queue table; no file is done twice.",
        ),
    ] = False,
) -> None:
    """Extract the numeric claims of reports into the database.

    Unchanged files are skipped; a changed file replaces its claims. Exits 1
    when any file failed, 2 when the rules or the database cannot be used."""
    # Imported here, not at the top, so that `unionfacts --help` stays quick.
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from unionfacts.ingest import IngestError, IngestProgress, ingest_paths
    from unionfacts.models import MetaOverrides
    from unionfacts.rulefiles import RulesError
    from unionfacts.rules import load_rules
    from unionfacts.store import open_database

    doc_date = _parse_date(date_)
    overrides = (
        MetaOverrides(date=doc_date, scope=scope, genre=genre)
        if (doc_date or scope or genre)
        else None
    )
    missing = [p for p in paths if not p.exists()]
    if overrides is not None and missing:  # else "give exactly one file" would mislead
        warn(f"error: {missing[0]}: no such file")
        raise typer.Exit(2)
    try:
        rule_set = load_rules(rules or [])
    except RulesError as e:
        for problem in e.problems:
            warn(str(problem))
        warn(f"{len(e.problems)} problem(s) in the rules; nothing was ingested.")
        raise typer.Exit(2) from None
    warn_unknown_rule_files(rules or [])
    from unionfacts.manifest import ManifestError, overrides_for, read_manifest

    manifest = None
    if manifest_path is not None:
        try:
            rows = read_manifest(manifest_path, {g.id for g in rule_set.frame.genres})
        except ManifestError as e:
            warn(f"error: {e}")
            raise typer.Exit(2) from None

        def manifest(path: Path) -> MetaOverrides | None:
            return overrides_for(path, rows, manifest_path.parent)

    if queue and not resolve_url(db).startswith("postgresql"):
        # said before a SQLite file would be created for nothing
        warn("error: --queue needs PostgreSQL (several machines share its table)")
        raise typer.Exit(2)
    try:
        engine = open_database(db, on_upgrade=warn)
    except DatabaseError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=None)

        def on_progress(event: IngestProgress) -> None:
            if event.outcome is None:
                bar.update(task, total=event.total, description=event.path.name)
            else:
                bar.update(task, completed=event.index + 1)

        try:
            summary = ingest_paths(
                engine,
                paths,
                rule_set,
                overrides=overrides,
                manifest=manifest,
                force=force,
                progress=on_progress,
                jobs=jobs,
                queue=queue,
            )
            frames = _frames(engine, summary)
        except IngestError as e:
            warn(f"error: {e}")
            raise typer.Exit(2) from None
        finally:
            engine.dispose()
    _print_frames(frames)
    _print_summary(summary)
    if not summary.ok:
        raise typer.Exit(1)


def _frames(engine: Engine, summary: IngestSummary) -> list[StoredDocument]:
    """The frames decided for the documents this run stored."""
    from unionfacts.store.readers import list_documents

    stored = {o.path.resolve() for o in summary.outcomes if o.status in ("new", "replaced")}
    if not stored:
        return []
    return [d for d in list_documents(engine) if Path(d.source_path) in stored]


def _print_frames(frames: list[StoredDocument]) -> None:
    """Each stored document's frame, so a wrong year or scope shows at once
    (and can be corrected with --manifest)."""
    from rich.table import Table
    from rich.text import Text

    if not frames:
        return
    table = Table(title="document frames", header_style="bold")
    for name in ("document", "genre", "date", "year", "target", "scope", "claims"):
        table.add_column(name, overflow="fold")
    for d in frames:
        table.add_row(
            Text(d.name),
            d.genre or "",
            d.doc_date.isoformat() if d.doc_date else "",
            str(d.year or ""),
            str(d.target_year or ""),
            Text(d.scope or ""),
            str(d.n_claims),
        )
    console.print(table)


def _print_summary(summary: IngestSummary) -> None:
    from rich.table import Table

    table = Table(title="ingest summary", header_style="bold")
    for name in ("documents", "new", "replaced", "skipped (unchanged)", "claims stored", "failed"):
        table.add_column(name, justify="right")
    table.add_row(
        str(summary.documents),
        str(summary.new),
        str(summary.replaced),
        str(len(summary.skipped)),
        str(summary.claims_stored),
        str(len(summary.failed)),
    )
    console.print(table)
    for o in summary.warned:
        for w in o.warnings:
            warn(f"warning: {o.path}: {w}")
    for o in summary.ignored:
        warn(f"skipped: {o.path}: {o.reason}")
    for o in summary.failed:
        warn(f"failed: {o.path}: {o.reason}")
