"""Streaming the checker's blocks from the database, in key order.

The checker compares claims only inside blocks (see check/blocks.py). Here
each kind of block is one query ordered by the block's key, read in batches
(a server-side cursor on PostgreSQL) and cut where the key changes, so memory
holds one block at a time — the largest block bounds it, not the database.
The keys are the raw columns the in-memory run groups on, so both runs cut
the same blocks; each block's claims are put in the in-memory order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from unionfacts.check.blocks import (
    Block,
    BlockKind,
    context_order,
    document_order,
    measure_order,
)
from unionfacts.models import StoredClaim
from unionfacts.store.readers import (
    _CLAIM_COLUMNS,
    _FIELDS,
    _SENTENCE,
    _stored_claim,
    document_text,
    document_texts,
)
from unionfacts.store.schema import claims_table, documents_table

d, c = documents_table.c, claims_table.c

# the raw key of a measure block: what check.keys.block_key reads
_MEASURE_KEY = func.coalesce(
    func.nullif(c.metric_key, ""), func.nullif(c.metric_rule, ""), c.metric
)


def _query(kind: BlockKind) -> tuple[Any, int]:
    """The query of one kind of block and how many key columns end its rows."""
    base = select(*_CLAIM_COLUMNS).join(documents_table, d.id == c.document_id)
    if kind == "measure":
        stmt = base.add_columns(_MEASURE_KEY).order_by(_MEASURE_KEY, d.name, d.content_hash, c.seq)
        return stmt, 1
    if kind == "document":
        wholes = select(c.part_of_id).where(c.part_of_id.is_not(None))
        stmt = (
            base.add_columns(d.name, d.content_hash)
            .where(c.part_of_id.is_not(None) | c.id.in_(wholes))
            .order_by(d.name, d.content_hash, c.seq)
        )
        return stmt, 2
    # context: unit class, scope, year of the period's end
    stmt = (
        base.add_columns(c.unit_class, c.scope, c.period_end)
        .where(c.period_end.is_not(None))
        .order_by(c.unit_class, c.scope, c.period_end)
    )
    return stmt, 3


def _key(kind: BlockKind, tail: tuple[Any, ...]) -> tuple[Any, ...]:
    if kind == "context":
        unit_class, scope, end = tail
        return (unit_class, scope, end.year if isinstance(end, date) else int(str(end)[:4]))
    return tail


_ORDER = {"measure": measure_order, "document": document_order, "context": context_order}


def stream_blocks(engine: Engine, kinds: Iterable[BlockKind], batch: int = 5000) -> Iterator[Block]:
    """Blocks of each kind, one at a time, as check/blocks.blocks_in_memory
    would cut them from the same claims."""
    texts = _Texts(engine)  # shared by the kinds: each quotes the same documents
    for kind in kinds:
        stmt, n_key = _query(kind)
        # The query runs as plain SQL on the driver's cursor: SQLAlchemy's row
        # and type processing cost more than SQLite's own sort and read, and
        # the few values that need converting (dates, Decimal) convert here.
        sql = str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        order = _ORDER[kind]
        with engine.connect() as conn:
            current: tuple[Any, ...] | None = None
            block: list[StoredClaim] = []
            for t in _rows(conn, sql, batch):
                key = _key(kind, t[-n_key:])
                if key != current and block:
                    block.sort(key=order)
                    yield kind, block
                    block = []
                current = key
                block.append(texts.claim(t))
            if block:
                block.sort(key=order)
                yield kind, block


def _rows(conn: Connection, sql: str, batch: int) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql` from the driver's own cursor, `batch` at a time (a
    server-side cursor on PostgreSQL, so the server holds the result)."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    named = conn.dialect.name == "postgresql"
    cur = raw.cursor(name="unionfacts_blocks") if named else raw.cursor()
    try:
        cur.execute(sql)
        while rows := cur.fetchmany(batch):
            yield from rows
    finally:
        cur.close()
        if named:
            raw.commit()  # end the transaction the named cursor lived in


_DOC_DATE = 3  # position of the document's date among _CLAIM_COLUMNS
_VALUE = 10  # position of value_text


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    return date.fromisoformat(text[:10])


class _Texts:
    """The documents' texts and stored sentences a block's claims quote. A block
    mixes documents, so recently used texts are kept, least recently used
    dropped first once they hold more than `budget` characters (claims store
    offsets into them, not copies: revision 0007). A count of documents would
    not do: a measure block of a large archive quotes thousands of them, and
    fetching a text per claim costs more than the checks."""

    def __init__(self, engine: Engine, budget: int = 32_000_000) -> None:
        self.engine = engine
        self.budget = budget
        # an archive that fits the budget is read in one query
        self.texts: OrderedDict[int, str] = OrderedDict(document_texts(engine, budget))
        self.held_chars = sum(len(t) for t in self.texts.values())
        self.sentences: dict[int, dict[int, str]] = {}

    def _text(self, doc_id: int) -> str:
        text = self.texts.get(doc_id)
        if text is not None:
            self.texts.move_to_end(doc_id)
            return text
        text = self.texts[doc_id] = document_text(self.engine, doc_id) or ""
        self.held_chars += len(text)
        while self.held_chars > self.budget and len(self.texts) > 1:
            _, dropped = self.texts.popitem(last=False)
            self.held_chars -= len(dropped)
        return text

    def _held(self, doc_id: int, seq: int) -> str:
        held = self.sentences.get(doc_id)
        if held is None:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(c.seq, c.sentence_text).where(
                        c.document_id == doc_id, c.sentence_text.is_not(None)
                    )
                )
                held = self.sentences[doc_id] = {r[0]: r[1] for r in rows}
        return held.get(seq, "")

    def claim(self, t: tuple[Any, ...]) -> StoredClaim:
        """A row of _CLAIM_COLUMNS (and key columns after them) as a StoredClaim;
        SQLite gives dates as text, PostgreSQL as dates."""
        day = t[_DOC_DATE]
        if isinstance(day, str):
            t = (*t[:_DOC_DATE], _date(day), *t[_DOC_DATE + 1 :])
        doc_id = t[_FIELDS]
        if t[_SENTENCE] is None and t[_FIELDS + 4] is not None:  # held by another claim
            t = (*t[:_SENTENCE], self._held(doc_id, t[_FIELDS + 4]), *t[_SENTENCE + 1 :])
        return _stored_claim(t, self._text(doc_id))
