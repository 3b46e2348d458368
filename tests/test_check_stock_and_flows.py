"""stock_decreases and flows_exceed_stock."""

from __future__ import annotations

from check_fixtures import check, claim, flagged, severities

S = dict(unit="个", unit_class="个", kind="stock", metric="暖心驿站")
F = dict(unit="个", unit_class="个", kind="flow", metric="暖心驿站")


def test_stock_that_shrinks_is_a_warning() -> None:
    found = check(
        "stock_decreases",
        claim("623家", 623, period="asof:2020", **S),
        claim("500家", 500, period="asof:2022", **S),
    )
    assert severities(found) == ["warning"]


def test_stock_that_grows_or_rounds_is_fine() -> None:
    assert (
        check(
            "stock_decreases",
            claim("623家", 623, period="asof:2020", **S),
            claim("781家", 781, period="asof:2023", **S),
            claim("8300余个", 8300, approx="over", period="asof:2023-06", **S),
            claim("8350个", 8350, period="asof:2023-12", **S),
        )
        == []
    )


def test_flow_and_stock_are_not_a_shrinking_stock() -> None:
    assert (
        check(
            "stock_decreases",
            claim("781家", 781, period="2019..2023", **F),
            claim("623家", 623, period="asof:2020", **S),
        )
        == []
    )


def test_flows_exceeding_stock_across_documents() -> None:
    stock = claim("8300余个", 8300, approx="over", period="asof:2023", **S)
    flows = [
        claim("7481个", 7481, period="2020", doc="a.txt", **F),
        claim("1933个", 1933, period="2021-H1", doc="b.txt", **F),
        claim("1016家", 1016, period="2023", doc="c.txt", **F),
    ]
    found = flagged(check("flows_exceed_stock", stock, *flows))
    assert [f.severity for f in found] == ["warning"]
    assert set(found[0].claims) == {stock, *flows}
    assert "10430" in found[0].arithmetic


def test_flows_within_stock_or_after_it_are_fine() -> None:
    stock = claim("8300余个", 8300, approx="over", period="asof:2021", **S)
    flows = [
        claim("4000个", 4000, period="2020", **F),
        claim("5000个", 5000, period="2023", **F),
    ]  # after the stock's date
    assert check("flows_exceed_stock", stock, *flows) == []


def test_flows_elsewhere_do_not_count() -> None:
    stock = claim("1189个", 1189, period="asof:2021-04", scope="顺义区", **S)
    flows = [claim("7481个", 7481, period="2020", **F)]  # Beijing-wide flow
    assert check("flows_exceed_stock", stock, *flows) == []
