"""Tables: every measured value in a cell is a claim, with unit, multiplier,
metric, period and part-of from the table's headers. Invented documents; each
expectation names a cell by its text as printed in the original document."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from unionfacts.load import load_file
from unionfacts.models import Claim, ExtractedDocument
from unionfacts.normalize import normalize
from unionfacts.pipeline import extract_document
from unionfacts.rules import RuleSet, load_rules
from unionfacts.tables import Tables, parse_unit_word


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def extract(tmp_path: Path, text: str, rules: RuleSet) -> ExtractedDocument:
    path = tmp_path / "t.md"
    path.write_text(text, encoding="utf-8")
    return extract_document(load_file(path), rules)


# A pipe table with a unit column and a growth column, negatives, a footnote marker.
UNIT_COLUMN = (
    "# 某省2031年统计公报\n\n"
    "**表3 2031年主要产品产量及其增长速度[9]**\n\n"
    "| 产品名称 | 单位 | 产量 | 比上年增长(%) |\n"
    "| --- | --- | --- | --- |\n"
    "| 钢丝 | 万吨 | 312.5 | -4.2 |\n"
    "| 电池 | 亿块 | 18.0 | 12.6 |\n"
    "| 发电机组 | 万千瓦 | 905.1 | 0.7 |\n"
)

# Header units, a 年末 caption (levels), 其中 rows that add up to their whole.
HEADER_UNITS = (
    "**表1 2031年年末常住人口及其构成**\n\n"
    "| 指标 | 年末数(万人) | 比重(%) |\n"
    "| --- | --- | --- |\n"
    "| 常住人口 | 5000 | 100.0 |\n"
    "| 其中:城镇 | 3600 | 72.0 |\n"
    "| 乡村 | 1400 | 28.0 |\n"
    "| 60岁以上 | 1100 | 22.0 |\n"
    "| 其中:80岁以上 | 300 | 6.0 |\n"
)

# An aligned list-table under a unit line and a header split over two lines.
ALIGNED = (
    "**表2 2031年居民消费价格比上年涨跌幅度**\n\n"
    "- 单位:%\n"
    "- 指标 全省\n"
    "- 城市 农村\n"
    "- 消费价格 1.5 1.4 1.8\n"
    "- 其中:食品 -0.3 -0.2 -0.6\n"
    "- 交 通[3] 2.1 2.0 2.4\n"
)

# An HTML table whose header names the period of each column.
HTML_PERIODS = (
    "<table>\n<tr><th>指标</th><th>2029年</th><th>2030年</th></tr>\n"
    "<tr><td>新建驿站(个)</td><td>120</td><td>150</td></tr>\n</table>\n"
)

# Two growth columns, each of the value to its left; headers broken by <br>.
TRADE = (
    "| 国家 | 出口额<br>(亿元) | 比上年增长<br>(%) | 进口额<br>(亿元) | 比上年增长<br>(%) |\n"
    "| --- | --- | --- | --- | --- |\n"
    "| 甲国 | 3790 | 21.7 | 2724 | 6.8 |\n"
)

# Month columns; a cell with a figure and its change on two lines.
MONTHS = (
    "| 地区 | 2031年1月新增会员(人) | 2031年2月新增会员(人) |\n"
    "| --- | --- | --- |\n"
    "| 东区 | 1200<br>增长5.2% | 1300 |\n"
)

# Cells that say their numbers in words, with their own units.
# (a first column named 单位 lists organisations, not units)
WORDS = "| 单位 | 活动 | 会员(人) |\n| --- | --- | --- |\n| 甲会 | 举办两场 | 40 |\n"

# A wide table that repeats its label column.
WIDE = (
    "**表6 2031年分行业投资增长速度**\n\n"
    "| 行业 | 比上年增长(%) | 行业 | 比上年增长(%) |\n"
    "| --- | --- | --- | --- |\n"
    "| 采矿业 | 4.5 | 教育 | 5.4 |\n"
)

# A news table: counts with their shares, money cells, a cell of two lines.
NEWS = (
    "---\ndate: 2031-05-06\n---\n\n"
    "|  | 正式职工人数(%) | 临时工人数(%) |\n"
    "| --- | --- | --- |\n"
    "| 甲公司 | 6,100(61%) | 3,900(39%) |\n\n"
    "| 项目 | 旧规定 | 新规定 |\n"
    "| --- | --- | --- |\n"
    "| 每月补贴 | 1,200元 | 甲类:1,500元   \n 乙类:1,300元 |\n"
)


def _claims(doc: ExtractedDocument) -> list[Claim]:
    return list(doc.claims)


def _cell(doc: ExtractedDocument, surface: str, nth: int = 0) -> Claim:
    found = [c for c in doc.claims if c.surface == surface]
    assert len(found) > nth, f"no claim {surface!r}: {[c.surface for c in doc.claims]}"
    return found[nth]


CASES = [
    # (document, surface, nth, value, unit, metric contains, period, kind)
    (UNIT_COLUMN, "312.5", 0, "3125000", "吨", "钢丝产量", "2031", "flow"),
    (UNIT_COLUMN, "-4.2", 0, "-4.2", "%", "钢丝产量比上年增长", "2031", "rate"),
    (UNIT_COLUMN, "18.0", 0, "1800000000", "块", "电池", "2031", "flow"),
    (UNIT_COLUMN, "905.1", 0, "9051000", "千瓦", "发电机组", "2031", "flow"),
    (HEADER_UNITS, "5000", 0, "50000000", "人", "常住人口年末数", "asof:2031", "stock"),
    (HEADER_UNITS, "72.0", 0, "72", "%", "城镇年末数比重", "asof:2031", "rate"),
    (ALIGNED, "1.5", 0, "1.5", "%", "消费价格全省", "2031", "rate"),
    (ALIGNED, "1.8", 0, "1.8", "%", "消费价格农村", "2031", "rate"),
    (ALIGNED, "-0.6", 0, "-0.6", "%", "食品农村", "2031", "rate"),
    (ALIGNED, "2.4", 0, "2.4", "%", "交通农村", "2031", "rate"),
    (HTML_PERIODS, "120", 0, "120", "个", "新建驿站2029年", "2029", "flow"),
    (HTML_PERIODS, "150", 0, "150", "个", "新建驿站2030年", "2030", "flow"),
    (TRADE, "3790", 0, "379000000000", "元", "甲国出口额", None, "flow"),
    (TRADE, "21.7", 0, "21.7", "%", "甲国出口额比上年增长", None, "rate"),
    (TRADE, "6.8", 0, "6.8", "%", "甲国进口额比上年增长", None, "rate"),
    (MONTHS, "1200", 0, "1200", "人", "东区2031年1月新增会员", "2031-01", "flow"),
    (MONTHS, "5.2%", 0, "5.2", "%", "东区2031年1月新增会员增长", "2031-01", "rate"),
    (MONTHS, "1300", 0, "1300", "人", "东区2031年2月新增会员", "2031-02", "flow"),
    (WORDS, "两场", 0, "2", "场", "甲会活动", None, "flow"),
    (WORDS, "40", 0, "40", "人", "甲会会员", None, None),
    (WIDE, "4.5", 0, "4.5", "%", "采矿业比上年增长", "2031", "rate"),
    (WIDE, "5.4", 0, "5.4", "%", "教育比上年增长", "2031", "rate"),
    (NEWS, "6,100", 0, "6100", "人", "甲公司正式职工人数", "asof:2031-05", "stock"),
    (NEWS, "61%", 0, "61", "%", "正式职工人数比例", "asof:2031-05", "rate"),
    (NEWS, "1,500元", 0, "1500", "元", "每月补贴新规定甲类", None, "flow"),
    (NEWS, "1,300元", 0, "1300", "元", "每月补贴新规定乙类", None, "flow"),
]


@pytest.mark.parametrize(
    ("text", "surface", "nth", "value", "unit", "metric", "period", "kind"),
    CASES,
    ids=[f"{c[1]}-{c[5]}" for c in CASES],
)
def test_cell_claim(
    tmp_path: Path,
    rules: RuleSet,
    text: str,
    surface: str,
    nth: int,
    value: str,
    unit: str,
    metric: str,
    period: str | None,
    kind: str | None,
) -> None:
    doc = extract(tmp_path, text, rules)
    c = _cell(doc, surface, nth)
    assert (c.value, c.unit) == (Decimal(value), unit)
    if kind is not None:
        assert c.kind == kind
    assert metric in c.metric
    if period is not None:
        assert c.period == period


@pytest.mark.parametrize(
    "text", [UNIT_COLUMN, HEADER_UNITS, ALIGNED, HTML_PERIODS, NEWS, MONTHS, TRADE, WIDE]
)
def test_spans_are_exact_in_the_original(tmp_path: Path, rules: RuleSet, text: str) -> None:
    doc = extract(tmp_path, text, rules)
    assert doc.claims
    for c in doc.claims:
        assert doc.document.text[c.start : c.end] == c.surface


def test_headers_and_labels_give_no_claims(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, UNIT_COLUMN + "\n" + HEADER_UNITS, rules)
    surfaces = {c.surface for c in doc.claims}
    assert not surfaces & {"3", "9", "2031", "2031年"}  # caption, footnote, year


def test_every_value_of_a_table_is_a_claim(tmp_path: Path, rules: RuleSet) -> None:
    assert len(extract(tmp_path, UNIT_COLUMN, rules).claims) == 6
    assert len(extract(tmp_path, HEADER_UNITS, rules).claims) == 10
    assert len(extract(tmp_path, ALIGNED, rules).claims) == 9


def test_rows_under_qizhong_are_parts(tmp_path: Path, rules: RuleSet) -> None:
    doc = extract(tmp_path, HEADER_UNITS, rules)
    whole, urban, rural, old, oldest = (
        _cell(doc, s) for s in ("5000", "3600", "1400", "1100", "300")
    )
    # 城镇 + 乡村 = 常住人口: both are its parts; 80岁以上 adds up to nothing,
    # so it is a part of the nearest row above with a larger value
    assert urban.part_of == whole.seq and rural.part_of == whole.seq
    assert old.part_of is None and oldest.part_of == old.seq
    assert _cell(doc, "72.0").part_of is None  # a share is a part of nothing


@pytest.mark.parametrize(
    ("word", "factor", "unit"),
    [
        ("万吨", 10**4, "吨"),
        ("亿千瓦时", 10**8, "千瓦时"),
        ("万千瓦", 10**4, "千瓦"),
        ("%", 1, "%"),
        ("万人", 10**4, "人"),
        ("亿吨标准煤", 10**8, "吨标准煤"),
    ],
)
def test_unit_words(rules: RuleSet, word: str, factor: int, unit: str) -> None:
    parsed = parse_unit_word(word, rules)
    assert parsed is not None and (parsed[0], parsed[1].unit) == (Decimal(factor), unit)


def test_prose_is_no_table(rules: RuleSet) -> None:
    text = "全年新建驿站120个,比上年增长5.0%。\n\n2030年 3 4\n\n会员共有1200人。\n"
    assert Tables(normalize(text).text, rules).cells == []


def test_exclusions_hold_in_cells(tmp_path: Path, rules: RuleSet) -> None:
    text = "| 日期 | 人数(人) |\n| --- | --- |\n| 会议 | 10.20 |\n| 培训 | 35 |\n"
    assert [c.surface for c in extract(tmp_path, text, rules).claims] == ["35"]
