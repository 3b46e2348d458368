"""The gazetteer, its surface forms, the place matcher and ambiguous names,
on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from unionfacts.load import load_file
from unionfacts.models import MetaOverrides
from unionfacts.pipeline import extract_document
from unionfacts.places import LEVELS, PlaceMatcher
from unionfacts.rulefiles import RulesError
from unionfacts.rules import RuleSet, load_rules

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "rules"

PROVINCIAL = {
    # 23 provinces (台湾省 included), 5 autonomous regions, 4 municipalities, 2 SARs
    "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省",
    "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省",
    "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "北京市", "天津市", "上海市", "重庆市", "香港特别行政区", "澳门特别行政区",
}  # fmt: skip


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


# ---- the gazetteer file -------------------------------------------------------


def test_every_provincial_unit_is_under_the_country(rules: RuleSet) -> None:
    top = {pid for pid, p in rules.places.items() if p.parent == "全国" and p.level != "region"}
    assert top == PROVINCIAL


def test_parents_are_places_of_a_higher_level(rules: RuleSet) -> None:
    assert len(rules.places) > 3000
    for pid, place in rules.places.items():
        if place.parent is None:
            assert place.level == "country", pid
            continue
        parent = rules.places[place.parent]
        assert LEVELS.index(parent.level) < LEVELS.index(place.level), pid
        assert rules.ancestor_at(pid, "country") == "全国", pid


@pytest.mark.parametrize(
    ("place", "parent", "level"),
    [
        ("青岛市", "山东省", "city"),
        ("崂山区", "青岛市", "district"),
        ("北京市", "全国", "city"),  # municipalities stay cities under the country
        ("顺义区", "北京市", "district"),
        ("延边朝鲜族自治州", "吉林省", "city"),
        ("仙桃市", "湖北省", "district"),  # a county-level city under its province
        ("雄安新区", "河北省", "city"),
        ("湾仔区", "香港特别行政区", "district"),
    ],
)
def test_place_levels_and_parents(rules: RuleSet, place: str, parent: str, level: str) -> None:
    assert (rules.places[place].parent, rules.places[place].level) == (parent, level)


# ---- surface forms -------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "place"),
    [
        ("山东", "山东省"),
        ("青岛", "青岛市"),
        ("广西", "广西壮族自治区"),
        ("香港", "香港特别行政区"),
        ("延边州", "延边朝鲜族自治州"),
        ("六盘水", "六盘水市"),  # 水 is also an ethnic name, not stripped from a city
        ("崂山区", "崂山区"),
        ("顺义", "顺义区"),  # a district short form scopes.yaml lists
        ("吉林", "吉林省"),  # the province before its namesake city
    ],
)
def test_surface_names_a_place(rules: RuleSet, surface: str, place: str) -> None:
    assert rules.place_aliases[surface] == place


@pytest.mark.parametrize("word", ["崂山", "东方", "和平", "长安", "城关", "朝阳", "日照", "城区"])
def test_plain_words_are_no_surface(rules: RuleSet, word: str) -> None:
    assert word not in rules.place_aliases


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("青岛和烟台新增就业", ["青岛", "烟台"]),
        ("山东省青岛市崂山区", ["山东省", "青岛市", "崂山区"]),  # longest first
        ("北京大学和上海银行", []),  # inside the names of a school and a bank
        ("全国劳动模范、山东省劳模", []),  # awards
        ("沿黑龙江路到河北岸", []),  # a street, a river bank
        ("开工济南至德州段", []),  # a road and its section
        ("全省至少新建", ["全省"]),  # 至少 is not a route
        ("汇率在合理均衡水平", []),  # 衡水 straddles two words
        ("探索县域经济", []),  # 索县 is the tail of a word
        ("安徽省和县新建", ["安徽省", "和县"]),  # a short name right after a place
        ("，和县新建", ["和县"]),
        ("西湖区域治理", []),  # a region, not the district
    ],
)
def test_matcher_finds_places_not_words(rules: RuleSet, text: str, found: list[str]) -> None:
    assert rules.place_regex is not None
    assert [m.group(0) for m in rules.place_regex.finditer(text)] == found


def test_matcher_windows_and_sub(rules: RuleSet) -> None:
    rx = rules.place_regex
    assert rx is not None
    long_text = "。" * 3000 + "青岛新增，烟台新增"  # long: scanned once, answered by window
    start = long_text.index("烟台")
    assert [m.group(0) for m in rx.finditer(long_text, start, len(long_text))] == ["烟台"]
    assert [m.group(0) for m in rx.finditer(long_text, 0, start + 1)] == ["青岛"]  # 烟台 cut
    assert rx.sub("", "青岛市新建驿站") == "新建驿站"


@pytest.mark.parametrize(
    ("words", "text", "found"),
    [
        (["北京", "北京市", "北海"], "北京市北海北京", ["北京市", "北海", "北京"]),
        (["ab", "abc", "abd"], "abdabcab", ["abd", "abc", "ab"]),
        (["abc"], "ab", []),
        ([], "anything", []),
    ],
)
def test_matcher_is_leftmost_longest(words: list[str], text: str, found: list[str]) -> None:
    matcher = PlaceMatcher(words, frozenset(), None)
    assert [m.group(0) for m in matcher.finditer(text)] == found


# ---- ambiguity -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "home", "near", "place"),
    [
        ("鼓楼区", "福建省", [], "福州市鼓楼区"),  # inside the home scope
        ("鼓楼区", "南京市", [], "南京市鼓楼区"),
        ("鼓楼区", "全国", [], None),  # four cities: none is nearer
        ("朝阳区", "全国", ["长春市"], "长春市朝阳区"),  # the city named next to it
        ("朝阳区", "顺义区", [], "北京市朝阳区"),  # a sibling of the home district
        ("海南", "青海省", [], "海南藏族自治州"),
        ("海南", "全国", [], "海南省"),  # the province before the prefecture
        ("青岛", "全国", [], "青岛市"),
    ],
)
def test_ambiguous_names(
    rules: RuleSet, word: str, home: str, near: list[str], place: str | None
) -> None:
    assert rules.place_named(word, home, near) == place


# ---- scopes of claims ----------------------------------------------------------


@pytest.mark.parametrize(
    ("home", "text", "scope"),
    [
        ("山东省", "2023年，青岛新增就业30万人。", "青岛市"),
        ("山东省", "2023年，北京大学新招学生3000人。", "山东省"),  # a school is no scope
        ("全国", "2023年，表彰全国劳动模范2000名。", "全国"),
        ("全国", "2023年，山东省劳动模范表彰300名。", "全国"),  # an award of a province
        ("青岛市", "2023年，黑龙江路改造完成3公里。", "青岛市"),  # a street of the city
        ("福建省", "2023年，鼓楼区新建驿站30个。", "福州市鼓楼区"),
        ("全国", "2023年，福建省鼓楼区新建驿站30个。", "福州市鼓楼区"),  # apposed: the inner
        ("全国", "2023年，鼓楼区新建驿站30个。", "全国"),  # too ambiguous to set a scope
        ("吉林省", "2023年，长春市朝阳区新建驿站30个。", "长春市朝阳区"),
        ("全国", "2023年，湖北省和武汉市新建驿站30个。", "湖北省"),  # coordinated: the outer
        ("全国", "2023年，京津冀地区生产总值增长2%。", "京津冀地区"),  # a region's own figure
        ("全国", "2023年，长三角和北京新建驿站30个。", "北京市"),  # a region holds no division
    ],
)
def test_scope_of_claims(tmp_path: Path, rules: RuleSet, home: str, text: str, scope: str) -> None:
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    doc = extract_document(load_file(path), rules, MetaOverrides(scope=home))
    assert [c.scope for c in doc.claims] == [scope]


# ---- overlays ------------------------------------------------------------------


def test_example_overlay_adds_a_fictional_city() -> None:
    rules = load_rules([EXAMPLES])
    assert rules.places["临湖区"].parent == "云湾市"
    assert rules.place_aliases["临湖"] == "临湖区"
    assert rules.place_regex is not None
    assert [m.group(0) for m in rules.place_regex.finditer("云湾市临湖区和青岛")] == [
        "云湾市",
        "临湖区",
        "青岛",
    ]


def test_overlay_adds_aliases_to_a_gazetteer_place(tmp_path: Path) -> None:
    (tmp_path / "scopes.yaml").write_text(
        "places:\n  - {id: 青岛市, aliases: [岛城]}\n  - {id: 崂山区, aliases: [崂山]}\n",
        encoding="utf-8",
    )
    rules = load_rules([tmp_path])
    assert rules.place_aliases["岛城"] == "青岛市" and rules.place_aliases["崂山"] == "崂山区"
    assert rules.places["崂山区"].parent == "青岛市"  # the gazetteer's parent stays


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("scopes.yaml", "places:\n  - {id: 无名地, aliases: [无名]}\n", "needs a level"),
        ("gazetteer.tsv", "code\tid\tlevel\n", "header must be"),
        (
            "gazetteer.tsv",
            "code\tid\tname\tlevel\tparent\tshort\n999901\t云岭镇\t\ttown\t全国\t\n",
            "bad level",
        ),
        (
            "gazetteer.tsv",
            "code\tid\tname\tlevel\tparent\tshort\n999901\t云岭区\t\tdistrict\t无此市\t\n",
            "is not a place",
        ),
    ],
)
def test_bad_place_data_names_the_file(tmp_path: Path, file: str, text: str, message: str) -> None:
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules([tmp_path])
    assert message in str(err.value) and file in str(err.value)


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("台湾来的旅客增多，湾仔区议员说，香港的巴士不够。", "香港特别行政区"),
        ("山东推进改革。青岛新增就业，青岛港吞吐量创新高，青岛建成地铁。", "青岛市"),
        ("济南新建学校，山东推进改革，山东新增就业。", "山东省"),
    ],
)
def test_most_named_unit_sets_the_home_scope(rules: RuleSet, text: str, scope: str) -> None:
    from unionfacts.frame import infer_scope

    assert infer_scope(text, rules) == scope
