"""Finding ids hash what the finding is about, not its documents' bytes.

Before, a finding's id hashed each document's content hash and the claims'
offsets, so one line added anywhere in a report gave its findings new ids and
threw their review decisions away. Now it hashes the check and, for each
claim, the document's file name, the quoted text, the value, the metric, the
period and the scope (`unionfacts.findings.finding_id`).

Each stored finding is renamed to its new id, computed from the evidence it
already stores, with its claims and review history; `finding_aliases` keeps
the old id, so ids in analysts' notes and CSV files still resolve. When two
old findings share a new id (the same claims before and after an edit), the
live or most recently seen one takes it and the other keeps its old id. Only
a table is created; no table is rebuilt. Downgrade renames back.

Revision ID: 0005
Revises: 0008 (the revisions of one day's parallel work were chained
0004 -> 0007 -> 0008 -> 0005 -> 0006, so that today's writer and checker can
fill the old-id database this revision's test builds just before it)
Create Date: 2026-12-01
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy of the rule in unionfacts.findings.finding_id as of this revision
# (a migration must not change when the code does later).
_REF_KEYS = ("doc", "surface", "value", "metric", "period", "scope")


def content_id(check: str, evidence: list[dict[str, Any]]) -> str:
    refs = sorted([str(e.get(k) or "") for k in _REF_KEYS] for e in evidence)
    text = json.dumps([check, refs], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


_FINDING_COLUMNS = (
    "check_name, severity, status, reopened, reopen_reason, explanation, arithmetic,"
    " evidence, evidence_hash, first_seen, last_seen"
)


def _rename(conn: sa.Connection, old: str, new: str) -> None:
    """Give finding `old` the id `new`, children included (the foreign keys
    have no ON UPDATE, so: copy the row, move the children, delete the row)."""
    conn.execute(
        sa.text(
            f"INSERT INTO findings (id, {_FINDING_COLUMNS})"
            f" SELECT :new, {_FINDING_COLUMNS} FROM findings WHERE id = :old"
        ),
        {"new": new, "old": old},
    )
    for table in ("finding_claims", "reviews"):
        conn.execute(
            sa.text(f"UPDATE {table} SET finding_id = :new WHERE finding_id = :old"),
            {"new": new, "old": old},
        )
    conn.execute(sa.text("DELETE FROM findings WHERE id = :old"), {"old": old})


def upgrade() -> None:
    op.create_table(
        "finding_aliases",
        sa.Column("old_id", sa.String(length=40), nullable=False),
        sa.Column("finding_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name=op.f("fk_finding_aliases_finding_id_findings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("old_id", name=op.f("pk_finding_aliases")),
    )
    op.create_index(op.f("ix_finding_aliases_finding_id"), "finding_aliases", ["finding_id"])
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, check_name, evidence, status, last_seen FROM findings")
    ).fetchall()
    taken = {r.id for r in rows}
    groups: dict[str, list[Any]] = {}
    for r in rows:
        evidence = json.loads(r.evidence) if isinstance(r.evidence, str) else r.evidence
        groups.setdefault(content_id(r.check_name, evidence or []), []).append(r)
    for new, olds in sorted(groups.items()):
        # live before stale, then the most recently seen, then the id
        keep = max(olds, key=lambda r: (r.status != "stale", str(r.last_seen), r.id))
        if keep.id == new or new in taken:
            continue
        _rename(conn, keep.id, new)
        conn.execute(
            sa.text("INSERT INTO finding_aliases (old_id, finding_id) VALUES (:old, :new)"),
            {"old": keep.id, "new": new},
        )


def downgrade() -> None:
    conn = op.get_bind()
    aliases = conn.execute(sa.text("SELECT old_id, finding_id FROM finding_aliases")).fetchall()
    conn.execute(sa.text("DELETE FROM finding_aliases"))
    taken = {r[0] for r in conn.execute(sa.text("SELECT id FROM findings"))}
    for old, new in aliases:
        if old not in taken:
            _rename(conn, new, old)
    op.drop_index(op.f("ix_finding_aliases_finding_id"), table_name="finding_aliases")
    op.drop_table("finding_aliases")
