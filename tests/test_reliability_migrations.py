"""Migrations keep every stored row, upgrading and downgrading, on SQLite and
PostgreSQL.

A database is built at each earlier revision and filled with documents,
claims (one part of another), findings, their claims and reviews, written as
plain SQL for the columns that revision has. It is upgraded to head and what
was stored is compared; then each step is taken down and up again.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from unionfacts.store import current_revision, head_revision, make_engine, upgrade
from unionfacts.store.db import alembic_config, downgrade

REVISIONS = [
    s.revision
    for s in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
]
EARLIER = REVISIONS[:-1]

DOC_TEXT = ["全市新发展会员1200人，其中女性300人。", "建成驿站45个，服务职工8000人次。"]


def _columns(conn: Connection, table: str) -> set[str]:
    return {c["name"] for c in inspect(conn).get_columns(table)}


def seed(conn: Connection) -> None:
    """Two documents with two claims each, two findings, three reviews, in
    whatever columns the database's revision has."""
    doc_cols = _columns(conn, "documents")
    for i, body in enumerate(DOC_TEXT, 1):
        row: dict[str, Any] = dict(
            id=i,
            source_path=f"/r/{i}.txt",
            name=f"{i}.txt",
            content_hash=f"{i:064d}",
            encoding="utf-8",
            size_bytes=len(body.encode()),
            n_chars=len(body),
            title=f"报告{i}",
            doc_date="2024-01-0" + str(i),
            year=2023,
            issuer="某工会",
            scope="北京市",
            meta_sources="{}",
            ingested_at="2024-02-01 00:00:00",
            updated_at="2024-02-01 00:00:00",
        )
        if "text_zlib" in doc_cols:  # 0003 on (0007 adds `text` again, for PostgreSQL)
            row["text_zlib"] = zlib.compress(body.encode())
        else:
            row["text"] = body
        if "genre" in doc_cols:
            row["genre"] = "work_report"
        _insert(conn, "documents", row)
    claim_cols = _columns(conn, "claims")
    for doc_id in (1, 2):
        for seq in (0, 1):
            cid = doc_id * 10 + seq
            row = dict(
                id=cid,
                document_id=doc_id,
                seq=seq,
                start_offset=7 + seq * 10,
                end_offset=12 + seq * 10,
                surface=f"{cid}人",
                value=float(cid),
                value_text=str(cid),
                unit="人",
                unit_class="person",
                approx="exact",
                metric="会员",
                metric_rule=None,
                period="2023",
                period_start="2023-01-01",
                period_end="2023-12-31",
                period_form="year",
                scope="北京市",
                kind="stock",
                modality="actual",
                part_of_id=doc_id * 10 if seq else None,
                sentence="一句话",
                context="上下文",
                context_start=0,
                rule_id="test.rule",
            )
            if "metric_key" in claim_cols:
                row.update(metric_key="member", rate_type=None, direction=None)
            if "sentence" not in claim_cols:  # 0007 on: text that offsets cannot give
                row["sentence_text"] = row.pop("sentence")
                row["context_text"] = row.pop("context")
            _insert(conn, "claims", row)
    if "findings" not in inspect(conn).get_table_names():
        return
    for n, status in enumerate(("dismissed", "confirmed"), 1):
        fid = f"{n:020d}"
        evidence = [
            {
                "doc": f"{d}.txt",
                "doc_hash": f"{d:064d}",
                "doc_title": f"报告{d}",
                "doc_date": None,
                "start": 7,
                "end": 12,
                "surface": f"{d * 10}人",
                "value": str(d * 10 + n),
                "unit": "人",
                "approx": "exact",
                "metric": "会员",
                "period": "2023",
                "scope": "北京市",
                "kind": "stock",
                "modality": "actual",
                "context": "上下文",
                "context_start": 0,
            }
            for d in (1, 2)
        ]
        _insert(
            conn,
            "findings",
            dict(
                id=fid,
                check_name="same_fact_differs",
                severity="warning",
                status=status,
                reopened=False,
                reopen_reason=None,
                explanation=f"解释{n}",
                arithmetic="10 ≠ 20",
                evidence=json.dumps(evidence, ensure_ascii=False),
                evidence_hash="e" * 64,
                first_seen="2024-02-01 00:00:00",
                last_seen="2024-02-02 00:00:00",
            ),
        )
        for pos, d in enumerate((1, 2)):
            _insert(
                conn,
                "finding_claims",
                dict(
                    finding_id=fid,
                    position=pos,
                    doc_hash=f"{d:064d}",
                    doc_name=f"{d}.txt",
                    start_offset=7,
                    end_offset=12,
                    value_text=str(d * 10 + n),
                ),
            )
        _insert(
            conn,
            "reviews",
            dict(
                at="2024-02-03 00:00:00",
                finding_id=fid,
                from_status="open",
                to_status=status,
                note=f"审核{n}",
                who="analyst",
            ),
        )
    _insert(
        conn,
        "reviews",
        dict(
            at="2024-02-04 00:00:00",
            finding_id=f"{1:020d}",
            from_status="dismissed",
            to_status="dismissed",
            note="again",
            who="analyst",
        ),
    )


def _insert(conn: Connection, table: str, row: dict[str, Any]) -> None:
    names = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), row)


def snapshot(engine: Engine) -> dict[str, Any]:
    """What was stored, in the columns every revision has; each document's
    text decoded whichever column holds it; review rows by content, since a
    later revision may rename a finding but must keep its decisions."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        doc_cols = _columns(conn, "documents")
        # The text is plain `text` (up to 0002), `text_zlib` (0003 on), or
        # either (0007 on: plain on PostgreSQL); read whichever holds it.
        text_cols = [c for c in ("text", "text_zlib") if c in doc_cols]
        docs = conn.execute(
            text(
                "SELECT id, source_path, name, content_hash, title, doc_date,"
                f" {', '.join(text_cols)} FROM documents ORDER BY id"
            )
        ).fetchall()

        def _text(r: Any) -> str:
            held = dict(zip(text_cols, r[6:], strict=True))
            if held.get("text") is not None:
                return str(held["text"])
            return zlib.decompress(held["text_zlib"]).decode()

        out: dict[str, Any] = {
            "documents": [(*r[:6], _text(r)) for r in docs],
            # sentence and context through the facts view: from 0007 on a claim
            # keeps offsets, and the view gives the text back
            "claims": [
                tuple(r)
                for r in conn.execute(
                    text(
                        "SELECT c.id, c.document_id, c.seq, c.start_offset, c.end_offset,"
                        " c.surface, c.value, c.value_text, c.metric, c.period, c.scope,"
                        " c.part_of_id, f.sentence, f.context"
                        " FROM claims AS c JOIN facts AS f ON f.claim_id = c.id ORDER BY c.id"
                    )
                )
            ],
        }
        if "findings" in tables:
            out["findings"] = sorted(
                (r.status, r.explanation, r.check_name, r.n_claims, r.n_reviews)
                for r in conn.execute(
                    text(
                        "SELECT f.status, f.explanation, f.check_name,"
                        " (SELECT count(*) FROM finding_claims c WHERE c.finding_id = f.id)"
                        " AS n_claims,"
                        " (SELECT count(*) FROM reviews r WHERE r.finding_id = f.id) AS n_reviews"
                        " FROM findings f"
                    )
                )
            )
            out["reviews"] = sorted(
                tuple(r)
                for r in conn.execute(text("SELECT from_status, to_status, note, who FROM reviews"))
            )
        return out


def _new_engine(url: str) -> Engine:
    return make_engine(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'm.db'}"


@pytest.fixture
def fresh_pg(pg_url: str) -> Iterator[str]:
    """The session's PostgreSQL database, emptied before and after."""
    _wipe_pg(pg_url)
    yield pg_url
    _wipe_pg(pg_url)


def _wipe_pg(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _upgrade_from(url: str, start: str) -> None:
    engine = _new_engine(url)
    try:
        upgrade(engine, start)
        with engine.begin() as conn:
            seed(conn)
        before = snapshot(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        after = snapshot(engine)
        for table, rows in before.items():
            assert after[table] == rows, f"{table} changed upgrading from {start}"
        assert after["claims"], "no claims survived"
        assert "facts" in inspect(engine).get_view_names()
    finally:
        engine.dispose()


def _each_step_down_and_up(url: str) -> None:
    """Down one step and up again, from head to the first revision. A step
    that drops a table its upgrade created (0002's findings) loses those rows
    by design; every other table must come back unchanged."""
    engine = _new_engine(url)
    try:
        upgrade(engine, REVISIONS[0])
        with engine.begin() as conn:
            seed(conn)
        upgrade(engine)
        at_head = snapshot(engine)
        for down_to, up_to in zip(reversed(REVISIONS[:-1]), reversed(REVISIONS[1:]), strict=True):
            downgrade(engine, down_to)
            assert current_revision(engine) == down_to
            below = snapshot(engine)
            for table, rows in below.items():
                assert rows == at_head[table], f"{table} changed downgrading to {down_to}"
            upgrade(engine, up_to)
            again = snapshot(engine)
            for table in below:
                assert again[table] == at_head[table], f"{table} changed going up to {up_to}"
            downgrade(engine, down_to)
        upgrade(engine)
        final = snapshot(engine)
        assert final["documents"] == at_head["documents"]
        assert final["claims"] == at_head["claims"]
    finally:
        engine.dispose()


@pytest.mark.parametrize("start", EARLIER)
def test_sqlite_upgrade_from_each_revision_keeps_rows(sqlite_url: str, start: str) -> None:
    _upgrade_from(sqlite_url, start)


def test_sqlite_each_step_down_and_up_keeps_rows(sqlite_url: str) -> None:
    _each_step_down_and_up(sqlite_url)


@pytest.mark.postgres
@pytest.mark.parametrize("start", EARLIER)
def test_postgres_upgrade_from_each_revision_keeps_rows(fresh_pg: str, start: str) -> None:
    _upgrade_from(fresh_pg, start)


@pytest.mark.postgres
def test_postgres_each_step_down_and_up_keeps_rows(fresh_pg: str) -> None:
    _each_step_down_and_up(fresh_pg)


def test_sqlite_foreign_keys_are_on_again_after_a_migration(sqlite_url: str) -> None:
    engine = _new_engine(sqlite_url)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
