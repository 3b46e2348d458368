"""A claim keeps offsets into its document's text instead of copies of its
sentence and context, and two indexes no read uses are dropped.

`claims.context` is `text[context_start : end_offset + 40]` as unionfacts
writes it, so it is dropped; a context that reads otherwise (a database
written by hand) is kept in `context_text`. `claims.sentence` (the normalized sentence) becomes
`sentence_start`/`sentence_end`, its span in the original text, when that
span reads the same; otherwise (traditional characters, full-width digits,
lines joined by normalization) the sentence is kept in `sentence_text`, once
per document: the other claims of that sentence name the claim holding it
(`sentence_of`, a seq). The
facts view gives both columns back: on SQLite through the `unionfacts_text`
function that unionfacts defines on its connections (the text is stored
zlib-compressed there), on PostgreSQL with `substr` over a plain
`documents.text` column, which TOAST compresses.

`ix_claims_document_id` repeats the first column of the (document_id, seq)
unique index; `ix_claims_metric_scope_unit_class` serves no query (the
checker reads claims in document order and groups them itself).

`ingest_queue` is new: the files that `ingest --queue` processes share on
PostgreSQL (created on SQLite too, where it stays empty, so that both have
one schema).

Columns are added and dropped (ALTER TABLE on both databases, no table
rebuild), so no ON DELETE CASCADE can fire. Downgrade computes `context` and
`sentence` back from the offsets: lossless both ways.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import importlib.util
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTEXT_CHARS = 40  # as the writer of revisions up to 0004 cut `context`

_COLUMNS = """
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
    COALESCE(c.context_text, {context}) AS context,
    COALESCE(c.sentence_text, s.sentence_text, {sentence}) AS sentence,
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
"""

_SLICES = {
    "sqlite": (
        "unionfacts_text(d.id, d.content_hash, c.context_start, c.end_offset + 40)",
        "unionfacts_text(d.id, d.content_hash, c.sentence_start, c.sentence_end)",
    ),
    "postgresql": (
        "substr(d.text, c.context_start + 1, c.end_offset + 40 - c.context_start)",
        "substr(d.text, c.sentence_start + 1, c.sentence_end - c.sentence_start)",
    ),
}


def facts_view(dialect: str) -> str:
    context, sentence = _SLICES["postgresql" if dialect == "postgresql" else "sqlite"]
    columns = _COLUMNS.format(context=context, sentence=sentence)
    return (
        f"CREATE VIEW facts AS\nSELECT{columns}"
        "FROM claims AS c\nJOIN documents AS d ON d.id = c.document_id\n"
        "LEFT JOIN claims AS s ON s.document_id = c.document_id AND s.seq = c.sentence_of\n"
    )


def _previous_view() -> str:
    spec = importlib.util.spec_from_file_location(
        "_frame", Path(__file__).with_name("0004_frame_and_metric_key.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.FACTS_VIEW)


def sentence_span(text: str, start: int, end: int, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` lies in `text` around the claim [start, end), when the
    original reads exactly as the normalized sentence; else None."""
    if not sentence:
        return None
    i = text.find(sentence, max(0, end - len(sentence)), start + len(sentence))
    return None if i < 0 else (i, i + len(sentence))


def _texts(conn: Any) -> list[tuple[int, str]]:
    rows = conn.execute(sa.text("SELECT id, text_zlib FROM documents")).fetchall()
    return [(doc_id, zlib.decompress(blob).decode("utf-8")) for doc_id, blob in rows]


def upgrade() -> None:
    conn = op.get_bind()
    postgres = conn.dialect.name == "postgresql"
    op.execute("DROP VIEW IF EXISTS facts")
    op.add_column("documents", sa.Column("text", sa.Text(), nullable=True))
    op.add_column("claims", sa.Column("sentence_start", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("sentence_end", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("sentence_text", sa.Text(), nullable=True))
    op.add_column("claims", sa.Column("sentence_of", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("context_text", sa.Text(), nullable=True))
    for doc_id, text in _texts(conn):
        rows = conn.execute(
            sa.text(
                "SELECT id, seq, start_offset, end_offset, sentence, context, context_start"
                " FROM claims WHERE document_id = :d ORDER BY seq"
            ),
            {"d": doc_id},
        ).fetchall()
        updates = []
        kept: dict[str, int] = {}  # sentences stored as text, by the seq holding each
        for claim_id, seq, start, end, sentence, context, context_start in rows:
            span = sentence_span(text, start, end, sentence)
            same_context = text[context_start : end + CONTEXT_CHARS] == context
            holder = None if span else kept.get(sentence)
            if not span and holder is None:
                kept[sentence] = seq
            updates.append(
                {
                    "id": claim_id,
                    "s": span and span[0],
                    "e": span and span[1],
                    "t": None if span or holder is not None else sentence,
                    "of": holder,
                    "c": None if same_context else context,
                }
            )
        if updates:
            conn.execute(
                sa.text(
                    "UPDATE claims SET sentence_start = :s, sentence_end = :e,"
                    " sentence_text = :t, sentence_of = :of, context_text = :c WHERE id = :id"
                ),
                updates,
            )
        if postgres and "\x00" not in text:  # PostgreSQL text cannot hold NUL
            conn.execute(
                sa.text("UPDATE documents SET text = :t, text_zlib = :z WHERE id = :id"),
                {"t": text, "z": b"", "id": doc_id},
            )
    op.drop_index("ix_claims_document_id", table_name="claims")
    op.drop_index("ix_claims_metric_scope_unit_class", table_name="claims")
    op.drop_column("claims", "context")
    op.drop_column("claims", "sentence")
    op.create_table(
        "ingest_queue",
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("enqueued_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("worker", sa.Text(), nullable=True),
        sa.Column("claims", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("path", name="pk_ingest_queue"),
    )
    op.execute(facts_view(conn.dialect.name))


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_table("ingest_queue")
    op.execute("DROP VIEW IF EXISTS facts")
    op.add_column("claims", sa.Column("sentence", sa.Text(), nullable=False, server_default=""))
    op.add_column("claims", sa.Column("context", sa.Text(), nullable=False, server_default=""))
    docs = conn.execute(sa.text("SELECT id, text, text_zlib FROM documents")).fetchall()
    for doc_id, plain, blob in docs:
        text = plain if plain is not None else zlib.decompress(blob).decode("utf-8")
        rows = conn.execute(
            sa.text(
                "SELECT id, seq, end_offset, context_start, sentence_start, sentence_end,"
                " sentence_text, context_text, sentence_of FROM claims"
                " WHERE document_id = :d ORDER BY seq"
            ),
            {"d": doc_id},
        ).fetchall()
        held = {seq: stext for _, seq, *_, stext, _, _ in rows if stext is not None}
        updates = [
            {
                "id": claim_id,
                "c": ctext if ctext is not None else text[cstart : end + CONTEXT_CHARS],
                "s": stext
                if stext is not None
                else held.get(of, "")
                if of is not None
                else text[(s or 0) : (e or 0)],
            }
            for claim_id, _, end, cstart, s, e, stext, ctext, of in rows
        ]
        if updates:
            conn.execute(
                sa.text("UPDATE claims SET context = :c, sentence = :s WHERE id = :id"), updates
            )
        if plain is not None:
            conn.execute(
                sa.text("UPDATE documents SET text_zlib = :z WHERE id = :id"),
                {"z": zlib.compress(text.encode("utf-8")), "id": doc_id},
            )
    op.create_index(
        "ix_claims_metric_scope_unit_class", "claims", ["metric", "scope", "unit_class"]
    )
    op.create_index("ix_claims_document_id", "claims", ["document_id"])
    columns = ("context_text", "sentence_of", "sentence_text", "sentence_end", "sentence_start")
    for column in columns:
        op.drop_column("claims", column)
    op.drop_column("documents", "text")
    op.execute(_previous_view())
