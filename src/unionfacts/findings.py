"""Storing findings so that review decisions survive, and reviewing them.

    sync_findings(engine, findings)      after every `check`
    list_findings / get_finding          read back as plain values
    review / review_csv                  change a status, with an audit row

A finding's id hashes its check and, for each claim, what the claim says and
where: the document's file name, the quoted text, the value, the metric, the
period and the scope — never row ids, offsets or the rest of the file — so
re-running `check`, re-ingesting, or editing a report elsewhere lands on the
same row and keeps its decision. Ids from before (migration 0005) still
resolve through `finding_aliases`. The evidence
hash covers what a reviewer looked at (values, quotes, periods, scopes, the
explanation): when it changes under a decided finding, the finding is
reopened and says why. A finding no longer produced becomes `stale`; it is
never deleted, and comes back with its old decision if it is produced again.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.orm import Session

from unionfacts.check import CheckRules, Finding, run_checks
from unionfacts.check.intervals import fmt
from unionfacts.models import StoredClaim
from unionfacts.store import link_finding_claims, stored_claims
from unionfacts.store.db import writing
from unionfacts.store.findings_schema import (
    FindingAliasRow,
    FindingRow,
    ReviewRow,
    finding_claims_table,
    findings_table,
    reviews_table,
)

REVIEW_STATUSES = ("confirmed", "dismissed", "fixed", "open")
CHECKER = "unionfacts check"  # `who` of the status changes `check` makes itself


class ReviewError(Exception):
    """A review that cannot be applied (unknown id, bad status, bad CSV row)."""


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return os.environ.get("USER") or "unknown"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# -- identity -----------------------------------------------------------------


def claim_ref(c: StoredClaim) -> tuple[str, str, str, str, str, str]:
    """What a finding's id hashes of one claim; migration 0005 computes the
    same from the stored evidence (its `doc`, `surface`, `value`, `metric`,
    `period` and `scope`), so change both or neither."""
    return (c.doc_name, c.surface, fmt(c.value), c.metric, c.period, c.scope)


def finding_id(f: Finding) -> str:
    refs = sorted(claim_ref(c) for c in f.claims)
    text = json.dumps([f.check, refs], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def evidence_of(f: Finding) -> list[dict[str, Any]]:
    return [
        {
            "doc": c.doc_name,
            "doc_hash": c.doc_hash,
            "doc_title": c.doc_title,
            "doc_date": c.doc_date.isoformat() if c.doc_date else None,
            "start": c.start,
            "end": c.end,
            "surface": c.surface,
            "value": fmt(c.value),
            "unit": c.unit,
            "approx": c.approx,
            "metric": c.metric,
            "period": c.period,
            "scope": c.scope,
            "kind": c.kind,
            "modality": c.modality,
            "context": c.context,
            "context_start": c.context_start,
        }
        for c in f.claims
    ]


_HASHED = (
    "doc",
    "surface",
    "value",
    "unit",
    "approx",
    "metric",
    "period",
    "scope",
    "kind",
    "modality",
)


def evidence_hash(f: Finding, evidence: list[dict[str, Any]]) -> str:
    payload = [f.severity, f.explanation, f.arithmetic, [[e[k] for k in _HASHED] for e in evidence]]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def _what_changed(row: FindingRow, f: Finding, evidence: list[dict[str, Any]]) -> str:
    changes = []
    if row.severity != f.severity:
        changes.append(f"severity {row.severity} → {f.severity}")
    old = row.evidence or []
    for i, (a, b) in enumerate(zip(old, evidence, strict=False), 1):
        for k in _HASHED:
            if a.get(k) != b.get(k):
                changes.append(f"claim {i} {k} {a.get(k)!r} → {b.get(k)!r}")
    if not changes and row.explanation != f.explanation:
        changes.append("the explanation changed")
    if not changes and row.arithmetic != f.arithmetic:
        changes.append("the arithmetic changed")
    return "evidence changed: " + ("; ".join(changes[:6]) or "details changed")


# -- sync ---------------------------------------------------------------------


@dataclass
class SyncSummary:
    total: int = 0
    new: int = 0
    reopened: int = 0
    revived: int = 0
    stale: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)


_RANK = {"error": 0, "warning": 1, "info": 2}


def _dedupe(findings: Iterable[Finding]) -> dict[str, Finding]:
    """One finding per id; two checks never share ids, but one check may reach
    the same claims twice (keep the most severe)."""
    out: dict[str, Finding] = {}
    for f in findings:
        fid = finding_id(f)
        if fid not in out or _RANK[f.severity] < _RANK[out[fid].severity]:
            out[fid] = f
    return out


def _status_before_stale(s: Session, fid: str) -> str:
    last = s.scalars(
        select(ReviewRow.from_status)
        .where(ReviewRow.finding_id == fid, ReviewRow.to_status == "stale")
        .order_by(ReviewRow.id.desc())
        .limit(1)
    ).first()
    return last or "open"


def sync_findings(engine: Engine, findings: Iterable[Finding]) -> SyncSummary:
    """Store this run's findings; keep decisions, reopen changed ones, mark
    vanished ones stale. One transaction."""
    now = _now()
    produced = _dedupe(findings)
    summary = SyncSummary(total=len(produced))
    for f in produced.values():
        summary.by_severity[f.severity] = summary.by_severity.get(f.severity, 0) + 1
    audit: list[dict[str, Any]] = []
    with Session(writing(engine)) as s, s.begin():
        existing = {r.id: r for r in s.scalars(select(FindingRow))}
        new_rows: list[dict[str, Any]] = []
        new_claims: list[dict[str, Any]] = []
        moved: list[str] = []  # stored findings whose claims are written again
        for fid, f in produced.items():
            ev = evidence_of(f)
            h = evidence_hash(f, ev)
            row = existing.get(fid)
            if row is None:
                summary.new += 1
                new_rows.append(
                    dict(
                        id=fid,
                        check=f.check,
                        severity=f.severity,
                        status="open",
                        reopened=False,
                        reopen_reason=None,
                        explanation=f.explanation,
                        arithmetic=f.arithmetic,
                        evidence=ev,
                        evidence_hash=h,
                        score=f.score,
                        first_seen=now,
                        last_seen=now,
                    )
                )
                new_claims.extend(_claim_rows(fid, f))
                continue
            row.last_seen = now
            evidence_moved = row.evidence != ev
            if evidence_moved:
                # Moved (an edit elsewhere) or re-worded context: the claims
                # are shown where they are now (below); the decision stands
                # unless the evidence hash changes too.
                moved.append(fid)
                new_claims.extend(_claim_rows(fid, f))
            if row.status == "stale":
                back = _status_before_stale(s, fid)
                audit.append(
                    dict(finding_id=fid, from_status="stale", to_status=back, note="produced again")
                )
                row.status = back
                summary.revived += 1
            if row.evidence_hash != h:
                if row.status != "open":
                    reason = _what_changed(row, f, ev)
                    audit.append(
                        dict(finding_id=fid, from_status=row.status, to_status="open", note=reason)
                    )
                    row.status, row.reopened, row.reopen_reason = "open", True, reason
                    summary.reopened += 1
                row.severity, row.explanation, row.arithmetic = (
                    f.severity,
                    f.explanation,
                    f.arithmetic,
                )
                row.evidence_hash = h
            if evidence_moved:  # (no UPDATE for an unchanged row)
                row.evidence = ev
            if row.score != f.score:
                row.score = f.score
        for fid, row in existing.items():
            if fid not in produced and row.status != "stale":
                audit.append(
                    dict(
                        finding_id=fid,
                        from_status=row.status,
                        to_status="stale",
                        note="no longer produced by check",
                    )
                )
                row.status = "stale"
                summary.stale += 1
        s.flush()
        for i in range(0, len(moved), 500):
            s.execute(
                delete(finding_claims_table).where(
                    finding_claims_table.c.finding_id.in_(moved[i : i + 500])
                )
            )
        for i in range(0, len(new_rows), 5000):
            s.execute(insert(findings_table), _columns(new_rows[i : i + 5000]))
        for i in range(0, len(new_claims), 5000):
            s.execute(insert(finding_claims_table), _columns(new_claims[i : i + 5000]))
        if audit:
            s.execute(insert(reviews_table), [dict(a, at=now, who=CHECKER) for a in audit])
    return summary


def _claim_rows(fid: str, f: Finding) -> list[dict[str, Any]]:
    return [
        dict(
            finding_id=fid,
            position=i,
            doc_hash=c.doc_hash,
            doc_name=c.doc_name,
            start=c.start,
            end=c.end,
            value_text=fmt(c.value),
        )
        for i, c in enumerate(f.claims)
    ]


def check_database(engine: Engine, rules: CheckRules | None = None, jobs: int = 1) -> SyncSummary:
    """Run every check over the stored claims, as reviewers corrected them, and
    store the findings. Streamed block by block (memory bounded by the largest
    block; `jobs` > 1 spreads the blocks over processes); when corrections are
    in force, in memory over the corrected claims, since a correction may move
    a claim to another block."""
    from unionfacts.store.corrections import apply_corrections, corrections

    fixes = corrections(engine)  # read once, for the choice and the claims
    if fixes:
        findings = run_checks(apply_corrections(stored_claims(engine), fixes), rules)
    else:
        findings = stream_checks(engine, rules, jobs=jobs)
    summary = sync_findings(engine, findings)
    link_finding_claims(engine)
    return summary


def stream_checks(
    engine: Engine,
    rules: CheckRules | None = None,
    only: Sequence[str] | None = None,
    jobs: int = 1,
) -> list[Finding]:
    """The findings of every check on the stored claims, read block by block."""
    from unionfacts.check import load_check_rules
    from unionfacts.check.blocks import BlockRunner, run_blocks
    from unionfacts.store.blocks import stream_blocks

    runner = BlockRunner(rules or load_check_rules(), only)
    return run_blocks(runner, stream_blocks(engine, runner.block_kinds()), jobs)


def _columns(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ORM attribute names → column names for core inserts."""
    rename = {"check": "check_name", "start": "start_offset", "end": "end_offset"}
    return [{rename.get(k, k): v for k, v in r.items()} for r in rows]


# -- reading ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewEntry:
    at: datetime
    from_status: str | None
    to_status: str
    note: str
    who: str


@dataclass(frozen=True)
class StoredFinding:
    id: str
    check: str
    severity: str
    status: str
    reopened: bool
    reopen_reason: str | None
    explanation: str
    arithmetic: str
    claims: list[dict[str, Any]]  # evidence: see `evidence_of`
    first_seen: datetime
    last_seen: datetime
    history: list[ReviewEntry] = field(default_factory=list)
    score: float | None = None  # near keys: similarity of the metric keys (0–100)


def _stored(r: FindingRow, history: list[ReviewEntry] | None = None) -> StoredFinding:
    return StoredFinding(
        id=r.id,
        check=r.check,
        severity=r.severity,
        status=r.status,
        reopened=r.reopened,
        reopen_reason=r.reopen_reason,
        explanation=r.explanation,
        arithmetic=r.arithmetic,
        claims=list(r.evidence or []),
        score=r.score,
        first_seen=r.first_seen,
        last_seen=r.last_seen,
        history=history or [],
    )


def list_findings(
    engine: Engine,
    statuses: Sequence[str] | None = None,
    checks: Sequence[str] | None = None,
    severities: Sequence[str] | None = None,
) -> list[StoredFinding]:
    """Findings ordered by severity, check and id."""
    stmt = select(FindingRow)
    if statuses:
        stmt = stmt.where(FindingRow.status.in_(list(statuses)))
    if checks:
        stmt = stmt.where(FindingRow.check.in_(list(checks)))
    if severities:
        stmt = stmt.where(FindingRow.severity.in_(list(severities)))
    with Session(engine) as s:
        rows = [_stored(r) for r in s.scalars(stmt)]
    rows.sort(key=lambda f: (_RANK.get(f.severity, 9), f.check, f.id))
    return rows


def _resolve(s: Session, prefix: str) -> FindingRow:
    prefix = prefix.strip().lower()
    if not prefix:
        raise ReviewError("empty finding id")
    rows = s.scalars(select(FindingRow).where(FindingRow.id.startswith(prefix)).limit(2)).all()
    if not rows:  # an id from before migration 0005
        rows = s.scalars(
            select(FindingRow)
            .join(FindingAliasRow, FindingAliasRow.finding_id == FindingRow.id)
            .where(FindingAliasRow.old_id.startswith(prefix))
            .limit(2)
        ).all()
    if not rows:
        raise ReviewError(f"no finding with id {prefix!r}")
    if len(rows) > 1:
        raise ReviewError(f"id prefix {prefix!r} matches several findings; give more of it")
    return rows[0]


def get_finding(engine: Engine, prefix: str) -> StoredFinding:
    with Session(engine) as s:
        row = _resolve(s, prefix)
        history = [
            ReviewEntry(r.at, r.from_status, r.to_status, r.note, r.who)
            for r in s.scalars(
                select(ReviewRow).where(ReviewRow.finding_id == row.id).order_by(ReviewRow.id)
            )
        ]
        return _stored(row, history)


# -- review -------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRequest:
    id: str
    status: str
    note: str
    who: str
    where: str = ""  # e.g. "decisions.csv:4", for messages


def _apply(s: Session, req: ReviewRequest, now: datetime) -> tuple[str, str, str]:
    if req.status not in REVIEW_STATUSES:
        raise ReviewError(
            f"{req.where}status must be one of {', '.join(REVIEW_STATUSES)}, not {req.status!r}"
        )
    try:
        row = _resolve(s, req.id)
    except ReviewError as e:
        raise ReviewError(f"{req.where}{e}") from None
    before = row.status
    s.execute(
        update(findings_table)
        .where(findings_table.c.id == row.id)
        .values(status=req.status, reopened=False if req.status != "open" else row.reopened)
    )
    s.execute(
        insert(reviews_table).values(
            at=now,
            finding_id=row.id,
            from_status=before,
            to_status=req.status,
            note=req.note,
            who=req.who,
        )
    )
    return row.id, before, req.status


def review(engine: Engine, prefix: str, status: str, note: str, who: str) -> tuple[str, str, str]:
    """Set one finding's status; returns (id, from, to)."""
    with Session(writing(engine)) as s, s.begin():
        return _apply(s, ReviewRequest(prefix, status, note, who), _now())


def read_review_csv(path: Path, default_who: str) -> list[ReviewRequest]:
    """Rows of `id,status,note[,by]` (a header row is required), in any
    encoding that ingest reads (UTF-8 with or without a byte-order mark,
    UTF-16, GB18030/GBK, Big5): spreadsheets save CSV in all of them."""
    from unionfacts.load import LoadError, decode

    try:
        raw = path.read_bytes()
        text, _encoding = decode(raw, path) if raw else ("", "utf-8")
    except OSError as e:
        raise ReviewError(f"{path}: {e.strerror or e}") from None
    except LoadError as e:
        raise ReviewError(str(e)) from None
    try:
        with io.StringIO(text.removeprefix("\ufeff"), newline="") as fh:
            reader = csv.DictReader(fh)
            fields = {f.strip().lower() for f in reader.fieldnames or []}
            if not {"id", "status"} <= fields:
                raise ReviewError(f"{path}: needs a header with columns id,status,note[,by]")
            out = []
            for n, record in enumerate(reader, 2):
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items()}
                out.append(
                    ReviewRequest(
                        row.get("id", ""),
                        row.get("status", "").lower(),
                        row.get("note", ""),
                        row.get("by") or default_who,
                        f"{path}:{n}: ",
                    )
                )
            return out
    except OSError as e:
        raise ReviewError(f"{path}: {e.strerror or e}") from None
    except csv.Error as e:
        raise ReviewError(f"{path}: not CSV: {e}") from None


def review_csv(engine: Engine, path: Path, default_who: str) -> list[tuple[str, str, str]]:
    """Apply every row in one transaction; any bad row applies none and every
    problem is reported at once."""
    requests = read_review_csv(path, default_who)
    now, done, problems = _now(), [], []
    with Session(writing(engine)) as s, s.begin():
        for req in requests:
            try:
                done.append(_apply(s, req, now))
            except ReviewError as e:
                problems.append(str(e))
        if problems:  # leaving the block with an exception rolls every row back
            raise ReviewError("\n".join(problems))
    return done
