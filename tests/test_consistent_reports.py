"""End to end on two reports written for this test: a half-year summary and
the year's report of one city, every figure consistent with the other. Nothing
may be flagged as an error or a warning, and the differences that look like
contradictions (a half year inside its year, 近4万 against 3.98万, a year inside
a span since 2016) must be shown as information."""

from __future__ import annotations

import pytest

from unionfacts.check import Finding, load_check_rules, run_checks
from unionfacts.ingest import ingest_paths
from unionfacts.rules import load_rules
from unionfacts.store import open_database, stored_claims

HALF_YEAR = (
    "江宁市总工会2024年上半年工作总结\n\n（2024年7月20日）\n\n"
    "上半年，全市新发展会员近4万人，其中新就业形态劳动者1.2万人。截至6月底，全市工会会员"
    "总数达到86.5万人，暖心驿站总数达到620个。全市返还小微企业工会经费超过1.2亿元。"
    "下半年，力争新发展会员5万人。\n"
)
YEAR = (
    "江宁市总工会2024年工作报告\n\n（2025年1月18日）\n\n"
    "2024年，全市新发展会员8.12万人，其中上半年3.98万人；新就业形态劳动者会员2.6万人。"
    "截至2024年底，全市工会会员总数达到90.1万人，暖心驿站总数达到700个，全年新建暖心驿站80个。"
    "全年返还小微企业工会经费12,356万元。2016年以来，累计新发展会员52万人。\n"
)


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    root = tmp_path_factory.mktemp("city")
    (root / "reports").mkdir()
    (root / "reports" / "half.txt").write_text(HALF_YEAR, encoding="utf-8")
    (root / "reports" / "year.txt").write_text(YEAR, encoding="utf-8")
    engine = open_database(f"sqlite:///{root / 'db.sqlite'}")
    summary = ingest_paths(engine, [root / "reports"], load_rules())
    assert not summary.failed
    return run_checks(list(stored_claims(engine)), load_check_rules())


def test_nothing_consistent_is_flagged(findings: list[Finding]) -> None:
    flagged = [f for f in findings if f.severity in ("error", "warning")]
    assert not flagged, [f.explanation for f in flagged]


@pytest.mark.parametrize(
    ("check", "surfaces"),
    [
        ("subperiod_exceeds_period", {"3.98万人", "8.12万人"}),  # 其中上半年: a part in time
        ("subperiod_exceeds_period", {"1.2亿元", "12,356万元"}),  # a half inside its year
        ("subperiod_exceeds_period", {"8.12万人", "52万人"}),  # a year inside 2016年以来
        ("same_fact_differs", {"4万人", "3.98万人"}),  # 近4万 agrees with 3.98万
    ],
)
def test_explained_differences_are_shown(
    findings: list[Finding], check: str, surfaces: set[str]
) -> None:
    shown = [
        f
        for f in findings
        if f.check == check and f.severity == "info" and surfaces <= {c.surface for c in f.claims}
    ]
    assert shown, f"{check} should explain {surfaces}"


CONTRADICTING_HALF = (
    "江宁市总工会2024年上半年工作总结\n\n（2024年7月20日）\n\n"
    "上半年，全市新发展会员3.2万人，其中新就业形态劳动者4.1万人。"
    "截至6月底，全市工会会员总数达到86.5万人。\n"
)
CONTRADICTING_YEAR = (
    "江宁市总工会2024年工作报告\n\n（2025年1月18日）\n\n"
    "2024年上半年，全市新发展会员3.6万人。截至2024年底，全市工会会员总数达到81.2万人。\n"
)


def test_contradictions_between_reports_are_flagged(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("contradicting")
    (root / "reports").mkdir()
    (root / "reports" / "half.txt").write_text(CONTRADICTING_HALF, encoding="utf-8")
    (root / "reports" / "year.txt").write_text(CONTRADICTING_YEAR, encoding="utf-8")
    engine = open_database(f"sqlite:///{root / 'db.sqlite'}")
    ingest_paths(engine, [root / "reports"], load_rules())
    found = {
        (f.check, f.severity, frozenset(c.surface for c in f.claims))
        for f in run_checks(list(stored_claims(engine)), load_check_rules())
    }
    assert ("part_exceeds_whole", "error", frozenset({"4.1万人", "3.2万人"})) in found
    assert ("same_fact_differs", "error", frozenset({"3.2万人", "3.6万人"})) in found
    assert ("stock_decreases", "warning", frozenset({"86.5万人", "81.2万人"})) in found
