"""Attributes read from context: metric, period, scope, kind, modality and
part-of, on short reports written for these tests."""

from pathlib import Path

import pytest

from extract_fixtures import by_surface, extract
from unionfacts.rules import RuleSet, load_rules


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


FIVE_YEAR = (
    "# 北京市工会第十六次代表大会工作报告\n\n"
    "过去五年,全市各级工会团结奋斗。2028年12月10日大会召开。\n\n"
    "新发展会员150.2万人,其中新就业形态劳动者41.6万人;全市新建工会组织5120个。"
    "截至目前,全市暖心驿站总数达9100余个。\n\n"
    "2026年新增职工书屋120家。\n"
)


def test_five_year_report(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, FIVE_YEAR, rules)
    assert doc.meta.scope == "北京市" and doc.meta.year == 2028
    c = by_surface(doc)
    members = c["150.2万人"]
    assert (members.metric, members.period, members.kind) == ("新发展会员", "2024..2028", "flow")
    part = c["41.6万人"]
    assert part.part_of == members.seq and "新就业形态劳动者" in part.metric
    assert c["5120个"].metric == "新建工会组织" and c["5120个"].metric_rule == "union_orgs"
    stations = c["9100余个"]
    assert (stations.kind, stations.period, stations.approx) == ("stock", "asof:2028-12", "over")
    assert c["120家"].period == "2026"
    # every span is the expression as printed
    for claim in doc.claims:
        assert doc.document.text[claim.start : claim.end] == claim.surface


HALF_YEAR = (
    "顺义区总工会2025年上半年工作总结和下半年重点工作\n\n"
    "7月20日,顺义区总工会召开半年工作会。\n\n"
    "【上半年工作总结】\n\n"
    "全区新发展会员1.2万人,直属单位由12个减少到8个。全区符合条件的30家网点全部建立驿站;"
    "全市返还经费1.1亿元。\n\n"
    "【下半年重点工作】\n\n"
    "下半年再建立暖心驿站50个。\n"
)


def test_half_year_summary(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, HALF_YEAR, rules)
    assert doc.meta.scope == "顺义区"
    c = by_surface(doc)
    assert c["1.2万人"].period == "2025-H1" and c["1.2万人"].scope == "顺义区"
    assert (c["12个"].kind, c["12个"].period) == ("stock", "?")
    assert (c["8个"].kind, c["8个"].period) == ("stock", "asof:2025-06")
    assert c["1.1亿元"].scope == "北京市"  # 全市 in a district report
    target = c["50个"]
    assert (target.modality, target.period, target.metric) == ("target", "2025-H2", "暖心驿站")
    assert c["1.2万人"].modality == "actual"


def test_list_items_share_their_verb(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, "2024年,走访慰问企业3100家、职工12.4万人次。\n", rules)
    assert by_surface(doc)["12.4万人次"].metric == "走访慰问职工"


def test_number_before_its_noun(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, "2024年,新建14家货运行业联合工会、41个快递行业联合工会。\n", rules)
    c = by_surface(doc)
    assert "货运行业联合工会" in c["14家"].metric
    assert "快递行业联合工会" in c["41个"].metric


def test_coordinated_places(tmp_path: Path, rules: RuleSet) -> None:
    text = (
        "北京市总工会2020年工作。\n\n拨付湖北省和武汉市善款1299.75万元,其中拨付武汉市948.96万元。\n"
    )
    doc = extract(tmp_path, text, rules)
    c = by_surface(doc)
    assert c["1299.75万元"].scope == "湖北省"
    assert c["948.96万元"].scope == "武汉市"
    assert c["948.96万元"].part_of == c["1299.75万元"].seq


COMMUNIQUE = (
    "2024年北京市国民经济和社会发展统计公报\n\n"
    "全年地区生产总值4376.07亿元,比上年增长5.2%。年末常住人口2185.8万人。\n\n"
    "1-6月,全市新建工会组织312个。前三季度,新发展会员4.1万人。\n\n"
    "“十四五”时期,累计培训职工15万人次。\n"
)


def test_calendar_expressions(tmp_path: Path, rules: RuleSet) -> None:
    c = by_surface(extract(tmp_path, COMMUNIQUE, rules))
    assert c["4376.07亿元"].period == "2024"
    growth = c["5.2%"]
    assert growth.kind == "rate" and "地区生产总值" in growth.metric  # borrows the clause before
    assert (c["2185.8万人"].kind, c["2185.8万人"].period) == ("stock", "asof:2024-12")
    assert c["312个"].period == "2024-01..2024-06"
    assert c["4.1万人"].period == "2024-Q1..2024-Q3"
    assert c["15万人次"].period == "2021..2025"


NATIONAL = (
    "中华全国总工会2024年工作报告\n（2025年1月10日）\n\n"
    "2024年,全国各级工会新发展会员1200万人。截至2024年6月底,工会会员总数达3.1亿人。\n"
)


def test_national_report_with_dateline(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, NATIONAL, rules)
    assert doc.meta.scope == "全国"
    assert str(doc.meta.date) == "2025-01-10"
    c = by_surface(doc)
    assert (c["1200万人"].period, c["1200万人"].scope) == ("2024", "全国")
    assert (c["3.1亿人"].kind, c["3.1亿人"].period) == ("stock", "asof:2024-06")


def test_body_text_is_no_title(tmp_path: Path, rules: RuleSet) -> None:
    # the first line names 全国总工会 but is a sentence of the body, not a title
    text = "一年来,在北京市委和全国总工会的坚强领导下,首都各级工会新发展会员39.08万人。\n"
    assert extract(tmp_path, text, rules).meta.scope == "北京市"


DIGEST = (
    "2023年广东省工会十大新闻\n\n"
    "一、省总工会召开全委会议\n\n"
    "1月18日，广东省总工会全委（扩大）会议在广州召开。\n\n"
    "二、服务阵地建设持续推进\n\n"
    "目前，全省建成“工会驿站”1.1万个；深圳、广州两市驿站数量分别达到2100个和1850个。\n"
)


def test_digest_items_and_respective_places(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, DIGEST, rules)
    assert doc.meta.date is None  # the first news item's meeting does not date the digest
    c = by_surface(doc)
    assert c["1.1万个"].period == "asof:2023"
    assert (c["2100个"].scope, c["1850个"].scope) == ("深圳市", "广州市")  # 分别: in order


COMMUNIQUE_NATIONAL = (
    "2022年工会组织和工会发展状况统计公报\n\n中华全国总工会\n\n"
    "截至2022年底，全国共有基层工会组织283.5万个，比上年末增加5.3万个，增长1.9%。\n"
)


def test_national_communique(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, COMMUNIQUE_NATIONAL, rules)
    assert doc.meta.scope == "全国"  # from the byline under the title
    c = by_surface(doc)
    assert (c["283.5万个"].kind, c["283.5万个"].period, c["283.5万个"].scope) == (
        "stock",
        "asof:2022",
        "全国",
    )
    assert (c["5.3万个"].kind, c["5.3万个"].period) == ("flow", "2022")  # a change
    assert c["1.9%"].kind == "rate"


COUNTY = (
    "# 长丰县总工会2024年前三季度工作总结\n\n"
    "截至9月底，全县新建基层工会组织86个，新发展会员5620人，其中：新就业形态劳动者1830人。\n"
)


def test_unlisted_county_and_parts_share_their_whole(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, COUNTY, rules)
    assert doc.meta.scope == "长丰县"  # named in the title though the rules do not list it
    c = by_surface(doc)
    assert c["5620人"].scope == "长丰县"
    part, whole = c["1830人"], c["5620人"]
    assert part.part_of == whole.seq
    assert (part.kind, part.period) == (whole.kind, whole.period) == ("flow", "2024-01..2024-09")


def test_relative_word_is_no_place_name(tmp_path: Path, rules: RuleSet) -> None:
    text = "奋力推动全市工会工作再上新台阶\n\n2024年,新发展会员1.2万人。\n"
    assert extract(tmp_path, text, rules).meta.scope != "奋力推动全市"


PROVINCE = (
    "浙江省总工会第十五次代表大会工作报告\n\n（2023年6月12日）\n\n"
    "过去五年，全省累计新发展会员412万人，工会会员总数达到1560万人，较2018年增长18.6%。"
    "全省建成“暖心驿站”4300余个，是2018年的3.2倍。\n\n"
    "今后五年，力争新发展会员300万人以上。\n"
)


def test_base_years_of_comparison_are_not_the_period(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, PROVINCE, rules)
    assert doc.meta.year == 2023  # 2018 is named twice, but only as a base
    c = by_surface(doc)
    assert c["412万人"].period == "2019..2023"
    assert c["18.6%"].period == "2019..2023"
    assert c["4300余个"].period == "asof:2023-06"
    assert (c["300万人"].period, c["300万人"].modality) == ("2024..2028", "target")


def test_the_title_names_the_year_under_review(tmp_path: Path, rules: RuleSet) -> None:
    text = "上海市总工会2022年工作报告\n\n（2023年2月16日）\n\n全年新发展会员31.2万人。\n"
    doc = extract(tmp_path, text, rules)
    assert (doc.meta.year, str(doc.meta.date)) == (2022, "2023-02-16")
    assert by_surface(doc)["31.2万人"].period == "2022"


# (text, part, its whole or None): what 其中, 包括 and a breakdown link
PARTS = [
    # a breakdown splits the paragraph's total, a second one splits it again
    (
        "全年规模以上企业利润8000亿元，比上年下降4.0%。分经济类型看，国有企业利润2000亿元，"
        "比上年增长3.0%；私营企业3000亿元，下降2.7%。分门类看，采矿业利润1000亿元，增长5%；"
        "制造业7000亿元，下降1%。",
        ["2000亿元", "3000亿元", "1000亿元", "7000亿元"],
        "8000亿元",
    ),
    # a rate is never a part: the whole's growth is no sum of its parts' growth
    (
        "全年货物进出口总额4200亿元，比上年增长7.7%。其中，出口2400亿元，增长10.5%。",
        ["10.5%"],
        None,
    ),
    # a figure inside a parenthesis that has closed is no whole of a later 其中
    (
        "年末民用汽车保有量3190万辆（包括低速货车72万辆），比上年末增加175万辆，"
        "其中私人汽车保有量2787万辆。",
        ["2787万辆"],
        "3190万辆",
    ),
    # a 包括 inside a closed parenthesis lists words, not the figure after it
    (
        "首发筹资570亿元，其中科创板筹资252亿元；再融资（包括增发、配股）940亿元。",
        ["940亿元"],
        None,
    ),
]


@pytest.mark.parametrize(("text", "parts", "whole"), PARTS)
def test_parts_and_their_wholes(
    tmp_path: Path, rules: RuleSet, text: str, parts: list[str], whole: str | None
) -> None:
    c = by_surface(extract(tmp_path, "# 2022年统计公报\n\n" + text + "\n", rules))
    want = c[whole].seq if whole is not None else None
    assert [c[p].part_of for p in parts] == [want] * len(parts)


# (sentence, the figure, its display metric): the unit is what is counted only
# after a verb that counts (分为六段), never after a linking word (上限为)
UNIT_AS_COUNTED = [
    ("全年活动分为六段进行。", "六段", "活动分为段"),
    ("新指引列明，每更驾驶时间上限为10小时。", "10小时", "每更驾驶时间上限"),
]


@pytest.mark.parametrize(("text", "surface", "metric"), UNIT_AS_COUNTED)
def test_the_unit_as_the_counted_noun(
    tmp_path: Path, rules: RuleSet, text: str, surface: str, metric: str
) -> None:
    c = by_surface(extract(tmp_path, "# 2022年工作报告\n\n" + text + "\n", rules))
    assert c[surface].metric == metric
