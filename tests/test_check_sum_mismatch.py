"""sum_mismatch: totals declared in rules/sums.yaml."""

from __future__ import annotations

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
