"""Reviewers' corrections to claims (`claim_corrections`), and a foreign key
from `finding_claims` to the claims a finding cites.

Lossless on both databases: one new table, and one nullable column with a
foreign key added to `finding_claims` (on SQLite a batch copy of that table,
which no other table references, so no ON DELETE CASCADE can fire). The new
column is filled from the content key (document content hash and span) the
rows already carry. The facts view is
recreated to show the correction in force and its author.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The latest correction of a span is the one in force; metric, period, scope,
# kind and modality (and metric_key, as the checker does) show it, the
# extraction's value otherwise. The view is revision 0007's (context and
# sentence cut from the document's text by offsets) with the corrections joined.
_CORRECTED = {
    "c.metric        AS metric,": "COALESCE(k.metric, c.metric)     AS metric,",
    "c.period        AS period,": "COALESCE(k.period, c.period)     AS period,",
    "c.scope         AS scope,": "COALESCE(k.scope, c.scope)       AS scope,",
    "c.kind          AS kind,": "COALESCE(k.kind, c.kind)         AS kind,",
    "c.modality      AS modality,": "COALESCE(k.modality, c.modality) AS modality,",
    "c.metric_key    AS metric_key,": "COALESCE(k.metric, c.metric_key) AS metric_key,",
    "d.scope         AS doc_scope\n": (
        "d.scope         AS doc_scope,\n"
        "    k.not_claim     AS not_a_claim,\n"
        "    k.who           AS corrected_by,\n"
        "    k.at            AS corrected_at,\n"
        "    k.note          AS correction_note\n"
    ),
}
_CORRECTIONS_JOIN = """LEFT JOIN claim_corrections AS k
  ON k.id = (
    SELECT max(k2.id) FROM claim_corrections AS k2
    WHERE k2.doc_hash = d.content_hash
      AND k2.start_offset = c.start_offset
      AND k2.end_offset = c.end_offset
  )
"""


def _offsets_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "_offsets", Path(__file__).with_name("0007_claim_offsets.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def facts_view(dialect: str) -> str:
    view = str(_offsets_module().facts_view(dialect))
    for old, new in _CORRECTED.items():
        assert old in view, old  # the columns of revision 0007's view
        view = view.replace(old, new)
    return view + _CORRECTIONS_JOIN


LINK_CLAIMS = """
UPDATE finding_claims SET claim_id = (
    SELECT min(c.id) FROM claims AS c
    JOIN documents AS d ON d.id = c.document_id
    WHERE d.content_hash = finding_claims.doc_hash
      AND c.start_offset = finding_claims.start_offset
      AND c.end_offset = finding_claims.end_offset
)
"""


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS facts")
    op.create_table(
        "claim_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_hash", sa.String(length=64), nullable=False),
        sa.Column("doc_name", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("surface", sa.Text(), nullable=False),
        sa.Column("metric", sa.Text(), nullable=True),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=True),
        sa.Column("modality", sa.String(length=10), nullable=True),
        sa.Column("not_claim", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_corrections")),
    )
    op.create_index(
        "ix_claim_corrections_doc_hash_start_offset",
        "claim_corrections",
        ["doc_hash", "start_offset"],
    )
    # finding_claims is referenced by no table, so SQLite's batch rebuild of it
    # (copy, drop, rename) cascades nothing; PostgreSQL alters it in place.
    with op.batch_alter_table("finding_claims") as batch:
        batch.add_column(sa.Column("claim_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_finding_claims_claim_id_claims",
            "claims",
            ["claim_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index("ix_finding_claims_claim_id", "finding_claims", ["claim_id"])
    op.execute(LINK_CLAIMS)
    op.execute(facts_view(op.get_bind().dialect.name))


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS facts")
    op.drop_index("ix_finding_claims_claim_id", table_name="finding_claims")
    with op.batch_alter_table("finding_claims") as batch:
        batch.drop_constraint("fk_finding_claims_claim_id_claims", type_="foreignkey")
        batch.drop_column("claim_id")
    op.drop_index("ix_claim_corrections_doc_hash_start_offset", table_name="claim_corrections")
    op.drop_table("claim_corrections")
    op.execute(_offsets_module().facts_view(op.get_bind().dialect.name))
