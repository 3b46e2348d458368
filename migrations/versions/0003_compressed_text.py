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
    """The view as revision 0001 created it (SQLite refuses to drop a column
    that a view names, so the view is dropped first and made again)."""
    spec = importlib.util.spec_from_file_location(
        "_initial", Path(__file__).with_name("0001_initial.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.FACTS_VIEW)


# Columns are added and dropped in place (ALTER TABLE … ADD/DROP COLUMN; SQLite
# 3.35+), never by a batch rebuild: rebuilding `documents` drops the old table,
# and with foreign keys on that deletes every claim through ON DELETE CASCADE.
# An added NOT NULL column needs a default on SQLite; the empty value is
# overwritten for every row before the old column goes.


def _add_not_null(column: str, type_: sa.types.TypeEngine[object], empty: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.add_column(
            "documents", sa.Column(column, type_, nullable=False, server_default=sa.text(empty))
        )
    else:
        op.add_column("documents", sa.Column(column, type_, nullable=True))


def _finish_not_null(column: str, type_: sa.types.TypeEngine[object]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("documents", column, existing_type=type_, nullable=False)


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS facts")
    _add_not_null("text_zlib", sa.LargeBinary(), "X''")
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, text FROM documents")).fetchall()
    for doc_id, text in rows:
        conn.execute(
            sa.text("UPDATE documents SET text_zlib = :z WHERE id = :id"),
            {"z": zlib.compress(text.encode("utf-8")), "id": doc_id},
        )
    _finish_not_null("text_zlib", sa.LargeBinary())
    op.drop_column("documents", "text")
    op.execute(_facts_view())


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS facts")
    _add_not_null("text", sa.Text(), "''")
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, text_zlib FROM documents")).fetchall()
    for doc_id, blob in rows:
        conn.execute(
            sa.text("UPDATE documents SET text = :t WHERE id = :id"),
            {"t": zlib.decompress(blob).decode("utf-8"), "id": doc_id},
        )
    _finish_not_null("text", sa.Text())
    op.drop_column("documents", "text_zlib")
    op.execute(_facts_view())
