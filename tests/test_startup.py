"""Start-up stays light: `--help` and `sql` on a database at head run without
importing SQLAlchemy, Alembic, jieba or the extraction and check code
(issue 10; the timings themselves are printed by benchmarks/startup_bench.py,
never asserted). Each case runs in a fresh interpreter and lists what it
imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from unionfacts.cli import _register, app
from unionfacts.cli.quick import SqlArgs, parse_sql_args

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

# Runs the command line as the `unionfacts` script does (WAY "main") or
# straight through Typer (WAY "typer"), then writes the exit code and the
# modules imported to the file named by $PROBE_OUT.
PROBE = """
import json, os, sys
way, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["unionfacts", *args]
try:
    if way == "main":
        from unionfacts.cli import main
        main()
    else:
        from unionfacts.cli import _register
        from unionfacts.cli.application import app
        _register()
        app()
except SystemExit as e:
    code = e.code
else:
    code = 0
sys.stdout.flush()
with open(os.environ["PROBE_OUT"], "w") as f:
    json.dump({"code": code, "modules": sorted(sys.modules)}, f)
"""


class Run(NamedTuple):
    code: object
    stdout: str
    stderr: str
    modules: set[str]


def _run(args: list[str], tmp: Path, way: str = "main", env: dict[str, str] | None = None) -> Run:
    out = tmp / "probe.json"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, way, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {}), "PROBE_OUT": str(out)},
    )
    data = json.loads(out.read_text())
    return Run(data["code"], proc.stdout, proc.stderr, set(data["modules"]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_registering_the_commands_imports_nothing_heavy() -> None:
    code = "import json, sys; from unionfacts.cli import _register; _register(); "
    code += "print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert _heavy(set(json.loads(out.stdout))) == []


@pytest.mark.parametrize("args", [["--help"], ["sql", "--help"], ["ingest", "--help"]])
def test_help_imports_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    run = _run(args, tmp_path)
    assert run.code == 0 and "Usage" in run.stdout
    assert _heavy(run.modules) == []


@pytest.fixture(scope="module")
def head_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    _register()
    db = str(tmp_path_factory.mktemp("startup") / "head.db")
    assert CliRunner().invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    return db


def test_sql_on_a_database_at_head_imports_nothing_heavy(head_db: str, tmp_path: Path) -> None:
    run = _run(["sql", "SELECT 1", "--db", head_db], tmp_path)
    assert run.code == 0
    assert _heavy(run.modules) == []
    # Rows as JSON or CSV need no Rich either.
    run = _run(["sql", "SELECT 1", "--db", head_db, "--format", "json"], tmp_path)
    assert run.code == 0
    assert _heavy(run.modules) == [] and "rich" not in run.modules


# Plain `sql` command lines (the quick way takes them, without Typer) and a
# few it leaves to Typer; either way the output and exit code are Typer's.
# "DB" stands for the database at head, "MISSING" for a file that is not.
SQL_LINES = [
    (["sql", "SELECT 1 AS one, 'a[b]' AS two", "--db", "DB"], True),
    (["sql", "--db", "DB", "SELECT 2.0 AS x, NULL AS y", "--format", "csv"], True),
    (["sql", "SELECT 'é' AS x", "--format=json", "--db=DB"], True),
    (["sql", "SELECT name FROM sqlite_master WHERE 0"], True),  # $UNIONFACTS_DB
    (["sql", "DELETE FROM documents", "--db", "DB"], True),
    (["sql", "SELECT nothing FROM nowhere", "--db", "DB"], True),
    (["sql", "SELECT 1", "--db", "MISSING"], True),
    (["sql", "SELECT 1", "--format", "xml", "--db", "DB"], False),
    (["sql", "SELECT 1", "SELECT 2", "--db", "DB"], False),
    (["sql", "SELECT 1", "--db", "DB", "--db", "DB"], False),
    (["sql", "SELECT 1", "--rows", "3", "--db", "DB"], False),
    (["sql", "--db", "DB"], False),
    (["sql", "SELECT 1", "--db"], False),
    (["sql", "-h"], False),
]


@pytest.mark.parametrize(
    ("line", "quick"), SQL_LINES, ids=lambda v: " ".join(v) if isinstance(v, list) else str(v)
)
def test_sql_prints_what_typer_prints(
    line: list[str], quick: bool, head_db: str, tmp_path: Path
) -> None:
    missing = str(tmp_path / "missing.db")
    args = [head_db if a == "DB" else missing if a == "MISSING" else a for a in line]
    env = {"UNIONFACTS_DB": head_db}
    fast, typer = _run(args, tmp_path, "main", env), _run(args, tmp_path, "typer", env)
    assert (fast.code, fast.stdout, fast.stderr) == (typer.code, typer.stdout, typer.stderr)
    assert ("typer" not in fast.modules) is quick


@pytest.mark.parametrize(
    ("argv", "parsed"),
    [
        (["sql", "SELECT 1"], SqlArgs("SELECT 1", None, "table")),
        (
            ["sql", "--format", "csv", "SELECT 1", "--db", "x.db"],
            SqlArgs("SELECT 1", "x.db", "csv"),
        ),
        (["sql", "SELECT 1", "--db=a=b.db"], SqlArgs("SELECT 1", "a=b.db", "table")),
        (["sql", "SELECT 1", "--db", ""], SqlArgs("SELECT 1", "", "table")),
        (["ingest", "x"], None),
        (["--version", "sql", "SELECT 1"], None),
        (["sql", "SELECT 1", "--db", "-"], None),
        (["sql", "SELECT 1", "--", "x"], None),
        (["sql", "-- a comment\nSELECT 1"], None),
        (["sql", "SELECT 1", "--format", "JSON"], None),
        (["sql", "SELECT 1", "--help"], None),
    ],
)
def test_which_sql_lines_go_the_quick_way(argv: list[str], parsed: SqlArgs | None) -> None:
    assert parse_sql_args(argv) == parsed


def test_shell_completion_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_sql_args(["sql", "SELECT 1"]) is not None
    monkeypatch.setenv("_UNIONFACTS_COMPLETE", "bash_complete")
    assert parse_sql_args(["sql", "SELECT 1"]) is None
