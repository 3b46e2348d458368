"""target_outcome (information): a target set for a year against the outcome.

A target (modality target) for year N in one report, and the actual figure of
the same measure, scope, dimension and rate type for N in a later report:
met, missed, and by how much. Targets are never compared with actuals as
contradictions; this is the question analysts ask of 政府工作报告.
A target with 以上 is met by anything at or above it; 以内/不超过 (approx
under) by anything at or below; 左右 or a plain figure by an outcome within
its range.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from unionfacts.check.base import CheckContext, Fact, Finding, finding, split_by
from unionfacts.check.intervals import fmt

NAME = "target_outcome"


def _verdict(target: Fact, actual: Fact) -> str:
    t, a = target.interval, actual.interval
    approx = target.claim.approx
    if approx == "over":
        return "met" if a.high is None or a.high > t.low else "missed (below the floor)"
    if approx == "under":
        return "met" if t.high is None or a.low < t.high else "missed (above the ceiling)"
    if t.meets(a):
        return "met"
    return "exceeded" if t.high is not None and a.low >= t.high else "fell short of"


def _late(f: Fact) -> date:
    return f.claim.doc_date or date.min


def run(ctx: CheckContext) -> Iterator[Finding]:
    usable = [f for f in ctx.facts if f.known_period and f.known_scope]
    targets = [f for f in usable if f.claim.modality == "target"]
    if not targets:
        return
    measures = {f.metric for f in targets}
    facts = [f for f in usable if f.metric in measures]
    groups = split_by(
        facts,
        lambda f: (f.metric, f.unit, f.rtype, f.scope, f.period.start, f.period.end),
    )
    for group in groups.values():
        targets = [f for f in group if f.claim.modality == "target"]
        actuals = [f for f in group if f.claim.modality == "actual"]
        for target in sorted(targets, key=lambda f: (f.claim.doc_name, f.claim.start)):
            later = [
                a
                for a in actuals
                if a.claim.doc_hash != target.claim.doc_hash and _late(a) > _late(target)
            ]
            if not later:
                continue
            actual = max(later, key=lambda f: (_late(f), f.claim.doc_name, -f.claim.start))
            yield _finding(target, actual)


def _finding(target: Fact, actual: Fact) -> Finding:
    verdict = _verdict(target, actual)
    diff = actual.claim.value - target.claim.value
    unit = "percentage points" if target.unit == "percent" else target.claim.unit
    sign = "+" if diff >= 0 else "−"
    return finding(
        NAME,
        "info",
        (target, actual),
        f"{target.claim.metric} ({target.scope}, {target.period.text}): the target "
        f"{target.claim.surface.strip()} set in {target.claim.doc_name} was {verdict} "
        f"— the outcome reported in {actual.claim.doc_name} is "
        f"{actual.claim.surface.strip()}, {sign}{fmt(abs(diff))} {unit} against the "
        "target.",
        f"target {fmt(target.claim.value)} ∈ {target.interval}, outcome "
        f"{fmt(actual.claim.value)} ∈ {actual.interval}",
    )
