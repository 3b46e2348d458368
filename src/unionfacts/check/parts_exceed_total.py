"""parts_exceed_total: parts that add up to more than their total.

- Claims marked as parts of one whole (其中 A, B, C): the sum of their lower
  bounds above the whole's upper bound is a warning (parts listed after 其中
  may overlap, so it is probable, not certain). Only additive quantities of
  the whole's dimension and kind count; parts nested in an earlier part (a
  list that splits its own item) are left out; a list ending in 等 is not
  exhaustive, so it is never said to add up. A list that holds a run adding
  up to the whole exactly splits it more than one way (by ownership, then by
  sector): shown as information, the other groups may overlap. When a single part already
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
    additive_pair,
    finding,
    smallest,
    split_by,
    sum_text,
    total_interval,
)
from unionfacts.check.intervals import ZERO, fmt

NAME = "parts_exceed_total"


def _nested(parts: list[Fact]) -> list[Fact]:
    """Drop parts that are parts of an earlier part: 医院3.7万个，其中公立医院
    1.2万个、民营医院2.5万个 lists the hospitals and then splits them, so the
    run after a part that adds up to it (within rounding) is nested in it."""
    ordered = sorted(parts, key=lambda f: f.claim.start)
    out: list[Fact] = []
    i = 0
    while i < len(ordered):
        head = ordered[i]
        out.append(head)
        running, j, skip = ZERO, i + 1, i + 1
        while j < len(ordered):
            running = running + ordered[j].interval
            if j > i + 1 and running.meets(head.interval):
                skip = j + 1  # head = ordered[i+1..j]: nested
            if running.exceeds(head.interval):
                break
            j += 1
        i = skip
    return out


def _breakdown(parts: list[Fact], whole: Fact) -> list[Fact] | None:
    """A run of consecutive parts (in text order), not all of them, that adds
    up to the whole: the list then splits the whole more than one way (by
    ownership, then by sector), and the splits are not to be added together."""
    ordered = sorted(parts, key=lambda f: f.claim.start)
    for i in range(len(ordered)):
        running = ZERO
        for j in range(i, len(ordered)):
            running = running + ordered[j].interval
            if running.exceeds(whole.interval):
                break
            if j > i and j - i + 1 < len(ordered) and running.meets(whole.interval):
                return ordered[i : j + 1]
    return None


def explicit(ctx: CheckContext) -> Iterator[Finding]:
    words = ctx.rules.checker
    for whole_id, all_parts in ctx.parts_of.items():
        whole = ctx.by_id.get(whole_id)
        if whole is None:
            continue
        parts = _nested([p for p in all_parts if additive_pair(whole, p)])
        if len(parts) < 2 or any(p.interval.exceeds(whole.interval) for p in parts):
            continue
        total = total_interval(parts)
        split = _breakdown(parts, whole) if total.exceeds(whole.interval) else None
        if split is not None:
            others = [p for p in parts if p not in split]
            yield finding(
                NAME,
                "info",
                (whole, *parts),
                f"The parts listed for {whole.claim.surface.strip()} ({whole.claim.metric}) "
                f"hold more than one breakdown of it: {sum_text(split)} adds up to it within "
                "rounding, so the other "
                + ("figure is" if len(others) == 1 else f"{len(others)} figures are")
                + " another split of the same whole (groups that may overlap), not parts "
                "to add to these.",
                f"{sum_text(split)} ∈ {total_interval(split)}, whole {fmt(whole.claim.value)} "
                f"∈ {whole.interval}; all parts {sum_text(parts)}",
            )
        elif total.exceeds(whole.interval):
            yield finding(
                NAME,
                "warning",
                (whole, *parts),
                f"The {len(parts)} parts listed for {whole.claim.surface.strip()} "
                f"({whole.claim.metric}) add up to more than it; unless the parts overlap, "
                "one of the figures is wrong.",
                f"{sum_text(parts)} > {fmt(whole.claim.value)} ∈ {whole.interval}",
            )
        elif total.meets(whole.interval) and not words.ends_open_list(parts[-1].claim):
            yield finding(
                NAME,
                "info",
                (whole, *parts),
                f"The parts of {whole.claim.surface.strip()} add up to it within rounding.",
                f"{sum_text(parts)} ∈ {total}, whole {fmt(whole.claim.value)} ∈ {whole.interval}",
            )


def siblings(ctx: CheckContext) -> Iterator[Finding]:
    scopes = ctx.rules.scopes
    for (_, _, kind, _, rtype), facts in ctx.series.items():
        if kind == "rate" or rtype is not None or not facts[0].additive or len(facts) < 3:
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
                if str(scope) in scopes.overlapping:
                    continue  # 京津冀地区 and 东部地区 overlap: no partition of 全国
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
    yield from explicit(ctx)
    yield from siblings(ctx)
