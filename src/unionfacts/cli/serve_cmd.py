"""`unionfacts serve`: the review application in a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unionfacts.cli.application import app
from unionfacts.cli.common import DbOption
from unionfacts.cli.output import warn
from unionfacts.store.errors import DatabaseError


@app.command("serve")
def serve(
    db: DbOption = None,
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to bind (another than 127.0.0.1 exposes it)."),
    ] = "127.0.0.1",
    read_only: Annotated[
        bool,
        typer.Option(
            "--read-only", help="Serve without any write: no review, correction or check."
        ),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Reviewer name for decisions (default: your user name).",
            show_default=False,
        ),
    ] = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules",
            help="Extra rules folder for the checks run from the browser (repeatable).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Review findings, browse claims and correct them in a local web application."""
    import uvicorn  # only this command needs the server

    from unionfacts.findings import default_user
    from unionfacts.web.server import build_app

    try:
        application = build_app(
            db, read_only=read_only, reviewer=by or default_user(), rules=rules, host=host
        )
    except DatabaseError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None
    mode = " (read-only)" if read_only else ""
    warn(f"unionfacts serve{mode}: http://{host}:{port}/  (Ctrl-C stops it)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
