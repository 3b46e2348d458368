"""same_fact_differs: one measure, scope and period, values that cannot both hold.

Claims of the same metric key, unit dimension, kind, modality, rate type,
scope and period are the same fact told twice (a stock: the same date at the
coarser precision of the two, so asof:2023 meets asof:2023-06). Sorted by the
low end of their intervals, a sweep keeps the intersection of the current
cluster; a claim that starts above it cannot be reconciled with the cluster.
Severity follows how sure the identity is: an error for one key, a warning
when a figure is only approximate (约), information when the key is only a
phrase repeated in one document. A difference one figure explains itself (an
average, a real rate, 不含…: markers of rules/checker.yaml)
is shown as information with that reason. Clusters whose printed values
differ but whose intervals meet agree after rounding (information).
Near keys (two phrasings of one measure) are compared in near_keys.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from unionfacts.check.base import CheckContext, Fact, Finding, finding, split_by
from unionfacts.check.keys import exact_identity
from unionfacts.check.rules import CheckRules

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


def explained_by_marker(rules: CheckRules, a: Fact, b: Fact) -> str | None:
    """The reason one of two differing figures gives itself (平均, 实际增长,
    不含…), when exactly one of them carries that marker."""
    words = rules.checker
    ma, mb = words.markers_of(a.claim), words.markers_of(b.claim)
    for m in words.explains:
        if (m.id in ma) != (m.id in mb):
            marked, other = (a, b) if m.id in ma else (b, a)
            return m.reason.format(
                marked=marked.claim.surface.strip(), other=other.claim.surface.strip()
            )
    return None


def _same_text_inferred(a: Fact, b: Fact) -> bool:
    """Both from one document and named only by an inferred noun phrase: a
    report listing two figures of one noun (首届 10个职业, 第二届 30个职业) is
    telling two things apart that the metric text cannot."""
    return (
        a.claim.doc_hash == b.claim.doc_hash
        and not exact_identity(a.claim)
        and not exact_identity(b.claim)
    )


def describe(f: Fact) -> str:
    """`5.5% (全国, 2022, cn_gwr.txt)`: a figure as an analyst locates it."""
    return f"{f.claim.surface.strip()} ({f.scope}, {f.period.text}, {f.claim.doc_name})"


def conflict(ctx: CheckContext, a: Fact, b: Fact) -> Finding:
    arithmetic = (
        f"{describe(a)} stands for {a.interval}, {describe(b)} for {b.interval}; "
        "the ranges do not overlap"
    )
    reason = explained_by_marker(ctx.rules, a, b)
    if reason:
        return finding(NAME, "info", (a, b), f"{a.claim.metric}: {reason}", arithmetic)
    if _same_text_inferred(a, b):
        return finding(
            NAME,
            "info",
            (a, b),
            f"{a.claim.surface.strip()} and {b.claim.surface.strip()} share the inferred "
            f"metric text {a.claim.metric!r} in one document; a report giving two figures "
            "of one noun usually describes two different things, so this is not called a "
            "contradiction.",
            arithmetic,
        )
    approximate = "about" in (a.claim.approx, b.claim.approx)
    return finding(
        NAME,
        "warning" if approximate else "error",
        (a, b),
        f"The same measure ({a.claim.metric}, {a.scope}, {a.period.text}) "
        f"is reported as {a.claim.surface.strip()} and as {b.claim.surface.strip()}; "
        "even allowing for rounding"
        + (" and the approximation" if approximate else "")
        + " the two cannot both be true.",
        arithmetic,
    )


def _precision(f: Fact) -> int:
    """How finely a stock's date is given: 1 year, 2 month (or half, quarter), 3 day."""
    text = f.period.text.removeprefix("asof:")
    return min(3, text.count("-") + 1)


def same_date(a: Fact, b: Fact) -> bool:
    """Two stocks measured at one date, read at the coarser precision of the
    two: asof:2023 is the end of 2023, so it meets asof:2023-12 and
    asof:2023-12-31, never asof:2023-06; asof:2023-12 meets asof:2023-12-15."""
    if a.end == b.end:
        return True
    coarse, fine = (a, b) if _precision(a) <= _precision(b) else (b, a)
    p = _precision(coarse)
    if p == _precision(fine):
        return False
    if p == 1:  # a year-end: the fine date must lie in its last month
        return (fine.end.year, fine.end.month) == (coarse.end.year, 12)
    return (fine.end.year, fine.end.month) == (coarse.end.year, coarse.end.month)


def when_groups(facts: list[Fact]) -> list[list[Fact]]:
    """Facts of one measure and scope that refer to the same period: a flow
    by its exact span; a stock by its date at the coarser precision of two."""
    out: list[list[Fact]] = []
    flows = [f for f in facts if f.period.form != "asof"]
    out.extend(split_by(flows, lambda f: (f.period.start, f.period.end, f.period.form)).values())
    stocks = [f for f in facts if f.period.form == "asof"]
    for year_group in split_by(stocks, lambda f: f.end.year).values():
        points: dict[tuple[date, int], list[Fact]] = {}
        for f in year_group:
            points.setdefault((f.end, _precision(f)), []).append(f)
        if len(points) == 1:
            out.append(year_group)
            continue
        reps = {k: v[0] for k, v in points.items()}
        for key, rep in sorted(reps.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
            finer = [r for k, r in reps.items() if k[1] > key[1] and same_date(r, rep)]
            if finer:
                continue  # a finer point matches: its group holds these facts
            out.append([f for f in year_group if same_date(f, rep)])
    return out


def clusters(ctx: CheckContext, group: list[Fact]) -> Iterator[Finding]:
    """The sweep over one group of facts that should agree."""
    group.sort(key=lambda f: (f.interval.low, f.claim.doc_hash, f.claim.start))
    cluster: list[Fact] = [group[0]]
    witness = group[0]  # the cluster member whose interval ends lowest
    for f in group[1:]:
        high = witness.interval.high
        if high is not None and f.interval.low >= high:
            found = conflict(ctx, witness, f)
            yield found
            if found.severity == "info":
                # an explained difference holds for each report that gives the
                # other figure (年末5.5% in a work report and in the communiqué
                # against the communiqué's 平均5.6%): show it for each of them
                yield from _explained_beside(ctx, cluster, witness, f)
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


def _explained_beside(
    ctx: CheckContext, cluster: list[Fact], witness: Fact, f: Fact
) -> Iterator[Finding]:
    seen = {witness.claim.doc_hash, f.claim.doc_hash}
    for other in cluster:
        if other.claim.doc_hash in seen or f.interval.low < (other.interval.high or f.interval.low):
            continue
        reason = explained_by_marker(ctx.rules, other, f)
        if reason:
            seen.add(other.claim.doc_hash)
            yield conflict(ctx, other, f)


def run(ctx: CheckContext) -> Iterator[Finding]:
    for facts in ctx.series.values():
        if len(facts) < 2:
            continue
        for scoped in split_by((f for f in facts if f.known_scope), lambda f: f.scope).values():
            if len(scoped) < 2:
                continue
            for group in when_groups(scoped):
                if len(group) >= 2:
                    yield from clusters(ctx, group)
