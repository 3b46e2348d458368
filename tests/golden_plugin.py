"""Golden files of extracted claims, and `--update-golden` to rewrite them.

Registered from tests/conftest.py (`pytest_plugins = ["golden_plugin"]`) so that
the option exists when pytest parses the command line. Setting the environment
variable UNIONFACTS_UPDATE_GOLDEN=1 does the same.

A golden file holds what the extraction *should* give for one document:

    {"document": ..., "encoding": ..., "meta": {title, date, scope},
     "claims": [{start, seq, surface, value, unit, approx, metric, period, scope,
                 kind, modality, part_of}, ...],
     "known_wrong": [{start, surface, field, got, note}, ...]}

Claims are matched by `start` (their offset in the original text), so one claim
more or less does not shift every other one; `part_of` is compared as the start
of the whole. `known_wrong` lists reviewed errors the extraction still makes:
`field` is a claim field whose correct value is the one in `claims` while the
extraction gives `got`; `extra` marks a claim that should not be extracted at
all, `missing` one that should be but is not. The comparison accepts a known
error exactly as recorded, fails when it changes, and fails when it is fixed
(so the entry gets removed — `--update-golden` does that). Updating keeps the
known errors that still occur and takes everything else from the extraction:
review the diff before committing.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from typing import Any

import pytest

from unionfacts.models import Claim, ExtractedDocument

OPTION = "--update-golden"
ENV = "UNIONFACTS_UPDATE_GOLDEN"

FIELDS = (
    "seq",
    "surface",
    "value",
    "unit",
    "approx",
    "metric",
    "period",
    "scope",
    "kind",
    "modality",
    "part_of",
)
# Compared per claim (seq is implied by the order of starts; part_of separately).
COMPARED = ("surface", "value", "unit", "approx", "metric", "period", "scope", "kind", "modality")

Record = dict[str, Any]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.json from the current extraction (review the diff!)",
    )


def update_requested(config: pytest.Config) -> bool:
    if os.environ.get(ENV, "") not in ("", "0"):
        return True
    return bool(config.getoption(OPTION, default=False))


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the golden files are to be rewritten rather than compared."""
    return update_requested(request.config)


# ---- records -----------------------------------------------------------------


def plain_decimal(v: Decimal) -> str:
    """A Decimal as plain digits (390800, 92.4), never in exponent form."""
    text = format(v.normalize(), "f")
    return text if text != "-0" else "0"


def claim_record(claim: Claim) -> Record:
    record: Record = {"start": claim.start}
    record.update({name: getattr(claim, name) for name in FIELDS})
    record["value"] = plain_decimal(claim.value)
    return record


def golden_record(extracted: ExtractedDocument) -> Record:
    meta = extracted.meta
    return {
        "document": extracted.document.name,
        "encoding": extracted.document.encoding,
        "meta": {
            "title": meta.title,
            "date": meta.date.isoformat() if meta.date else None,
            "scope": meta.scope,
        },
        "claims": [claim_record(c) for c in extracted.claims],
        "known_wrong": [],
    }


def dump(record: Record) -> str:
    """One claim per line, so that a diff shows claim by claim."""

    def block(key: str) -> str:
        items = [json.dumps(c, ensure_ascii=False) for c in record.get(key, [])]
        if not items:
            return f'  "{key}": []'
        return f'  "{key}": [\n' + ",\n".join(f"    {c}" for c in items) + "\n  ]"

    head = [
        f'  "{key}": {json.dumps(record[key], ensure_ascii=False)}'
        for key in ("document", "encoding", "meta")
    ]
    return "{\n" + ",\n".join([*head, block("claims"), block("known_wrong")]) + "\n}\n"


# ---- comparison --------------------------------------------------------------


def _by_start(record: Record) -> dict[int, Record]:
    return {c["start"]: c for c in record.get("claims", [])}


def _whole_start(record: Record, claim: Record) -> int | None:
    """The start of the claim's whole (part_of is a seq inside one record)."""
    if claim.get("part_of") is None:
        return None
    for c in record.get("claims", []):
        if c.get("seq") == claim["part_of"]:
            return int(c["start"])
    return -1


def _describe(claim: Record) -> str:
    return " ".join(f"{k}={claim.get(k)!s}" for k in ("start", *FIELDS))


def compare(expected: Record, actual: Record) -> list[str]:
    """Every difference between a golden record and the extraction, one line
    each, after accepting the known errors recorded in the golden file."""
    out: list[str] = []
    for key in ("document", "encoding", "meta"):
        if expected.get(key) != actual.get(key):
            out.append(f"{key}: expected {expected.get(key)!r}, got {actual.get(key)!r}")
    want, got = _by_start(expected), _by_start(actual)
    tolerated_extra: set[int] = set()
    tolerated_missing: set[int] = set()
    tolerated_fields: dict[tuple[int, str], Any] = {}
    for known in expected.get("known_wrong", []):
        start, field, label = known["start"], known["field"], f"{known['surface']}@{known['start']}"
        if field == "extra":
            if start in got and start not in want:
                tolerated_extra.add(start)
            else:
                out.append(f"fixed: {label} is no longer extracted; remove it from known_wrong")
        elif field == "missing":
            if start in want and start not in got:
                tolerated_missing.add(start)
            else:
                out.append(f"fixed: {label} is now extracted; remove it from known_wrong")
        elif start in got and start in want:
            now, right = got[start].get(field), want[start].get(field)
            if now == known["got"]:
                tolerated_fields[(start, field)] = now
            elif now == right:
                out.append(f"fixed: {label} {field} is now {right!r}; remove it from known_wrong")
            else:
                out.append(
                    f"changed: {label} {field} was known wrong as {known['got']!r}, "
                    f"is now {now!r}, should be {right!r}"
                )
    for start in sorted(set(want) | set(got)):
        w, g = want.get(start), got.get(start)
        if w is None and g is not None and start not in tolerated_extra:
            out.append(f"+ claim not in golden: {_describe(g)}")
        elif g is None and w is not None and start not in tolerated_missing:
            out.append(f"- claim missing: {_describe(w)}")
        elif w is not None and g is not None:
            changed = [
                f"{k}: {w.get(k)!r} -> {g.get(k)!r}"
                for k in COMPARED
                if w.get(k) != g.get(k) and tolerated_fields.get((start, k), object()) != g.get(k)
            ]
            w_whole, g_whole = _whole_start(expected, w), _whole_start(actual, g)
            if w_whole != g_whole and (start, "part_of") not in tolerated_fields:
                changed.append(f"part_of (start of the whole): {w_whole} -> {g_whole}")
            if changed:
                out.append(f"~ claim {w.get('surface')}@{start}: " + ", ".join(changed))
    return out


def merge_update(old: Record | None, actual: Record) -> Record:
    """The new golden record: the extraction, with the known errors that still
    occur put back to their reviewed values (and their entries kept)."""
    new = dict(actual)
    new["claims"] = [dict(c) for c in actual["claims"]]
    new["known_wrong"] = []
    if not old:
        return new
    want, got = _by_start(old), _by_start(new)
    for known in old.get("known_wrong", []):
        start, field = known["start"], known["field"]
        if field == "extra":
            if start in got:
                new["claims"].remove(got.pop(start))
                new["known_wrong"].append(known)
        elif field == "missing":
            if start not in got and start in want:
                missing = dict(want[start])
                missing["seq"] = None
                missing["part_of"] = None
                new["claims"].append(missing)
                new["known_wrong"].append(known)
        elif start in got and start in want and got[start].get(field) == known["got"]:
            got[start][field] = want[start].get(field)
            new["known_wrong"].append(known)
    new["claims"].sort(key=lambda c: c["start"])
    return new
