"""Migration 0006 is lossless: going down to 0004 and up again keeps every
finding, cited claim and review, and fills finding_claims.claim_id from the
content key the rows already carry; on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from unionfacts.findings import list_findings, review
from unionfacts.store import open_database, upgrade
from unionfacts.store.db import alembic_config
from web_corpus import ingest_and_check, write_corpus

COUNTS = {
    "findings": "SELECT count(*) FROM findings",
    "finding_claims": "SELECT count(*) FROM finding_claims",
    "reviews": "SELECT count(*) FROM reviews",
    "claims": "SELECT count(*) FROM claims",
}


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {k: int(conn.execute(text(v)).scalar_one()) for k, v in COUNTS.items()}


def _down_and_up(engine: Engine, tmp_path: Path) -> None:
    ingest_and_check(engine, write_corpus(tmp_path / "reports"))
    review(engine, list_findings(engine)[0].id, "confirmed", "核实", "analyst")
    before = _counts(engine)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    assert _counts(engine) == before
    upgrade(engine)
    assert _counts(engine) == before
    with engine.connect() as conn:
        unlinked = conn.execute(
            text("SELECT count(*) FROM finding_claims WHERE claim_id IS NULL")
        ).scalar_one()
        cols = conn.execute(text("SELECT * FROM facts LIMIT 0")).keys()
    assert unlinked == 0
    assert {"corrected_by", "not_a_claim"} <= set(cols)


def test_0006_down_and_up_on_sqlite(tmp_path: Path) -> None:
    engine = open_database(str(tmp_path / "m.db"))
    try:
        _down_and_up(engine, tmp_path)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_0006_down_and_up_on_postgres(pg_url: str, tmp_path: Path) -> None:
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"unionfacts_mig_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = open_database(make_url(pg_url).set(database=name).render_as_string(False))
    try:
        _down_and_up(engine, tmp_path)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
