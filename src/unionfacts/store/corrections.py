"""Reviewers' corrections to claims, and the claims as corrected.

    add_correction(engine, claim_id, changes, who, note)   one more row, validated
    corrections(engine) -> {ClaimKey: Correction}          the ones in force
    correction_history(engine, key) -> [Correction]        oldest first
    corrected_claims(engine)                               what the checker reads
    link_finding_claims(engine)                            finding_claims.claim_id

A correction is keyed by content (document content hash, start, end), like a
finding, so it applies again after a re-ingest renumbers the claim rows; a
document whose text changed has new hashes, and its old corrections stay in
the table, unapplied, for a reviewer to see.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Engine, func, insert, select, text

from unionfacts.models import StoredClaim
from unionfacts.periods import parse_period
from unionfacts.store.corrections_schema import CorrectionRow, corrections_table
from unionfacts.store.readers import stored_claims
from unionfacts.store.schema import claims_table, documents_table

ClaimKey = tuple[str, int, int]  # (document content hash, start, end)
FIELDS = ("metric", "period", "scope", "kind", "modality")
CHOICES = {"kind": ("flow", "stock", "rate"), "modality": ("actual", "target")}


class CorrectionError(Exception):
    """A correction that cannot be stored (unknown claim, bad value)."""


@dataclass(frozen=True)
class Correction:
    key: ClaimKey
    doc_name: str
    surface: str
    changes: dict[str, str]  # field -> corrected value; only the fields it changes
    not_claim: bool
    note: str
    who: str
    at: datetime

    def describe(self) -> str:
        if self.not_claim:
            return "not a claim"
        return ", ".join(f"{k} → {v}" for k, v in self.changes.items())


def claim_key(c: StoredClaim) -> ClaimKey:
    return (c.doc_hash, c.start, c.end)


def _validate(changes: Mapping[str, str | None]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, raw in changes.items():
        if name not in FIELDS:
            raise CorrectionError(f"cannot correct {name!r}; one of {', '.join(FIELDS)}")
        value = (raw or "").strip()
        if not value:
            continue
        if name in CHOICES and value not in CHOICES[name]:
            raise CorrectionError(f"{name} must be one of {', '.join(CHOICES[name])}")
        if name == "period" and value != "?" and parse_period(value).form == "unknown":
            raise CorrectionError(f"period {value!r} is not in the period grammar")
        out[name] = value
    return out


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def add_correction(
    engine: Engine,
    claim_id: int,
    changes: Mapping[str, str | None],
    who: str,
    note: str = "",
    not_claim: bool = False,
) -> Correction:
    """Record a correction of the claim row `claim_id`. Only the fields that
    differ from the extraction are stored; the rest keep following it."""
    d, c = documents_table.c, claims_table.c
    wanted = _validate(changes)
    if not who.strip():
        raise CorrectionError("a correction needs an author")
    # Read first, then write in a transaction whose first statement is the
    # insert: on SQLite a transaction that read before writing cannot wait for
    # another writer (its snapshot would be stale) and fails at once.
    with engine.connect() as conn:
        row = conn.execute(
            select(
                d.content_hash,
                d.name,
                c.start_offset,
                c.end_offset,
                c.surface,
                *[c[f] for f in FIELDS],
            )
            .join(documents_table, d.id == c.document_id)
            .where(c.id == claim_id)
        ).first()
    if row is None:
        raise CorrectionError(f"no claim with id {claim_id}")
    extracted = dict(zip(FIELDS, row[5:], strict=True))
    stored = {k: v for k, v in wanted.items() if extracted[k] != v}
    in_force = corrections(engine, row[0]).get((row[0], row[2], row[3]))
    if not stored and not not_claim and not note.strip() and in_force is None:
        # (with a correction in force, the same form takes it back)
        raise CorrectionError("nothing to correct: every field is as extracted")
    values = dict(
        doc_hash=row[0],
        doc_name=row[1],
        start_offset=row[2],
        end_offset=row[3],
        surface=row[4],
        not_claim=not_claim,
        note=note.strip(),
        who=who.strip(),
        at=_now(),
        **{f: stored.get(f) for f in FIELDS},
    )
    with engine.begin() as conn:
        conn.execute(insert(corrections_table).values(**values))
    return _correction(values)


def _correction(v: Mapping[str, object]) -> Correction:
    return Correction(
        key=(str(v["doc_hash"]), int(str(v["start_offset"])), int(str(v["end_offset"]))),
        doc_name=str(v["doc_name"]),
        surface=str(v["surface"]),
        changes={f: str(v[f]) for f in FIELDS if v.get(f) is not None},
        not_claim=bool(v["not_claim"]),
        note=str(v["note"] or ""),
        who=str(v["who"]),
        at=v["at"],  # type: ignore[arg-type]
    )


def _rows(engine: Engine, *where: object) -> list[Correction]:
    k = corrections_table.c
    stmt = select(*k).where(*where).order_by(k.id)  # type: ignore[arg-type]
    with engine.connect() as conn:
        return [_correction(r._asdict()) for r in conn.execute(stmt)]


def corrections(engine: Engine, doc_hash: str | None = None) -> dict[ClaimKey, Correction]:
    """The correction in force for each corrected span (the latest row)."""
    k = corrections_table.c
    latest = select(func.max(k.id)).group_by(k.doc_hash, k.start_offset, k.end_offset)
    where: list[ColumnElement[bool]] = [k.id.in_(latest)]
    if doc_hash is not None:
        where.append(k.doc_hash == doc_hash)
    return {c.key: c for c in _rows(engine, *where)}


def correction_history(engine: Engine, key: ClaimKey) -> list[Correction]:
    k = corrections_table.c
    return _rows(engine, k.doc_hash == key[0], k.start_offset == key[1], k.end_offset == key[2])


def apply_corrections(
    claims: Iterable[StoredClaim], by_key: Mapping[ClaimKey, Correction]
) -> Iterator[StoredClaim]:
    """The claims as the reviewers corrected them; "not a claim" drops one.
    A corrected metric is a name of its own: the rule that named it no longer
    does (the checker keys on the rule id first)."""
    for claim in claims:
        fix = by_key.get(claim_key(claim)) if by_key else None
        if fix is None:
            yield claim
            continue
        if fix.not_claim:
            continue
        changes: dict[str, object] = dict(fix.changes)
        if "metric" in changes:
            changes["metric_rule"] = None
            changes["metric_key"] = fix.changes["metric"]
        yield dataclasses.replace(claim, **changes)  # type: ignore[arg-type]


def corrected_claims(engine: Engine) -> Iterator[StoredClaim]:
    """Every stored claim with the corrections in force applied: the checker's
    reader, so a correction feeds the next `check`."""
    return apply_corrections(stored_claims(engine), corrections(engine))


_LINK = text(
    """
UPDATE finding_claims SET claim_id = (
    SELECT min(c.id) FROM claims AS c
    JOIN documents AS d ON d.id = c.document_id
    WHERE d.content_hash = finding_claims.doc_hash
      AND c.start_offset = finding_claims.start_offset
      AND c.end_offset = finding_claims.end_offset
)
WHERE claim_id IS NULL
"""
)


def link_finding_claims(engine: Engine) -> None:
    """Point every finding's claims at their current rows (a re-ingest sets
    the links of replaced rows to NULL; this finds the new rows)."""
    with engine.begin() as conn:
        conn.execute(_LINK)


__all__ = [
    "CHOICES",
    "FIELDS",
    "ClaimKey",
    "Correction",
    "CorrectionError",
    "CorrectionRow",
    "add_correction",
    "apply_corrections",
    "claim_key",
    "corrected_claims",
    "correction_history",
    "corrections",
    "link_finding_claims",
]
