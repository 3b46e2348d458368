"""The command line: every command has help; ingest, sql, export and db work."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from unionfacts.cli import _register, app
from unionfacts.store import head_revision

runner = CliRunner()
_register()


def _command_paths(cmd: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    # Typer builds a Click-style tree: groups have `.commands`.
    yield prefix
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _command_paths(sub, (*prefix, name))


ALL_COMMANDS = list(_command_paths(typer.main.get_command(app)))


def test_the_commands_of_this_issue_exist() -> None:
    names = {" ".join(p) for p in ALL_COMMANDS}
    assert {"ingest", "sql", "export", "export claims", "db", "db upgrade"} <= names


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "unionfacts")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    cmd: Any = typer.main.get_command(app)
    for name in path:
        cmd = cmd.commands[name]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"


@pytest.fixture
def ingested(tmp_path: Path, fake_stages: None) -> str:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text("新发展会员1200人，其中女性300人。", encoding="utf-8")
    (reports / "b.md").write_text("建成驿站45个。", encoding="utf-8")
    db = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(reports), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def test_ingest_summary_and_reingest(ingested: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "reports"), "--db", ingested])
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output


def test_ingest_failure_exits_1_and_names_the_file(ingested: str, tmp_path: Path) -> None:
    bad = tmp_path / "reports" / "bad.txt"
    bad.write_bytes(b"\xff\x00\x81" * 5)
    result = runner.invoke(app, ["ingest", str(tmp_path / "reports"), "--db", ingested])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "Traceback" not in result.output


def test_ingest_overrides_need_one_file(ingested: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "reports"), "--db", ingested, "--scope", "顺义区"]
    )
    assert result.exit_code == 2
    assert "single file" in result.output


def test_ingest_bad_date(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path), "--date", "2021-13-01"])
    assert result.exit_code == 2


def test_ingest_broken_rules_lists_problems(
    tmp_path: Path, fake_stages: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unionfacts.rulefiles import RuleProblem, RulesError

    problems = [
        RuleProblem(Path("r/metrics.yaml"), 3, ("metrics", 0), "bad alias"),
        RuleProblem(Path("r/units.yaml"), 9, ("units", 2), "unknown key"),
    ]

    def broken(_: object) -> None:
        raise RulesError(problems)

    # ingest_cmd imports load_rules when the command runs
    monkeypatch.setattr("unionfacts.rules.load_rules", broken)
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "r/metrics.yaml:3" in result.output and "r/units.yaml:9" in result.output
    assert "Traceback" not in result.output


def test_sql_reads(ingested: str) -> None:
    result = runner.invoke(
        app,
        [
            "sql",
            "SELECT doc, value FROM facts ORDER BY claim_id",
            "--db",
            ingested,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["value"] for r in rows] == [1200, 300, 45]


def test_sql_csv(ingested: str) -> None:
    result = runner.invoke(
        app, ["sql", "SELECT count(*) AS n FROM claims", "--db", ingested, "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "3"]


@pytest.mark.parametrize("sql", ["DELETE FROM claims", "DROP VIEW facts"])
def test_sql_refuses_writes(ingested: str, sql: str) -> None:
    result = runner.invoke(app, ["sql", sql, "--db", ingested])
    assert result.exit_code == 1
    assert "read-only" in result.output
    count = runner.invoke(
        app, ["sql", "SELECT count(*) FROM claims", "--db", ingested, "--format", "csv"]
    )
    assert count.stdout.splitlines()[1] == "3"


def test_export_claims_jsonl_shape(ingested: str) -> None:
    result = runner.invoke(app, ["export", "claims", "--db", ingested, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    recs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(recs) == 3
    required = {
        "id",
        "doc",
        "start",
        "end",
        "value",
        "unit",
        "approx",
        "metric",
        "period",
        "scope",
        "kind",
        "modality",
        "part_of",
    }
    for rec in recs:
        assert required <= rec.keys()
        assert isinstance(rec["id"], str) and isinstance(rec["value"], int | float)
    assert recs[1]["part_of"] == recs[0]["id"] and recs[0]["part_of"] is None
    assert [r["doc"] for r in recs] == ["a.txt", "a.txt", "b.md"]


def test_export_claims_to_file(ingested: str, tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    result = runner.invoke(
        app, ["export", "claims", "--db", ingested, "--format", "csv", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("id,doc,start,end,value")


def test_db_upgrade_and_current(tmp_path: Path) -> None:
    db = str(tmp_path / "new.db")
    result = runner.invoke(app, ["db", "upgrade", "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["db", "current", "--db", db])
    assert result.exit_code == 0
    assert f"current: {head_revision()}; head: {head_revision()}" in result.output


def test_db_env_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("UNIONFACTS_DB", str(db))
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert db.exists()


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sql", "SELECT 1", "--db", str(tmp_path / "no" / "dir" / "x.db")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.output.count("\n") == 1
