"""ORM tables of the store: `documents` and `claims`.

These classes stay inside the store package; the rest of unionfacts passes
plain values (`unionfacts.models`). Every change here needs a migration in
`migrations/versions/` (tests/test_migrations.py compares the two).

The `facts` view for analysts is created by migration 0001 and documented in
docs/facts.md; it is not mapped here because nothing in unionfacts writes it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    Date,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so that Alembic batch mode on SQLite and
# autogenerate can find constraints again by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Document(Base):
    """One source file, identified by its resolved path."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_path: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)  # file name; `doc` in exports
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the bytes
    encoding: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    n_chars: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    doc_date: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    issuer: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(Text)
    genre: Mapped[str | None] = mapped_column(String(40))  # id in rules/genres.yaml
    target_year: Mapped[int | None] = mapped_column(Integer)  # the year it sets targets for
    meta_sources: Mapped[str] = mapped_column(Text, default="{}")  # JSON: field -> source
    ingested_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, first ingest
    updated_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, last content change
    # The decoded text, front matter included (claim offsets point into it):
    # on SQLite zlib-compressed UTF-8 in `text_zlib`; on PostgreSQL plain in
    # `text` (TOAST compresses it, and the facts view can `substr` it), with
    # `text_zlib` empty. Read it with `unionfacts.store.document_text`.
    text_zlib: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str | None] = mapped_column(Text)


class ClaimRow(Base):
    """One numeric claim of a document (see GUIDELINES.md for the fields)."""

    __tablename__ = "claims"
    __table_args__ = (
        # Also the index of document_id: a claim is found by its document.
        UniqueConstraint("document_id", "seq"),
        # No CHECK constraints on approx/kind/modality: the values are typed
        # Literals before they get here, and on SQLite the checks halved the
        # insert rate of the whole claims table.
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)  # 0-based, text order within the document
    # `end` is a reserved word in SQL, so the columns carry a suffix.
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    surface: Mapped[str] = mapped_column(Text)
    # A float for SQL arithmetic and comparisons; value_text keeps the exact Decimal.
    value: Mapped[float] = mapped_column(Double)
    value_text: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(20))
    unit_class: Mapped[str] = mapped_column(String(20))
    approx: Mapped[str] = mapped_column(String(10))
    metric: Mapped[str] = mapped_column(Text)
    metric_rule: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    period_form: Mapped[str] = mapped_column(String(10))
    scope: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))
    modality: Mapped[str] = mapped_column(String(10))
    part_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL"), index=True
    )
    # The sentence is not copied: its span in the original text, when that
    # reads as the normalized sentence, else the normalized sentence itself.
    sentence_start: Mapped[int | None] = mapped_column(Integer)
    sentence_end: Mapped[int | None] = mapped_column(Integer)
    sentence_text: Mapped[str | None] = mapped_column(Text)
    # A claim whose sentence another claim of the document holds as text
    # names that claim's seq here instead of storing the sentence again.
    sentence_of: Mapped[int | None] = mapped_column(Integer)
    # The context for quoting is text[context_start : end + CONTEXT_CHARS];
    # context_text only holds one that reads otherwise (kept by migration 0007).
    context_start: Mapped[int] = mapped_column(Integer)
    context_text: Mapped[str | None] = mapped_column(Text)
    rule_id: Mapped[str] = mapped_column(Text)
    # What is measured, comparable across documents (a concept id or a
    # fingerprint of the counted noun; see unionfacts.keys).
    metric_key: Mapped[str] = mapped_column(Text, server_default="", index=True)
    rate_type: Mapped[str | None] = mapped_column(String(10))  # growth, share, level, change
    direction: Mapped[str | None] = mapped_column(String(10))  # up, down


class IngestQueueRow(Base):
    """A file that `ingest --queue` processes share (unionfacts.ingest_queue):
    claimed under a row lock, marked done with its outcome."""

    __tablename__ = "ingest_queue"

    path: Mapped[str] = mapped_column(Text, primary_key=True)  # source_key of the file
    enqueued_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    done_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC; null: still to do
    status: Mapped[str | None] = mapped_column(String(12))  # new, replaced, unchanged, failed
    reason: Mapped[str | None] = mapped_column(Text)  # why it failed
    worker: Mapped[str | None] = mapped_column(Text)  # host:pid of the process that did it
    claims: Mapped[int | None] = mapped_column(Integer)


# Core handles for bulk statements (the ORM's per-object work is not needed there).
documents_table = cast(Table, Document.__table__)
claims_table = cast(Table, ClaimRow.__table__)
ingest_queue_table = cast(Table, IngestQueueRow.__table__)
