"""Candidates: value, unit and approximation of number expressions, and the
numbers that are not claims (GUIDELINES.md section 1). Sentences written for
these tests in the style of union work reports."""

from decimal import Decimal

import pytest

from unionfacts.extract import Candidate, filter_spans, find_candidates
from unionfacts.normalize import normalize
from unionfacts.rules import RuleSet, Unit, load_rules


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def found(text: str, rules: RuleSet) -> list[tuple[str, Decimal, str, str]]:
    norm = normalize(text)
    return [
        (norm.text[c.start : c.end], c.value, c.unit.unit, c.approx)
        for c in find_candidates(norm.text, rules)
    ]


CLAIMS = [
    # text, expected expression, value, unit, approx
    ("全年新发展会员12.6万人。", "12.6万人", "126000", "人", "exact"),
    ("建成暖心驿站8300余个。", "8300余个", "8300", "个", "over"),
    ("为近1.5万名职工体检。", "1.5万名", "15000", "人", "under"),
    ("返还经费2.35亿元。", "2.35亿元", "235000000", "元", "exact"),
    ("覆盖率达92.4%。", "92.4%", "92.4", "%", "exact"),
    ("投入资金1,100万元。", "1,100万元", "11000000", "元", "exact"),
    ("出台十余项措施。", "十余项", "10", "项", "over"),
    ("先后两次来到基层。", "两次", "2", "次", "exact"),
    ("超过总数的四分之一。", "四分之一", "25", "%", "over"),
    ("疗休养3万4000人次。", "3万4000人次", "34000", "人次", "exact"),
    ("参赛职工约3000人。", "3000人", "3000", "人", "about"),
    ("覆盖职工100万人以上。", "100万人", "1000000", "人", "over"),
    ("涉及职工万余人。", "万余人", "10000", "人", "over"),
    ("收到13万余爱心人士捐赠。", "13万余", "130000", "人", "over"),
    ("提高3.5个百分点。", "3.5个百分点", "3.5", "百分点", "exact"),
    ("職工溝通會1.4 萬余場。", "1.4万余场", "14000", "场", "over"),
    ("举办了数千场活动。", "数千场", "1000", "场", "over"),
    ("连续举办七届艺术节。", "七届", "7", "届", "exact"),
    ("全年新增会员不少于5万人。", "5万人", "50000", "人", "over"),
    ("小微企业约占三成。", "三成", "30", "%", "about"),
    ("全年为职工办实事十项。", "十项", "10", "项", "exact"),
    ("百分之八十五的企业。", "百分之八十五", "85", "%", "exact"),
    ("全年新发展会员39.08万,超额完成任务。", "39.08万", "390800", "人", "exact"),  # unit from 会员
    ("办理时间比上年缩短一半。", "一半", "50", "%", "exact"),  # a word that is a number
    ("我啲出席率都百分百。", "百分百", "100", "%", "exact"),
    ("占所有公共交通服务量约三分一。", "三分一", "33.3333", "%", "about"),  # Cantonese
    ("全国财政收入十年接近翻一番。", "翻一番", "100", "%", "under"),
    ("实现超低排放的煤电机组10.5亿千瓦。", "10.5亿千瓦", "1050000000", "千瓦", "exact"),
    ("共向1000多万失业人员发放。", "1000多万", "10000000", "人", "over"),  # noun after
    ("惠及2900多万家庭。", "2900多万", "29000000", "户", "over"),
    ("吸引近千人参加。", "千人", "1000", "人", "under"),
    ("建成十几个站点。", "十几个", "10", "个", "over"),
    ("逾八成职工满意。", "八成", "80", "%", "over"),
    ("完成三成以上。", "三成", "30", "%", "over"),
]


@pytest.mark.parametrize(("text", "expr", "value", "unit", "approx"), CLAIMS)
def test_claim_found(
    text: str, expr: str, value: str, unit: str, approx: str, rules: RuleSet
) -> None:
    assert found(text, rules) == [(expr, Decimal(value), unit, approx)]


NOT_CLAIMS = [
    "2023年是开局之年。",  # a year
    "4月25日召开大会。",  # a date
    "工会第十五次代表大会。",  # an ordinal
    "在第七届全国职工职业技能大赛中。",  # an edition
    "市委十二届十七次全会。",  # session numbering
    "十九届五中全会精神。",
    "坚决做到“两个维护”。",  # a quoted slogan
    "落实中央八项规定。",  # a political formula
    "庆祝建党100周年。",  # an anniversary
    "12351热线运行平稳。",  # a code
    "“十四五”时期职工发展规划。",
    "百人以上企业完成建设。",  # a size threshold
    "五十人以上企业建制。",
    "构建五位一体的维权体系。",
    "作为一项重大政治任务。",  # the numeral one as an article
    "办好百名劳模图片展。",  # a round numeral in a name
    "启动援疆五年计划。",  # a duration of speech
    "光荣在党50年纪念章。",
    "三年行动计划(2023-2025年)。",  # a plan's range
    "十分关注这两场盛会。",  # refers back
    "“4+N”协商内容。",
    "职工写下39.08万字的材料。",  # a scaled number before more words takes no unit from before
    "成立三成员小组。",  # 成员, not tenths
]


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_not_a_claim(text: str, rules: RuleSet) -> None:
    assert found(text, rules) == []


def test_each_occurrence_is_a_claim(rules: RuleSet) -> None:
    text = "新增3553家。新增3553家。"
    assert [e for e, *_ in found(text, rules)] == ["3553家", "3553家"]


def _cand(start: int, end: int) -> Candidate:
    unit = Unit("piece", "个", "个", None, False)
    return Candidate(start, end, Decimal(1), unit, "exact", "arabic", "t", end)


def test_filter_spans_keeps_longest_then_earliest() -> None:
    kept = filter_spans([_cand(0, 3), _cand(2, 8), _cand(7, 9), _cand(10, 12)])
    assert [(c.start, c.end) for c in kept] == [(2, 8), (10, 12)]
