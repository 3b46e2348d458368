"""ORM table of reviewers' corrections to claims: `claim_corrections`.

A correction names its claim by content — the document's content hash and the
quoted span (offsets and the quote itself) — never by a claim row id, so it
survives a re-ingest that renumbers the claims and a re-check. Rows are only
ever inserted: the latest row for a span is the one in force, the earlier ones
are its history. A field left NULL keeps what the extraction gave.

Migration: migrations/versions/0006_corrections.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from unionfacts.store.schema import Base


class CorrectionRow(Base):
    __tablename__ = "claim_corrections"
    __table_args__ = (
        Index("ix_claim_corrections_doc_hash_start_offset", "doc_hash", "start_offset"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    doc_hash: Mapped[str] = mapped_column(String(64))  # documents.content_hash
    doc_name: Mapped[str] = mapped_column(Text)  # for people reading the table
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    surface: Mapped[str] = mapped_column(Text)  # the quote, so a stale key is visible
    metric: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(40))
    scope: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(10))
    modality: Mapped[str | None] = mapped_column(String(10))
    not_claim: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    who: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)  # UTC


corrections_table = cast(Table, CorrectionRow.__table__)
