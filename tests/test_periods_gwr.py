"""Periods and kinds of the figures of a 政府工作报告 and a statistical
communiqué: what a year's account reports as the year's amount, what as a
level, which span a figure of a five-year review belongs to, and which
figures the report leaves undated. Each row is a sentence written for this
test inside a report of the genre it names."""

from pathlib import Path

import pytest

from extract_fixtures import by_surface, extract
from unionfacts.models import Claim
from unionfacts.rules import RuleSet, load_rules


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


# a government work report of March 2031: it reviews 2030 and 2026..2030
GWR_HEAD = (
    "# 2031年政府工作报告\n\n"
    "——2031年3月5日在第十五届全国人民代表大会第一次会议上\n\n"
    "国务院总理 某某\n\n"
    "## 一、过去一年和五年工作回顾\n\n"
    "过去一年，我们攻坚克难，完成了全年目标任务。\n\n"
    "过去五年极不平凡，我们经受住了多重考验。\n\n"
)
STATCOMM_HEAD = "# 中华人民共和国2030年国民经济和社会发展统计公报\n\n国家统计局\n\n## 一、综合\n\n"
UNION_HEAD = "# 某区总工会2030年工作总结\n\n2031年1月10日\n\n"

HEADS = {"gwr": GWR_HEAD, "statcomm": STATCOMM_HEAD, "union": UNION_HEAD}


def claims(tmp_path: Path, rules: RuleSet, genre: str, body: str) -> dict[str, Claim]:
    return by_surface(extract(tmp_path, HEADS[genre] + body + "\n", rules, f"{genre}.txt"))


CASES = [
    # 建成 in a year's account is what was built that year; in a union's report
    # it is what stands
    ("gwr", "全年建成社区食堂35个。", "35个", "2030", "flow"),
    ("statcomm", "全年保障性住房基本建成150万套。", "150万套", "2030", "flow"),
    ("union", "全区建成职工驿站35个。", "35个", "asof:2030", "stock"),
    # money a weak level cue leaves the year's amount, unless a level word stands
    ("gwr", "全年出口退税超过2000亿元。", "2000亿元", "2030", "flow"),
    ("gwr", "全年政府引导基金管理规模突破900亿元。", "900亿元", "asof:2030", "stock"),
    # a project's size (总投资…的) is undated; 多年来 gives no start
    ("gwr", "总投资45亿元的新能源汽车产业园开工建设。", "45亿元", "?", "flow"),
    ("gwr", "全年完成投资45亿元。", "45亿元", "2030", "flow"),
    ("gwr", "多年来取消审批事项300多项。", "300多项", "?", "flow"),
    ("gwr", "多年来审批时间压缩到不超过100个工作日。", "100个工作日", "asof:2030", "stock"),
    # the level a change reached, with its bound word
    ("gwr", "企业出口退税办理时间压缩至5个工作日以内。", "5个工作日", "asof:2030", "stock"),
    # a rate its sentence dates at a point; a share of a year's observations
    ("statcomm", "年末全国城镇调查失业率为5.1%。", "5.1%", "asof:2030-12", "rate"),
    ("statcomm", "全年地表水水质优良断面比例为88.1%。", "88.1%", "2030", "rate"),
    ("statcomm", "全国森林覆盖率为24.1%。", "24.1%", "asof:2030", "rate"),
    ("gwr", "85%的县级医院设立老年医学科。", "85%", "asof:2030", "rate"),
    # the group a clause reports on, and the count of a class in it
    (
        "statcomm",
        "在监测的300个地级及以上城市中，全年达标的城市占60.1%。",
        "300个",
        "asof:2030",
        "stock",
    ),
    (
        "statcomm",
        "12月份，60个城市中，房价上涨的城市个数为10个，下降的为50个。",
        "50个",
        "asof:2030-12",
        "stock",
    ),
    # 覆盖 of people insured is a level in a government's report, a reach in a union's
    ("gwr", "基本养老保险覆盖10.6亿人。", "10.6亿人", "asof:2030", "stock"),
    ("union", "全年慰问活动覆盖职工120万人次。", "120万人次", "2030", "flow"),
    # a year's supply and trade are flows whatever they reach
    ("gwr", "全年天然气供应量达到200亿立方米。", "200亿立方米", "2030", "flow"),
    ("gwr", "全年进出口规模突破5万亿元。", "5万亿元", "2030", "flow"),
    ("gwr", "全年新改建农村公路超过2万公里。", "2万公里", "2030", "flow"),
    ("gwr", "全年新签约项目达到80个。", "80个", "2030", "flow"),
    # a yearly amount in a five-year review is the last year's
    ("gwr", "减税政策的税收优惠年度规模已超过8000亿元。", "8000亿元", "2030", "flow"),
    # a target level of a named year
    ("gwr", "到2035年，人均生产总值达到12万元。", "12万元", "2035", "flow"),
]


@pytest.mark.parametrize(("genre", "body", "surface", "period", "kind"), CASES)
def test_period_and_kind(
    tmp_path: Path, rules: RuleSet, genre: str, body: str, surface: str, period: str, kind: str
) -> None:
    c = claims(tmp_path, rules, genre, body)[surface]
    assert (c.period, c.kind) == (period, kind)


# figures of a five-year review: which span each belongs to
TEN_YEARS = "——经济实力再上台阶。生产总值十年增加近80万亿元。粮食产量连年稳定在1.4万亿斤以上。"
SHARE = "——生态环境明显改善。城市空气质量优良天数比例达87.5%、上升3个百分点。"
POVERTY = "——脱贫攻坚任务胜利完成。3000万农村贫困人口实现脱贫。"
AFTER_POVERTY = POVERTY + "\n\n——科技创新成果丰硕。新建实验室20个。"
THESE_YEARS = (
    "——这五年，经济实力显著跃升。2030年生产总值达到9万亿元，年均增长5.5%。外贸企业新增500家。"
)
SPANS = [
    # 突破 names the level of the span's last year; 十年 dates its own sentence only
    ("——经济实力再上台阶。工业增加值突破50万亿元。", "50万亿元", "2030"),
    (TEN_YEARS, "80万亿元", "2021..2030"),
    (TEN_YEARS, "1.4万亿斤", "2026..2030"),
    ("——经济实力再上台阶。市场主体是十年前的3倍。", "3倍", "2021..2030"),
    # a share of one year's observations is the last year's, its change the span's
    (SHARE, "87.5%", "2030"),
    (SHARE, "3个百分点", "2026..2030"),
    # the poverty campaign's figures are its own, and its span stops with its paragraph
    (POVERTY, "3000万", "2013..2020"),
    (AFTER_POVERTY, "20个", "2026..2030"),
    # in a paragraph a span opens, a year further on dates its own sentence only,
    # and a yearly average is the span's
    (THESE_YEARS, "9万亿元", "2030"),
    (THESE_YEARS, "5.5%", "2026..2030"),
    (THESE_YEARS, "500家", "2026..2030"),
]


@pytest.mark.parametrize(("body", "surface", "period"), SPANS)
def test_five_year_review_spans(
    tmp_path: Path, rules: RuleSet, body: str, surface: str, period: str
) -> None:
    assert claims(tmp_path, rules, "gwr", body)[surface].period == period
