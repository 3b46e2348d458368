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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unionfacts.store.corrections import corrected_claims, link_finding_claims
    from unionfacts.store.db import (
        current_revision,
        head_revision,
        make_engine,
        open_database,
        upgrade,
    )
    from unionfacts.store.errors import DatabaseError, ReadOnlyError, SqlError
    from unionfacts.store.export import claim_records, write_claims
    from unionfacts.store.location import HEAD_REVISION, resolve_url
    from unionfacts.store.readers import (
        StoredDocument,
        StoredIdentity,
        count_claims,
        document_by_id,
        document_by_path,
        document_text,
        documents_by_name,
        list_documents,
        stored_claims,
        stored_identity,
    )
    from unionfacts.store.sql import run_readonly_sql
    from unionfacts.store.writer import SaveResult, save_document, source_key, stored_hash

# Loaded on first use (PEP 562), so that `--help` and `sql` start without
# SQLAlchemy: each name is found in the submodule that defines it.
_WHERE = {
    "DatabaseError": "errors",
    "HEAD_REVISION": "location",
    "ReadOnlyError": "errors",
    "SaveResult": "writer",
    "SqlError": "errors",
    "StoredDocument": "readers",
    "claim_records": "export",
    "corrected_claims": "corrections",
    "link_finding_claims": "corrections",
    "count_claims": "readers",
    "current_revision": "db",
    "document_by_id": "readers",
    "document_by_path": "readers",
    "document_text": "readers",
    "documents_by_name": "readers",
    "head_revision": "db",
    "list_documents": "readers",
    "make_engine": "db",
    "open_database": "db",
    "resolve_url": "location",
    "run_readonly_sql": "sql",
    "save_document": "writer",
    "source_key": "writer",
    "stored_claims": "readers",
    "stored_hash": "writer",
    "stored_identity": "readers",
    "StoredIdentity": "readers",
    "upgrade": "db",
    "write_claims": "export",
}

__all__ = [
    "HEAD_REVISION",
    "DatabaseError",
    "ReadOnlyError",
    "SaveResult",
    "SqlError",
    "StoredDocument",
    "StoredIdentity",
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
    "stored_identity",
    "upgrade",
    "write_claims",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"unionfacts.store.{module}"), name)
    globals()[name] = value
    return value
