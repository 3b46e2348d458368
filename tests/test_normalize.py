"""Tests for unionfacts.normalize: each step, the offset map, sentence joining.

Fixture sentences are written for these tests; they imitate the artifacts seen
in the seed reports (see the provenance comment of each table) without copying
their text. The seed corpus itself is used, by path, in the `seeds` tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import opencc
import pytest

from unionfacts.normalize import normalize

# (case, original, normalized). Provenance: the artifacts of seed 002 (a
# Traditional text with `業(yè)` readings, `?` for lost characters, a space before
# units), 003 (full-width digits and brackets), and issue 2's Markdown/HTML list.
STEPS: list[tuple[str, str, str]] = [
    ("t2s", "全區職工參與", "全区职工参与"),
    ("pinyin reading", "建功立業(yè)，公共區(qū)域", "建功立业，公共区域"),
    ("pinyin reading, full-width brackets", "業（yè）務", "业务"),
    ("pinyin reading after a lost char", "舉辦?,F(xiàn)場", "举办,F场"),
    ("no tone mark: not pinyin", "甲(ab)乙", "甲(ab)乙"),
    ("stray ? between Han", "實干擔當?的精神", "实干担当的精神"),
    ("stray ? before punctuation", "活動?,現場", "活动,现场"),
    (
        "real question marks",
        "哪些事件让你难忘?哪些让你温暖?本刊",
        "哪些事件让你难忘?哪些让你温暖?本刊",
    ),
    ("full-width digits", "会员１２３４５人", "会员12345人"),
    ("full-width percent and point", "占比９８．５％", "占比98.5%"),
    ("full-width point after a list number stays", "1．深入学习", "1．深入学习"),
    ("full-width brackets", "（全市）", "(全市)"),
    ("Chinese punctuation stays", "一，二。三；四：“五”、六", "一，二。三；四：“五”、六"),
    ("ideographic space", "全市新增\u30005万人", "全市新增5万人"),
    ("space before unit", "39.2 萬人次", "39.2万人次"),
    ("space before multiplier and percent", "1.4 萬余場，占 20 %", "1.4万余场，占20%"),
    ("space between Han and digit", "對2023 年，同年9 月", "对2023年，同年9月"),
    ("Latin spaces stay", "Hello World 2023 version", "Hello World 2023 version"),
    ("title spaces stay", "团结奋进 凝心聚力", "团结奋进 凝心聚力"),
    ("zero-width characters", "数\u200b字\ufeff零\u00ad宽", "数字零宽"),
    ("markdown headings", "# 标题一\n### 标题二\n正文。", "标题一\n标题二\n正文。"),
    ("hashtag is not a heading", "#话题#正文", "#话题#正文"),
    ("emphasis", "正文**重点**和__下划线__。", "正文重点和下划线。"),
    ("html tags", "全市<b>新建</b>驿站<br/>下一段", "全市新建驿站\n下一段"),
    ("html entities", "驿站&nbsp;120家&amp;更多", "驿站 120家&更多"),
    ("footnote markers", "脚注[2]和[^3]。", "脚注和。"),
    ("document numbers stay", "文件[2023]5号", "文件[2023]5号"),
    ("circled numbers stay", "①全市", "①全市"),
    ("page break alone", "前文。\f后文", "前文。\n后文"),
]


@pytest.mark.parametrize(
    ("original", "expected"), [c[1:] for c in STEPS], ids=[c[0] for c in STEPS]
)
def test_steps(original: str, expected: str) -> None:
    assert normalize(original).text == expected


# (case, original, expression as printed, its normalized form). Provenance:
# gold expressions of seed 002 (`39.08 萬人`, `數(shù)千場`), imitated.
SPANS: list[tuple[str, str, str, str]] = [
    ("space before unit", "新發展會員39.08 萬人，其中", "39.08 萬人", "39.08万人"),
    ("artifact inside", "累計舉辦了數(shù)千場活動", "數(shù)千場", "数千场"),
    ("full-width digits", "共计１２３４５人参加", "１２３４５人", "12345人"),
    ("after markup", "## 概况\n全市**新增**会员2.1万人。", "2.1万人", "2.1万人"),
    ("after a joined cut", "甲" * 30 + "，建设市级职工\n\n创新工作室781家。", "781家", "781家"),
]


@pytest.mark.parametrize(
    ("original", "printed", "normalized"),
    [c[1:] for c in SPANS],
    ids=[c[0] for c in SPANS],
)
def test_span_maps_back_to_printed_expression(original: str, printed: str, normalized: str) -> None:
    norm = normalize(original)
    ns = norm.text.index(normalized)
    os_, oe = norm.span_to_original(ns, ns + len(normalized))
    assert original[os_:oe] == printed


_T2S = opencc.OpenCC("t2s")
_WIDE = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)} | {"％": "%", "（": "(", "）": ")"}
)


def _char_normalizes_to(original_char: str, normalized_char: str) -> bool:
    simple = _T2S.convert(original_char).translate(_WIDE)
    return simple == normalized_char or (original_char.isspace() and normalized_char.isspace())


@pytest.mark.parametrize(
    "original", [c[1] for c in STEPS if "html" not in c[0]] + [c[1] for c in SPANS]
)
def test_round_trip(original: str) -> None:
    """Every normalized char comes from an original char that normalizes to it."""
    norm = normalize(original)
    previous = -1
    for i, char in enumerate(norm.text):
        j = norm.to_original(i)
        assert j > previous, "the map must be strictly increasing"
        previous = j
        if char == "." and original[j] == "．":
            continue
        assert _char_normalizes_to(original[j], char), (i, char, j, original[j])
    assert norm.to_original(len(norm.text)) == len(original)


def test_slice_offsets_are_absolute() -> None:
    text = "前言部分。\n新發展會員39.08 萬人。"
    start = text.index("新")
    norm = normalize(text, start)
    ns = norm.text.index("39.08万人")
    os_, oe = norm.span_to_original(ns, ns + len("39.08万人"))
    assert text[os_:oe] == "39.08 萬人"
    end_norm = normalize(text, 0, start)
    assert end_norm.text == "前言部分。\n"
    assert end_norm.to_original(len(end_norm.text)) == start


def test_empty_span_and_end() -> None:
    norm = normalize("數(shù)千")
    assert norm.text == "数千"
    assert norm.span_to_original(1, 1) == (6, 6)
    assert norm.to_original(2) == 7


def test_offset_map_is_compact() -> None:
    """Breakpoints only where something changed, not one entry per character."""
    paragraph = "全市新建职工之家120家，发放慰问金35.6万元，覆盖职工1.8 萬名。\n"
    norm = normalize(paragraph * 10_000)
    assert norm.breakpoints <= 10_000 + 1  # one removed space per paragraph
    assert len(norm.text) == (len(paragraph) - 1) * 10_000


# A body line: it holds a finished sentence, is >= 25 chars and ends mid-sentence.
BODY = "各级工会持续推进职工服务阵地建设。今年以来，在全市范围内"
BARE = (  # >= 45 chars: body text even without a stop inside
    "各级工会持续推进职工服务阵地建设，今年以来在全市范围内"
    "广泛开展劳动和技能竞赛活动并且组织职工积极参与"
)

# (case, original, normalized). Provenance: the cut-sentence patterns of seeds
# 000/004 (`…建设市级职工\n\n创新工作室781家`) and the headings around them.
JOINS: list[tuple[str, str, str]] = [
    ("cut by a blank line", BODY + "\n\n新建驿站120家。", BODY + "新建驿站120家。"),
    ("cut by blank lines with spaces", BODY + "  \n \n\n　　新建驿站。", BODY + "新建驿站。"),
    ("cut by a page break", BODY + "\n\f\n新建驿站120家。", BODY + "新建驿站120家。"),
    ("continuation starts with a comma", BODY + "\n\n，新建驿站。", BODY + "，新建驿站。"),
    ("long line without a stop", BARE + "\n\n竞赛,新建驿站。", BARE + "竞赛,新建驿站。"),
    ("sentence ended", BODY + "。\n\n新建驿站120家。", BODY + "。\n\n新建驿站120家。"),
    (
        "short title line",
        "坚持职工需求导向\n\n新建驿站120家。",
        "坚持职工需求导向\n\n新建驿站120家。",
    ),
    (
        "long heading without a stop",
        "深入推进工会改革创新，切实维护新就业形态劳动者等重点群体的劳动保障权益\n\n要加强组织领导。",
        "深入推进工会改革创新，切实维护新就业形态劳动者等重点群体的劳动保障权益\n\n要加强组织领导。",
    ),
    ("markdown heading next", BODY + "\n\n## 第二部分\n", BODY + "\n\n第二部分\n"),
    ("bracket heading next", BODY + "\n\n【下半年工作】\n", BODY + "\n\n【下半年工作】\n"),
    (
        "numbered item next",
        BODY + "\n\n2.推进产业工人队伍建设\n",
        BODY + "\n\n2.推进产业工人队伍建设\n",
    ),
    ("markdown heading before", "## " + BODY + "\n\n新建驿站。", BODY + "\n\n新建驿站。"),
    ("single newline is not a cut", BODY + "\n新建驿站120家。", BODY + "\n新建驿站120家。"),
]


@pytest.mark.parametrize(
    ("original", "expected"), [c[1:] for c in JOINS], ids=[c[0] for c in JOINS]
)
def test_join_cut_sentences(original: str, expected: str) -> None:
    assert normalize(original).text == expected


# -- seeds -------------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "claims.jsonl"
needs_seeds = pytest.mark.skipif(not GOLD.exists(), reason="../shared (seeds and gold) is absent")
_ARTIFACT = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def _gold_by_doc() -> dict[str, list[dict[str, Any]]]:
    by_doc: dict[str, list[dict[str, Any]]] = {}
    if GOLD.exists():
        for line in GOLD.read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                by_doc.setdefault(g["doc"], []).append(g)
    return by_doc


def _locate(text: str, g: dict[str, Any]) -> tuple[int, int]:
    """Span of a gold expression, the way ../shared/eval/score.py finds it."""
    pos = -1
    for _ in range(int(g.get("occurrence") or 1)):
        pos = text.find(g["context"], pos + 1)
        assert pos >= 0, g["id"]
    start = pos + g["context"].index(g["expr"])
    return start, start + len(g["expr"])


@pytest.mark.seeds
@needs_seeds
@pytest.mark.parametrize("doc", sorted(_gold_by_doc()) or ["none"])
def test_seed_gold_expressions_survive(doc: str) -> None:
    from unionfacts.load import load_file

    loaded = load_file(SEEDS / doc)
    norm = normalize(loaded.text)
    assert not _ARTIFACT.search(norm.text)
    # Inverse map, for the test only: original offset -> normalized offset.
    inverse = {norm.to_original(i): i for i in range(len(norm.text))}
    for g in _gold_by_doc()[doc]:
        start, end = _locate(loaded.text, g)
        expected = _ARTIFACT.sub("", _T2S.convert(g["expr"])).replace(" ", "")
        ns, ne = inverse[start], inverse[end - 1] + 1
        assert norm.text[ns:ne] == expected, g["id"]
        assert norm.span_to_original(ns, ne) == (start, end), g["id"]


# Pieces for random texts: every kind of change next to ordinary characters.
_PIECES = [
    "業(yè)", "數(shù)", "?", "?,", " ", "  ", "\n", "\n\n", "\f", "１２", "．", "3．5", "％",
    "（", "）", "\u3000", "\u200b", "# ", "## ", "**", "__", "<b>", "</p>", "&nbsp;",
    "&amp;", "[2]", "[^3]", "39.2 萬人", "對2023 年", "全區", "工會", "会员", "。", "，",
    "哪", "abc", "x y", "①", "【", "】", "甲" * 30,
]  # fmt: skip


@pytest.mark.parametrize("seed", range(40))
def test_random_texts_map_monotonically(seed: int) -> None:
    """Property over random mixes: the map is strictly increasing and in range."""
    import random

    rng = random.Random(seed)
    original = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 60)))
    norm = normalize(original)
    previous = -1
    for i in range(len(norm.text)):
        j = norm.to_original(i)
        assert previous < j < len(original)
        previous = j
        char = norm.text[i]
        # Replacements (entities, block tags, page breaks, `．`) may differ.
        assert _char_normalizes_to(original[j], char) or char in " \n&.", (i, char, original)
    assert norm.to_original(len(norm.text)) == len(original)
    for i in range(len(norm.text)):
        for k in range(i + 1, min(len(norm.text), i + 4) + 1):
            s, e = norm.span_to_original(i, k)
            assert 0 <= s < e <= len(original)
