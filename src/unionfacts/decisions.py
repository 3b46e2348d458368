"""The last reviewer's decision on each finding (who, when, note), for the
reports and exports that show decisions next to findings. Status changes that
`check` makes itself (stale, reopened) are not decisions."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from unionfacts.findings import CHECKER, ReviewEntry
from unionfacts.store.findings_schema import reviews_table


def latest_decisions(engine: Engine) -> dict[str, ReviewEntry]:
    r = reviews_table.c
    last = select(func.max(r.id)).where(r.who != CHECKER).group_by(r.finding_id)
    stmt = select(r.finding_id, r.at, r.from_status, r.to_status, r.note, r.who).where(
        r.id.in_(last)
    )
    with engine.connect() as conn:
        return {
            row.finding_id: ReviewEntry(row.at, row.from_status, row.to_status, row.note, row.who)
            for row in conn.execute(stmt)
        }
