"""The `unionfacts` command line. Each command parses arguments, calls one
library function and renders its result; no SQL and no regex here.

The Typer application is `unionfacts.cli.application.app` (also reached as
`unionfacts.cli.app`); this module imports no Typer itself, so that `main`
can serve `unionfacts sql ...` without it (unionfacts.cli.quick: Typer and
the pydantic it validates parameters with take a third of a second to
import) and hands everything else to Typer."""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unionfacts.cli.application import app as app

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
    from unionfacts.cli.quick import quick_main

    code = quick_main(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    _register()
    from unionfacts.cli.application import app

    app()


def __getattr__(name: str) -> Any:
    if name == "app":
        from unionfacts.cli.application import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
