"""The Typer application of `unionfacts` (see unionfacts.cli): the group, its
options and help; the command modules attach their commands to `app`."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import typer.core

import unionfacts

app = typer.Typer(
    name="unionfacts",
    help="Numeric facts from Chinese reports, and where the reports disagree.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Sub-command contexts inherit the names: `unionfacts ingest -h` works too.
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _hide_flag_types() -> None:
    """Typer's help prints a type beside every option, `<bool>` beside flags
    that take no value; show none for flags."""
    option = getattr(typer.core, "TyperOption", None)
    shown = getattr(option, "display_type_rich", None)
    if option is None or shown is None:
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if getattr(self, "is_bool_flag", False) else shown(self, ctx)

    option.display_type_rich = display_type_rich


_hide_flag_types()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"unionfacts {unionfacts.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Numeric facts from Chinese reports, and where the reports disagree."""
