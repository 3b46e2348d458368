"""`ingest --jobs N` stores what one job stores, and `ingest --queue` workers
on PostgreSQL share one list of files: each file done exactly once, and the
files of a worker that dies go back to the queue."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import throwaway_pg_database
from unionfacts.ingest import ingest_paths
from unionfacts.rules import load_rules
from unionfacts.store import claim_records, open_database

ADMIN_URL = os.environ.get("UNIONFACTS_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test")
CLI = Path(sys.executable).with_name("unionfacts")


def invented_reports(root: Path, n: int) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = root / f"report_{i:02d}.txt"
        p.write_text(
            f"云湾市总工会{2020 + i % 4}年工作报告\n\n"
            f"全年新发展会员{1200 + i}人，其中女性{300 + i}人。建成驿站{40 + i}个，"
            f"慰问职工{2 + i}.5万人次，发放资金{i + 1}亿元。\n"
            # full-width digits: a sentence stored as text, once for two claims
            "培训女职工１２０人，青年职工３５人。\n",
            encoding="utf-8",
        )
        paths.append(p)
    return paths


def _claims(url: str) -> list[tuple[object, ...]]:
    engine = open_database(url, "read")
    try:
        return sorted(
            (r["doc"], r["start"], r["end"], r["value"], r["unit"], r["metric"], r["period"])
            for r in claim_records(engine)
        )
    finally:
        engine.dispose()


def test_two_jobs_store_what_one_job_stores(tmp_path: Path) -> None:
    invented_reports(tmp_path / "r", 6)
    rules = load_rules([])
    urls = []
    for jobs in (1, 2):
        url = f"sqlite:///{tmp_path / f'j{jobs}.db'}"
        engine = open_database(url)
        summary = ingest_paths(engine, [tmp_path / "r"], rules, jobs=jobs)
        assert summary.ok and summary.new == 6
        # the summary keeps the files' order whatever the workers' speed
        assert [o.path.name for o in summary.outcomes] == [f"report_{i:02d}.txt" for i in range(6)]
        engine.dispose()
        urls.append(url)
    one, two = (_claims(u) for u in urls)
    assert one == two and len(one) >= 6 * 4


@pytest.fixture
def pg_db() -> Iterator[str]:
    yield from throwaway_pg_database("unionfacts_queue")


@pytest.mark.postgres
def test_three_queue_workers_store_every_file_once(tmp_path: Path, pg_db: str) -> None:
    files = invented_reports(tmp_path / "shared", 12)
    open_database(pg_db).dispose()  # schema first, as `db upgrade` would
    engine = create_engine(pg_db)
    keys = [str(p.resolve()) for p in files]
    # A worker that dies holding two files: it queued them and took their row
    # locks, then its connection is cut (as when the process is killed).
    doomed = engine.connect()
    doomed.execute(
        text("INSERT INTO ingest_queue (path, enqueued_at) VALUES (:p, now())"),
        [{"p": k} for k in keys[:2]],
    )
    doomed.commit()
    doomed.execute(
        text("SELECT path FROM ingest_queue WHERE path IN (:a, :b) FOR UPDATE"),
        {"a": keys[0], "b": keys[1]},
    )
    doomed_pid = doomed.execute(text("SELECT pg_backend_pid()")).scalar_one()

    workers = [
        subprocess.Popen(
            [str(CLI), "ingest", str(tmp_path / "shared"), "--db", pg_db, "--queue"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(3)
    ]
    try:
        deadline = time.monotonic() + 120
        with engine.connect() as conn:
            while (
                conn.execute(
                    text("SELECT count(*) FROM ingest_queue WHERE done_at IS NOT NULL")
                ).scalar_one()
                < 10
            ):
                assert time.monotonic() < deadline, "workers did not finish the free files"
                assert all(w.poll() is None for w in workers), "a worker ended too early"
                time.sleep(0.2)
                conn.rollback()
            # the two held files wait for their holder
            assert (
                conn.execute(
                    text("SELECT count(*) FROM ingest_queue WHERE done_at IS NULL")
                ).scalar_one()
                == 2
            )
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": doomed_pid})
            conn.commit()
        for w in workers:
            out, _ = w.communicate(timeout=120)
            assert w.returncode == 0, out.decode()
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
        doomed.invalidate()

    with engine.connect() as conn:
        docs = conn.execute(
            text("SELECT source_path, count(*) FROM documents GROUP BY source_path")
        ).all()
        queue = conn.execute(text("SELECT path, status, worker FROM ingest_queue")).all()
    engine.dispose()
    assert sorted(p for p, _ in docs) == sorted(keys) and all(n == 1 for _, n in docs)
    # a file done a second time would read "unchanged"; every one reads "new"
    assert sorted(p for p, _, _ in queue) == sorted(keys)
    assert {s for _, s, _ in queue} == {"new"}
    assert len(_claims(pg_db)) >= 12 * 4


def test_queue_on_sqlite_is_refused_before_any_file_is_made(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from unionfacts.cli import _register, app

    _register()
    invented_reports(tmp_path / "r", 1)
    db = tmp_path / "q.db"
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "r"), "--queue", "--db", str(db)])
    assert result.exit_code == 2
    assert "--queue needs PostgreSQL" in result.output
    assert not db.exists()


@pytest.mark.postgres
def test_two_jobs_on_postgres_save_in_their_own_sessions(tmp_path: Path, pg_db: str) -> None:
    """Workers write PostgreSQL themselves; the facts view there gives the
    same context and sentence as SQLite's (substr against unionfacts_text)."""
    invented_reports(tmp_path / "r", 4)
    rules = load_rules([])
    views = []
    for url, jobs in ((f"sqlite:///{tmp_path / 'one.db'}", 1), (pg_db, 2)):
        engine = open_database(url)
        summary = ingest_paths(engine, [tmp_path / "r"], rules, jobs=jobs)
        assert summary.ok and summary.new == 4
        with engine.connect() as conn:
            views.append(
                conn.execute(
                    text(
                        "SELECT doc, start_offset, quote, context, sentence FROM facts"
                        " ORDER BY doc, start_offset"
                    )
                ).all()
            )
        engine.dispose()
    assert views[0] == views[1] and len(views[0]) >= 16
