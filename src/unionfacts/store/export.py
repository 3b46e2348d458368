"""Claims as records for `unionfacts export claims`.

The JSON Lines fields are those `../shared/eval/score.py` reads:
id (claim row id, a string), doc (file name), start, end (offsets in the
decoded document), value (a number), unit, approx, metric, period, scope,
kind, modality, part_of (id string of the whole, or null); then extras:
surface, value_text (the exact decimal), unit_class, metric_rule, rule_id,
sentence, doc_title, doc_date.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal, TextIO

from sqlalchemy import Engine

from unionfacts.models import StoredClaim
from unionfacts.store.readers import stored_claims

ExportFormat = Literal["jsonl", "csv"]

FIELDS = (
    "id",
    "doc",
    "start",
    "end",
    "value",
    "unit",
    "approx",
    "metric",
    "period",
    "scope",
    "kind",
    "modality",
    "part_of",
    "surface",
    "value_text",
    "unit_class",
    "metric_rule",
    "rule_id",
    "sentence",
    "doc_title",
    "doc_date",
)


def json_number(value: Decimal) -> int | float:
    """An int when the value is whole (no 390800.0), else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def claim_record(claim: StoredClaim) -> dict[str, Any]:
    return {
        "id": str(claim.id),
        "doc": claim.doc_name,
        "start": claim.start,
        "end": claim.end,
        "value": json_number(claim.value),
        "unit": claim.unit,
        "approx": claim.approx,
        "metric": claim.metric,
        "period": claim.period,
        "scope": claim.scope,
        "kind": claim.kind,
        "modality": claim.modality,
        "part_of": None if claim.part_of_id is None else str(claim.part_of_id),
        "surface": claim.surface,
        "value_text": str(claim.value),
        "unit_class": claim.unit_class,
        "metric_rule": claim.metric_rule,
        "rule_id": claim.rule_id,
        "sentence": claim.sentence,
        "doc_title": claim.doc_title,
        "doc_date": claim.doc_date.isoformat() if claim.doc_date else None,
    }


def claim_records(engine: Engine) -> Iterator[dict[str, Any]]:
    for claim in stored_claims(engine):
        yield claim_record(claim)


def write_claims(engine: Engine, out: TextIO, fmt: ExportFormat = "jsonl") -> int:
    """Write every claim to `out`; returns how many."""
    n = 0
    if fmt == "jsonl":
        for rec in claim_records(engine):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for rec in claim_records(engine):
            writer.writerow(rec)
            n += 1
    else:
        raise ValueError(f"unknown export format: {fmt}")
    return n
