"""Options shared by several commands."""

from __future__ import annotations

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

console = Console()
err_console = Console(stderr=True)
