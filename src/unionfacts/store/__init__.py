"""The store: the only code that writes the database.

Public entry points (plain values in, plain values out; ORM classes stay here):

    open_database(db, mode) -> Engine      resolve, connect; "create" (default) creates/upgrades,
                                           "write" upgrades an existing one, "read" only opens
    save_document(target, extracted) -> "new" | "unchanged" | "replaced"
    stored_claims(engine) -> Iterator[StoredClaim]
    corrected_claims(engine)                 the same, reviewers' corrections applied
    run_readonly_sql(engine, sql) -> (columns, rows)
    write_claims(engine, out, fmt) -> int
"""

from __future__ import annotations

from unionfacts.store.corrections import corrected_claims, link_finding_claims
from unionfacts.store.db import (
    DatabaseError,
    current_revision,
    head_revision,
    make_engine,
    open_database,
    resolve_url,
    upgrade,
)
from unionfacts.store.export import claim_records, write_claims
from unionfacts.store.readers import (
    StoredDocument,
    count_claims,
    document_by_id,
    document_by_path,
    document_text,
    documents_by_name,
    list_documents,
    stored_claims,
)
from unionfacts.store.sql import ReadOnlyError, SqlError, run_readonly_sql
from unionfacts.store.writer import SaveResult, save_document, source_key, stored_hash

__all__ = [
    "DatabaseError",
    "ReadOnlyError",
    "SaveResult",
    "SqlError",
    "StoredDocument",
    "claim_records",
    "corrected_claims",
    "count_claims",
    "current_revision",
    "document_by_id",
    "document_by_path",
    "document_text",
    "documents_by_name",
    "head_revision",
    "link_finding_claims",
    "list_documents",
    "make_engine",
    "open_database",
    "resolve_url",
    "run_readonly_sql",
    "save_document",
    "source_key",
    "stored_claims",
    "stored_hash",
    "upgrade",
    "write_claims",
]
