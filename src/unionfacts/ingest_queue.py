"""`ingest --queue`: several processes, on one machine or many, share the
files of one PostgreSQL database through the `ingest_queue` table.

Each process first enqueues its files (by `source_key`; `ON CONFLICT DO
NOTHING`, which never waits for a row another process holds). Then it works
through its own files: a file is claimed with `SELECT … FOR UPDATE SKIP
LOCKED` and ingested inside the transaction that holds the row lock, marked
done, and committed with its claims. A row done before this process started
is looked at again (an edited file is ingested anew; an unchanged one costs a
hash and keeps the row's record of who did it). So

- no file is done twice: a row locked by one process is skipped by the
  others, and a row marked done is never claimed again in this run;
- a killed process gives its file back: its connection drops, the server
  rolls its transaction back, the lock goes and the row is still not done,
  so another process (or the same one run again) takes it. No lease to
  expire, no clean-up step.

A process that finds only rows locked by others waits for them (a pass every
`poll` seconds) until every one of its files is done, so when it returns,
all of its files are stored (or failed, with the reason kept in the row).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert

from unionfacts.ingest import FileOutcome, IngestProgress, ProgressCallback, ingest_file
from unionfacts.models import MetaOverrides
from unionfacts.rules import RuleSet
from unionfacts.store import source_key
from unionfacts.store.schema import ingest_queue_table

q = ingest_queue_table.c


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def enqueue(engine: Engine, keys: Sequence[str], run_started: datetime) -> None:
    """Queue the `keys` not queued yet."""
    if not keys:
        return
    stmt = (
        insert(ingest_queue_table)
        .values(path=bindparam("p"), enqueued_at=run_started)
        .on_conflict_do_nothing(index_elements=[q.path])
    )
    with engine.begin() as conn:
        conn.execute(stmt, [{"p": k} for k in dict.fromkeys(keys)])


def ingest_from_queue(
    engine: Engine,
    files: Sequence[Path],
    rules: RuleSet,
    *,
    overrides: MetaOverrides | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    jobs: int = 1,
    poll: float = 0.5,
) -> list[FileOutcome]:
    """Claim and ingest `files` until every one is done by some process; the
    outcomes of the files this process did, in the order it did them.
    (`jobs` is accepted for the command line; a queue worker extracts in one
    process: run more workers to use more cores.)"""
    del jobs
    started = _now()
    keys = {source_key(p): p for p in files}
    enqueue(engine, list(keys), started)
    me = worker_name()
    outcomes: list[FileOutcome] = []
    pending = list(keys)
    while pending:
        waiting: list[str] = []
        for key in pending:
            outcome = _claim_and_ingest(
                engine, key, keys[key], rules, overrides, force, me, started
            )
            if outcome is _LOCKED:
                waiting.append(key)
            elif outcome is not None:
                if progress:
                    progress(IngestProgress(len(outcomes), len(keys), keys[key], outcome))
                outcomes.append(outcome)
        pending = _not_done(engine, waiting)
        if pending:
            time.sleep(poll)  # others hold these rows: wait for them to finish or die
    return outcomes


_LOCKED = FileOutcome(Path(), "failed", reason="held by another process")


def _claim_and_ingest(
    engine: Engine,
    key: str,
    path: Path,
    rules: RuleSet,
    overrides: MetaOverrides | None,
    force: bool,
    me: str,
    started: datetime,
) -> FileOutcome | None:
    """The outcome; None when the file is done already, _LOCKED when it must
    be tried again (another process holds it)."""
    with engine.begin() as conn:
        row = conn.execute(
            select(q.path, q.done_at).where(q.path == key).with_for_update(skip_locked=True)
        ).first()
        if row is None:
            # locked by another process; or gone from the queue (deleted by
            # hand): queued again, and tried on the next pass either way
            held = conn.execute(select(func.count()).where(q.path == key)).scalar_one()
            if not held:
                conn.execute(
                    insert(ingest_queue_table)
                    .values(path=key, enqueued_at=_now())
                    .on_conflict_do_nothing()
                )
            return _LOCKED
        if row.done_at is not None and row.done_at >= started:
            return None  # done by another process during this run
        outcome = ingest_file(conn, path, rules, overrides=overrides, force=force)
        record: dict[str, Any] = {"done_at": _now()}
        if row.done_at is None or outcome.status != "unchanged":
            record.update(
                status=outcome.status, reason=outcome.reason, worker=me, claims=outcome.claims
            )
        conn.execute(update(ingest_queue_table).where(q.path == key).values(**record))
    return outcome


def _not_done(engine: Engine, keys: list[str]) -> list[str]:
    if not keys:
        return []
    with engine.connect() as conn:
        done = {
            r[0]
            for r in conn.execute(select(q.path).where(q.path.in_(keys), q.done_at.is_not(None)))
        }
    return [k for k in keys if k not in done]
