"""The README documents every command of the CLI (as sqlite-utils' tests/test_docs.py).

A command is documented when the README shows it being run: `unionfacts ingest`,
`unionfacts db upgrade`, ... A new command without a line in the README fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from unionfacts.cli import _register, app

README = Path(__file__).resolve().parents[1] / "README.md"


def _command_paths() -> list[tuple[str, ...]]:
    _register()
    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        # Typer's click objects (vendored in recent Typer): a group has `commands`.
        subcommands = getattr(cmd, "commands", None)
        if subcommands is not None:
            for name, sub in sorted(subcommands.items()):
                if not sub.hidden:
                    walk(sub, (*path, name))
        elif path:
            paths.append(path)

    walk(root, ())
    return paths


COMMANDS = _command_paths()


def test_cli_has_commands() -> None:
    assert COMMANDS, "the CLI registered no commands"


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_command_in_readme(path: tuple[str, ...]) -> None:
    text = README.read_text(encoding="utf-8")
    usage = "unionfacts " + " ".join(path)
    assert usage in text, f"README.md never shows `{usage}`; add it to the CLI tour"
