"""The consoles of the commands, and plain one-line messages on them. No
Typer here: `sql` runs through this module without it (unionfacts.cli.quick).
The consoles are made on first use, so that `sql --format csv` or `json`
imports no Rich."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

_consoles: dict[bool, Console] = {}


def get_console(stderr: bool = False) -> Console:
    """The one console on standard output (or error) of this process."""
    made = _consoles.get(stderr)
    if made is None:
        from rich.console import Console

        made = _consoles[stderr] = Console(stderr=stderr)
    return made


def __getattr__(name: str) -> Console:
    # `console` and `err_console`, as the command modules import them.
    if name in ("console", "err_console"):
        return get_console(stderr=name == "err_console")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def say(message: str) -> None:
    """A line on standard output, printed as is (no markup, no wrapping)."""
    get_console().print(message, markup=False, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    """A line on standard error, printed as is: long paths stay on one line."""
    get_console(stderr=True).print(message, markup=False, highlight=False, soft_wrap=True)
