"""Typed comparisons: only additive quantities of one dimension and kind are
parts of a whole; units compare through their dimension. Invented figures."""

from __future__ import annotations

from typing import Any

import pytest

from check_fixtures import check, claim, flagged

PCT: dict[str, Any] = dict(unit="%", unit_class="%", kind="rate")
CARS: dict[str, Any] = dict(unit="辆", unit_class="辆", kind="stock", period="asof:2022")


@pytest.mark.parametrize(
    ("whole_kw", "part_kw", "part_value", "flag"),
    [
        # a part's growth rate above its whole's is no contradiction
        (dict(PCT, rate_type="growth"), dict(PCT, rate_type="growth"), 4.1, False),
        # shares and levels (恩格尔系数) are not additive either
        (dict(PCT, rate_type="level"), dict(PCT, rate_type="level"), 33.0, False),
        # a rate of unknown type is not an amount
        (dict(PCT), dict(PCT), 54.8, False),
        # a level (保有量) is never part of a change (增加 N)
        (dict(CARS, rate_type="change"), dict(CARS), 16685, False),
        # nor is a change part of a change: a part grows by more when others shrink
        (dict(CARS, rate_type="change"), dict(CARS, rate_type="change"), 310, False),
        # a stock is not part of a flow
        (
            dict(unit="人", unit_class="人", kind="flow"),
            dict(unit="人", unit_class="人", kind="stock", period="asof:2022"),
            900,
            False,
        ),
        # a target is never part of an actual
        (
            dict(unit="人", unit_class="人"),
            dict(unit="人", unit_class="人", modality="target"),
            900,
            False,
        ),
        # the trap's counterpart: counts of one kind are compared
        (dict(unit="人", unit_class="人"), dict(unit="人", unit_class="人"), 900, True),
    ],
)
def test_part_exceeds_whole_compares_only_amounts(
    whole_kw: dict[str, Any], part_kw: dict[str, Any], part_value: float, flag: bool
) -> None:
    whole = claim("300", 300, **whole_kw)
    part = claim(str(part_value), part_value, part_of_id=whole.id, **part_kw)
    found = flagged(check("part_exceeds_whole", whole, part))
    assert bool(found) is flag, [f.explanation for f in found]


def test_change_read_from_the_text_when_the_rate_type_is_empty() -> None:
    whole = claim("1003万辆", 10030000, before="民用轿车保有量17740万辆，增加", **CARS)
    part = claim("16685万辆", 166850000, before="其中私人轿车保有量", part_of_id=whole.id, **CARS)
    assert not flagged(check("part_exceeds_whole", whole, part))


@pytest.mark.parametrize(
    ("values", "flag"),
    [
        # 医院 37 and its own split 公立 12 + 民营 25 listed after it: nested
        ((37, 12, 25, 10), False),
        # plain parts that add up to more than the whole
        ((60, 30, 25), True),
    ],
)
def test_nested_parts_are_not_added_twice(values: tuple[int, ...], flag: bool) -> None:
    whole = claim("103个", 103, unit="个", unit_class="个", kind="stock", period="asof:2022")
    parts = [
        claim(
            f"{v}个",
            v,
            unit="个",
            unit_class="个",
            kind="stock",
            period="asof:2022",
            part_of_id=whole.id,
            start=1000 + i * 50,
        )
        for i, v in enumerate(values)
    ]
    assert bool(flagged(check("parts_exceed_total", whole, *parts))) is flag


def test_open_list_never_adds_up() -> None:
    whole = claim("100人", 100)
    a = claim("60人", 60, part_of_id=whole.id, start=5000)
    b = claim("40人", 40, part_of_id=whole.id, start=5100, after="等，……")
    assert check("parts_exceed_total", whole, a, b) == []
    c = claim("40人", 40, part_of_id=whole.id, start=5100)
    assert [f.severity for f in check("parts_exceed_total", whole, a, c)] == ["info"]


GRAIN = dict(metric="粮食产量", metric_rule="grain", period="2022", kind="flow")


@pytest.mark.parametrize(
    ("a", "b", "severity"),
    [
        # 1.37万亿斤 = 6850万吨 ± rounding: the same mass
        (("1.37万亿斤", 1.37e12, "斤"), ("68653万吨", 686530000, "吨"), None),
        # a real gap in mass is a contradiction
        (("1.37万亿斤", 1.37e12, "斤"), ("60000万吨", 600000000, "吨"), "error"),
        # different currencies never compare
        (("55亿美元", 5.5e9, "美元"), ("550亿元", 5.5e10, "元"), None),
        # % and 百分点 never compare
        (("2%", 2, "%"), ("0.5个百分点", 0.5, "个百分点"), None),
    ],
)
def test_units_compare_through_their_dimension(
    a: tuple[str, float, str], b: tuple[str, float, str], severity: str | None
) -> None:
    ca = claim(a[0], a[1], unit=a[2], unit_class=a[2], **GRAIN)
    cb = claim(b[0], b[1], unit=b[2], unit_class=b[2], **GRAIN)
    found = flagged(check("same_fact_differs", ca, cb))
    assert [f.severity for f in found] == ([severity] if severity else [])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # by ownership (overlapping), then by sector: 14000 + 52500 + 3500 = 70000
        ((21000, 55000, 18000, 24000, 14000, 52500, 3500), ["info"]),
        # no run adds up to the whole: the parts are simply too large
        ((21000, 55000, 18000, 24000), ["warning"]),
    ],
)
def test_a_list_with_two_breakdowns_of_its_whole(
    values: tuple[int, ...], expected: list[str]
) -> None:
    whole = claim("70000元", 70000, unit="元", unit_class="元")
    parts = [
        claim(f"{v}元", v, unit="元", unit_class="元", part_of_id=whole.id, start=3000 + 40 * i)
        for i, v in enumerate(values)
    ]
    found = check("parts_exceed_total", whole, *parts)
    assert [f.severity for f in found] == expected
    if expected == ["info"]:
        assert "more than one breakdown" in found[0].explanation


@pytest.mark.parametrize(
    ("child", "same_doc", "rule", "flag"),
    [
        # an organisation's count against an unscoped subgroup in the same report
        ("九巴", True, None, False),
        # ... the same across two reports is compared
        ("九巴", False, None, True),
        # ... and so is a named measure (a metric rule) in one report
        ("九巴", True, "union_orgs", True),
        # a district inside its city in one report is always compared
        ("顺义区", True, None, True),
    ],
)
def test_a_scope_inside_another(child: str, same_doc: bool, rule: str | None, flag: bool) -> None:
    parent = "香港特别行政区" if child == "九巴" else "北京市"
    kw: dict[str, Any] = dict(
        unit="个",
        unit_class="个",
        kind="stock",
        period="asof:2018-03",
        metric="工会",
        metric_rule=rule,
    )
    inner = claim("5个", 5, scope=child, doc="a.txt", **kw)
    outer = claim("两个", 2, scope=parent, doc="a.txt" if same_doc else "b.txt", **kw)
    found = flagged(check("part_exceeds_whole", inner, outer))
    assert bool(found) is flag, [f.explanation for f in found]
