"""The checker's findings, the claims they cite, and the review audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("check_name", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("arithmetic", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("evidence_hash", sa.String(length=64), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "severity IN ('error', 'warning', 'info')", name=op.f("ck_findings_severity")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'confirmed', 'dismissed', 'fixed', 'stale')",
            name=op.f("ck_findings_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(op.f("ix_findings_check_name"), "findings", ["check_name"], unique=False)
    op.create_index("ix_findings_status_severity", "findings", ["status", "severity"])
    op.create_table(
        "finding_claims",
        sa.Column("finding_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("doc_hash", sa.String(length=64), nullable=False),
        sa.Column("doc_name", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("value_text", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name=op.f("fk_finding_claims_finding_id_findings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("finding_id", "position", name=op.f("pk_finding_claims")),
    )
    op.create_index(
        "ix_finding_claims_doc_hash_start_offset", "finding_claims", ["doc_hash", "start_offset"]
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("finding_id", sa.String(length=40), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_reviews_finding_id_findings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_finding_id"), "reviews", ["finding_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reviews_finding_id"), table_name="reviews")
    op.drop_table("reviews")
    op.drop_index("ix_finding_claims_doc_hash_start_offset", table_name="finding_claims")
    op.drop_table("finding_claims")
    op.drop_index("ix_findings_status_severity", table_name="findings")
    op.drop_index(op.f("ix_findings_check_name"), table_name="findings")
    op.drop_table("findings")
