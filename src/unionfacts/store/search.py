"""Full-text search over claims' quotes and sentences, on SQLite and PostgreSQL.

Chinese has no spaces, and neither SQLite's unicode61 tokenizer nor
PostgreSQL's text parser splits it into words (PostgreSQL may even drop Han
characters under the C locale). So the index is built from character bigrams
made here in Python, the same way for both databases:

    "新发展会员" → "新发 发展 展会 会员"     (Traditional folded to Simplified first)

SQLite keeps them in an FTS5 table, PostgreSQL as a positioned tsvector with
a GIN index; a query is the phrase of its bigrams (FTS5 "…" phrase,
tsquery `<->`), so it finds the text as a substring. A one-character query
has no bigram and is answered with LIKE.

The index is derived data, kept out of the migrations: `refresh_index` adds
the claims that are missing and drops the rows of claims that are gone. A
read-only server never refreshes; claims it has not indexed are then found
by LIKE only (see `search_claims`).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence

from sqlalchemy import Connection, Engine, text

from unionfacts.langtag import to_simplified
from unionfacts.store.db import is_sqlite

TABLE = "claim_search"


def bigrams(s: str) -> list[str]:
    """Character bigrams of each run of letters and digits, lower-cased and
    in Simplified characters (so 會員 finds 会员)."""
    s = to_simplified(unicodedata.normalize("NFKC", s).lower())
    out: list[str] = []
    run: list[str] = []
    for ch in [*s, " "]:
        if ch.isalnum():
            run.append(ch)
            continue
        if len(run) == 1:
            out.append(run[0])
        out.extend(a + b for a, b in itertools.pairwise(run))
        run = []
    return out


def _tsvector_literal(terms: Sequence[str]) -> str:
    # tsvector input syntax: 'lexeme':position ... (positions make <-> work).
    return " ".join(f"'{t}':{min(i, 16383)}" for i, t in enumerate(terms, 1))


def index_exists(conn: Connection) -> bool:
    if conn.dialect.name == "sqlite":
        sql = "SELECT 1 FROM sqlite_master WHERE name = :t"
    else:
        sql = "SELECT 1 FROM information_schema.tables WHERE table_name = :t"
    return conn.execute(text(sql), {"t": TABLE}).first() is not None


def _create(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
                "terms, claim_id UNINDEXED, tokenize = 'unicode61')"
            )
        )
    else:
        conn.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {TABLE} (claim_id integer PRIMARY KEY "
                "REFERENCES claims (id) ON DELETE CASCADE, terms tsvector NOT NULL)"
            )
        )
        conn.execute(
            text(f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_terms ON {TABLE} USING gin (terms)")
        )


def refresh_index(engine: Engine) -> int:
    """Index the claims not indexed yet, forget the ones deleted; returns how
    many were added."""
    with engine.begin() as conn:
        _create(conn)
        conn.execute(text(f"DELETE FROM {TABLE} WHERE claim_id NOT IN (SELECT id FROM claims)"))
        rows = conn.execute(
            text(
                # the facts view gives each claim's sentence back from offsets
                f"SELECT claim_id, quote, sentence FROM facts WHERE claim_id NOT IN "
                f"(SELECT claim_id FROM {TABLE})"
            )
        ).all()
        if not rows:
            return 0
        if is_sqlite(engine):
            values = [{"id": r[0], "terms": " ".join(bigrams(f"{r[1]} {r[2]}"))} for r in rows]
            sql = f"INSERT INTO {TABLE} (claim_id, terms) VALUES (:id, :terms)"
        else:
            values = [
                {"id": r[0], "terms": _tsvector_literal(bigrams(f"{r[1]} {r[2]}"))} for r in rows
            ]
            sql = f"INSERT INTO {TABLE} (claim_id, terms) VALUES (:id, CAST(:terms AS tsvector))"
        conn.execute(text(sql), values)
        return len(rows)


def match_clause(conn: Connection, query: str) -> tuple[str, dict[str, str]] | None:
    """SQL that selects the ids of claims matching `query` through the index
    (with its parameters), or None when the index cannot answer it."""
    terms = bigrams(query)
    if not terms or len(query.strip()) < 2 or not index_exists(conn):
        return None
    if conn.dialect.name == "sqlite":
        phrase = '"' + " ".join(terms) + '"'
        return f"SELECT claim_id FROM {TABLE} WHERE {TABLE} MATCH :q", {"q": phrase}
    tsquery = " <-> ".join("'" + t.replace("'", "''") + "'" for t in terms)
    return f"SELECT claim_id FROM {TABLE} WHERE terms @@ CAST(:q AS tsquery)", {"q": tsquery}
