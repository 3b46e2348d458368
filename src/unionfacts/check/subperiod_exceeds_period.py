"""subperiod_exceeds_period: a flow in part of a period larger than over all of it.

For one flow measure and scope, each span period is compared with the periods
strictly inside it: a single sub-period figure above the enclosing figure is an
error; disjoint sub-periods adding up to more than it (2020 + 2021-H1 + 2023
against 2019..2023) a warning. When they fit, the difference is explained as
information: a year inside a five-year total is no contradiction. A span's
figure marked as an average (年均, the `average` marker of
rules/checker.yaml) is no total: single years against it are information.
"""

from __future__ import annotations

from collections.abc import Iterator

from unionfacts.check.base import (
    CheckContext,
    Fact,
    Finding,
    best_disjoint,
    finding,
    per_period,
    smallest,
    split_by,
    sum_text,
)
from unionfacts.check.intervals import fmt

NAME = "subperiod_exceeds_period"


def _event(inner: Fact, outer: Fact) -> bool:
    """A figure dated to a few days inside a multi-year span counts the
    participants of an event (a forum, a contest), not additions to the flow."""
    days = (inner.end - inner.start).days + 1
    return days <= EVENT_DAYS and (outer.end - outer.start).days + 1 >= 365


EVENT_DAYS = 31


def _average(outer: Fact, inner: list[Fact]) -> Finding:
    shown = sorted(inner, key=lambda f: f.start)
    return finding(
        NAME,
        "info",
        (outer, *shown),
        f"{outer.claim.metric}: {outer.quote()} is an average per year over the span, "
        f"not its total; {', '.join(f.quote() for f in shown)} "
        + ("is a single year" if len(shown) == 1 else "are single years")
        + ", which may lie above or below the average without contradicting it.",
        f"average {fmt(outer.claim.value)} ∈ {outer.interval}; "
        + ", ".join(f"{fmt(f.claim.value)} ∈ {f.interval}" for f in shown),
    )


def _compare(outer: Fact, inner: list[Fact], averaged: bool = False) -> Finding:
    if averaged:
        return _average(outer, inner)
    big = max(inner, key=lambda f: f.interval.low)
    if big.interval.exceeds(outer.interval) and _event(big, outer):
        return finding(
            NAME,
            "info",
            (big, outer),
            f"{outer.claim.metric}: {big.claim.surface.strip()} is dated to an event "
            f"({big.period.text}) and is larger than the figure for {outer.period.text}; an "
            "event's figure usually counts its participants, not additions to the "
            "period's total, so the two are on different bases.",
            f"{fmt(big.claim.value)} ∈ {big.interval} vs {fmt(outer.claim.value)} "
            f"∈ {outer.interval}",
        )
    if big.interval.exceeds(outer.interval):
        return finding(
            NAME,
            "error",
            (big, outer),
            f"{outer.claim.metric}: the flow in {big.period.text} ({big.claim.surface.strip()}) "
            f"is larger than the same flow over the enclosing {outer.period.text} "
            f"({outer.claim.surface.strip()}).",
            f"{fmt(big.claim.value)} ∈ {big.interval} > {fmt(outer.claim.value)} "
            f"∈ {outer.interval}",
        )
    total, chosen = best_disjoint(inner)
    periods = " + ".join(f.period.text for f in chosen)
    if outer.interval.high is not None and total >= outer.interval.high:
        return finding(
            NAME,
            "warning",
            (outer, *chosen),
            f"{outer.claim.metric}: flows in the separate periods {periods} add up to more "
            f"than the flow over the enclosing {outer.period.text}.",
            f"{sum_text(chosen)} > {fmt(outer.claim.value)} ∈ {outer.interval}",
        )
    shown = sorted(inner, key=lambda f: f.start)
    return finding(
        NAME,
        "info",
        (outer, *shown),
        f"{outer.claim.metric}: the figures differ because the periods differ; "
        f"{', '.join(f.quote() for f in shown)} lie inside {outer.quote()}"
        + (
            f", and the separate sub-periods together ({periods}) fit inside it."
            if len(chosen) > 1
            else "."
        ),
        f"{periods}: {sum_text(chosen)}, at least {fmt(total)} after rounding, does not "
        f"exceed {outer.claim.surface.strip()} ({outer.period.text}), which stands for "
        f"{outer.interval}",
    )


def _is_average(ctx: CheckContext, f: Fact) -> bool:
    """年均 / 平均 before a span's figure: an average per year, not a total."""
    return AVERAGE in ctx.rules.checker.markers_of(f.claim)


AVERAGE = "average"  # the marker id in rules/checker.yaml


def run(ctx: CheckContext) -> Iterator[Finding]:
    for (_, _, kind, _, rtype), facts in ctx.series.items():
        if kind != "flow" or rtype is not None or not facts[0].additive or len(facts) < 2:
            continue
        for group in split_by((f for f in facts if f.known_scope), lambda f: f.scope).values():
            spans = [f for f in group if f.period.form == "span"]
            if len(spans) < 2:
                continue
            reps = per_period(spans, smallest)
            if len(reps) < 2:
                continue
            reps.sort(key=lambda f: (f.start, -f.end.toordinal()))
            for outer in reps:
                inner = [f for f in reps if f is not outer and outer.period.contains(f.period)]
                if inner:
                    yield _compare(outer, inner, _is_average(ctx, outer))
