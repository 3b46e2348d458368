"""sum_mismatch: totals declared in rules/sums.yaml."""

from __future__ import annotations

import pytest

from check_fixtures import check, claim, flagged, severities

NAME = "sum_mismatch"


def _case(total: int, parts: tuple[int, int, int], period: str = "2020") -> list:  # type: ignore[type-arg]
    t = claim(f"{total}人", total, metric="劳动模范和先进工作者", period="2019..2023")
    names = ("全国劳模", "市级劳模", "市级先进工作者")
    pairs = zip(names, parts, strict=True)
    return [t, *(claim(f"{v}名", v, metric=n, period=period) for n, v in pairs)]


def test_parts_adding_up_exactly_is_info() -> None:
    assert severities(check(NAME, *_case(1227, (79, 664, 484)))) == ["info"]


def test_parts_adding_up_to_more_is_an_error() -> None:
    found = flagged(check(NAME, *_case(1000, (79, 664, 484))))
    assert [f.severity for f in found] == ["error"] and len(found[0].claims) == 4


def test_within_period_may_fall_short() -> None:
    assert flagged(check(NAME, *_case(2000, (79, 664, 484)))) == []


def test_missing_part_or_other_scope_is_not_compared() -> None:
    claims = _case(1000, (79, 664, 484))
    assert check(NAME, *claims[:3]) == []
    moved = [
        claims[0],
        *(
            claim(c.surface, c.value, metric=c.metric, period=c.period, scope="湖北省")
            for c in claims[1:]
        ),
    ]
    assert check(NAME, *moved) == []


REGIONS = ("东部地区", "中部地区", "西部地区", "东北地区")


def _regions(whole: int, parts: tuple[int, ...], **kw: object) -> list:  # type: ignore[type-arg]
    """One measure for 全国 and its four regions (rules/sums.yaml scope_partitions)."""
    common = dict(unit="元", unit_class="元", metric="地区生产总值", metric_key="gdp", **kw)
    out = [claim(f"{whole}亿元", whole * 10**8, scope="全国", **common)]
    for scope, v in zip(REGIONS, parts, strict=True):
        out.append(claim(f"{v}亿元", v * 10**8, scope=scope, **common))
    return out


PARTITIONS = [
    # (national, regions, severity, words in the explanation)
    (1000, (500, 250, 200, 50), "info", "within rounding"),
    (1000, (500, 240, 200, 50), "info", "compiled separately"),  # 1% short
    (1000, (500, 250, 200, 100), "warning", "is not"),  # 5% over
    (1000, (400, 200, 200, 50), "warning", "is not"),  # 15% short
]


@pytest.mark.parametrize(("whole", "parts", "severity", "words"), PARTITIONS)
def test_regions_against_the_nation(
    whole: int, parts: tuple[int, ...], severity: str, words: str
) -> None:
    found = check(NAME, *_regions(whole, parts))
    assert [f.severity for f in found] == [severity]
    assert words in found[0].explanation


def test_a_partition_needs_every_part_one_period_and_amounts() -> None:
    claims = _regions(1000, (400, 200, 200, 50))
    assert check(NAME, *claims[:-1]) == []  # 东北地区 missing
    moved = [
        *claims[:-1],
        claim(
            "50亿元",
            50 * 10**8,
            scope="东北地区",
            period="2021",
            unit="元",
            unit_class="元",
            metric_key="gdp",
        ),
    ]
    assert check(NAME, *moved) == []
    rates = _regions(3, (2, 4, 3, 1), kind="rate", rate_type="growth")
    assert check(NAME, *rates) == []


def test_a_sum_is_shown_in_the_scale_the_figures_are_printed_in() -> None:
    found = check(NAME, *_regions(1000, (500, 240, 200, 50)))
    assert (
        "500亿元 + 240亿元 + 200亿元 + 50亿元 = 990亿元"
        in found[0].explanation + found[0].arithmetic
    )
