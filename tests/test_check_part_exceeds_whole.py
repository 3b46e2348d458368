"""part_exceeds_whole: explicit 其中 parts and parts by scope hierarchy."""

from __future__ import annotations

from check_fixtures import check, claim, flagged

NAME = "part_exceeds_whole"
Y = dict(unit="元", unit_class="元", period="2020-02..2020-03")


def test_qizhong_part_larger_than_whole_is_an_error() -> None:
    whole = claim("1299.75万元", 12997500, scope="湖北省", **Y)
    part = claim("94896万元", 948960000, scope="武汉市", part_of_id=whole.id, **Y)
    found = flagged(check(NAME, whole, part))
    assert [f.severity for f in found] == ["error"]
    assert set(found[0].claims) == {whole, part} and "73" in found[0].explanation


def test_parts_within_whole_are_fine() -> None:
    whole = claim("34637人次", 34637, unit="人次", unit_class="人次")
    part = claim("21820人次", 21820, unit="人次", unit_class="人次", part_of_id=whole.id)
    whole2 = claim("79人", 79)
    part2 = claim("20名", 20, part_of_id=whole2.id, metric="抗疫相关")
    assert check(NAME, whole, part, whole2, part2) == []


def test_part_in_other_unit_is_not_compared() -> None:
    whole = claim("79人", 79)
    part = claim("200人次", 200, unit="人次", unit_class="人次", part_of_id=whole.id)
    assert check(NAME, whole, part) == []


def test_district_larger_than_city_same_date() -> None:
    city = claim("1000个", 1000, unit="个", unit_class="个", kind="stock", period="asof:2021-04")
    town = claim(
        "1189个",
        1189,
        unit="个",
        unit_class="个",
        kind="stock",
        period="asof:2021-04",
        scope="顺义区",
    )
    found = flagged(check(NAME, city, town))
    assert [f.severity for f in found] == ["warning"]


def test_district_flow_inside_city_flow_period() -> None:
    city = claim("100家", 100, period="2019..2023")
    district = claim("128家", 128, period="2021", scope="顺义区")
    assert len(flagged(check(NAME, city, district))) == 1


def test_scope_traps_not_flagged() -> None:
    stock = dict(unit="个", unit_class="个", kind="stock")
    cases = [
        # different metrics, nested scopes
        (
            claim("381个", 381, metric="公共区域职工之家", period="asof:2023", **stock),
            claim("394个", 394, metric="职工之家", period="asof:2021-04", scope="顺义区", **stock),
        ),
        # same metric, nested scopes, different dates
        (
            claim("8300余个", 8300, approx="over", period="asof:2023", **stock),
            claim("9189个", 9189, period="asof:2021-04", scope="顺义区", **stock),
        ),
        # flow in the city, stock in the district
        (
            claim("390家", 390, period="2019..2023", unit="个", unit_class="个"),
            claim("428个", 428, period="asof:2021-04", scope="顺义区", **stock),
        ),
        # unrelated scopes (not nested)
        (
            claim("500个", 500, period="asof:2021", **stock),
            claim("900个", 900, period="asof:2021", scope="武汉市", **stock),
        ),
        # rates are not additive
        (
            claim("80%", 80, unit="%", unit_class="%", kind="rate", period="asof:2021"),
            claim(
                "91%", 91, unit="%", unit_class="%", kind="rate", period="asof:2021", scope="顺义区"
            ),
        ),
    ]
    for a, b in cases:
        assert flagged(check(NAME, a, b)) == [], (a.metric, b.metric)
