"""Metric identity (issue 7 §5): pairs of phrasings that must share a key and
pairs that must not, read through the whole extraction from invented
sentences; and the type and direction of rates."""

from __future__ import annotations

from pathlib import Path

import pytest

from unionfacts.keys import metric_key
from unionfacts.models import Claim, LoadedDocument
from unionfacts.pipeline import extract_document
from unionfacts.rules import RuleSet, load_rules


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def claims(text: str, rules: RuleSet) -> list[Claim]:
    doc = LoadedDocument(
        path=Path("x.txt"),
        name="x.txt",
        text=text,
        encoding="utf-8",
        content_hash="0",
        size_bytes=len(text.encode()),
        body_start=0,
        front_matter={"title": "2022年统计公报", "scope": "全国"},
    )
    return extract_document(doc, rules).claims


def key_of(text: str, rules: RuleSet) -> str:
    found = claims(text, rules)
    assert found, text
    return found[0].metric_key


SAME = [
    ("全年国内生产总值121万亿元。", "地区生产总值达到8.7万亿元。"),
    ("全年国内生产总值增长3%。", "国内生产总值121万亿元。"),
    ("城镇新增就业1206万人。", "全年城镇新增就业1100万人以上。"),
    ("年末城镇调查失业率为5.5%。", "全国城镇调查失业率5.6%。"),
    ("全国居民人均可支配收入36883元。", "居民人均可支配收入比上年增长5%。"),
    ("粮食产量1.37万亿斤。", "全年粮食产量68653万吨。"),
    ("新建高标准农田4.56亿亩。", "共新建高标准农田1000万亩。"),
    ("共有登记工会39个。", "现时登记工会达到42个。"),
    ("全年共向800多万失业人员发放失业保险待遇。", "年末全国领取失业保险金人数250万人。"),
    ("入职多年，月薪才2.7万元。", "月薪约2.9万元。"),
]

DIFFERENT = [
    ("区级劳动模范120人。", "市级劳动模范120人。"),
    ("新能源汽车销量688万辆。", "新能源汽车产量700万辆。"),
    ("城镇居民人均可支配收入49283元。", "农村居民人均可支配收入20133元。"),
    ("第一产业增加值88345亿元。", "国内生产总值121万亿元。"),
    ("工会会员3万人。", "新发展会员3万人。"),
    # another coverage or price basis of one concept: a key of its own
    ("全社会固定资产投资50万亿元。", "固定资产投资49万亿元。"),
    ("固定资产投资（不含农户）49万亿元。", "全社会固定资产投资50万亿元。"),
    ("居民人均可支配收入实际增长2.9%。", "居民人均可支配收入比上年增长5%。"),
]

QUALIFIED = [
    ("全社会固定资产投资50万亿元。", "fixed_asset_investment~全社会"),
    ("固定资产投资（不含农户）49万亿元。", "fixed_asset_investment~不含农户"),
    ("全国居民人均可支配收入实际增长2.9%。", "disposable_income~实际"),
    # a word that qualifies one concept says nothing about another
    ("全社会研发经费投入强度2.5%。", "全社会研发经费投入强度"),
    # a verb of cause is no part of what was measured
    ("制造业投资增长9%，带动固定资产投资增长5%。", "fixed_asset_investment"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_key(rules: RuleSet, a: str, b: str) -> None:
    assert key_of(a, rules) == key_of(b, rules)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_key(rules: RuleSet, a: str, b: str) -> None:
    assert key_of(a, rules) != key_of(b, rules)


def _concept_examples() -> list[tuple[str, str]]:
    import yaml

    from unionfacts.rulefiles import rule_file_paths

    (path,) = rule_file_paths("metrics.yaml", [])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(c["id"], ex) for c in data["concepts"] for ex in c.get("examples", [])]


@pytest.mark.parametrize(("concept", "example"), _concept_examples())
def test_concept_examples_give_their_key(rules: RuleSet, concept: str, example: str) -> None:
    """Every example of a concept in rules/metrics.yaml names that concept."""
    assert metric_key(example, None, rules) == concept


@pytest.mark.parametrize(("text", "want"), QUALIFIED)
def test_qualified_concept_key(rules: RuleSet, text: str, want: str) -> None:
    found = [c for c in claims(text, rules) if c.surface.strip() in text[-8:]]
    assert found[-1].metric_key == want


@pytest.mark.xfail(strict=True, reason="火电 is not yet known as 火力发电")
def test_abbreviated_sector_shares_a_key(rules: RuleSet) -> None:
    assert key_of("火电发电量5.8万亿千瓦时。", rules) == key_of("火力发电量5.8万亿千瓦时。", rules)


# (sentence, index of the claim, rate_type, direction)
RATES = [
    ("国内生产总值增长3%。", 0, "growth", "up"),
    ("农产品生产者价格比上年下降0.4%。", 0, "growth", "down"),
    ("第一产业增加值占国内生产总值比重为7.3%。", 0, "share", None),
    ("年末城镇调查失业率为5.5%。", 0, "level", None),
    ("常住人口城镇化率提高到65.2%。", 0, "level", None),
    ("年末全国人口141175万人，比上年末减少85万人。", 1, "change", "down"),
    ("年末全国人口141175万人，比上年末减少85万人。", 0, None, None),
]


@pytest.mark.parametrize(("text", "i", "rate_type", "direction"), RATES)
def test_rate_type(
    rules: RuleSet, text: str, i: int, rate_type: str | None, direction: str | None
) -> None:
    c = claims(text, rules)[i]
    assert (c.rate_type, c.direction) == (rate_type, direction)


def test_a_part_of_a_level_is_not_a_part_of_its_change(rules: RuleSet) -> None:
    found = claims("年末全国人口141175万人，比上年末减少85万人，其中城镇常住人口92071万人。", rules)
    assert found[2].part_of == found[0].seq


# (sentence, [(surface, value, unit, approx)])
RANGES = [
    ("月薪约1.3至1.4万元。", [("1.3", "13000", "元", "over"), ("1.4万元", "14000", "元", "under")]),
    ("每条线跟1至2转。", [("1", "1", "次", "over"), ("2转", "2", "次", "under")]),
    (
        "分别安排了656、459和446个课程。",
        [
            ("656", "656", "个", "exact"),
            ("459", "459", "个", "exact"),
            ("446个", "446", "个", "exact"),
        ],
    ),
    ("起薪点有8,000(元)。", [("8,000", "8000", "元", "exact")]),
]


@pytest.mark.parametrize(("text", "want"), RANGES)
def test_ranges_and_lists(rules: RuleSet, text: str, want: list[tuple[str, str, str, str]]) -> None:
    got = [(c.surface, str(c.value), c.unit, c.approx) for c in claims(text, rules)]
    assert got == want


def test_years_of_a_span_are_no_range(rules: RuleSet) -> None:
    assert claims("2019-2021年的计划。", rules) == []
