"""Start-up stays light: `--help` and `sql` on a database at head run without
importing SQLAlchemy, Alembic, jieba or the extraction and check code
(issue 10; the timings themselves are printed by benchmarks/startup_bench.py,
never asserted). Each case runs in a fresh interpreter and lists what it
imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unionfacts.cli import _register, app

# Packages (with their submodules) and modules that no start-up may import.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "jieba",
    "yaml",
    "opencc",
    "unionfacts.store.db",
    "unionfacts.findings",
    "unionfacts.check",
    "unionfacts.pipeline",
    "unionfacts.rules",
    "unionfacts.postag",
    "unionfacts.web",
)

PROBE = """
import json, sys
sys.argv = ["unionfacts", *json.loads(sys.argv[1])]
from unionfacts.cli import main
try:
    main()
except SystemExit as e:
    code = e.code
else:
    code = 0
print("\\nMODULES " + json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _imported(args: list[str]) -> tuple[object, set[str]]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out.rsplit("\nMODULES ", 1)[1])
    return data["code"], set(data["modules"])


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_registering_the_commands_imports_nothing_heavy() -> None:
    code = "import json, sys; from unionfacts.cli import _register; _register(); "
    code += "print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert _heavy(set(json.loads(out.stdout))) == []


@pytest.mark.parametrize("args", [["--help"], ["sql", "--help"], ["ingest", "--help"]])
def test_help_imports_nothing_heavy(args: list[str]) -> None:
    code, modules = _imported(args)
    assert code == 0
    assert _heavy(modules) == []


def test_sql_on_a_database_at_head_imports_nothing_heavy(tmp_path: Path) -> None:
    _register()
    db = str(tmp_path / "head.db")
    assert CliRunner().invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    code, modules = _imported(["sql", "SELECT 1", "--db", db, "--format", "json"])
    assert code == 0
    assert _heavy(modules) == []
