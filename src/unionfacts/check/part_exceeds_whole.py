"""part_exceeds_whole: a part larger than the whole it belongs to.

Two sources of part–whole pairs:
- a claim marked as part of another (其中, 包括): compared directly, an error
  when even the part's lowest value is above the whole's highest. Only
  additive quantities of one dimension and kind are compared: a growth rate,
  share or ratio is no amount, and a level (保有量16685万辆) is never part of
  a change (增加1003万辆);
- scopes nested by the `parent` of `rules/scopes.yaml` (顺义区 ⊂ 北京市): the same
  measure in a district and in an enclosing scope, for the same period (a
  flow inside the enclosing flow's period, a stock at the same date). A
  warning, since it rests on the claims' scopes being read right.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from unionfacts.check.base import (
    CheckContext,
    Fact,
    Finding,
    additive_pair,
    finding,
    smallest,
    split_by,
)
from unionfacts.check.intervals import fmt
from unionfacts.check.keys import exact_identity

NAME = "part_exceeds_whole"


def _same_text_inferred(a: Fact, b: Fact) -> bool:
    return a.claim.doc_hash == b.claim.doc_hash and not (
        exact_identity(a.claim) or exact_identity(b.claim)
    )


def explicit(ctx: CheckContext) -> Iterator[Finding]:
    for whole_id, parts in ctx.parts_of.items():
        whole = ctx.by_id.get(whole_id)
        if whole is None:
            continue
        for part in parts:
            if not additive_pair(whole, part):
                continue  # growth rates, shares, ratios, a level under a change: no order
            if part.interval.exceeds(whole.interval):
                times = _how_much(part, whole)
                yield finding(
                    NAME,
                    "error",
                    (part, whole),
                    f"{part.claim.surface.strip()} is stated as part of "
                    f"{whole.claim.surface.strip()} but is larger than it{times}.",
                    f"part {fmt(part.claim.value)} ∈ {part.interval} > "
                    f"whole {fmt(whole.claim.value)} ∈ {whole.interval}",
                )


def _how_much(part: Fact, whole: Fact) -> str:
    """` (73 times as large)`, or ` (0.8% larger)` for a near miss."""
    if not whole.claim.value:
        return ""
    ratio = part.claim.value / whole.claim.value
    if ratio >= 2:
        return f" ({fmt(round(ratio, 1))} times as large)"
    return f" ({fmt(round((ratio - 1) * 100, 1))}% larger)"


def _when(f: Fact) -> object:
    return (f.period.start, f.period.end)


def _high(f: Fact) -> Decimal:
    return f.interval.high if f.interval.high is not None else _INF


_INF = Decimal("Infinity")


@dataclass
class _Wholes:
    """The strictest whole per period of one scope, indexed for the lookups a
    part needs: flows by containing span, stocks by measurement date."""

    flows: list[Fact]
    stocks: dict[date, Fact]
    floor: Decimal  # the lowest upper bound among the flows: a part below it fits all

    @classmethod
    def of(cls, facts: list[Fact]) -> _Wholes:
        reps = [smallest(g) for g in split_by(facts, _when).values()]
        flows = [f for f in reps if f.kind == "flow" and f.period.form == "span"]
        stocks = {f.end: f for f in reps if f.kind != "flow"}
        return cls(flows, stocks, min((_high(f) for f in flows), default=_INF))

    def exceeded_by(self, part: Fact) -> Fact | None:
        if part.kind != "flow":
            w = self.stocks.get(part.end)
            return w if w is not None and part.interval.exceeds(w.interval) else None
        if part.interval.low < self.floor:
            return None
        return next(
            (
                w
                for w in self.flows
                if w.period.contains(part.period) and part.interval.exceeds(w.interval)
            ),
            None,
        )


def across_scopes(ctx: CheckContext) -> Iterator[Finding]:
    scopes = ctx.rules.scopes
    for (_, _, kind, _, rtype), facts in ctx.series.items():
        if kind == "rate" or rtype is not None or not facts[0].additive or len(facts) < 2:
            continue  # a district's rate (or change) may well exceed its city's
        by_scope = split_by((f for f in facts if f.known_scope), lambda f: f.scope)
        if len(by_scope) < 2:
            continue
        wholes = {s: _Wholes.of(fs) for s, fs in by_scope.items()}
        for scope, group in by_scope.items():
            outer = [wholes[a] for a in scopes.ancestors(str(scope)) if a in wholes]
            if not outer:
                continue
            for part in group:
                hit = next((w for o in outer if (w := o.exceeded_by(part)) is not None), None)
                if hit is None or hit.claim.id == part.claim.part_of_id:
                    continue  # fits, or reported above as an explicit part
                if str(part.scope) in scopes.overlapping and _same_text_inferred(part, hit):
                    # one report, one inferred noun, an organisation and its
                    # place (九巴有5个工会 … 两个工会又唔同你讲): the place's figure
                    # is a subgroup named without its scope, not the same measure
                    continue
                yield finding(
                    NAME,
                    "warning",
                    (part, hit),
                    f"{part.claim.metric} in {part.scope} ({part.claim.surface.strip()}) "
                    f"exceeds the same measure for {hit.scope}, which contains it "
                    f"({hit.claim.surface.strip()}).",
                    f"{part.scope} ⊂ {hit.scope}: {fmt(part.claim.value)} ∈ "
                    f"{part.interval} > {fmt(hit.claim.value)} ∈ {hit.interval}",
                )


def run(ctx: CheckContext) -> Iterator[Finding]:
    yield from explicit(ctx)
    yield from across_scopes(ctx)
