"""A similarity score on findings: how near the metric keys of a near-key
finding are (rapidfuzz ratio, 0–100), null for every other finding.

One column added (ALTER TABLE … ADD COLUMN on both databases, no table
rebuild), so no stored finding or review is touched.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("score", sa.Float(), nullable=True))


def downgrade() -> None:
    # DROP COLUMN needs SQLite 3.35+; no rebuild, so no cascade can fire.
    op.drop_column("findings", "score")
