"""A stated figure → the interval of true values it stands for.

`39.08万` is not the point 390800 but anything in [390750, 390850): the rounding
unit comes from the surface text (its last significant digit times the
multipliers written after it), and the approximation marker (余, 近, 约, 以上)
widens or shifts the interval. Which marker does what, how wide a tolerance
band is and which multipliers exist are data in `rules/intervals.yaml`; this
module only reads the surface text and evaluates those rules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from unionfacts.models import Approx, StoredClaim
from unionfacts.rulefiles import RuleProblem, load_section, rule_file_paths

RULE_FILE = "intervals.yaml"

_CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_SEPARATORS = ",，、 \u3000\u00a0'"


@dataclass(frozen=True, slots=True)
class Interval:
    """[low, high): low inclusive, high exclusive; high None = unbounded."""

    low: Decimal
    high: Decimal | None

    def exceeds(self, other: Interval) -> bool:
        """Every value in self is larger than every value in other."""
        return other.high is not None and self.low >= other.high

    def meets(self, other: Interval) -> bool:
        """Some value lies in both intervals."""
        return (other.high is None or self.low < other.high) and (
            self.high is None or other.low < self.high
        )

    def scaled(self, factor: Decimal) -> Interval:
        """The interval in another unit (factor > 0)."""
        return Interval(self.low * factor, None if self.high is None else self.high * factor)

    def __add__(self, other: Interval) -> Interval:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Interval(self.low + other.low, high)

    def __str__(self) -> str:
        high = "∞" if self.high is None else fmt(self.high)
        return f"[{fmt(self.low)}, {high})"


ZERO = Interval(Decimal(0), Decimal(0))


def fmt(d: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 3.9080E+5 → 390800."""
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1)):f}"
    return f"{d.normalize():f}"


class Bound(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rel: Decimal = Decimal(0)
    steps: Decimal = Decimal(0)


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")
    surface: str
    value: Decimal
    before: str = ""
    after: str = ""
    low: Decimal
    high: Decimal | None


class IntervalRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    approx: Approx
    markers: list[str] = []
    where: Literal["surface", "before", "after"] = "surface"
    # printed: the last digit written is the unit (1227 → 1; trailing zeros of a
    # whole number as `settings` says); last_nonzero: 8300余 → 100.
    step_from: Literal["printed", "last_nonzero"] = "printed"
    low: Bound
    high: Bound | None
    examples: list[Example] = []


class Multiplier(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    factor: Decimal


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    integer_trailing_zeros: Literal["significant", "insignificant"] = "significant"
    marker_window: int = 3
    unit_classes: dict[str, str] = {}


@dataclass(frozen=True)
class IntervalRules:
    rules: tuple[IntervalRule, ...]
    multipliers: dict[str, Decimal]
    settings: Settings
    # surface text → rounding step read from it; reports repeat their figures'
    # shapes, and reading the text dominates the checker's preparation.
    _steps: dict[tuple[str, bool], Decimal | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    # Per approx: the rules with markers (tried in order) and the fallback.
    _by_approx: dict[str, tuple[list[IntervalRule], IntervalRule | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_approx = self._by_approx
        for rule in self.rules:
            marked, fallback = by_approx.setdefault(rule.approx, ([], None))
            if rule.markers:
                marked.append(rule)
            elif fallback is None:
                by_approx[rule.approx] = (marked, rule)

    def rule_for(self, approx: str, surface: str, before: str, after: str) -> IntervalRule | None:
        marked, fallback = self._by_approx.get(approx, ([], None))
        for rule in marked:
            text = (
                surface if rule.where == "surface" else before if rule.where == "before" else after
            )
            for m in rule.markers:
                if m in text:
                    return rule
        return fallback


def load_interval_rules(extra_dirs: Sequence[Path], problems: list[RuleProblem]) -> IntervalRules:
    paths = rule_file_paths(RULE_FILE, extra_dirs)
    rules = [r for r, _, _ in load_section(paths, "intervals", IntervalRule, problems)]
    mults = load_section(paths, "multipliers", Multiplier, problems, key="text")
    settings = [s for s, _, _ in load_section(paths, "settings", Settings, problems)]
    return IntervalRules(
        rules=tuple(rules),
        multipliers={m.text: m.factor for m, _, _ in mults},
        settings=settings[-1] if settings else Settings(id="default"),
    )


def _last_digit_step(digits: str, trailing_zeros_count: bool) -> Decimal:
    """Rounding unit of an Arabic number written without multipliers."""
    if "." in digits:
        return Decimal(1).scaleb(-len(digits.split(".", 1)[1]))
    if trailing_zeros_count:
        return Decimal(1)
    stripped = digits.rstrip("0")
    if not stripped:  # "0": nothing to learn from zeros
        return Decimal(1)
    return Decimal(1).scaleb(len(digits) - len(stripped))


def rounding_step(
    surface: str, value: Decimal, rules: IntervalRules, last_nonzero: bool = False
) -> Decimal:
    """The rounding unit of a figure as printed: `39.08 萬人` → 100,
    `8300余个` → 100, `十余项` → 10, `三千二百万` → 1000000."""
    # The step depends only on the surface's shape (which digits are zero,
    # where the point and multipliers are), so 1234个 and 5678个 share an entry.
    key = (surface.translate(_SHAPE), last_nonzero)
    step = rules._steps.get(key, _MISSING)
    if step is _MISSING:
        if len(rules._steps) > 100_000:  # bounded: a cache, not a copy of the data
            rules._steps.clear()
        step = rules._steps[key] = _surface_step(key[0], rules, last_nonzero)
    if step is None or (value != 0 and step > abs(value) * 10):
        return _value_step(value)  # surface and value disagree; trust the value
    return step


_MISSING = Decimal(-1)
_SHAPE = str.maketrans("23456789２３４５６７８９", "11111111１１１１１１１１")


def _surface_step(surface: str, rules: IntervalRules, last_nonzero: bool) -> Decimal | None:
    text = surface if surface.isascii() else unicodedata.normalize("NFKC", surface)
    text = "".join(ch for ch in text if ch not in _SEPARATORS)
    mults = rules.multipliers
    sig_zeros = rules.settings.integer_trailing_zeros == "significant" and not last_nonzero
    # Find the last numeral: an Arabic run or a Chinese digit.
    i = len(text) - 1
    while i >= 0 and not (text[i].isdigit() or text[i] in _CN_DIGITS):
        i -= 1
    if i < 0:
        # No digit at all (十余项): the multipliers alone give the unit.
        run = [mults[ch] for ch in text if ch in mults]
        return run[-1] if run else None
    if text[i].isdigit():
        j = i
        while j > 0 and (text[j - 1].isdigit() or text[j - 1] == "."):
            j -= 1
        step = _last_digit_step(text[j : i + 1].strip("."), sig_zeros)
    else:
        step = Decimal(1)
    k = i + 1
    while k < len(text) and text[k] in mults:
        step *= mults[text[k]]
        k += 1
    return step if step > 0 else None


def _value_step(value: Decimal) -> Decimal:
    """Fallback unit: the magnitude of the value's last nonzero digit."""
    if value == 0:
        return Decimal(1)
    return Decimal(1).scaleb(value.normalize().as_tuple().exponent)  # type: ignore[arg-type]


def interval_for(
    value: Decimal, surface: str, approx: str, before: str, after: str, rules: IntervalRules
) -> Interval:
    return _apply(rules.rule_for(approx, surface, before, after), value, surface, rules)


def _apply(
    rule: IntervalRule | None, value: Decimal, surface: str, rules: IntervalRules
) -> Interval:
    if rule is None:  # no rule for this approx: treat the figure as exact
        half = rounding_step(surface, value, rules) / 2
        return Interval(value - half, value + half)
    step = rounding_step(surface, value, rules, rule.step_from == "last_nonzero")
    lo, hi = rule.low, rule.high
    low = (value if not lo.rel else value * (1 + lo.rel)) + lo.steps * step
    if hi is None:
        high = None
    else:
        high = (value if not hi.rel else value * (1 + hi.rel)) + hi.steps * step
        if high <= low:  # a rule that leaves nothing: keep one step
            high = low + step
    return Interval(max(low, _ZERO) if value >= 0 else low, high)


_ZERO = Decimal(0)


def claim_interval(claim: StoredClaim, rules: IntervalRules) -> Interval:
    """Interval of a stored claim; markers are read from its quoted context."""
    marked, fallback = rules._by_approx.get(claim.approx, ([], None))
    if not marked:  # no marker can change the rule: skip reading the context
        return _apply(fallback, claim.value, claim.surface, rules)
    w = rules.settings.marker_window
    rel_start = claim.start - claim.context_start
    rel_end = claim.end - claim.context_start
    ctx = claim.context or ""
    before = ctx[max(0, rel_start - w) : max(0, rel_start)] if rel_start >= 0 else ""
    after = ctx[rel_end : rel_end + w] if 0 <= rel_end <= len(ctx) else ""
    return interval_for(claim.value, claim.surface, claim.approx, before, after, rules)
