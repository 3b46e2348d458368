"""The only code that writes documents and claims.

A document is identified by its resolved source path. Saving it again with
the same content hash changes nothing; with another hash its row is updated
and its claims replaced, all in one transaction, so a reader (or a crash)
never sees half a document.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Insert, Update, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from unionfacts.models import Claim, ExtractedDocument, StreamedDocument
from unionfacts.periods import parse_period
from unionfacts.store.db import writing
from unionfacts.store.schema import claims_table, documents_table

SaveResult = Literal["new", "unchanged", "replaced"]
# Characters of original text on each side of a claim that make its context
# (cut from the text when read; the facts view of migration 0007 uses 40 too).
CONTEXT_CHARS = 40
BATCH = 5000  # claim rows per executemany

Target = Engine | Connection | Session


@contextmanager
def _connection(target: Target, write: bool = True) -> Iterator[Connection]:
    """A connection inside a transaction. An Engine gets its own transaction,
    committed on success (a writing one, see `db.writing`); a Connection or
    Session joins the caller's."""
    if isinstance(target, Engine):
        with (writing(target) if write else target).begin() as conn:
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
    with _connection(target, write=False) as conn:
        return conn.execute(
            select(documents_table.c.content_hash).where(
                documents_table.c.source_path == source_key(path)
            )
        ).scalar_one_or_none()


def save_document(
    target: Target,
    extracted: ExtractedDocument | StreamedDocument,
    *,
    force: bool = False,
    key: str | None = None,
) -> SaveResult:
    """Store one extracted document and its claims, in one transaction.

    Returns "new", "unchanged" (same content hash: nothing written unless
    `force`), or "replaced" (row updated, claims replaced). A streamed
    document's claims are read and written a batch at a time; an error while
    producing them rolls the whole document back. `key` is the document's
    `source_key` when the caller has it already."""
    doc = extracted.document
    key = key or source_key(doc.path)
    with _connection(target) as conn:
        row = conn.execute(
            select(documents_table.c.id, documents_table.c.content_hash).where(
                documents_table.c.source_path == key
            )
        ).first()
        if row is not None and row.content_hash == doc.content_hash and not force:
            return "unchanged"
        now = datetime.now(UTC).replace(tzinfo=None)
        values = _document_values(extracted, now, conn.dialect.name == "postgresql")
        if row is None:
            doc_id = conn.execute(
                insert(documents_table)
                .values(source_path=key, ingested_at=now, **values)
                .returning(documents_table.c.id)
            ).scalar_one()
        else:
            doc_id = row.id
            conn.execute(delete(claims_table).where(claims_table.c.document_id == doc_id))
            conn.execute(
                update(documents_table).where(documents_table.c.id == doc_id).values(**values)
            )
        claims = (
            extracted.claims if isinstance(extracted, ExtractedDocument) else extracted.claims()
        )
        _insert_claims(conn, doc_id, doc.text, claims)
    return "new" if row is None else "replaced"


def _document_values(
    extracted: ExtractedDocument | StreamedDocument, now: datetime, plain_text: bool = False
) -> dict[str, Any]:
    """The documents row. With `plain_text` (PostgreSQL) the text goes into
    `text`, which the server compresses itself and the facts view slices;
    PostgreSQL text cannot hold NUL, so such a text stays compressed."""
    doc, meta = extracted.document, extracted.meta
    plain = plain_text and "\x00" not in doc.text
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
        "genre": meta.genre,
        "target_year": meta.target_year,
        "meta_sources": json.dumps(meta.sources, ensure_ascii=False, sort_keys=True),
        "updated_at": now,
        "text_zlib": b"" if plain else compress_text(doc.text),
        "text": doc.text if plain else None,
    }


_TEXT_BLOCK = 1 << 20


def compress_text(text: str) -> bytes:
    """zlib-compressed UTF-8 of `text`, encoded a block at a time so that a
    50 MB report never has a whole UTF-8 copy in memory."""
    z = zlib.compressobj(6)
    out = [
        z.compress(text[i : i + _TEXT_BLOCK].encode("utf-8"))
        for i in range(0, len(text), _TEXT_BLOCK)
    ]
    out.append(z.flush())
    return b"".join(out)


# Column order of the rows that `claim_values` builds.
CLAIM_COLUMNS = (
    "document_id",
    "seq",
    "start_offset",
    "end_offset",
    "surface",
    "value",
    "value_text",
    "unit",
    "unit_class",
    "approx",
    "metric",
    "metric_rule",
    "period",
    "period_start",
    "period_end",
    "period_form",
    "scope",
    "kind",
    "modality",
    "part_of_id",
    "sentence_start",
    "sentence_end",
    "sentence_text",
    "sentence_of",
    "context_start",
    "rule_id",
    "metric_key",
    "rate_type",
    "direction",
)


@lru_cache(maxsize=4096)  # few distinct period strings occur; parse each once
def _period_columns(period: str, iso_dates: bool) -> tuple[Any, Any, str]:
    p = parse_period(period)
    if iso_dates:  # as SQLAlchemy's Date type stores dates on SQLite
        return (p.start and p.start.isoformat(), p.end and p.end.isoformat(), p.form)
    return p.start, p.end, p.form


def claim_values(
    doc_id: int,
    text: str,
    claim: Claim,
    iso_dates: bool = False,
    kept: dict[str, int] | None = None,
) -> tuple[Any, ...]:
    """One claim row in CLAIM_COLUMNS order (part_of_id is filled in afterwards).

    `kept` maps the sentences stored as text so far in this document to the
    seq of the claim holding each: a later claim of the same sentence names
    that claim (`sentence_of`) instead of storing the sentence again."""
    period_start, period_end, period_form = _period_columns(claim.period, iso_dates)
    span = sentence_span(text, claim.start, claim.end, claim.sentence)
    sentence_text, sentence_of = None, None
    if span is None:
        holder = None if kept is None else kept.get(claim.sentence)
        if holder is None:
            sentence_text = claim.sentence
            if kept is not None:
                kept[claim.sentence] = claim.seq
        else:
            sentence_of = holder
    return (
        doc_id,
        claim.seq,
        claim.start,
        claim.end,
        claim.surface,
        float(claim.value),
        str(claim.value),
        claim.unit,
        claim.unit_class,
        claim.approx,
        claim.metric,
        claim.metric_rule,
        claim.period,
        period_start,
        period_end,
        period_form,
        claim.scope,
        claim.kind,
        claim.modality,
        None,
        span and span[0],
        span and span[1],
        sentence_text,
        sentence_of,
        max(0, claim.start - CONTEXT_CHARS),
        claim.rule_id,
        claim.metric_key,
        claim.rate_type,
        claim.direction,
    )


def sentence_span(text: str, start: int, end: int, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` lies in the original `text` around the claim
    [start, end), when the original reads exactly as the normalized sentence;
    None when it does not (then the sentence itself is stored). One C-speed
    search in a window twice the sentence's length."""
    if not sentence:
        return None
    i = text.find(sentence, max(0, end - len(sentence)), start + len(sentence))
    return None if i < 0 else (i, i + len(sentence))


_INSERT_CLAIMS = insert(claims_table)
_UPDATE_PART_OF = (
    update(claims_table)
    .where(claims_table.c.id == bindparam("child_id"))
    .values(part_of_id=bindparam("parent_id"))
)


def _insert_claims(conn: Connection, doc_id: int, text: str, claims: Iterable[Claim]) -> None:
    # Raw executemany skips SQLAlchemy's bind processing, so on SQLite the
    # dates go in as the ISO text its Date type writes and reads.
    iso = conn.dialect.name == "sqlite"
    stmt = _INSERT_CLAIMS
    links: list[tuple[int, int]] = []
    kept: dict[str, int] = {}  # sentences stored as text, by the seq holding each
    # In batches, so that a huge document never holds all its rows at once.
    it = iter(claims)
    while batch := list(islice(it, BATCH)):
        rows = [claim_values(doc_id, text, c, iso, kept) for c in batch]
        _executemany(conn, stmt, CLAIM_COLUMNS, rows)
        links.extend((c.seq, c.part_of) for c in batch if c.part_of is not None)
    if not links:
        return
    ids: dict[int, int] = {
        seq: claim_id
        for seq, claim_id in conn.execute(
            select(claims_table.c.seq, claims_table.c.id).where(
                claims_table.c.document_id == doc_id
            )
        )
    }
    unknown = sorted({parent for _, parent in links if parent not in ids})
    if unknown:
        raise ValueError(f"part_of names claims that do not exist: seq {unknown}")
    _executemany(
        conn,
        _UPDATE_PART_OF,
        ("child_id", "parent_id"),
        [(ids[seq], ids[parent]) for seq, parent in links],
    )


def _executemany(
    conn: Connection, stmt: Insert | Update, keys: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """One DBAPI executemany of a statement compiled once. Through
    `conn.execute(stmt, rows)` SQLAlchemy builds the parameters of every row
    in Python, which cost more than SQLite's own work on the claims table."""
    sql, order = _compiled(conn, stmt, tuple(keys))
    params: list[Any]
    if order is None:  # named parameters (psycopg)
        params = [dict(zip(keys, r, strict=True)) for r in rows]
    elif list(order) == list(keys):
        params = rows
    else:
        index = [keys.index(k) for k in order]
        params = [tuple(r[i] for i in index) for r in rows]
    conn.exec_driver_sql(sql, params)


# (dialect, paramstyle, statement, keys) -> (SQL, parameter order). Only the
# module-level statements below come here (their ids are stable), so the cache
# stays small; compiling one cost more than inserting a small batch.
_COMPILED: dict[tuple[str, str, int, tuple[str, ...]], tuple[str, tuple[str, ...] | None]] = {}


def _compiled(
    conn: Connection, stmt: Insert | Update, keys: tuple[str, ...]
) -> tuple[str, tuple[str, ...] | None]:
    dialect = conn.dialect
    cache_key = (dialect.name, dialect.paramstyle, id(stmt), keys)
    hit = _COMPILED.get(cache_key)
    if hit is None:
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys))
        order = compiled.positiontup
        hit = _COMPILED[cache_key] = (str(compiled), None if order is None else tuple(order))
    return hit
