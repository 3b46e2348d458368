"""Plain one-line messages for the commands of this package."""

from __future__ import annotations

from unionfacts.cli.common import console, err_console


def say(message: str) -> None:
    """A line on standard output, printed as is (no markup, no wrapping)."""
    console.print(message, markup=False, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    """A line on standard error, printed as is: long paths stay on one line."""
    err_console.print(message, markup=False, highlight=False, soft_wrap=True)
