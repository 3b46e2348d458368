"""flows_exceed_stock: additions over time that exceed the total at the end.

For one measure and scope, the stock reported at a date must be at least the
additions (flows) over periods ending by that date, unless things were removed
meanwhile. Flows are deduplicated per period, and the best set of disjoint
periods is found once per series by weighted interval scheduling over the
flows sorted by end date; each stock then looks up the best sum that ends by
its date with one bisection. A warning: closures could explain it. A single
flow of the stock's own year exceeding it is left to explained.py: what
happened during a year may well exceed what remains at its end.
"""

from __future__ import annotations

from collections.abc import Iterator

from unionfacts.check.base import (
    CheckContext,
    DisjointSums,
    Fact,
    Finding,
    finding,
    largest,
    lowest,
    per_period,
    sum_text,
)
from unionfacts.check.intervals import fmt

NAME = "flows_exceed_stock"


def _series(ctx: CheckContext) -> dict[tuple[str, str, str, str], tuple[list[Fact], list[Fact]]]:
    """(metric, unit, modality, scope) → (flows, stocks)."""
    out: dict[tuple[str, str, str, str], tuple[list[Fact], list[Fact]]] = {}
    for (metric, unit, kind, modality, rtype), facts in ctx.series.items():
        if kind not in ("flow", "stock") or rtype is not None or not facts[0].additive:
            continue
        for f in facts:
            if not f.known_scope:
                continue
            flows, stocks = out.setdefault((metric, unit, modality, f.scope), ([], []))
            (flows if kind == "flow" else stocks).append(f)
    return out


def run(ctx: CheckContext) -> Iterator[Finding]:
    for flows, stocks in _series(ctx).values():
        if not flows or not stocks:
            continue
        reps = per_period((f for f in flows if f.period.form == "span"), lowest)
        if not reps:
            continue
        sums = DisjointSums(reps)
        for stock in per_period(stocks, largest):
            high = stock.interval.high
            if high is None:
                continue
            n = sums.upto(stock.end)
            total = sums.best(n)
            if total >= high:
                chosen = sums.chosen(n)
                if len(chosen) == 1 and chosen[0].start.year == stock.end.year:
                    continue  # one year's flow against its year-end stock: explained.py
                yield finding(
                    NAME,
                    "warning",
                    (stock, *chosen),
                    f"{stock.claim.metric} ({stock.scope}): additions over "
                    f"{' + '.join(f.period.text for f in chosen)} alone exceed the total of "
                    f"{stock.claim.surface.strip()} reported at {stock.period.text}; unless "
                    "some were removed, the total is too small.",
                    f"{sum_text(chosen)} > {fmt(stock.claim.value)} ∈ {stock.interval}",
                )
