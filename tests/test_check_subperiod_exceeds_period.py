"""subperiod_exceeds_period: years inside a five-year total, and sub-period sums."""

from __future__ import annotations

import pytest

from check_fixtures import check, claim, flagged, severities

NAME = "subperiod_exceeds_period"


def test_subperiods_that_fit_are_explained() -> None:
    whole = claim("188.5万人", 1885000, period="2019..2023")
    subs = [
        claim("25.56万人", 255600, period="2020"),
        claim("12.7万人", 127000, period="2021-H1"),
        claim("39.08万人", 390800, period="2023"),
    ]
    found = check(NAME, whole, *subs)
    assert severities(found) == ["info"]
    assert set(found[0].claims) == {whole, *subs}
    # the sum as the report would print it: in the figures' own scale
    assert "25.56万人 + 12.7万人 + 39.08万人 = 77.34万人" in found[0].arithmetic


def test_year_inside_five_years_is_info_not_flagged() -> None:
    for big, small in ((6629, 3553), (115000, 23100), (393000, 56100)):
        found = check(
            NAME, claim(f"{big}", big, period="2019..2023"), claim(f"{small}", small, period="2020")
        )
        assert severities(found) == ["info"]


def test_single_year_larger_than_five_years_is_an_error() -> None:
    found = flagged(
        check(
            NAME, claim("6629个", 6629, period="2019..2023"), claim("7000个", 7000, period="2021")
        )
    )
    assert [f.severity for f in found] == ["error"]


def test_disjoint_subperiods_adding_up_to_more_is_a_warning() -> None:
    found = check(
        NAME,
        claim("100人", 100, period="2019..2023"),
        claim("80人", 80, period="2020"),
        claim("30人", 30, period="2021-H1"),
        claim("20人", 20, period="2020-Q1"),
    )  # inside 2020: not added to it
    assert severities(found) == ["info", "warning"]  # info: 2020-Q1 inside 2020
    warning = next(f for f in found if f.severity == "warning")
    assert {c.value for c in warning.claims} == {100, 80, 30}


def test_overlapping_subperiods_are_not_added() -> None:
    found = check(
        NAME,
        claim("100人", 100, period="2019..2023"),
        claim("60人", 60, period="2021"),
        claim("50人", 50, period="2021-H1"),
    )
    assert flagged(found) == []


def test_not_compared() -> None:
    cases = [
        # stocks are not flows
        (
            claim("100个", 100, period="2019..2023", kind="stock"),
            claim("200个", 200, period="2020", kind="stock"),
        ),
        # different scopes
        (
            claim("100人", 100, period="2019..2023"),
            claim("200人", 200, period="2020", scope="湖北省"),
        ),
        # different metrics
        (
            claim("22万家", 220000, period="2019..2023", metric="覆盖单位"),
            claim("6629个", 6629, period="2020", metric="新建工会"),
        ),
        # the periods only overlap
        (claim("100人", 100, period="2019..2021"), claim("200人", 200, period="2021..2023")),
    ]
    for a, b in cases:
        assert check(NAME, a, b) == []


def test_event_figure_inside_five_years_is_info() -> None:
    found = check(
        NAME,
        claim("5名", 5, period="2019..2023"),
        claim("85位", 85, period="2023-07-28..2023-07-30"),
    )
    assert severities(found) == ["info"] and "event" in found[0].explanation


@pytest.mark.parametrize(
    ("year_value", "expected"),
    [
        (1083, ["info"]),  # a single year below the five-year average
        (1200, ["info"]),  # or above it: an average is no total
    ],
)
def test_a_year_against_a_multi_year_average_is_explained(
    year_value: int, expected: list[str]
) -> None:
    avg = claim(
        "1100人次",
        1100,
        unit="人次",
        unit_class="人次",
        period="2018..2022",
        before="过去五年年均救助",
    )
    year = claim(f"{year_value}人次", year_value, unit="人次", unit_class="人次", period="2022")
    found = check(NAME, avg, year)
    assert [f.severity for f in found] == expected
    assert "average" in found[0].explanation
