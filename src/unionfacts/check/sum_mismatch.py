"""sum_mismatch: a total declared in `rules/sums.yaml` that its parts do not add up to.

For each declared sum and each claim of its total, every part is looked up
among claims of the same scope, unit class and modality whose period is the
total's (`periods: same`) or lies inside it (`periods: within`). With every
part present, the parts' summed interval is compared with the total's: with
`same` periods they must meet (error otherwise); with `within` periods the
parts may only fall short (error when they exceed). A sum that agrees is shown
as information.

Scope partitions (`scope_partitions` of rules/sums.yaml: 东部, 中部, 西部 and
东北地区 make up 全国) are sums too: one measure's figures for every part,
of one period, against the whole's. Within rounding they agree
(information); off by no more than the partition's tolerance, the gap is
explained by how the figures are compiled (information, with the note);
beyond it, a warning.
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
    total_interval,
    total_text,
)
from unionfacts.check.intervals import fmt
from unionfacts.check.rules import ScopePartition, SumRule

NAME = "sum_mismatch"


def _fits(rule: SumRule, total: Fact, part: Fact) -> bool:
    if not (part.additive and total.additive) or part.claim.kind != total.claim.kind:
        return False  # a declared sum adds amounts of one kind, never rates
    if (part.scope, part.unit, part.claim.modality) != (
        total.scope,
        total.unit,
        total.claim.modality,
    ):
        return False
    if rule.periods == "same":
        return (part.period.start, part.period.end) == (total.period.start, total.period.end)
    return (
        part.period.start is not None
        and total.period.start is not None
        and total.start <= part.start
        and part.end <= total.end
    )


def _check(rule: SumRule, total: Fact, parts: list[Fact]) -> Finding | None:
    summed = total_interval(parts)
    label = rule.note or rule.id
    if summed.exceeds(total.interval):
        verdict = "add up to more than"
    elif rule.periods == "same" and total.interval.exceeds(summed):
        verdict = "add up to less than"
    else:
        return finding(
            NAME,
            "info",
            (total, *parts),
            f"{label}: the parts add up to the total within rounding"
            + (" (parts may cover only part of the period)." if rule.periods == "within" else "."),
            f"{sum_text(parts)} ∈ {summed}, total {fmt(total.claim.value)} ∈ {total.interval}",
        )
    return finding(
        NAME,
        "error",
        (total, *parts),
        f"{label}: the parts {verdict} the total {total.claim.surface.strip()}.",
        f"{sum_text(parts)} ∈ {summed}, total {fmt(total.claim.value)} ∈ {total.interval}",
    )


def _partition_finding(partition: ScopePartition, whole: Fact, parts: list[Fact]) -> Finding:
    summed = total_interval(parts)
    arithmetic = (
        f"{sum_text(parts)} ∈ {summed}, {whole.scope} {fmt(whole.claim.value)} ∈ {whole.interval}"
    )
    names = "、".join(p.scope for p in parts)
    if summed.meets(whole.interval):
        return finding(
            NAME,
            "info",
            (whole, *parts),
            f"{whole.claim.metric} ({whole.period.text}): the figures of {names} add up to "
            f"{whole.scope}'s {whole.claim.surface.strip()} within rounding.",
            arithmetic,
        )
    total = sum((p.claim.value for p in parts), Decimal(0))
    gap = abs(total - whole.claim.value) / whole.claim.value if whole.claim.value else None
    if gap is not None and gap <= Decimal(str(partition.tolerance)):
        return finding(
            NAME,
            "info",
            (whole, *parts),
            f"{whole.claim.metric} ({whole.period.text}): the figures of {names} add up to "
            f"{total_text(parts)}, {gap:.1%} {'less' if total < whole.claim.value else 'more'}"
            " than "
            f"{whole.scope}'s {whole.claim.surface.strip()}"
            + (f"; {partition.note}" if partition.note else "")
            + ".",
            arithmetic,
        )
    return finding(
        NAME,
        "warning",
        (whole, *parts),
        f"{whole.claim.metric} ({whole.period.text}): the figures of {names} add up to "
        f"{total_text(parts)}, which is not {whole.scope}'s {whole.claim.surface.strip()} even "
        "allowing for rounding and separate compilation.",
        arithmetic,
    )


def partitions(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.rules.partitions:
        return
    for (_, _, kind, _, rtype), facts in ctx.series.items():
        if kind == "rate" or rtype is not None or not facts[0].additive:
            continue
        periods = split_by(facts, lambda f: (f.period.start, f.period.end, f.period.form))
        for group in periods.values():
            by_scope = split_by(group, lambda f: f.scope)
            for partition in ctx.rules.partitions:
                if partition.whole not in by_scope or not all(
                    p in by_scope for p in partition.parts
                ):
                    continue
                # the lowest figure of each: a sum too large even at its most modest
                parts = [min(by_scope[p], key=lambda f: f.interval.low) for p in partition.parts]
                yield _partition_finding(partition, smallest(by_scope[partition.whole]), parts)


def run(ctx: CheckContext) -> Iterator[Finding]:
    for rule in ctx.rules.sums:
        totals = [f for key in rule.total for f in ctx.by_metric.get(key, [])]
        if not totals:
            continue
        # Each part's candidates by scope, so a total looks only at its own scope.
        slots = [
            split_by((f for key in alts for f in ctx.by_metric.get(key, [])), lambda f: f.scope)
            for alts in rule.parts
        ]
        if not all(slots):
            continue
        for total in totals:
            if not total.known_scope:
                continue
            chosen: list[Fact] = []
            for slot in slots:
                fitting = [p for p in slot.get(total.scope, ()) if _fits(rule, total, p)]
                if not fitting:
                    break
                # the smallest figure: a sum only counts as too large if it is
                # too large even at its most modest
                chosen.append(min(fitting, key=lambda f: f.interval.low))
            else:
                result = _check(rule, total, chosen)
                if result is not None:
                    yield result
