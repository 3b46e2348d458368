"""The `unionfacts` command line. Each command parses arguments, calls one
library function and renders its result; no SQL and no regex here."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="unionfacts",
    help="Numeric facts from Chinese reports, and where the reports disagree.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


COMMAND_MODULES = (
    "ingest_cmd",
    "check_cmd",
    "review_cmd",
    "sql_cmd",
    "export_cmd",
    "db_cmd",
    "serve_cmd",
)


def _register() -> None:
    # Command modules attach themselves to `app` on import. A module that is
    # not written yet is left out; an import error inside one still raises.
    for name in COMMAND_MODULES:
        module = f"unionfacts.cli.{name}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise


def main() -> None:
    _register()
    app()
