"""Documents, their claims, and the `facts` view for analysts.

Revision ID: 0001
Revises:
Create Date: 2025-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One row per claim, with its document; the columns are documented in docs/facts.md.
# Plain SQL that SQLite and PostgreSQL both accept.
FACTS_VIEW = """
CREATE VIEW facts AS
SELECT
    c.id            AS claim_id,
    d.name          AS doc,
    d.title         AS title,
    d.doc_date      AS doc_date,
    c.metric        AS metric,
    c.value         AS value,
    c.unit          AS unit,
    c.approx        AS approx,
    c.period        AS period,
    c.period_start  AS period_start,
    c.period_end    AS period_end,
    c.scope         AS scope,
    c.kind          AS kind,
    c.modality      AS modality,
    c.part_of_id    AS part_of,
    c.surface       AS quote,
    c.context       AS context,
    c.sentence      AS sentence,
    c.document_id   AS doc_id,
    c.start_offset  AS start_offset,
    c.end_offset    AS end_offset,
    c.value_text    AS value_text,
    c.unit_class    AS unit_class
FROM claims AS c
JOIN documents AS d ON d.id = c.document_id
"""


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("encoding", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("n_chars", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("doc_date", sa.Date(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("meta_sources", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("source_path", name=op.f("uq_documents_source_path")),
    )
    op.create_index(op.f("ix_documents_content_hash"), "documents", ["content_hash"])

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("surface", sa.Text(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("value_text", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("unit_class", sa.String(length=20), nullable=False),
        sa.Column("approx", sa.String(length=10), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("metric_rule", sa.Text(), nullable=True),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("period_form", sa.String(length=10), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("modality", sa.String(length=10), nullable=False),
        sa.Column("part_of_id", sa.Integer(), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("context_start", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_claims_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["part_of_id"],
            ["claims.id"],
            name=op.f("fk_claims_part_of_id_claims"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("document_id", "seq", name=op.f("uq_claims_document_id_seq")),
    )
    op.create_index(op.f("ix_claims_document_id"), "claims", ["document_id"])
    op.create_index(op.f("ix_claims_part_of_id"), "claims", ["part_of_id"])
    op.create_index(
        "ix_claims_metric_scope_unit_class", "claims", ["metric", "scope", "unit_class"]
    )
    op.execute(FACTS_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS facts")
    op.drop_index("ix_claims_metric_scope_unit_class", table_name="claims")
    op.drop_index(op.f("ix_claims_part_of_id"), table_name="claims")
    op.drop_index(op.f("ix_claims_document_id"), table_name="claims")
    op.drop_table("claims")
    op.drop_index(op.f("ix_documents_content_hash"), table_name="documents")
    op.drop_table("documents")
