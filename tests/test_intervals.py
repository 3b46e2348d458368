"""Intervals from rounding and approximation markers, and the examples that
rules/intervals.yaml carries for its own rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from check_fixtures import claim, rules
from unionfacts.check.intervals import Interval, claim_interval, interval_for, rounding_step
from unionfacts.check.rules import load_check_rules
from unionfacts.rulefiles import RulesError

D = Decimal


@pytest.mark.parametrize(
    ("surface", "value", "step"),
    [
        ("39.08万人", 390800, 100),
        ("39.08 萬人", 390800, 100),
        ("188.5万人", 1885000, 1000),
        ("8300余个", 8300, 1),
        ("1227人", 1227, 1),
        ("22万家", 220000, 10000),
        ("1,100万", 11000000, 10000),
        ("3万4000", 34000, 1),
        ("25万6千", 256000, 1000),
        ("三千二百万", 32000000, 1000000),
        ("十余项", 10, 10),
        ("92.39%", D("92.39"), D("0.01")),
        ("４１８８.５７万余元", 41885700, 100),
        ("18.3亿元", 1830000000, 10000000),
    ],
)
def test_rounding_step(surface: str, value: int, step: int) -> None:
    assert rounding_step(surface, D(value), rules().intervals) == D(step)


@pytest.mark.parametrize(
    ("surface", "value", "step"),
    [
        ("8300余个", 8300, 100),
        ("1,100万", 11000000, 1000000),
        ("3万4000", 34000, 1000),
        ("十余项", 10, 10),
        ("4188.57万余元", 41885700, 100),
    ],
)
def test_rounding_step_last_nonzero(surface: str, value: int, step: int) -> None:
    assert rounding_step(surface, D(value), rules().intervals, last_nonzero=True) == D(step)


@pytest.mark.parametrize(
    ("surface", "value", "approx", "before", "after", "low", "high"),
    [
        ("39.08万人", 390800, "exact", "", "", 390750, 390850),
        ("188.5万人", 1885000, "exact", "", "", 1884500, 1885500),
        ("8300余个", 8300, "over", "", "", 8300, 8400),
        ("1.8万", 18000, "under", "近", "", 17000, 18000),
        ("100人", 100, "under", "不到", "", 0, 100),
        ("8000个", 8000, "over", "", "以上", 8000, None),
        ("8000个", 8000, "over", "超过", "", 8000, None),
        ("5万", 50000, "about", "约", "", 42500, 57500),
    ],
)
def test_interval_for(
    surface: str, value: int, approx: str, before: str, after: str, low: int, high: int | None
) -> None:
    got = interval_for(D(value), surface, approx, before, after, rules().intervals)
    assert got == Interval(D(low), None if high is None else D(high))


def test_rule_examples() -> None:
    """Every `examples:` entry of rules/intervals.yaml holds."""
    ir = rules().intervals
    n = 0
    for rule in ir.rules:
        for ex in rule.examples:
            got = interval_for(ex.value, ex.surface, rule.approx, ex.before, ex.after, ir)
            assert got == Interval(ex.low, ex.high), (rule.id, ex)
            n += 1
    assert n >= 5


def test_claim_interval_reads_markers_around_the_span() -> None:
    c = claim("8000个", 8000, approx="over", before="全市", after="以上，")
    assert claim_interval(c, rules().intervals).high is None
    c = claim("1.8万", 18000, approx="under", before="接近", after="人")
    assert claim_interval(c, rules().intervals) == Interval(D(17000), D(18000))


def test_interval_arithmetic() -> None:
    a, b = Interval(D(1), D(2)), Interval(D(2), D(3))
    assert b.exceeds(a) and not a.exceeds(b)
    assert not a.meets(b)
    assert (a + b) == Interval(D(3), D(5))
    assert Interval(D(5), None).meets(Interval(D(100), D(200)))


def test_broken_rule_file_lists_problems(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "intervals.yaml").write_text(
        "intervals:\n  - id: x\n    approx: maybe\n    low: {steps: 0}\n    high: null\n"
        "    colour: red\n",
        encoding="utf-8",
    )
    (tmp_path / "scopes.yaml").write_text(
        "places:\n  - {id: 某区, level: district, parent: 某区, aliases: []}\n", encoding="utf-8"
    )
    with pytest.raises(RulesError) as e:
        load_check_rules([tmp_path])
    text = str(e.value)
    assert "intervals.yaml:3" in text and "colour" in text and "loops" in text
