"""Opening the database for the application: read-write (schema upgraded
like every command) or read-only (nothing written, not even a migration)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from starlette.applications import Starlette

from unionfacts.check.rules import CheckRules, load_check_rules
from unionfacts.store import DatabaseError, make_engine, open_database, resolve_url
from unionfacts.store.db import current_revision, head_revision, is_sqlite
from unionfacts.web.app import create_app


def _pg_read_only(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cur.close()
    dbapi_connection.commit()


def open_read_only(db: str | None) -> Engine:
    """An engine the database itself refuses writes on: SQLite opened with
    mode=ro, PostgreSQL sessions set READ ONLY. The schema must be at head."""
    url = resolve_url(db)
    if is_sqlite(url):
        path = url.removeprefix("sqlite:///")
        if not Path(path).is_file():
            raise DatabaseError(f"{path}: no such database (a read-only server creates none)")
        engine = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    else:
        engine = make_engine(url)
        event.listen(engine, "connect", _pg_read_only)
    try:
        current = current_revision(engine)
    except Exception as e:
        raise DatabaseError(f"{url}: {e}") from e
    if current != head_revision():
        raise DatabaseError(
            f"schema is at {current}, not {head_revision()}: run `unionfacts db upgrade` first"
        )
    return engine


def build_app(
    db: str | None,
    *,
    read_only: bool,
    reviewer: str,
    rules: Sequence[Path] | None = None,
    host: str = "127.0.0.1",
) -> Starlette:
    engine = open_read_only(db) if read_only else open_database(db, mode="write")

    def check_rules() -> CheckRules:
        return load_check_rules(list(rules or []))

    # Bound to every address, any Host may be right; else only the loopback names.
    hosts = ["*"] if host in ("0.0.0.0", "::") else ["127.0.0.1", "localhost", "[::1]", host]
    return create_app(
        engine,
        read_only=read_only,
        reviewer=reviewer,
        check_rules=check_rules,
        allowed_hosts=hosts,
    )
