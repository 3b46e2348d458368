"""parts_exceed_total: parts that add up to more than their total.

- Claims marked as parts of one whole (其中 A, B, C): the sum of their lower
  bounds above the whole's upper bound is a warning (parts listed after 其中
  may overlap, so it is probable, not certain). When a single part already
  exceeds the whole, `part_exceeds_whole` reports it and this check stays
  quiet. Parts that add up within rounding are shown as information.
- Sibling scopes declared disjoint in the `parent` of `rules/scopes.yaml`: the same
  measure for the same period in two or more districts adding up to more than
  their city reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from unionfacts.check.base import (
    CheckContext,
    Fact,
    Finding,
    finding,
    smallest,
    split_by,
    sum_text,
)
from unionfacts.check.intervals import ZERO, Interval, fmt

NAME = "parts_exceed_total"


def _total(parts: list[Fact]) -> Interval:
    out = ZERO
    for p in parts:
        out = out + p.interval
    return out


def _explicit(ctx: CheckContext) -> Iterator[Finding]:
    for whole_id, all_parts in ctx.parts_of.items():
        whole = ctx.by_id.get(whole_id)
        if whole is None:
            continue
        parts = [
            p
            for p in all_parts
            if p.unit == whole.unit and p.claim.modality == whole.claim.modality
        ]
        if len(parts) < 2 or any(p.interval.exceeds(whole.interval) for p in parts):
            continue
        total = _total(parts)
        if total.exceeds(whole.interval):
            yield finding(
                NAME,
                "warning",
                (whole, *parts),
                f"The parts of {whole.claim.surface.strip()} ({whole.claim.metric}) add up "
                "to more than it; unless the parts overlap, one of the figures is wrong.",
                f"{sum_text(parts)} > {fmt(whole.claim.value)} ∈ {whole.interval}",
            )
        elif total.meets(whole.interval):
            yield finding(
                NAME,
                "info",
                (whole, *parts),
                f"The parts of {whole.claim.surface.strip()} add up to it within rounding.",
                f"{sum_text(parts)} ∈ {total}, whole {fmt(whole.claim.value)} ∈ {whole.interval}",
            )


def _siblings(ctx: CheckContext) -> Iterator[Finding]:
    scopes = ctx.rules.scopes
    for (_, _, kind, _), facts in ctx.series.items():
        if kind == "rate" or len(facts) < 3:
            continue
        by_period = split_by(
            (f for f in facts if f.known_scope),
            lambda f: (f.period.start, f.period.end, f.period.form),
        )
        for group in by_period.values():
            by_scope = split_by(group, lambda f: f.scope)
            children: dict[str, list[Fact]] = {}
            for scope, fs in by_scope.items():
                parent = scopes.declared_parent(str(scope))
                if parent is not None and parent in by_scope and parent in scopes.disjoint:
                    # the lowest figure per child: the one least likely to overflow
                    children.setdefault(parent, []).append(min(fs, key=lambda f: f.interval.low))
            for parent, kids in children.items():
                if len(kids) < 2:
                    continue
                whole = smallest(by_scope[parent])
                low = sum((k.interval.low for k in kids), Decimal(0))
                if whole.interval.high is not None and low >= whole.interval.high:
                    yield finding(
                        NAME,
                        "warning",
                        (whole, *kids),
                        f"{whole.claim.metric}: the figures of {len(kids)} scopes inside "
                        f"{parent} add up to more than {parent}'s own figure.",
                        f"{sum_text(kids)} > {fmt(whole.claim.value)} ∈ {whole.interval}",
                    )


def run(ctx: CheckContext) -> Iterator[Finding]:
    yield from _explicit(ctx)
    yield from _siblings(ctx)
