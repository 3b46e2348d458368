"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="UNIONFACTS_DB",
        help="Database: a file path or any SQLAlchemy URL "
        "(default ./unionfacts.db; PostgreSQL: postgresql+psycopg://host/db).",
        show_default=False,
    ),
]

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of standard output.",
        show_default=False,
    ),
]

console = Console()
err_console = Console(stderr=True)
