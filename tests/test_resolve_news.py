"""A news article is read against its own date (GUIDELINES.md section 4):
each sentence is dated by its own words, figures no word marks as flows are
levels at the article's date, and durations are the rules or states in force
then. The sentences are written for these tests."""

from pathlib import Path

import pytest

from extract_fixtures import by_surface, extract
from unionfacts.models import Claim
from unionfacts.rules import RuleSet, load_rules


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def news(body: str, day: str = "2021-05-18") -> str:
    return (
        f'---\ntitle: "渡轮公司船员短缺"\ndate: "{day}"\nauthor: "本报记者"\n'
        f'url: "https://example.org/a/1"\n---\n\n{body}\n'
    )


def claims(tmp_path: Path, text: str, rules: RuleSet) -> dict[str, Claim]:
    return by_surface(extract(tmp_path, text, rules, "n.txt"))


# (body, surface, kind, period)
NEWS_CASES = [
    # a time of an earlier sentence does not date the next one
    (
        "截至2017年底，渡轮业共有船员约1,200人。另据公司资料，全职船员共有860多名。",
        "860多名",
        "stock",
        "asof:2021-05",
    ),
    (
        "渡轮公司去年调整了津贴。船员每月最高可获津贴3,500元。",
        "3,500元",
        "flow",
        "2021-05",
    ),
    # what no word marks as a flow is a level at the article's date
    ("渡轮业界的4个工会立场各异。", "4个", "stock", "asof:2021-05"),
    # a duration is the rule in force, whatever pay word stands before it
    ("船员底薪按每更工作9小时计算。", "9小时", "stock", "asof:2021-05"),
    ("新船员须接受三日训练。", "三日", "stock", "asof:2021-05"),
    # an event is a flow of its period
    ("上周渡轮航线发生两宗碰撞事故。", "两宗", "flow", "2021-05"),
    # the months up to the article's month
    ("过去4个月内，渡轮航线发生了三宗碰撞。", "三宗", "flow", "2021-02..2021-05"),
    # 周六 in an article of Tuesday 2021-05-18 is the Saturday before
    ("去年3月曾有渡轮搁浅；渡轮周六在港口与货船相撞，造成5人受伤。", "5人", "flow", "2021-05-15"),
    # …but a routine (逢周一至周五) dates nothing
    ("渡轮逢周一至周五加开班次，载客约3,000人次。", "3,000人次", "flow", "2021-05"),
    # 前年: two years before the article's year
    ("统计处前年公布的数字显示，全港有4间渡轮公司。", "4间", "stock", "asof:2019"),
    # 到 a past year is a time of the past, not a target
    ("该船长1990年加入公司，到2000年时月薪已超过1.8万元。", "1.8万元", "flow", "2000"),
    # 2020年新入职的船员: a cohort, not the time of the figure
    ("2020年新入职的船员，起薪约为每月1.2万元。", "1.2万元", "flow", "2021-05"),
    # a day dates the event of its clause, not a level after it
    ("该会于1950年3月8日创立，是业内6个工会里最早的。", "6个", "stock", "asof:2021-05"),
    # 现设有 in news: what exists at the article's date
    ("该协会成立于1980年，现设有9个支部。", "9个", "stock", "asof:2021-05"),
    # pay words date money, not the people they name
    ("随着老船员陆续退休，日薪船员仍有900人。", "900人", "stock", "asof:2021-05"),
    ("资深船员目前月入仍不足1.6万元。", "1.6万元", "flow", "2021-05"),
    ("兼职船员的时薪，约有65元。", "65元", "flow", "2021-05"),
    # a share the article gives without a time is a level at its date
    ("兼职船员当中约两成是退休人士。", "两成", "rate", "asof:2021-05"),
    ("兼职船员的工时占全体工时约6%。", "6%", "rate", "asof:2021-05"),
    # …but a share over a span keeps the span
    ("在2016至2020年期间，兼职船员占全体船员平均约12.5%。", "12.5%", "rate", "2016..2020"),
    # a headcount over a span of years is what the span brought
    ("2001年至2020年间，公司约有4,000名新船员。", "4,000名", "flow", "2001..2020"),
]


@pytest.mark.parametrize(("body", "surface", "kind", "period"), NEWS_CASES)
def test_news_sentence(
    tmp_path: Path, rules: RuleSet, body: str, surface: str, kind: str, period: str
) -> None:
    c = claims(tmp_path, news(body), rules)[surface]
    assert (c.kind, c.period) == (kind, period)


def test_a_report_keeps_the_time_of_its_paragraph(tmp_path: Path, rules: RuleSet) -> None:
    # the same two sentences in a yearly summary: 截至2020年底 dates the paragraph
    text = (
        "# 某市总工会2020年工作总结\n\n"
        "截至2020年底，全市共有工会会员约1,200人。全市职工书屋共有86家。\n"
    )
    c = claims(tmp_path, text, rules)
    assert (c["86家"].kind, c["86家"].period) == ("stock", "asof:2020")


def test_past_to_is_no_target(tmp_path: Path, rules: RuleSet) -> None:
    c = claims(tmp_path, news("他1990年入职，到2000年月入逾1.8万元。"), rules)["1.8万元"]
    assert c.modality == "actual"


REPORT_TO = (
    "# 某市总工会2020年工作总结\n\n"
    "职工留任比率由2016年的41.2%至2019年的52.6%不等。至2020年底，全市共有工会会员5.1万人。"
    "该会现设有7个分会。\n"
)


def test_bare_to_dates_as_of_only_where_it_opens_a_clause(tmp_path: Path, rules: RuleSet) -> None:
    c = claims(tmp_path, REPORT_TO, rules)
    assert c["52.6%"].period == "2019"  # 至2019年的52.6%: the end of a range, not `as of`
    assert (c["5.1万人"].kind, c["5.1万人"].period) == ("stock", "asof:2020")
    assert c["7个"].period == "asof:2020"  # 现设有 is read by the report's frame


REPORT_MONEY = (
    "# 某市人民政府2020年工作报告\n\n全年科研项目经费达到8.6亿元。本外币贷款余额达到1.2万亿元。\n"
)


@pytest.mark.parametrize(
    ("surface", "kind", "period"),
    [("8.6亿元", "flow", "2020"), ("1.2万亿元", "stock", "asof:2020")],
)
def test_money_that_reaches_a_figure_is_a_flow_unless_a_level_word_names_it(
    tmp_path: Path, rules: RuleSet, surface: str, kind: str, period: str
) -> None:
    c = claims(tmp_path, REPORT_MONEY, rules)[surface]
    assert (c.kind, c.period) == (kind, period)


# (body, surface, period, modality): demands and averages the article does not date
UNDATED_CASES = [
    ("船员工会要求公司把底薪提高1,500元。", "1,500元", "?", "target"),
    ("工会争取船员底薪不低于2.1万元。", "2.1万元", "?", "target"),
    ("海员的平均薪酬为17,300元。", "17,300元", "?", "actual"),
    # a demand with a time of its own keeps it
    ("工会去年要求公司把底薪提高1,500元。", "1,500元", "2020", "target"),
]


@pytest.mark.parametrize(("body", "surface", "period", "modality"), UNDATED_CASES)
def test_news_demands_and_averages_without_a_time_are_undated(
    tmp_path: Path, rules: RuleSet, body: str, surface: str, period: str, modality: str
) -> None:
    c = claims(tmp_path, news(body), rules)[surface]
    assert (c.period, c.modality) == (period, modality)


def test_a_report_obtains_what_it_strives_for(tmp_path: Path, rules: RuleSet) -> None:
    text = "# 某市人民政府2020年工作报告\n\n全年争取中央预算内资金12亿元，平均每个项目3000万元。\n"
    c = claims(tmp_path, text, rules)
    assert (c["12亿元"].modality, c["12亿元"].period) == ("actual", "2020")
    assert c["3000万元"].period == "2020"  # 平均 leaves only news figures undated


def test_a_rate_dated_by_a_year_end_is_the_years(tmp_path: Path, rules: RuleSet) -> None:
    text = (
        "# 某市总工会2020年工作总结\n\n截至2020年底，全市职工的流失率约为8%，工会会员共5.1万人。\n"
    )
    c = claims(tmp_path, text, rules)
    assert (c["8%"].period, c["5.1万人"].period) == ("2020", "asof:2020")


TABLE_NOTE = (
    "船员分布\n\n"
    "|  | 全职船员人数 | 兼职船员人数 |\n"
    "| --- | --- | --- |\n"
    "| 天星* | 1,260人 | 140人 |\n"
    "| 港九 | 830人 | 95人 |\n\n"
    "* 2017年海事处估计数字\n"
)


def test_a_note_under_a_table_dates_the_rows_it_marks(tmp_path: Path, rules: RuleSet) -> None:
    c = claims(tmp_path, news(TABLE_NOTE), rules)
    assert (c["1,260人"].period, c["140人"].period) == ("asof:2017", "asof:2017")
    assert c["830人"].period == "asof:2021-05"  # an unmarked row: the article's date


def test_a_change_between_two_stated_levels_spans_their_years(
    tmp_path: Path, rules: RuleSet
) -> None:
    text = news("培训名额从2014年的9,000人减到2019年的6,300人，减少了30%。")
    assert claims(tmp_path, text, rules)["30%"].period == "2014..2019"
