"""Near keys, explained differences, rate_contradiction and target_outcome:
table-driven, invented figures, traps included."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from check_fixtures import check, claim, flagged

PCT: dict[str, Any] = dict(unit="%", unit_class="%", kind="rate")


@pytest.mark.parametrize(
    ("key_a", "key_b", "value_b", "doc_b", "expect"),
    [
        # two phrasings of one measure, values apart: a warning with its score
        ("新发展工会会员数", "新发展工会会员人数", 5600, "b.txt", "warning"),
        # the same figure in both: nothing to say
        ("新发展工会会员", "新发展工会会员人数", 5000, "b.txt", None),
        # a word that tells measures apart (产量 / 销量): information only
        ("新能源汽车产量", "新能源汽车销量", 5600, "b.txt", "info"),
        # different digits name different things
        ("第1批示范点", "第2批示范点", 5600, "b.txt", None),
        # one report, two similar phrases: it is telling two things apart
        ("新发展工会会员", "新发展工会会员人数", 5600, "a.txt", None),
        # unrelated names are never compared
        ("新发展工会会员", "职工书屋", 5600, "b.txt", None),
        # one head (贷款余额), different aggregates, two reports: shown side by side
        ("普惠小微贷款余额", "人民币普惠金融贷款余额", 5600, "b.txt", "info"),
        # ... but not within one report, which tells them apart itself
        ("普惠小微贷款余额", "人民币普惠金融贷款余额", 5600, "a.txt", None),
        # a short common ending (书屋) is no head of a measure
        ("新建职工书屋", "新建农家书屋", 5600, "b.txt", None),
    ],
)
def test_near_keys(key_a: str, key_b: str, value_b: int, doc_b: str, expect: str | None) -> None:
    a = claim("5000人", 5000, metric=key_a, metric_key=key_a, doc="a.txt")
    b = claim(f"{value_b}人", value_b, metric=key_b, metric_key=key_b, doc=doc_b)
    found = [f for f in check("same_fact_differs", a, b) if f.score is not None]
    assert [f.severity for f in found] == ([expect] if expect else [])
    if expect == "warning":
        assert found[0].score is not None and 88 <= found[0].score < 100
        assert "similarity" in found[0].explanation


@pytest.mark.parametrize(
    ("before_a", "before_b", "severity"),
    [
        ("城镇调查失业率", "全年城镇调查失业率平均值为", "info"),  # year-end vs average
        ("人均可支配收入增长", "扣除价格因素，实际增长", "info"),  # nominal vs real
        ("固定资产投资（不含农户）增长", "全社会固定资产投资增长", "info"),  # coverage
        ("城镇调查失业率", "城镇调查失业率", "error"),  # the trap's counterpart
        ("年末城镇调查失业率", "城镇调查失业率", "error"),  # 年末 explains nothing alone
    ],
)
def test_markers_explain_a_difference(before_a: str, before_b: str, severity: str) -> None:
    kw = dict(PCT, metric="某率", metric_rule="some_rate", rate_type="level")
    a = claim("5.1%", 5.1, before=before_a, **kw)
    b = claim("4.9%", 4.9, before=before_b, **kw)
    found = check("same_fact_differs", a, b)
    assert [f.severity for f in found] == [severity]
    if severity == "info":
        assert "not a contradiction" in found[0].explanation or "differ" in found[0].explanation


LEVEL: dict[str, Any] = dict(unit="元", unit_class="元", metric="营业收入", metric_key="revenue")
GROWTH: dict[str, Any] = dict(PCT, metric="营业收入", metric_key="revenue", rate_type="growth")


@pytest.mark.parametrize(
    ("prev", "rate", "cur", "growth_before", "same_doc", "severity"),
    [
        (1000, "5.0", 1050, "增长", True, None),  # chains within rounding
        (1000, "5.0", 1200, "增长", True, "warning"),  # does not chain
        (1000, "5.0", 1200, "实际增长", True, "info"),  # real rate against nominal levels
        (1000, "5.0", 1080, "增长", False, "info"),  # another report's revised base
        (1000, "5.0", 1500, "增长", False, "warning"),  # too far for a revision
    ],
)
def test_rate_contradiction(
    prev: int, rate: str, cur: int, growth_before: str, same_doc: bool, severity: str | None
) -> None:
    p = claim(f"{prev}元", prev, period="2021", doc="a.txt", **LEVEL)
    g = claim(f"{rate}%", rate, period="2022", doc="b.txt", before=growth_before, **GROWTH)
    c = claim(f"{cur}元", cur, period="2022", doc="b.txt" if not same_doc else "a.txt", **LEVEL)
    if same_doc:
        g = claim(f"{rate}%", rate, period="2022", doc="a.txt", before=growth_before, **GROWTH)
    found = check("rate_contradiction", p, g, c)
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_rate_of_a_real_by_default_measure_is_explained() -> None:
    kw = dict(metric="国内生产总值", metric_key="gdp")
    p = claim("114万亿元", 1.14e14, unit="元", unit_class="元", period="2021", **kw)
    g = claim("3%", 3, period="2022", rate_type="growth", **PCT, **kw)
    c = claim("121万亿元", 1.21e14, unit="元", unit_class="元", period="2022", **kw)
    assert [f.severity for f in check("rate_contradiction", p, g, c)] == ["info"]


@pytest.mark.parametrize(
    ("target", "approx", "actual", "verdict"),
    [
        ("5", "about", "5.2", "met"),
        ("5", "over", "4.5", "missed"),
        ("5.5", "under", "5.6", "missed"),
        ("5", "over", "5.4", "met"),
        ("12", "exact", "15", "exceeded"),
    ],
)
def test_target_outcome(target: str, approx: str, actual: str, verdict: str) -> None:
    kw = dict(PCT, metric="增长目标", metric_key="gdp_growth", rate_type="growth", period="2023")
    t = claim(
        f"{target}%",
        target,
        modality="target",
        approx=approx,
        doc="plan.txt",
        doc_date=date(2023, 3, 5),
        **kw,
    )
    a = claim(f"{actual}%", actual, doc="outcome.txt", doc_date=date(2024, 2, 28), **kw)
    found = check("target_outcome", t, a)
    assert len(found) == 1 and found[0].severity == "info"
    assert verdict in found[0].explanation
    # never a contradiction, whatever the values
    assert not flagged(check("same_fact_differs", t, a))


def test_target_is_not_compared_with_an_earlier_outcome() -> None:
    kw = dict(PCT, metric="增长目标", metric_key="gdp_growth", rate_type="growth", period="2023")
    t = claim("5%", 5, modality="target", doc="plan.txt", doc_date=date(2024, 3, 5), **kw)
    a = claim("5.2%", 5.2, doc="outcome.txt", doc_date=date(2023, 2, 28), **kw)
    assert check("target_outcome", t, a) == []


@pytest.mark.parametrize(
    ("flow", "stock", "expect"),
    [
        (1000, 297, ["info"]),  # benefits paid during the year, recipients at its end
        (200, 297, []),  # fits: nothing to explain
    ],
)
def test_flow_during_a_year_against_its_year_end_stock(
    flow: int, stock: int, expect: list[str]
) -> None:
    f = claim(f"{flow}人", flow, period="2022", kind="flow", metric_key="benefits")
    s = claim(f"{stock}人", stock, period="asof:2022", kind="stock", metric_key="benefits")
    assert [x.severity for x in check("explained_difference", f, s)] == expect
    assert not flagged(check("flows_exceed_stock", f, s))


def test_one_key_spelt_two_ways_is_compared_as_one() -> None:
    a = claim("5000人", 5000, metric="职工 之家", doc="a.txt")
    b = claim("5600人", 5600, metric="职工之家", doc="b.txt")
    assert [f.severity for f in flagged(check("same_fact_differs", a, b))] == ["error"]


@pytest.mark.parametrize(
    ("key_a", "key_b"),
    [
        ("一般公共预算收入", "一般公共预算支出"),  # income against spending
        ("住户存款余额", "住户贷款余额"),  # deposits against loans
        ("驾驶时间上限", "驾驶时间下限"),  # upper against lower limit
    ],
)
def test_contrasted_keys_never_warn(key_a: str, key_b: str) -> None:
    a = claim(
        "5000元", 5000, unit="元", unit_class="元", metric=key_a, metric_key=key_a, doc="a.txt"
    )
    b = claim(
        "5600元", 5600, unit="元", unit_class="元", metric=key_b, metric_key=key_b, doc="b.txt"
    )
    assert not flagged(check("same_fact_differs", a, b))


@pytest.mark.parametrize(
    ("rate", "direction", "severity"),
    [
        ("4.0", "down", None),  # 下降4.0%: 1000 → 960 chains
        ("-4.0", "down", None),  # a table's -4.0 with its direction: the same fall
        ("-4.0", None, None),
        ("4.0", None, "warning"),  # read as a rise, 1000 → 1040 does not give 960
    ],
)
def test_falls_chain_with_their_sign(
    rate: str, direction: str | None, severity: str | None
) -> None:
    p = claim("1000元", 1000, period="2021", doc="a.txt", **LEVEL)
    g = claim(f"{rate}%", rate, period="2022", doc="a.txt", direction=direction, **GROWTH)
    c = claim("960元", 960, period="2022", doc="a.txt", **LEVEL)
    found = check("rate_contradiction", p, g, c)
    assert [f.severity for f in found] == ([severity] if severity else [])


@pytest.mark.parametrize(
    ("before", "change"),
    [
        ("比上年末增加", True),  # the change itself
        ("贷款余额从8.2万亿元增加到", False),  # the level the change reaches
        ("人数减少至", False),
    ],
)
def test_change_words_followed_by_to_name_a_level(before: str, change: bool) -> None:
    from check_fixtures import rules

    c = claim("23.8万亿元", 23.8e12, unit="元", unit_class="元", kind="stock", before=before)
    assert rules().checker.is_change(c) is change


@pytest.mark.parametrize(
    ("point_period", "before_avg", "shown"),
    [
        ("asof:2022", "全年城镇调查失业率平均值为", True),  # year-end against the year's average
        ("asof:2022-12", "全年平均", True),
        ("asof:2021", "全年平均", False),  # another year's point
        ("asof:2022", "全年城镇调查失业率为", False),  # no average: not this explanation
    ],
)
def test_an_average_against_a_point_of_its_year(
    point_period: str, before_avg: str, shown: bool
) -> None:
    kw = dict(PCT, metric="城镇调查失业率", metric_key="surveyed_unemployment", rate_type="level")
    point = claim("5.5%", 5.5, period=point_period, before="年末城镇调查失业率为", **kw)
    avg = claim("5.6%", 5.6, period="2022", before=before_avg, **kw)
    found = check("explained_difference", point, avg)
    assert bool(found) is shown
    if shown:
        assert found[0].severity == "info" and "average" in found[0].explanation
