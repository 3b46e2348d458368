"""explained_difference (information): figures of one measure that differ
for a reason a reader may miss, shown so nobody takes them for a contradiction.

- a flow during a year larger than the stock at its end (1000多万 people were
  paid benefits in the year, 297万 receive them at year-end): people leave,
  cases close; a flow and a stock measure different things.
- a level at the end of a year against the average of that year (年末城镇调查
  失业率5.5%, 全年平均5.6%): the figure that says it is an average (the
  `average` marker of rules/checker.yaml) differs from a point in the year
  without contradicting it.

Other explained differences live beside the checks that would otherwise flag
them: markers (平均, 实际增长, 不含) in same_fact_differs, a year inside
a span and a single year against a multi-year average in
subperiod_exceeds_period, real rates and revisions in rate_contradiction.
"""

from __future__ import annotations

from collections.abc import Iterator

from unionfacts.check.base import CheckContext, Fact, Finding, finding
from unionfacts.check.intervals import fmt

NAME = "explained_difference"


def run(ctx: CheckContext) -> Iterator[Finding]:
    yield from _flows_and_stocks(ctx)
    yield from _averages_and_points(ctx)


def _averages_and_points(ctx: CheckContext) -> Iterator[Finding]:
    words = ctx.rules.checker
    points: dict[tuple[object, ...], list[Fact]] = {}
    averages: list[Fact] = []
    for f in ctx.facts:
        if not (f.known_period and f.known_scope):
            continue
        if f.period.form == "asof":
            points.setdefault((f.metric, f.unit, f.scope, f.claim.modality, f.end.year), []).append(
                f
            )
        elif (
            f.period.form == "span"
            and f.start.year == f.end.year
            and (f.start.month, f.start.day, f.end.month, f.end.day) == (1, 1, 12, 31)
            and "average" in words.markers_of(f.claim)
        ):
            averages.append(f)
    for avg in averages:
        for point in points.get(
            (avg.metric, avg.unit, avg.scope, avg.claim.modality, avg.end.year), ()
        ):
            if "average" in words.markers_of(point.claim) or avg.interval.meets(point.interval):
                continue
            yield finding(
                NAME,
                "info",
                (avg, point),
                f"{avg.claim.metric} ({avg.scope}): "
                + words.reason("average").format(
                    marked=f"{avg.claim.surface.strip()} ({avg.period.text})",
                    other=f"{point.claim.surface.strip()} ({point.period.text})",
                ),
                f"average {fmt(avg.claim.value)} ∈ {avg.interval}, "
                f"{point.period.text} {fmt(point.claim.value)} ∈ {point.interval}",
            )
            break  # one point of the year says it


def _flows_and_stocks(ctx: CheckContext) -> Iterator[Finding]:
    stocks: dict[tuple[object, ...], Fact] = {}
    flows: list[Fact] = []
    for f in ctx.facts:
        if not (f.known_period and f.known_scope and f.additive and f.rtype is None):
            continue
        if f.claim.kind == "stock" and f.period.form == "asof":
            stocks.setdefault((f.metric, f.unit, f.scope, f.claim.modality, f.end), f)
        elif f.claim.kind == "flow" and f.period.form == "span":
            flows.append(f)
    if not stocks:
        return
    for flow in flows:
        stock = stocks.get((flow.metric, flow.unit, flow.scope, flow.claim.modality, flow.end))
        if (
            stock is None
            or flow.start.year != stock.end.year
            or not flow.interval.exceeds(stock.interval)
        ):
            continue
        yield finding(
            NAME,
            "info",
            (flow, stock),
            f"{flow.claim.metric} ({flow.scope}): {flow.claim.surface.strip()} over "
            f"{flow.period.text} counts everyone or everything during the period, "
            f"{stock.claim.surface.strip()} what remains at its end ({stock.period.text}); "
            "a flow during a period may exceed the stock at its end.",
            f"flow {fmt(flow.claim.value)} ∈ {flow.interval}, stock "
            f"{fmt(stock.claim.value)} ∈ {stock.interval}",
        )
