"""ORM tables of the checker: `findings`, `finding_claims` and `reviews`.

A finding's id is a hash of what it is about (check; for each claim the
document's file name, quote, value, metric, period and scope), never of row
ids or offsets, so a re-ingest, a second `check` or an edit elsewhere in a
report finds the same row and its review decision. `finding_aliases` keeps the
ids findings had before revision 0005 (which hashed content hashes and spans).
`finding_claims` names each claim by content hash and span as last seen, so
it survives a re-ingest that renumbers claim rows. Its `claim_id` links each
cited claim to its current row in `claims` (for joins and Datasette); it is
filled after every `check` and set to NULL when a re-ingest deletes the row,
so the content key stays the identity.
`reviews` is the append-only audit trail: the code only ever inserts into it.

Migrations: migrations/versions/0002_findings.py, 0005_finding_ids_by_content.py,
0006 (claim_id).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from unionfacts.store.schema import Base

SEVERITIES = ("error", "warning", "info")
STATUSES = ("open", "confirmed", "dismissed", "fixed", "stale")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        CheckConstraint(_in("severity", SEVERITIES), name="severity"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        Index("ix_findings_status_severity", "status", "severity"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # `check` is an SQL keyword: the column carries a suffix.
    check: Mapped[str] = mapped_column("check_name", String(40), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12))
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    arithmetic: Mapped[str] = mapped_column(Text)
    # The claims as they were when last seen (quotes, context, document title and
    # date), so `show` and reports work even after the claims change.
    evidence: Mapped[Any] = mapped_column(JSON)
    evidence_hash: Mapped[str] = mapped_column(String(64))
    # near-key findings: how similar the two metric keys are (0–100); else null
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime)  # UTC
    last_seen: Mapped[datetime] = mapped_column(DateTime)  # UTC, last run that produced it


class FindingClaimRow(Base):
    __tablename__ = "finding_claims"
    __table_args__ = (Index("ix_finding_claims_doc_hash_start_offset", "doc_hash", "start_offset"),)

    finding_id: Mapped[str] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_hash: Mapped[str] = mapped_column(String(64))
    doc_name: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    value_text: Mapped[str] = mapped_column(String(64))
    claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL"), index=True
    )


class ReviewRow(Base):
    """One status change of one finding: by a reviewer, or by `check` itself
    (reopened, stale). Append-only."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    who: Mapped[str] = mapped_column(Text)


class FindingAliasRow(Base):
    """An id a finding had before (revision 0005 renamed findings); `show`,
    `review` and CSV files may still name it."""

    __tablename__ = "finding_aliases"

    old_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    finding_id: Mapped[str] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), index=True
    )


findings_table = cast(Table, FindingRow.__table__)
finding_claims_table = cast(Table, FindingClaimRow.__table__)
reviews_table = cast(Table, ReviewRow.__table__)
