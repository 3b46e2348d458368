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


def _same_text_inferred(a: Fact, b: Fact) -> bool:
    """Both from one document and named only by an inferred noun phrase: a
    report listing two figures of one noun (首届 10个职业, 第二届 30个职业) is
    telling two things apart that the metric text cannot."""
    return (
        a.claim.doc_hash == b.claim.doc_hash and not a.claim.metric_rule and not b.claim.metric_rule
    )


def _conflict(a: Fact, b: Fact) -> Finding:
    if _same_text_inferred(a, b):
        return finding(
            NAME,
            "info",
            (a, b),
            f"{a.claim.surface.strip()} and {b.claim.surface.strip()} share the inferred "
            f"metric text {a.claim.metric!r} in one document; a report giving two figures "
            "of one noun usually describes two different things, so this is not called a "
            "contradiction.",
            f"{fmt(a.claim.value)} ∈ {a.interval}, {fmt(b.claim.value)} ∈ {b.interval}",
        )
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


def _when(f: Fact) -> object:
    """Same scope and same period; a stock by the day it is measured, so that
    asof:2023 and asof:2023-12 (截至2023年底) are one point in time."""
    if f.period.form == "asof":
        return (f.scope, "asof", f.period.end)
    return (f.scope, f.period.start, f.period.end, f.period.form)


def run(ctx: CheckContext) -> Iterator[Finding]:
    for facts in ctx.series.values():
        if len(facts) < 2:
            continue
        groups = split_by((f for f in facts if f.known_scope), _when)
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
