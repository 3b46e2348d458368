"""Hand-built StoredClaims for the checker tests: `claim(...)` fills every
field a test does not care about, and gives each claim its own row id and span."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from unionfacts.check import Finding, run_checks
from unionfacts.check.rules import CheckRules, load_check_rules
from unionfacts.models import StoredClaim

_ids = itertools.count(1)
_RULES: CheckRules | None = None


def rules() -> CheckRules:
    global _RULES
    if _RULES is None:
        _RULES = load_check_rules()
    return _RULES


def claim(surface: str, value: float | int | str, **kw: Any) -> StoredClaim:
    """A stored claim; `before`/`after` put text around the number in its context."""
    n = next(_ids)
    before, after = kw.pop("before", "……"), kw.pop("after", "，……")
    start = kw.pop("start", n * 100)
    # consecutive claims: different documents; a part (其中) in its whole's document
    whole = kw.get("part_of_id")
    doc = kw.pop("doc", f"doc{(whole if whole is not None else n) % 3}.txt")
    fields: dict[str, Any] = dict(
        id=n,
        doc_name=doc,
        doc_title="title",
        doc_date=date(2024, 1, 1),
        doc_hash=kw.pop("doc_hash", doc.ljust(64, "0")),
        doc_scope="北京市",
        seq=n,
        start=start,
        end=start + len(surface),
        surface=surface,
        value=Decimal(str(value)),
        unit="人",
        unit_class="人",
        approx="exact",
        metric="会员",
        metric_rule=None,
        period="2023",
        scope="北京市",
        kind="flow",
        modality="actual",
        part_of_id=None,
        sentence=before + surface + after,
        context=before + surface + after,
        context_start=start - len(before),
    )
    fields.update(kw)
    return StoredClaim(**fields)


def check(name: str, *claims: StoredClaim) -> list[Finding]:
    return run_checks(list(claims), rules(), only=[name])


def flagged(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in ("error", "warning")]


def severities(findings: list[Finding]) -> list[str]:
    return sorted(f.severity for f in findings)
