"""The command-line side of issue 9: `findings --format`, `export conflicts
--format csv`, `--version`, `-h`, flags without `<bool>`, `ingest --date` on a
missing file, psycopg as an optional extra, and `serve` wiring."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import unionfacts
from unionfacts.cli import _register, app
from unionfacts.findings import list_findings, review
from unionfacts.store import DatabaseError, open_database
from web_corpus import ingest_and_check, write_corpus

_register()
runner = CliRunner()


@pytest.fixture
def checked_db(tmp_path: Path) -> str:
    db = str(tmp_path / "cli.db")
    engine = open_database(db)
    ingest_and_check(engine, write_corpus(tmp_path / "reports"))
    first = list_findings(engine)[0]
    review(engine, first.id, "dismissed", "口径不同", "analyst")
    engine.dispose()
    return db


def test_findings_csv_is_a_review_template(checked_db: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "findings",
            "--db",
            checked_db,
            "--status",
            "open",
            "--status",
            "dismissed",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["status"] for r in rows) == ["dismissed", "open"]
    assert {r["note"] for r in rows} == {"口径不同", ""}
    assert all("【" in r["quotes"] for r in rows)
    for r in rows:
        r["status"], r["note"] = "confirmed", "复核"
    template = tmp_path / "decisions.csv"
    with template.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    applied = runner.invoke(app, ["review", "--from-csv", str(template), "--db", checked_db])
    assert applied.exit_code == 0, applied.output
    listed = runner.invoke(
        app, ["findings", "--db", checked_db, "--status", "confirmed", "--format", "json"]
    )
    data = json.loads(listed.stdout)
    assert len(data) == 2 and {d["decision"]["note"] for d in data} == {"复核"}


def test_export_conflicts_csv_and_jsonl(checked_db: str) -> None:
    out = runner.invoke(app, ["export", "conflicts", "--db", checked_db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["status"] for r in rows} == {"open", "dismissed"}
    dismissed = next(r for r in rows if r["status"] == "dismissed")
    assert dismissed["note"] == "口径不同" and dismissed["reviewed_by"] == "analyst"
    assert "【" in dismissed["quote_1"] and dismissed["doc_1"].endswith(".txt")
    jl = runner.invoke(app, ["export", "conflicts", "--db", checked_db])
    lines = [json.loads(x) for x in jl.stdout.splitlines()]
    assert {x["note"] for x in lines} == {"口径不同", ""}
    assert "\\u" not in jl.stdout  # Chinese stays readable


def test_check_html_shows_the_decision(checked_db: str, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    result = runner.invoke(app, ["check", "--db", checked_db, "--format", "html", "-o", str(page)])
    assert result.exit_code == 1  # an open error is left
    text = page.read_text(encoding="utf-8")
    assert "dismissed by analyst" in text and "口径不同" in text
    assert 'lang="zh-Hant"' in text


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("command", [[], ["ingest"], ["export", "conflicts"], ["serve"]])
def test_help_options(flag: str, command: list[str]) -> None:
    result = runner.invoke(app, [*command, flag], env={"COLUMNS": "160"})
    assert result.exit_code == 0 and "Usage" in result.output
    assert "<bool>" not in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"unionfacts {unionfacts.__version__}"


def test_ingest_date_on_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    result = runner.invoke(
        app, ["ingest", str(missing), "--date", "2024-01-01", "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 2
    assert f"{missing}: no such file" in result.output
    assert "exactly one file" not in result.output


def test_postgres_url_without_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    from unionfacts.store import db

    monkeypatch.setattr(db, "find_spec", lambda name: None)
    with pytest.raises(DatabaseError, match=r"pip install 'unionfacts\[postgres\]'"):
        open_database("postgresql+psycopg://nobody@127.0.0.1/none")
    result = runner.invoke(app, ["findings", "--db", "postgresql+psycopg://x@127.0.0.1/none"])
    assert result.exit_code == 2 and "unionfacts[postgres]" in result.output


def test_serve_read_only_refuses_a_database_to_create(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--read-only", "--db", str(tmp_path / "new.db")])
    assert result.exit_code == 2 and "no such database" in result.output
    assert not (tmp_path / "new.db").exists()


def test_review_template_leaves_stale_findings_out(checked_db: str) -> None:
    from dataclasses import replace

    from unionfacts.report import write_review_template

    engine = open_database(checked_db)
    live = list_findings(engine)
    engine.dispose()
    out = io.StringIO()
    n = write_review_template([live[0], replace(live[1], status="stale")], out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert n == 1 and [r["id"] for r in rows] == [live[0].id]
