"""What every check shares: prepared claims (facts), findings, and the indexes.

A `Fact` is a stored claim with its comparison keys, parsed period and value
interval worked out once. The `CheckContext` builds the groups the checks need
in dictionary passes (O(n)), so every check works inside small groups and the
whole run stays O(n log n): no check compares all pairs of claims.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache

from unionfacts.check.intervals import ZERO, Interval, claim_interval, fmt
from unionfacts.check.keys import metric_key, unit_key
from unionfacts.check.rules import CheckRules
from unionfacts.models import Severity, StoredClaim
from unionfacts.periods import Period, parse_period

parse_period_cached = lru_cache(maxsize=65536)(parse_period)


@dataclass(slots=True, eq=False)  # not frozen: a frozen __init__ is 2x slower, and
class Fact:  # facts are built by the million; nothing mutates one after prepare()
    claim: StoredClaim
    metric: str  # comparison key of the measure (keys.metric_key)
    unit: str  # dimension of the unit (rules/dimensions.yaml): 斤 and 吨 share one
    scope: str
    period: Period
    interval: Interval  # in the dimension's base unit
    # growth / share / level / change from the extraction; "rate" for a rate
    # of unknown type; None for a count or amount
    rtype: str | None = None
    additive: bool = True  # the unit's values may be added up (not %, 倍)

    @property
    def kind(self) -> str:
        return self.claim.kind

    @property
    def known_period(self) -> bool:
        return self.period.start is not None and self.period.end is not None

    @property
    def known_scope(self) -> bool:
        return self.scope not in ("", "?")

    @property
    def start(self) -> date:
        assert self.period.start is not None
        return self.period.start

    @property
    def end(self) -> date:
        assert self.period.end is not None
        return self.period.end

    def quote(self) -> str:
        """`39.08 萬人 (2023)` — the figure as printed, with its period."""
        return f"{self.claim.surface.strip()} ({self.period.text})"


@dataclass(frozen=True)
class Finding:
    """One result of one check. `claims` is the evidence, in the order the
    explanation names them."""

    check: str
    severity: Severity
    claims: tuple[StoredClaim, ...]
    explanation: str
    arithmetic: str
    score: float | None = None  # similarity of the metric keys, for near-key findings


def finding(
    check: str,
    severity: Severity,
    facts: Iterable[Fact],
    explanation: str,
    arithmetic: str,
    score: float | None = None,
) -> Finding:
    return Finding(check, severity, tuple(f.claim for f in facts), explanation, arithmetic, score)


# metric key, dimension, kind, modality, rate type
SeriesKey = tuple[str, str, str, str, str | None]


@dataclass
class CheckContext:
    facts: list[Fact]
    rules: CheckRules

    @cached_property
    def by_id(self) -> dict[int, Fact]:
        return {f.claim.id: f for f in self.facts}

    @cached_property
    def parts_of(self) -> dict[int, list[Fact]]:
        """Whole's row id → the facts that say they are part of it (其中)."""
        out: dict[int, list[Fact]] = defaultdict(list)
        for f in self.facts:
            if f.claim.part_of_id is not None:
                out[f.claim.part_of_id].append(f)
        return out

    @cached_property
    def series(self) -> dict[SeriesKey, list[Fact]]:
        """Facts of one measure (metric, unit class, kind, modality), any scope
        and period; only facts whose period is known."""
        out: dict[SeriesKey, list[Fact]] = defaultdict(list)
        for f in self.facts:
            if f.known_period:
                out[(f.metric, f.unit, f.claim.kind, f.claim.modality, f.rtype)].append(f)
        return out

    @cached_property
    def by_metric(self) -> dict[str, list[Fact]]:
        out: dict[str, list[Fact]] = defaultdict(list)
        for f in self.facts:
            if f.known_period:
                out[f.metric].append(f)
        return out


def prepare(claims: Iterable[StoredClaim], rules: CheckRules) -> list[Fact]:
    one = preparer(rules)
    return [one(c) for c in claims]


def prepare_one(c: StoredClaim, rules: CheckRules) -> Fact:
    return preparer(rules)(c)


def preparer(rules: CheckRules) -> Callable[[StoredClaim], Fact]:
    """The function that turns a stored claim into a fact under these rules,
    with every table bound once: it runs for every claim of every block."""
    classes = rules.intervals.settings.unit_classes
    units = rules.dims.units
    canon = rules.scopes.canon
    is_change = rules.checker.is_change
    intervals = rules.intervals
    one = Decimal(1)

    def prepare_claim(c: StoredClaim) -> Fact:
        uc = c.unit_class or unit_key(c, classes)
        dim = units.get(c.unit) or units.get(uc)
        interval = claim_interval(c, intervals)
        if dim is None:
            dimension, additive = uc, True
        else:
            dimension, additive = dim.dimension, dim.additive
            if dim.factor != one:
                interval = interval.scaled(dim.factor)
        rtype = c.rate_type or ("rate" if c.kind == "rate" or not additive else None)
        if rtype is None and is_change(c):
            rtype = "change"
        return Fact(
            c,
            metric_key(c),
            dimension,
            canon(c.scope or "?"),
            parse_period_cached(c.period),
            interval,
            rtype,
            additive and rtype in (None, "change"),
        )

    return prepare_claim


def additive_pair(whole: Fact, part: Fact) -> bool:
    """Whether `part` may be compared with `whole` as a part of an amount:
    both additive counts or amounts (never rates, shares, levels, ratios),
    one dimension, one kind (stock with stock, flow with flow), one modality.
    Never a change (增加 N): not against a level, and not against another
    change either — a part may grow by more than its whole when other parts
    shrink (住户贷款增加 against 消费贷款增加)."""
    return (
        whole.additive
        and part.additive
        and whole.rtype is None
        and part.rtype is None
        and whole.unit == part.unit
        and whole.claim.kind == part.claim.kind
        and whole.claim.modality == part.claim.modality
    )


def split_by(facts: Iterable[Fact], key: Callable[[Fact], object]) -> dict[object, list[Fact]]:
    out: dict[object, list[Fact]] = defaultdict(list)
    for f in facts:
        out[key(f)].append(f)
    return out


def smallest(facts: Iterable[Fact]) -> Fact:
    """The fact whose interval ends lowest (unbounded last): the strictest whole."""
    return min(facts, key=lambda f: (f.interval.high is None, f.interval.high or 0))


def largest(facts: Iterable[Fact]) -> Fact:
    """The fact whose interval ends highest (unbounded first)."""
    return max(facts, key=lambda f: (f.interval.high is None, f.interval.high or 0))


def lowest(facts: Iterable[Fact]) -> Fact:
    """The fact with the smallest lower bound: the most modest figure."""
    return min(facts, key=lambda f: f.interval.low)


_PRINTED = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _printed_scale(claim: StoredClaim) -> tuple[Decimal, str] | None:
    """`(10**8, "亿元")` for 23792亿元: what the printed number was multiplied
    by and the words after it, so a sum is shown as the report writes it."""
    m = _PRINTED.search(claim.surface)
    if m is None:
        return None
    printed = Decimal(m.group().replace(",", ""))
    suffix = claim.surface[m.end() :].strip()
    if not printed or not suffix:
        return None
    return claim.value / printed, suffix


def total_interval(facts: Iterable[Fact]) -> Interval:
    """The interval the sum of the figures may stand for (each one's rounding counted)."""
    out = ZERO
    for f in facts:
        out = out + f.interval
    return out


def _in_scale(facts: list[Fact], value: Decimal) -> tuple[list[str], str]:
    """The figures and `value` as printed when all share one scale (亿元),
    else as plain numbers."""
    scales = {_printed_scale(f.claim) for f in facts}
    if len(scales) == 1 and (scale := scales.pop()) is not None:
        factor, suffix = scale
        return [f"{fmt(f.claim.value / factor)}{suffix}" for f in facts], (
            f"{fmt(value / factor)}{suffix}"
        )
    return [fmt(f.claim.value) for f in facts], fmt(value)


def total_text(facts: Iterable[Fact]) -> str:
    """The sum of the figures, in their printed scale when they share one."""
    facts = list(facts)
    return _in_scale(facts, sum((f.claim.value for f in facts), Decimal(0)))[1]


def sum_text(facts: Iterable[Fact]) -> str:
    """`7481 + 1016 = 8497`, `15574亿元 + 4315亿元 = 19889亿元` when the figures
    share one printed scale; one figure is just itself (never `200 = 200`)."""
    facts = list(facts)
    if len(facts) == 1:
        return fmt(facts[0].claim.value)
    shown, total = _in_scale(facts, sum((f.claim.value for f in facts), Decimal(0)))
    return " + ".join(shown) + f" = {total}"


class DisjointSums:
    """Weighted interval scheduling over facts sorted by period end: for every
    prefix, the set of pairwise disjoint periods whose lower bounds add up most.
    Built once in O(k log k); `best(n)` and `chosen(n)` answer for the first n."""

    def __init__(self, facts: Iterable[Fact]):
        self.order = sorted(facts, key=lambda f: f.end)
        self.ends = [f.end for f in self.order]
        n = len(self.order)
        self._best = [Decimal(0)] * (n + 1)
        self._take = [False] * n
        self._prev = [0] * n
        for i, f in enumerate(self.order):
            j = bisect.bisect_left(self.ends, f.start, 0, i)  # 0..j-1 end before f starts
            self._prev[i] = j
            with_f = self._best[j] + f.interval.low
            self._take[i] = with_f > self._best[i]
            self._best[i + 1] = with_f if self._take[i] else self._best[i]

    def upto(self, day: date) -> int:
        """How many facts end on or before `day`."""
        return bisect.bisect_right(self.ends, day)

    def best(self, n: int | None = None) -> Decimal:
        return self._best[len(self.order) if n is None else n]

    def chosen(self, n: int | None = None) -> list[Fact]:
        out: list[Fact] = []
        i = len(self.order) if n is None else n
        while i > 0:
            if self._take[i - 1]:
                out.append(self.order[i - 1])
                i = self._prev[i - 1]
            else:
                i -= 1
        out.reverse()
        return out


def best_disjoint(facts: Iterable[Fact]) -> tuple[Decimal, list[Fact]]:
    sums = DisjointSums(facts)
    return sums.best(), sums.chosen()


def per_period(facts: Iterable[Fact], pick: Callable[[Iterable[Fact]], Fact]) -> list[Fact]:
    """One representative per distinct period (same-period claims are the same
    fact, which `same_fact_differs` checks on its own)."""
    groups = split_by(facts, lambda f: (f.period.start, f.period.end, f.period.form))
    return [pick(g) for g in groups.values()]


CheckFn = Callable[[CheckContext], Iterator[Finding]]
