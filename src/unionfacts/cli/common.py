"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unionfacts.cli.output import console, err_console

__all__ = [
    "RULE_SUFFIXES",
    "DbOption",
    "OutputOption",
    "console",
    "err_console",
    "warn_unknown_rule_files",
]

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

RULE_SUFFIXES = (".yaml", ".yml")


def warn_unknown_rule_files(dirs: list[Path]) -> None:
    """Say which files of a `--rules` folder unionfacts will not read: a rules
    file counts by its name, so `metric.yaml` for `metrics.yaml` is silently
    no rule at all."""
    from unionfacts.cli.output import warn
    from unionfacts.rulefiles import default_rules_dir

    known = sorted(p.name for p in default_rules_dir().iterdir() if p.suffix in RULE_SUFFIXES)
    for folder in dirs:
        if not folder.is_dir():
            continue  # the rules loader reports it
        for p in sorted(folder.iterdir()):
            if p.suffix.lower() in RULE_SUFFIXES and p.name not in known:
                warn(
                    f"warning: {p}: not a rules file unionfacts reads (skipped); "
                    f"the names are {', '.join(known)}"
                )
