"""parts_exceed_total: 其中 parts and sibling scopes adding up past their total."""

from __future__ import annotations

from check_fixtures import check, claim, flagged, severities

NAME = "parts_exceed_total"
Y = dict(unit="元", unit_class="元", period="2020-02..2020-03")


def test_parts_adding_up_exactly_are_info() -> None:
    total = claim("4188.57万余元", 41885700, approx="over", **Y)
    parts = [
        claim(s, v, part_of_id=total.id, **Y)
        for s, v in (
            ("1299.75万元", 12997500),
            ("614.4万元", 6144000),
            ("928.84万元", 9288400),
            ("1345.58万元", 13455800),
        )
    ]
    assert severities(check(NAME, total, *parts)) == ["info"]


def test_parts_adding_up_to_more_are_a_warning() -> None:
    total = claim("4000万元", 40000000, **Y)
    parts = [
        claim(s, v, part_of_id=total.id, **Y)
        for s, v in (("2500万元", 25000000), ("1600万元", 16000000))
    ]
    found = flagged(check(NAME, total, *parts))
    assert [f.severity for f in found] == ["warning"] and len(found[0].claims) == 3


def test_single_oversized_part_left_to_part_exceeds_whole() -> None:
    total = claim("1000万元", 10000000, **Y)
    parts = [
        claim("2000万元", 20000000, part_of_id=total.id, **Y),
        claim("10万元", 100000, part_of_id=total.id, **Y),
    ]
    assert check(NAME, total, *parts) == []


def test_sibling_districts_exceed_city() -> None:
    s = dict(unit="个", unit_class="个", kind="stock", period="asof:2021")
    city = claim("1000个", 1000, **s)
    kids = [claim("600个", 600, scope="顺义区", **s), claim("500个", 500, scope="海淀区", **s)]
    assert severities(check(NAME, city, *kids)) == ["warning"]
    kids = [claim("400个", 400, scope="顺义区", **s), claim("500个", 500, scope="海淀区", **s)]
    assert check(NAME, city, *kids) == []
