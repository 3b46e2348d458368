"""The store on SQLite: URLs, save/replace, read back, read-only SQL, export."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from unionfacts.models import ExtractedDocument
from unionfacts.store import (
    ReadOnlyError,
    SqlError,
    count_claims,
    document_by_path,
    documents_by_name,
    resolve_url,
    run_readonly_sql,
    save_document,
    stored_claims,
    stored_hash,
    write_claims,
)

Build = Callable[[Path, str], ExtractedDocument]

TEXT = "全市新发展会员1200人，其中新就业形态劳动者300人。建成驿站45个。"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
    ],
)
def test_resolve_url_keeps_urls(given: str, expected: str) -> None:
    assert resolve_url(given) == expected


def test_resolve_url_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'unionfacts.db'}"
    assert resolve_url("sub/x.db") == f"sqlite:///{tmp_path / 'sub' / 'x.db'}"


def test_sqlite_pragmas(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_new_then_unchanged_then_replaced(
    engine: Engine, tmp_path: Path, fake_extracted: Build
) -> None:
    path = tmp_path / "a.txt"
    first = fake_extracted(path, TEXT)
    assert save_document(engine, first) == "new"
    ids_before = [c.id for c in stored_claims(engine)]
    assert len(ids_before) == 3

    assert save_document(engine, first) == "unchanged"
    assert [c.id for c in stored_claims(engine)] == ids_before

    changed = fake_extracted(path, TEXT.replace("45个", "46个。另有7个"))
    assert save_document(engine, changed) == "replaced"
    claims = list(stored_claims(engine))
    assert [c.value for c in claims] == [Decimal(1200), Decimal(300), Decimal(46), Decimal(7)]
    doc = document_by_path(engine, path)
    assert doc is not None
    assert doc.content_hash == changed.document.content_hash
    assert doc.n_claims == 4
    assert stored_hash(engine, path) == changed.document.content_hash


def test_claim_round_trip(engine: Engine, tmp_path: Path, fake_extracted: Build) -> None:
    extracted = fake_extracted(tmp_path / "a.txt", TEXT)
    save_document(engine, extracted)
    whole, part, other = stored_claims(engine)
    assert part.part_of_id == whole.id
    assert whole.part_of_id is None and other.part_of_id is None
    assert TEXT[part.start : part.end] == part.surface == "300人"
    assert part.surface in part.context
    assert TEXT[part.context_start : part.context_start + len(part.context)] == part.context
    assert part.doc_name == "a.txt"
    assert part.value == Decimal("300") and isinstance(part.value, Decimal)
    assert part.rule_id == "test.number"


def test_exact_decimal_survives(engine: Engine, tmp_path: Path, fake_extracted: Build) -> None:
    save_document(engine, fake_extracted(tmp_path / "a.txt", "共0.1234567890123456789人"))
    (claim,) = stored_claims(engine)
    assert claim.value == Decimal("0.1234567890123456789")


def test_documents_by_name(engine: Engine, tmp_path: Path, fake_extracted: Build) -> None:
    (tmp_path / "x").mkdir()
    save_document(engine, fake_extracted(tmp_path / "a.txt", TEXT))
    save_document(engine, fake_extracted(tmp_path / "x" / "a.txt", TEXT))
    assert len(documents_by_name(engine, "a.txt")) == 2


def test_deleting_a_document_cascades(
    engine: Engine, tmp_path: Path, fake_extracted: Build
) -> None:
    save_document(engine, fake_extracted(tmp_path / "a.txt", TEXT))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM documents"))
    assert count_claims(engine) == 0


def test_failed_save_leaves_nothing(engine: Engine, tmp_path: Path, fake_extracted: Build) -> None:
    good = fake_extracted(tmp_path / "a.txt", TEXT)
    bad_claims = [*good.claims, good.claims[0]]  # a duplicate seq breaks (document_id, seq)
    bad = ExtractedDocument(good.document, good.meta, bad_claims)
    with pytest.raises(Exception, match=r"(?i)unique"):
        save_document(engine, bad)
    assert document_by_path(engine, tmp_path / "a.txt") is None
    assert count_claims(engine) == 0


def test_facts_view(engine: Engine, tmp_path: Path, fake_extracted: Build) -> None:
    save_document(engine, fake_extracted(tmp_path / "a.txt", TEXT))
    cols, rows = run_readonly_sql(
        engine,
        "SELECT doc, metric, value, quote, part_of, period_start, period_end "
        "FROM facts ORDER BY claim_id",
    )
    assert cols[:4] == ["doc", "metric", "value", "quote"]
    assert [r[2] for r in rows] == [1200, 300, 45]
    assert rows[1][4] is not None and rows[0][4] is None
    assert str(rows[0][5]) == "2023-01-01" and str(rows[0][6]) == "2023-12-31"


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM claims",
        "  -- comment\n drop table claims",
        "UPDATE documents SET title = 'x'",
        "INSERT INTO documents(id) VALUES (1)",
        "PRAGMA query_only=OFF",
        "WITH x AS (SELECT 1) DELETE FROM claims",
        "",
    ],
)
def test_sql_refuses_writes(
    engine: Engine, tmp_path: Path, fake_extracted: Build, sql: str
) -> None:
    save_document(engine, fake_extracted(tmp_path / "a.txt", TEXT))
    with pytest.raises(ReadOnlyError, match="read-only"):
        run_readonly_sql(engine, sql)
    assert count_claims(engine) == 3


def test_sql_reports_bad_queries(engine: Engine) -> None:
    with pytest.raises(SqlError, match="no_such_table"):
        run_readonly_sql(engine, "SELECT * FROM no_such_table")


def test_sql_leaves_pool_writable(engine: Engine, tmp_path: Path, fake_extracted: Build) -> None:
    run_readonly_sql(engine, "SELECT 1")
    assert save_document(engine, fake_extracted(tmp_path / "a.txt", TEXT)) == "new"


def test_export_jsonl(engine: Engine, tmp_path: Path, fake_extracted: Build) -> None:
    save_document(engine, fake_extracted(tmp_path / "a.txt", TEXT))
    out = io.StringIO()
    assert write_claims(engine, out, "jsonl") == 3
    recs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert recs[1]["part_of"] == recs[0]["id"]
    assert recs[0]["value"] == 1200 and recs[0]["doc"] == "a.txt"
    assert TEXT[recs[2]["start"] : recs[2]["end"]] == "45个"


def test_export_csv(engine: Engine, tmp_path: Path, fake_extracted: Build) -> None:
    save_document(engine, fake_extracted(tmp_path / "a.txt", TEXT))
    out = io.StringIO()
    write_claims(engine, out, "csv")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id,doc,start,end,value,unit")
    assert len(lines) == 4


def test_sql_percent_signs(engine: Engine, tmp_path: Path, fake_extracted: Build) -> None:
    save_document(engine, fake_extracted(tmp_path / "a.txt", TEXT))
    _, rows = run_readonly_sql(engine, "SELECT count(*) FROM facts WHERE quote LIKE '%人'")
    assert rows == [(2,)]


def test_claim_columns_follow_stored_claim_fields() -> None:
    # readers builds StoredClaim positionally from these columns; sentence and
    # context are cut from the text (sentence_text and end_offset stand there).
    import dataclasses

    from unionfacts.models import StoredClaim
    from unionfacts.store.readers import _CLAIM_COLUMNS, _FIELDS

    renamed = {
        "name": "doc_name",
        "title": "doc_title",
        "content_hash": "doc_hash",
        "start_offset": "start",
        "end_offset": "end",
        "value_text": "value",
        "sentence_text": "sentence",
    }
    names = [col.name for col in _CLAIM_COLUMNS]
    names[5] = "doc_scope"  # documents.scope, next to claims.scope
    names[22] = "context"  # end_offset, from which the context's end follows
    names[_FIELDS - 1] = "doc_genre"  # documents.genre, after the claim's own columns
    fields = [f.name for f in dataclasses.fields(StoredClaim)]
    assert [renamed.get(n, n) for n in names[:_FIELDS]] == fields
    assert names[_FIELDS:] == [
        "document_id",
        "sentence_start",
        "sentence_end",
        "context_text",
        "sentence_of",
        "seq",
    ]


def test_many_claims_in_batches(
    engine: Engine, tmp_path: Path, fake_extracted: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("unionfacts.store.writer.BATCH", 7)
    text = "".join(f"第{i}组{i + 1}人，其中{i}人。" for i in range(20))
    save_document(engine, fake_extracted(tmp_path / "a.txt", text))
    claims = list(stored_claims(engine))
    assert len(claims) == 40 and [c.seq for c in claims] == list(range(40))
    by_id = {c.id: c for c in claims}
    assert all(by_id[c.part_of_id].seq == c.seq - 1 for c in claims if c.seq % 2)
