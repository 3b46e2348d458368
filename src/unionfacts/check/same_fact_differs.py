"""same_fact_differs: one measure, scope and period, values that cannot both hold.

Claims of the same metric key, unit class, kind, modality, scope and period are
the same fact told twice. Sorted by the low end of their intervals, a sweep keeps
the intersection of the current cluster; a claim that starts above it cannot be
reconciled with the cluster (an error, or a warning when a figure is only
approximate). Clusters whose printed values differ but whose intervals meet are
shown as information: they agree after rounding.
"""

from __future__ import annotations

from collections.abc import Iterator

from unionfacts.check.base import CheckContext, Fact, Finding, finding, split_by
from unionfacts.check.intervals import fmt

NAME = "same_fact_differs"


def _info(cluster: list[Fact]) -> Finding | None:
    if len({f.claim.value for f in cluster}) < 2:
        return None  # the same value told twice: nothing to explain
    shown = ", ".join(f"{f.claim.surface.strip()} → {f.interval}" for f in cluster)
    return finding(
        NAME,
        "info",
        cluster,
        "The values differ only within their rounding and approximation: "
        "the intervals they stand for overlap, so they agree.",
        shown,
    )


def _conflict(a: Fact, b: Fact) -> Finding:
    approximate = "about" in (a.claim.approx, b.claim.approx)
    return finding(
        NAME,
        "warning" if approximate else "error",
        (a, b),
        f"The same measure ({a.claim.metric}, {a.scope}, {a.period.text}, {a.kind}) "
        f"is reported as {a.claim.surface.strip()} and as {b.claim.surface.strip()}; "
        "even allowing for rounding the two cannot both be true.",
        f"{fmt(a.claim.value)} ∈ {a.interval}, {fmt(b.claim.value)} ∈ {b.interval}: "
        f"{fmt(b.interval.low)} ≥ {fmt(a.interval.high or b.interval.low)}",
    )


def run(ctx: CheckContext) -> Iterator[Finding]:
    for facts in ctx.series.values():
        if len(facts) < 2:
            continue
        groups = split_by(
            (f for f in facts if f.known_scope),
            lambda f: (f.scope, f.period.start, f.period.end, f.period.form),
        )
        for group in groups.values():
            if len(group) < 2:
                continue
            group.sort(key=lambda f: f.interval.low)
            cluster: list[Fact] = [group[0]]
            witness = group[0]  # the cluster member whose interval ends lowest
            for f in group[1:]:
                high = witness.interval.high
                if high is not None and f.interval.low >= high:
                    yield _conflict(witness, f)
                    info = _info(cluster)
                    if info:
                        yield info
                    cluster, witness = [f], f
                    continue
                cluster.append(f)
                if f.interval.high is not None and (high is None or f.interval.high < high):
                    witness = f
            info = _info(cluster)
            if info:
                yield info
