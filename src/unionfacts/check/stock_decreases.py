"""stock_decreases: a running total that shrinks over time.

For one stock measure and scope, claims are ordered by the date they measure;
a sweep keeps the largest lower bound seen at any earlier date, and a later
figure whose whole interval lies below it is a warning (stations close,
members leave: a shrinking stock is suspicious, not impossible).
"""

from __future__ import annotations

from collections.abc import Iterator

from unionfacts.check.base import CheckContext, Fact, Finding, finding, split_by
from unionfacts.check.intervals import fmt

NAME = "stock_decreases"


def run(ctx: CheckContext) -> Iterator[Finding]:
    for (_, _, kind, _, rtype), facts in ctx.series.items():
        if kind != "stock" or rtype is not None or len(facts) < 2:
            continue
        for group in split_by((f for f in facts if f.known_scope), lambda f: f.scope).values():
            by_date = split_by(group, lambda f: f.end)
            if len(by_date) < 2:
                continue
            peak: Fact | None = None  # the largest lower bound at any earlier date
            for day in sorted(by_date):  # type: ignore[type-var]
                here = by_date[day]
                # the figure at this date least likely to be below the peak
                top = max(here, key=lambda f: (f.interval.high is None, f.interval.high or 0))
                if (
                    peak is not None
                    and top.interval.high is not None
                    and top.interval.high <= peak.interval.low
                ):
                    stated = any(w in top.claim.sentence for w in ctx.rules.decrease_words)
                    yield finding(
                        NAME,
                        "info" if stated else "warning",
                        (peak, top),
                        f"{top.claim.metric} ({top.scope}) falls from "
                        f"{peak.claim.surface.strip()} at {peak.period.text} to "
                        f"{top.claim.surface.strip()} at {top.period.text}"
                        + (": the report itself says it fell." if stated else "."),
                        f"{fmt(top.claim.value)} ∈ {top.interval} < {fmt(peak.claim.value)} "
                        f"∈ {peak.interval}",
                    )
                low = max(here, key=lambda f: f.interval.low)
                if peak is None or low.interval.low > peak.interval.low:
                    peak = low
