"""Nothing is written through a read-only door.

`sql` refuses every trick that once wrote through it, on SQLite and
PostgreSQL; read-only commands neither create a database nor touch another
application's SQLite file. Each case checks the message, the exit status and
that what was stored is unchanged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text
from typer.testing import CliRunner

from unionfacts.cli import _register, app
from unionfacts.store import make_engine, open_database, save_document
from unionfacts.store.db import head_revision

runner = CliRunner()
_register()

TEXT = "全市新发展会员1200人，其中女性300人。建成驿站45个。"


def _fill(engine: Engine, tmp_path: Path, fake_extracted: Any) -> None:
    save_document(engine, fake_extracted(tmp_path / "a.txt", TEXT))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO findings (id, check_name, severity, status, reopened, explanation,"
                " arithmetic, evidence, evidence_hash, first_seen, last_seen) VALUES"
                " ('f1', 'same_fact_differs', 'warning', 'dismissed', false, 'x', 'y', '[]',"
                " 'h', '2024-01-01', '2024-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO reviews (at, finding_id, from_status, to_status, note, who)"
                " VALUES ('2024-01-02', 'f1', 'open', 'dismissed', '审核', 'analyst')"
            )
        )


def state(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        insp = inspect(conn)
        return {
            "tables": sorted(insp.get_table_names()),
            "views": sorted(insp.get_view_names()),
            **{
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("documents", "claims", "findings", "reviews")
            },
        }


@pytest.fixture
def sqlite_db(tmp_path: Path, fake_extracted: Any) -> Iterator[tuple[str, Engine]]:
    db = str(tmp_path / "ro.db")
    engine = open_database(db)
    _fill(engine, tmp_path, fake_extracted)
    yield db, engine
    engine.dispose()


@pytest.fixture
def pg_db(pg_url: str, tmp_path: Path, fake_extracted: Any) -> Iterator[tuple[str, Engine]]:
    engine = open_database(pg_url)
    with engine.begin() as conn:
        for t in ("reviews", "finding_claims", "findings", "documents"):
            conn.execute(text(f"DELETE FROM {t}"))
    _fill(engine, tmp_path, fake_extracted)
    yield pg_url, engine
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS sneaky"))
    engine.dispose()


# (query, a word the one-line message holds; | between alternatives)
BYPASSES = [
    ("SELECT 1; COMMIT; DELETE FROM claims", "one statement"),
    ("SELECT 1; COMMIT; DELETE FROM reviews", "one statement"),
    ("select 1;commit;delete from reviews;", "one statement"),
    ("DELETE FROM reviews", "DELETE"),
    ("/* ; */ DELETE FROM claims", "DELETE"),
    ("CREATE TABLE sneaky (a integer)", "CREATE"),
    ("SELECT 1; CREATE TABLE sneaky (a integer)", "one statement"),
    ("DROP VIEW facts", "DROP"),
    ("VALUES (1); DROP VIEW facts", "one statement"),
    ("COPY claims TO '{tmp}/copied.csv'", "COPY"),
    ("SELECT 1; COPY (SELECT * FROM claims) TO '{tmp}/copied.csv'", "one statement"),
    ("SELECT 'a;b'; DELETE FROM claims", "one statement"),
    # PostgreSQL reads a$b$ as a name, not the start of a $b$ quote
    ("SELECT 1 AS a$b$; COMMIT; DELETE FROM claims; SELECT $b$ x $b$", "one statement"),
    ("SELECT 1 /* x */; (DELETE FROM claims)", "one statement"),
    # PostgreSQL's READ ONLY transaction refuses it; SQLite cannot parse it.
    (
        "WITH gone AS (DELETE FROM claims RETURNING id) SELECT count(*) FROM gone",
        "read-only|syntax",
    ),
    ("PRAGMA query_only=OFF", "PRAGMA"),
    ("ATTACH DATABASE '{tmp}/other.db' AS other", "ATTACH"),
    ("SELECT 1; PRAGMA query_only=OFF; DELETE FROM claims", "one statement"),
]


def _assert_refused(db: str, engine: Engine, query: str, word: str, tmp: Path) -> None:
    before = state(engine)
    result = runner.invoke(app, ["sql", query.format(tmp=tmp), "--db", db])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    assert any(w.lower() in lines[0].lower() for w in word.split("|")), lines
    assert state(engine) == before
    assert not (tmp / "copied.csv").exists()
    assert not (tmp / "other.db").exists()


@pytest.mark.parametrize(("query", "word"), BYPASSES, ids=[q for q, _ in BYPASSES])
def test_sqlite_sql_refuses(
    sqlite_db: tuple[str, Engine], tmp_path: Path, query: str, word: str
) -> None:
    _assert_refused(*sqlite_db, query, word, tmp_path)


@pytest.mark.postgres
@pytest.mark.parametrize(("query", "word"), BYPASSES, ids=[q for q, _ in BYPASSES])
def test_postgres_sql_refuses(
    pg_db: tuple[str, Engine], tmp_path: Path, query: str, word: str
) -> None:
    _assert_refused(*pg_db, query, word, tmp_path)


@pytest.mark.parametrize(
    "query",
    ["SELECT count(*) AS n FROM claims;", "SELECT ';' AS n -- a comment; DELETE"],
)
def test_one_reading_statement_still_runs(sqlite_db: tuple[str, Engine], query: str) -> None:
    db, _ = sqlite_db
    result = runner.invoke(app, ["sql", query, "--db", db, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "n"


def test_sql_table_shows_markup_as_text(sqlite_db: tuple[str, Engine]) -> None:
    db, _ = sqlite_db
    result = runner.invoke(app, ["sql", "SELECT '[/x]' AS a, '[a] [b]c' AS b", "--db", db])
    assert result.exit_code == 0, result.output
    assert "[/x]" in result.stdout
    assert "[a] [b]c" in result.stdout


# -- read-only commands on something that is not a unionfacts database ---------

READERS = [
    ["sql", "SELECT 1"],
    ["findings"],
    ["show", "abc"],
    ["export", "claims"],
    ["export", "conflicts"],
    ["db", "current"],
]
WRITERS = [["check"], ["review", "abc", "--status", "confirmed"]]
CREATORS = [["ingest", "{tmp}/none"], ["db", "upgrade"]]


@pytest.mark.parametrize("args", READERS + WRITERS, ids=" ".join)
def test_missing_database_is_not_created(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "nothing.db"
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"error: {db}: no such database; `unionfacts ingest` or `unionfacts db upgrade` creates one"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", READERS + WRITERS + CREATORS, ids=" ".join)
def test_another_applications_sqlite_file_is_left_alone(tmp_path: Path, args: list[str]) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    result = runner.invoke(app, [*args, "--db", str(other)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().startswith(f"error: {other}: not a unionfacts database")
    assert len(result.stderr.strip().splitlines()) == 1
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


@pytest.mark.parametrize("args", READERS + WRITERS + CREATORS, ids=" ".join)
def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path, args: list[str]) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    junk = tmp_path / "notes.db"
    junk.write_text("这不是数据库\n" * 200, encoding="utf-8")
    before = junk.read_bytes()
    result = runner.invoke(app, [*args, "--db", str(junk)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().startswith(f"error: {junk}: not a SQLite database")
    assert junk.read_bytes() == before


def test_readers_refuse_an_old_revision_and_check_upgrades_it(tmp_path: Path) -> None:
    from unionfacts.store import current_revision, upgrade

    db = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, "0002")
    result = runner.invoke(app, ["sql", "SELECT 1", "--db", str(db)])
    assert result.exit_code == 2
    assert "run `unionfacts db upgrade` first" in result.stderr
    assert current_revision(engine) == "0002"
    result = runner.invoke(app, ["db", "current", "--db", str(db)])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"current: 0002; head: {head_revision()}"
    result = runner.invoke(app, ["check", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"{db}: schema upgraded from 0002 to {head_revision()}" in result.stderr
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_ingest_and_db_upgrade_still_create(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["db", "upgrade", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert db.exists()


# -- each lock holds on its own -------------------------------------------------


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
@pytest.mark.parametrize(
    "query",
    [
        "SELECT 1; COMMIT; DELETE FROM claims",
        "SELECT 1; COMMIT; DELETE FROM reviews",
        "SELECT 1; COMMIT; DROP VIEW facts",
    ],
)
def test_the_database_refuses_a_second_statement_without_the_check(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    backend: str,
    query: str,
) -> None:
    """With the statement count switched off, the database still runs one
    statement only (SQLite's driver; a prepared statement on PostgreSQL)."""
    db, engine = request.getfixturevalue("sqlite_db" if backend == "sqlite" else "pg_db")
    # the count lives in unionfacts.store.readonly (shared by the sqlite3-only path)
    monkeypatch.setattr("unionfacts.store.readonly.statement_count", lambda sql: 1)
    before = state(engine)
    result = runner.invoke(app, ["sql", query, "--db", db])
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    assert "one statement" in line or "multiple commands" in line, line
    assert state(engine) == before
