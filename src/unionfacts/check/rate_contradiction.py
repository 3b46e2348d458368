"""rate_contradiction: a level, its growth rate and the next level that do not chain.

For one measure and scope: the level of year Y−1 times one plus the growth
rate stated for Y should give the level of Y, within the rounding of all
three figures and `rate_tolerance` (rules/checker.yaml). A chain that does
not hold is a warning — unless the rate is a real one (实际增长, 按不变价格,
or a measure whose growth is real by default, such as GDP), when the gap is
the price change; or unless the levels come from different documents and
differ by no more than `revision_tolerance`, when the earlier level was
likely revised (after a census, say). Those are shown as information.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from unionfacts.check.base import CheckContext, Fact, Finding, finding, split_by
from unionfacts.check.intervals import Interval, fmt

NAME = "rate_contradiction"
_HUNDRED = Decimal(100)


def _year(f: Fact) -> int | None:
    """The calendar year a flow covers, or a stock's year-end."""
    if f.period.form == "span" and f.start.year == f.end.year:
        if (f.start.month, f.start.day, f.end.month, f.end.day) == (1, 1, 12, 31):
            return f.end.year
        return None
    if f.period.form == "asof" and (f.end.month, f.end.day) == (12, 31):
        return f.end.year
    return None


def _signed(g: Fact) -> Interval:
    """The growth rate as a signed interval: 下降4.0% → [-4.05, -3.95)."""
    iv = g.interval
    # a fall stored as a positive figure with direction "down"; a negative
    # figure (a table's -5.4) already carries its sign
    if g.claim.direction == "down" and iv.high is not None and g.claim.value > 0:
        return Interval(-iv.high, -iv.low)
    return iv


def _expected(prev: Fact, g: Fact) -> Interval | None:
    rate = _signed(g)
    if prev.interval.high is None or rate.high is None:
        return None
    low = prev.interval.low * (1 + rate.low / _HUNDRED)
    high = prev.interval.high * (1 + rate.high / _HUNDRED)
    return Interval(min(low, high), max(low, high))


def _chain(ctx: CheckContext, prev: Fact, g: Fact, cur: Fact) -> Finding | None:
    expected = _expected(prev, g)
    if expected is None or cur.interval.high is None:
        return None
    tol = Decimal(str(ctx.rules.checker.settings.rate_tolerance))
    slack = Interval(expected.low * (1 - tol), (expected.high or expected.low) * (1 + tol))
    if slack.meets(cur.interval):
        return None
    words = ctx.rules.checker
    implied = (cur.claim.value / prev.claim.value - 1) * _HUNDRED if prev.claim.value else None
    implied_text = f"{fmt(round(implied, 1))}%" if implied is not None else "?"
    arithmetic = (
        f"{prev.claim.surface.strip()} × (1 {'−' if g.claim.direction == 'down' else '+'} "
        f"{g.claim.surface.strip()}) ∈ {expected}, but {cur.claim.surface.strip()} ∈ "
        f"{cur.interval}; the two levels imply {implied_text}"
    )
    facts = (prev, g, cur)
    head = (
        f"{cur.claim.metric} ({cur.scope}): {prev.claim.surface.strip()} in {prev.period.text} "
        f"grown by {g.claim.surface.strip()} does not give {cur.claim.surface.strip()} "
        f"in {cur.period.text} (the levels imply {implied_text})"
    )
    if "real" in words.markers_of(g.claim) or words.real_rate_measure(g.metric):
        return finding(
            NAME,
            "info",
            facts,
            head + "; the rate is a real one (at constant prices) and the levels nominal, "
            "so the gap is the price change, not a contradiction.",
            arithmetic,
        )
    docs = {prev.claim.doc_hash, cur.claim.doc_hash}
    base = cur.interval.low if cur.interval.low else Decimal(1)
    gap = abs(expected.low - cur.interval.low) / abs(base)
    if len(docs) > 1 and gap <= Decimal(str(words.settings.revision_tolerance)):
        return finding(
            NAME,
            "info",
            facts,
            head + f"; the levels come from different reports and differ by "
            f"{fmt(round(gap * 100, 1))}%, which a revised series (after a census, say) "
            "explains: growth rates are computed on the revised earlier level.",
            arithmetic,
        )
    return finding(
        NAME,
        "warning",
        facts,
        head + "; unless the rate is a real one or the earlier level was revised, one "
        "of the three figures is wrong.",
        arithmetic,
    )


def run(ctx: CheckContext) -> Iterator[Finding]:
    measures = {f.metric for f in ctx.facts if f.rtype == "growth"}
    if not measures:
        return
    facts = [
        f
        for f in ctx.facts
        if f.metric in measures
        and f.known_period
        and f.known_scope
        and f.claim.modality == "actual"
    ]
    for scoped in split_by(facts, lambda f: (f.metric, f.scope)).values():
        growth = [f for f in scoped if f.rtype == "growth"]
        levels = [f for f in scoped if f.rtype is None and f.additive]
        if not growth or len(levels) < 2:
            continue
        for _, same in split_by(levels, lambda f: (f.unit, f.claim.kind)).items():
            by_year: dict[int, Fact] = {}
            for f in sorted(same, key=lambda f: (f.claim.doc_name, f.claim.start)):
                y = _year(f)
                if y is not None:
                    by_year.setdefault(y, f)
            for g in sorted(growth, key=lambda f: (f.claim.doc_name, f.claim.start)):
                y = _year(g)
                if y is None or y not in by_year or y - 1 not in by_year:
                    continue
                result = _chain(ctx, by_year[y - 1], g, by_year[y])
                if result is not None:
                    yield result
