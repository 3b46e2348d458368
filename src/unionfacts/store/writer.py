"""The only code that writes documents and claims.

A document is identified by its resolved source path. Saving it again with
the same content hash changes nothing; with another hash its row is updated
and its claims replaced, all in one transaction, so a reader (or a crash)
never sees half a document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from unionfacts.models import Claim, ExtractedDocument
from unionfacts.periods import parse_period
from unionfacts.store.schema import claims_table, documents_table

SaveResult = Literal["new", "unchanged", "replaced"]
CONTEXT_CHARS = 40  # characters of original text kept on each side of a claim

Target = Engine | Connection | Session


@contextmanager
def _connection(target: Target) -> Iterator[Connection]:
    """A connection inside a transaction. An Engine gets its own transaction,
    committed on success; a Connection or Session joins the caller's."""
    if isinstance(target, Engine):
        with target.begin() as conn:
            yield conn
    elif isinstance(target, Session):
        yield target.connection()
    else:
        yield target


def source_key(path: Path) -> str:
    """How a document is identified in the store: its resolved path."""
    return str(Path(path).resolve())


def stored_hash(target: Target, path: Path) -> str | None:
    """Content hash of the stored document at `path`, None when not stored.
    Lets ingest skip extraction for unchanged files."""
    with _connection(target) as conn:
        return conn.execute(
            select(documents_table.c.content_hash).where(
                documents_table.c.source_path == source_key(path)
            )
        ).scalar_one_or_none()


def save_document(
    target: Target, extracted: ExtractedDocument, *, force: bool = False
) -> SaveResult:
    """Store one extracted document and its claims.

    Returns "new", "unchanged" (same content hash: nothing written unless
    `force`), or "replaced" (row updated, claims replaced)."""
    doc = extracted.document
    key = source_key(doc.path)
    with _connection(target) as conn:
        row = conn.execute(
            select(documents_table.c.id, documents_table.c.content_hash).where(
                documents_table.c.source_path == key
            )
        ).first()
        if row is not None and row.content_hash == doc.content_hash and not force:
            return "unchanged"
        now = datetime.now(UTC).replace(tzinfo=None)
        values = _document_values(extracted, now)
        if row is None:
            doc_id = conn.execute(
                insert(documents_table).values(source_path=key, ingested_at=now, **values)
                .returning(documents_table.c.id)
            ).scalar_one()
        else:
            doc_id = row.id
            conn.execute(delete(claims_table).where(claims_table.c.document_id == doc_id))
            conn.execute(
                update(documents_table).where(documents_table.c.id == doc_id).values(**values)
            )
        _insert_claims(conn, doc_id, doc.text, extracted.claims)
    return "new" if row is None else "replaced"


def _document_values(extracted: ExtractedDocument, now: datetime) -> dict[str, Any]:
    doc, meta = extracted.document, extracted.meta
    return {
        "name": doc.name,
        "content_hash": doc.content_hash,
        "encoding": doc.encoding,
        "size_bytes": doc.size_bytes,
        "n_chars": len(doc.text),
        "title": meta.title,
        "doc_date": meta.date,
        "year": meta.year,
        "issuer": meta.issuer,
        "scope": meta.scope,
        "meta_sources": json.dumps(meta.sources, ensure_ascii=False, sort_keys=True),
        "updated_at": now,
        "text": doc.text,
    }


def claim_values(doc_id: int, text: str, claim: Claim) -> dict[str, Any]:
    """Column values of one claim row (part_of_id is filled in afterwards)."""
    period = parse_period(claim.period)
    ctx_start = max(0, claim.start - CONTEXT_CHARS)
    return {
        "document_id": doc_id,
        "seq": claim.seq,
        "start_offset": claim.start,
        "end_offset": claim.end,
        "surface": claim.surface,
        "value": float(claim.value),
        "value_text": str(claim.value),
        "unit": claim.unit,
        "unit_class": claim.unit_class,
        "approx": claim.approx,
        "metric": claim.metric,
        "metric_rule": claim.metric_rule,
        "period": claim.period,
        "period_start": period.start,
        "period_end": period.end,
        "period_form": period.form,
        "scope": claim.scope,
        "kind": claim.kind,
        "modality": claim.modality,
        "part_of_id": None,
        "sentence": claim.sentence,
        "context": text[ctx_start : claim.end + CONTEXT_CHARS],
        "context_start": ctx_start,
        "rule_id": claim.rule_id,
    }


def _insert_claims(conn: Connection, doc_id: int, text: str, claims: list[Claim]) -> None:
    if not claims:
        return
    rows = [claim_values(doc_id, text, c) for c in claims]
    links = [(c.seq, c.part_of) for c in claims if c.part_of is not None]
    if not links:
        # The common case: one executemany, no round trip for ids.
        conn.execute(insert(claims_table), rows)
        return
    ids = {
        r.seq: r.id
        for r in conn.execute(
            insert(claims_table).returning(
                claims_table.c.seq, claims_table.c.id, sort_by_parameter_order=True
            ),
            rows,
        )
    }
    unknown = [parent for _, parent in links if parent not in ids]
    if unknown:
        raise ValueError(f"part_of names claims that do not exist: seq {unknown}")
    conn.execute(
        update(claims_table)
        .where(claims_table.c.id == bindparam("child"))
        .values(part_of_id=bindparam("parent")),
        [{"child": ids[seq], "parent": ids[parent]} for seq, parent in links],
    )
