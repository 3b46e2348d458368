"""The same store round trip on PostgreSQL, in a database made for this run.

Needs the server at 127.0.0.1:5432 (user root, trust auth; override with
UNIONFACTS_TEST_PG, a URL to a maintenance database); skipped with the reason
when it does not answer.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from unionfacts.models import ExtractedDocument
from unionfacts.store import (
    ReadOnlyError,
    count_claims,
    current_revision,
    head_revision,
    open_database,
    run_readonly_sql,
    save_document,
    stored_claims,
    write_claims,
)
from unionfacts.store.schema import Base

pytestmark = pytest.mark.postgres
TEXT = "全市新发展会员1200人，其中新就业形态劳动者300人。建成驿站45.5个。"


@pytest.fixture
def pg(pg_url: str) -> Iterator[Engine]:
    engine = open_database(pg_url)
    yield engine
    with engine.begin() as conn:  # a clean slate for the next test
        conn.execute(text("DELETE FROM documents"))
    engine.dispose()


def test_migrated_to_head_and_models_match(pg: Engine) -> None:
    assert current_revision(pg) == head_revision()
    with pg.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []


def test_round_trip(
    pg: Engine, tmp_path: Path, fake_extracted: Callable[[Path, str], ExtractedDocument]
) -> None:
    path = tmp_path / "a.txt"
    assert save_document(pg, fake_extracted(path, TEXT)) == "new"
    assert save_document(pg, fake_extracted(path, TEXT)) == "unchanged"
    whole, part, other = stored_claims(pg)
    assert part.part_of_id == whole.id and other.value == Decimal("45.5")
    assert TEXT[part.start : part.end] == part.surface

    assert save_document(pg, fake_extracted(path, TEXT + "另有7人。")) == "replaced"
    assert count_claims(pg) == 4

    out = io.StringIO()
    write_claims(pg, out)
    recs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert recs[1]["part_of"] == recs[0]["id"] and recs[2]["value"] == 45.5


def test_facts_view_and_read_only_sql(
    pg: Engine, tmp_path: Path, fake_extracted: Callable[[Path, str], ExtractedDocument]
) -> None:
    save_document(pg, fake_extracted(tmp_path / "a.txt", TEXT))
    cols, rows = run_readonly_sql(
        pg, "SELECT doc, value, unit FROM facts WHERE unit LIKE '%人' ORDER BY claim_id"
    )
    assert cols == ["doc", "value", "unit"]
    assert [(r[0], r[1]) for r in rows] == [("a.txt", 1200), ("a.txt", 300)]
    with pytest.raises(ReadOnlyError):
        run_readonly_sql(pg, "WITH x AS (DELETE FROM claims RETURNING 1) SELECT * FROM x")
    assert count_claims(pg) == 3
