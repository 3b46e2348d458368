"""Keep each document's text zlib-compressed.

A 50 MB report stored as a TEXT value cost several copies of itself in memory
while its row was written (the string, its UTF-8 encoding, SQLite's record);
compressed in blocks it costs a fraction of its size. `text_zlib` holds the
UTF-8 bytes of the decoded text, zlib-compressed; `unionfacts.store.document_text`
reads it back.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import importlib.util
import zlib
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _facts_view() -> str:
    """The view as revision 0001 created it (SQLite rebuilds a table to drop a
    column, which it refuses while a view names the table)."""
    spec = importlib.util.spec_from_file_location(
        "_initial", Path(__file__).with_name("0001_initial.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.FACTS_VIEW)


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS facts")
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("text_zlib", sa.LargeBinary(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, text FROM documents")).fetchall()
    for doc_id, text in rows:
        conn.execute(
            sa.text("UPDATE documents SET text_zlib = :z WHERE id = :id"),
            {"z": zlib.compress(text.encode("utf-8")), "id": doc_id},
        )
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("text_zlib", existing_type=sa.LargeBinary(), nullable=False)
        batch.drop_column("text")
    op.execute(_facts_view())


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS facts")
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, text_zlib FROM documents")).fetchall()
    for doc_id, blob in rows:
        conn.execute(
            sa.text("UPDATE documents SET text = :t WHERE id = :id"),
            {"t": zlib.decompress(blob).decode("utf-8"), "id": doc_id},
        )
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("text", existing_type=sa.Text(), nullable=False)
        batch.drop_column("text_zlib")
    op.execute(_facts_view())
