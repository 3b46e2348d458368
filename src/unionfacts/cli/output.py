"""The consoles of the commands, and plain one-line messages on them. No
Typer here: `sql` runs through this module without it (unionfacts.cli.quick)."""

from __future__ import annotations

from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def say(message: str) -> None:
    """A line on standard output, printed as is (no markup, no wrapping)."""
    console.print(message, markup=False, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    """A line on standard error, printed as is: long paths stay on one line."""
    err_console.print(message, markup=False, highlight=False, soft_wrap=True)
