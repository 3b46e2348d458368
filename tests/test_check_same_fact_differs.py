"""same_fact_differs: flagged when the same measure disagrees beyond rounding;
never for different metrics, units, periods, scopes, kinds or modalities."""

from __future__ import annotations

import pytest

from check_fixtures import check, claim, flagged, severities
from unionfacts.models import StoredClaim

NAME = "same_fact_differs"


def pair(a: dict, b: dict) -> tuple[StoredClaim, StoredClaim]:  # type: ignore[type-arg]
    return claim(**a), claim(**b)


FLAGGED = [
    (
        "different values, same measure",
        dict(surface="39.08万人", value=390800),
        dict(surface="41.2万人", value=412000),
    ),
    (
        "metric rule groups variant texts",
        dict(
            surface="186个",
            value=186,
            metric="模范集体",
            metric_rule="model_collective",
            unit="个",
            unit_class="个",
        ),
        dict(
            surface="168个",
            value=168,
            metric="北京市模范集体",
            metric_rule="model_collective",
            unit="个",
            unit_class="个",
        ),
    ),
    (
        "人 and 名 are one class",
        dict(surface="664名", value=664, unit="名"),
        dict(surface="646人", value=646),
    ),
]

NOT_FLAGGED = [
    (
        "same value twice",
        dict(surface="1299.75万元", value=12997500, unit="元", unit_class="元"),
        dict(surface="1299.75万元", value=12997500, unit="元", unit_class="元"),
    ),
    (
        "agree after rounding",
        dict(surface="39.08万人", value=390800),
        dict(surface="390812人", value=390812),
    ),
    (
        "余 covers the other",
        dict(surface="8300余个", value=8300, approx="over"),
        dict(surface="8350个", value=8350),
    ),
    (
        "different metrics, near-equal numbers",
        dict(surface="39.3万人", value=393000, metric="新就业形态劳动者会员"),
        dict(surface="39.2万人", value=392000, metric="服务慰问新就业形态劳动者"),
    ),
    (
        "人 vs 人次 never compare",
        dict(surface="39.3万人", value=393000),
        dict(surface="39.2万人次", value=392000, unit="人次", unit_class="人次"),
    ),
    (
        "different periods",
        dict(surface="39.3万人", value=393000, period="2019..2023"),
        dict(surface="5.61万人", value=56100, period="2023"),
    ),
    (
        "different scopes",
        dict(surface="1189个", value=1189, scope="顺义区"),
        dict(surface="8300余个", value=8300, approx="over"),
    ),
    (
        "target vs actual",
        dict(surface="10万人", value=100000, modality="target"),
        dict(surface="8万人", value=80000),
    ),
    (
        "flow vs stock",
        dict(surface="781家", value=781),
        dict(surface="623家", value=623, kind="stock"),
    ),
    (
        "unknown period",
        dict(surface="91%", value=91, period="?"),
        dict(surface="80%", value=80, period="?"),
    ),
    (
        "same number, unrelated metrics",
        dict(surface="85位", value=85, metric="大国工匠"),
        dict(surface="85名", value=85, metric="大工匠选手"),
    ),
]


@pytest.mark.parametrize(("why", "a", "b"), FLAGGED, ids=[c[0] for c in FLAGGED])
def test_flagged(why: str, a: dict, b: dict) -> None:  # type: ignore[type-arg]
    found = flagged(check(NAME, *pair(a, b)))
    assert len(found) == 1 and found[0].check == NAME and found[0].severity == "error"
    assert len(found[0].claims) == 2


@pytest.mark.parametrize(("why", "a", "b"), NOT_FLAGGED, ids=[c[0] for c in NOT_FLAGGED])
def test_not_flagged(why: str, a: dict, b: dict) -> None:  # type: ignore[type-arg]
    assert flagged(check(NAME, *pair(a, b))) == []


def test_rounding_agreement_is_explained_as_info() -> None:
    found = check(NAME, claim("39.08万人", 390800), claim("390812人", 390812))
    assert severities(found) == ["info"] and "rounding" in found[0].explanation


def test_about_is_only_a_warning() -> None:
    found = check(NAME, claim("5万人", 50000, approx="about", before="约"), claim("7万人", 70000))
    assert severities(found) == ["warning"]


def test_three_way_split_reports_each_break_once() -> None:
    found = check(NAME, claim("10人", 10), claim("10人", 10), claim("20人", 20), claim("30人", 30))
    assert severities(found) == ["error", "error"]


def test_one_document_two_figures_of_an_inferred_noun_is_info() -> None:
    a = claim("10个", 10, metric="职业", unit="个", unit_class="个", doc_hash="d" * 64)
    b = claim("30个", 30, metric="职业", unit="个", unit_class="个", doc_hash="d" * 64)
    assert severities(check(NAME, a, b)) == ["info"]
    ruled = [
        claim(s, v, metric="职业", metric_rule="occupations", doc_hash="d" * 64)
        for s, v in (("10个", 10), ("30个", 30))
    ]
    assert severities(check(NAME, *ruled)) == ["error"]


def test_stock_at_the_same_day_in_two_precisions_is_one_fact() -> None:
    s = dict(kind="stock", doc_hash="e" * 64, metric_rule="members")
    found = check(
        NAME,
        claim("216.5万人", 2165000, period="asof:2023-12", **s),
        claim("261.5万人", 2615000, period="asof:2023", **s),
    )
    assert severities(found) == ["error"]


def test_an_explained_difference_is_shown_for_each_report_of_the_other_figure() -> None:
    # a work report and a communiqué give the year-end rate (5.5%); the
    # communiqué also gives the year's average (5.6%): both pairs are explained
    rate = dict(unit="%", unit_class="%", kind="rate", metric="城镇调查失业率")
    report = claim("5.5%", 5.5, doc="report.txt", before="年末城镇调查失业率降到", **rate)
    year_end = claim("5.5%", 5.5, doc="communique.txt", before="年末全国城镇调查失业率为", **rate)
    average = claim("5.6%", 5.6, doc="communique.txt", before="全年城镇调查失业率平均值为", **rate)
    found = check(NAME, report, year_end, average)
    assert not flagged(found)
    explained = [
        {c.doc_name for c in f.claims}
        for f in found
        if f.severity == "info" and any(c is average for c in f.claims)
    ]
    assert {"report.txt", "communique.txt"} in explained


def _national_growth(surface: str, key: str, **kw: str) -> StoredClaim:
    """A national growth rate of the measure `key` (a concept, or concept~qualifier)."""
    value = float(surface.rstrip("%"))
    return claim(
        surface,
        value,
        unit="%",
        unit_class="%",
        kind="rate",
        rate_type="growth",
        metric_key=key,
        scope="全国",
        **kw,
    )


QUALIFIED = [
    # (key a, key b, marker words expected in the reason)
    ("fixed_asset_investment~全社会", "fixed_asset_investment", "covers the whole"),
    ("fixed_asset_investment~不含农户", "fixed_asset_investment~全社会", "excludes"),
    ("disposable_income~实际", "disposable_income", "real rate"),
]


@pytest.mark.parametrize(("key_a", "key_b", "reason"), QUALIFIED)
def test_a_concept_of_two_coverages_is_explained_not_flagged(
    key_a: str, key_b: str, reason: str
) -> None:
    a = _national_growth("4.9%", key_a, metric=key_a)
    b = _national_growth("5.1%", key_b, metric=key_b)
    found = check(NAME, a, b)
    assert not flagged(found)
    assert [f.severity for f in found] == ["info"]
    assert reason in found[0].explanation


def test_a_qualified_concept_agreeing_with_its_own_is_quiet() -> None:
    a = _national_growth("5.1%", "fixed_asset_investment~不含农户")
    b = _national_growth("5.1%", "fixed_asset_investment")
    assert check(NAME, a, b) == []
