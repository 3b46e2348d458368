"""The document's frame (genre, target year) and each claim's comparable
identity (metric_key) and rate typing (rate_type, direction).

Columns are only added (ALTER TABLE … ADD COLUMN on both databases, no table
rebuild), so nothing stored is touched; the facts view is recreated with the
new columns. Downgrade drops the view's new columns first, then the columns.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

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
    c.unit_class    AS unit_class,
    c.metric_key    AS metric_key,
    c.rate_type     AS rate_type,
    c.direction     AS direction,
    d.genre         AS genre,
    d.year          AS doc_year,
    d.target_year   AS target_year,
    d.scope         AS doc_scope
FROM claims AS c
JOIN documents AS d ON d.id = c.document_id
"""


def _previous_view() -> str:
    spec = importlib.util.spec_from_file_location(
        "_initial", Path(__file__).with_name("0001_initial.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.FACTS_VIEW)


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS facts")
    op.add_column("documents", sa.Column("genre", sa.String(length=40), nullable=True))
    op.add_column("documents", sa.Column("target_year", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("metric_key", sa.Text(), nullable=False, server_default=""))
    op.add_column("claims", sa.Column("rate_type", sa.String(length=10), nullable=True))
    op.add_column("claims", sa.Column("direction", sa.String(length=10), nullable=True))
    op.create_index("ix_claims_metric_key", "claims", ["metric_key"])
    op.execute(FACTS_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS facts")
    op.drop_index("ix_claims_metric_key", table_name="claims")
    # DROP COLUMN needs SQLite 3.35+; no rebuild, so no cascade can fire.
    for column in ("direction", "rate_type", "metric_key"):
        op.drop_column("claims", column)
    for column in ("target_year", "genre"):
        op.drop_column("documents", column)
    op.execute(_previous_view())
