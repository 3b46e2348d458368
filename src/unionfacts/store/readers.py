"""Reading documents and claims back as plain values."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from unionfacts.models import StoredClaim
from unionfacts.store.schema import claims_table, documents_table
from unionfacts.store.writer import CONTEXT_CHARS, source_key

d, c = documents_table.c, claims_table.c


@dataclass(frozen=True)
class StoredDocument:
    """A stored document without its text (see `document_text`)."""

    id: int
    source_path: str
    name: str
    content_hash: str
    encoding: str
    size_bytes: int
    n_chars: int
    title: str | None
    doc_date: date | None
    year: int | None
    issuer: str | None
    scope: str | None
    genre: str | None
    target_year: int | None
    meta_sources: dict[str, str]
    ingested_at: datetime
    updated_at: datetime
    n_claims: int


_DOC_COLUMNS = (
    d.id,
    d.source_path,
    d.name,
    d.content_hash,
    d.encoding,
    d.size_bytes,
    d.n_chars,
    d.title,
    d.doc_date,
    d.year,
    d.issuer,
    d.scope,
    d.genre,
    d.target_year,
    d.meta_sources,
    d.ingested_at,
    d.updated_at,
)


def _documents(engine: Engine, *where: Any) -> list[StoredDocument]:
    n_claims = select(func.count()).where(c.document_id == d.id).scalar_subquery().label("n_claims")
    stmt = select(*_DOC_COLUMNS, n_claims).where(*where).order_by(d.name, d.source_path)
    with engine.connect() as conn:
        return [_document(r) for r in conn.execute(stmt)]


def _document(r: Any) -> StoredDocument:
    values = r._asdict()
    values["meta_sources"] = json.loads(values["meta_sources"] or "{}")
    return StoredDocument(**values)


@dataclass(frozen=True)
class StoredIdentity:
    """What ingest compares before extracting a file again."""

    id: int
    content_hash: str
    doc_date: date | None
    scope: str | None
    genre: str | None


def stored_identity(target: Engine | Connection, key: str) -> StoredIdentity | None:
    """The stored document with this `source_key`, by one indexed lookup (no
    claim count, no path resolution: ingest has the key already)."""
    stmt = select(d.id, d.content_hash, d.doc_date, d.scope, d.genre).where(d.source_path == key)
    if isinstance(target, Connection):
        row = target.execute(stmt).first()
    else:
        with target.connect() as conn:
            row = conn.execute(stmt).first()
    return None if row is None else StoredIdentity(*row)


def list_documents(engine: Engine) -> list[StoredDocument]:
    return _documents(engine)


def document_by_path(engine: Engine, path: Path | str) -> StoredDocument | None:
    found = _documents(engine, d.source_path == source_key(Path(path)))
    return found[0] if found else None


def documents_by_name(engine: Engine, name: str) -> list[StoredDocument]:
    """Documents with this file name (several folders may hold the same name)."""
    return _documents(engine, d.name == name)


def document_by_id(engine: Engine, doc_id: int) -> StoredDocument | None:
    found = _documents(engine, d.id == doc_id)
    return found[0] if found else None


def document_text(engine: Engine, doc_id: int) -> str | None:
    """The document's decoded text (compressed in `text_zlib`, or plain in
    `text` on PostgreSQL)."""
    with engine.connect() as conn:
        row = conn.execute(select(d.text, d.text_zlib).where(d.id == doc_id)).first()
    if row is None:
        return None
    plain, blob = row
    return str(plain) if plain is not None else zlib.decompress(blob).decode("utf-8")


def document_texts(engine: Engine, budget: int) -> dict[int, str]:
    """The decoded texts of documents, in id order, until they hold `budget`
    characters: one query instead of one per document."""
    out: dict[int, str] = {}
    held = 0
    with engine.connect() as conn:
        for doc_id, plain, blob in conn.execute(
            select(d.id, d.text, d.text_zlib).order_by(d.id)
        ).yield_per(256):
            text = str(plain) if plain is not None else zlib.decompress(blob).decode("utf-8")
            held += len(text)
            if held > budget:
                break
            out[int(doc_id)] = text
    return out


def count_claims(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(claims_table)).scalar_one())


# In the order of StoredClaim's fields, so that rows unpack straight into it.
_CLAIM_COLUMNS = (
    c.id,
    d.name,
    d.title,
    d.doc_date,
    d.content_hash,
    d.scope,
    c.seq,
    c.start_offset,
    c.end_offset,
    c.surface,
    c.value_text,
    c.unit,
    c.unit_class,
    c.approx,
    c.metric,
    c.metric_rule,
    c.period,
    c.scope,
    c.kind,
    c.modality,
    c.part_of_id,
    c.sentence_text,  # StoredClaim.sentence, or NULL: then read from the text
    c.end_offset,  # StoredClaim.context: text[context_start : end + CONTEXT_CHARS]
    c.context_start,
    c.rule_id,
    c.metric_key,
    c.rate_type,
    c.direction,
    d.genre,
    # not StoredClaim fields: what finds the sentence and the context
    c.document_id,
    c.sentence_start,
    c.sentence_end,
    c.context_text,
    c.sentence_of,
    c.seq,
)
_VALUE = 10  # position of value_text
_SENTENCE = 21  # position of sentence_text
_FIELDS = 29  # StoredClaim's fields come first; the rest locate its text


def stored_claims(
    engine: Engine, *, document_ids: Sequence[int] | None = None, batch: int = 2000
) -> Iterator[StoredClaim]:
    """Every stored claim with its document, ordered by document name and
    position. Streams in batches (server-side cursor on PostgreSQL); a claim's
    sentence and context are cut from its document's text, read once per
    document, so memory holds one text at a time."""
    stmt = (
        select(*_CLAIM_COLUMNS)
        .join(documents_table, d.id == c.document_id)
        .order_by(d.name, d.id, c.seq)
    )
    if document_ids is not None:
        stmt = stmt.where(c.document_id.in_(list(document_ids)))
    text_of: tuple[int, str] = (-1, "")
    kept: dict[int, str] = {}  # this document's sentences stored as text, by seq
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=batch).execute(stmt)
        for r in result:
            t = tuple(r)
            doc_id = t[_FIELDS]
            if text_of[0] != doc_id:
                text_of = (doc_id, document_text(engine, doc_id) or "")
                kept = {}
            if t[_SENTENCE] is not None:
                kept[t[_FIELDS + 5]] = t[_SENTENCE]
            elif t[_FIELDS + 4] is not None:  # held by an earlier claim (seq order)
                t = (*t[:_SENTENCE], kept.get(t[_FIELDS + 4], ""), *t[_SENTENCE + 1 :])
            yield _stored_claim(t, text_of[1])


def _stored_claim(t: tuple[Any, ...], text: str) -> StoredClaim:
    # Positional: building 25 keyword arguments by attribute name per row was
    # the most expensive part of reading claims back.
    s_start, s_end = t[_FIELDS + 1], t[_FIELDS + 2]
    sentence = t[_SENTENCE] if t[_SENTENCE] is not None else text[s_start:s_end]
    end, context_start = t[_SENTENCE + 1], t[_SENTENCE + 2]
    context = t[_FIELDS + 3]
    if context is None:
        context = text[context_start : end + CONTEXT_CHARS]
    return StoredClaim(
        *t[:_VALUE],
        Decimal(t[_VALUE]),
        *t[_VALUE + 1 : _SENTENCE],
        sentence,
        context,
        *t[_SENTENCE + 2 : _FIELDS],
    )  # type: ignore[call-arg]
