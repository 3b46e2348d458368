"""Tests for unionfacts.segment: sentences and heading lines of normalized text.

Fixtures are written for these tests, shaped like the seed reports' layouts
(Markdown headings in 000/001, `【…】` labels in 002/003, numbered titles in 004).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from unionfacts.normalize import normalize
from unionfacts.segment import split_sentences

# (case, original, [(sentence text, is_heading), ...])
SPLITS: list[tuple[str, str, list[tuple[str, bool]]]] = [
    (
        "terminators stay with their sentence",
        "全市新建驿站120家。覆盖职工2万人；发放资金3.5亿元！好吗?",
        [
            ("全市新建驿站120家。", False),
            ("覆盖职工2万人；", False),
            ("发放资金3.5亿元！", False),
            ("好吗?", False),
        ],
    ),
    (
        "closing quote after the stop",
        "他说：“今年完成任务。”随后散会。",
        [("他说：“今年完成任务。”", False), ("随后散会。", False)],
    ),
    (
        "decimal point does not split",
        "增长3.5个百分点，达到92.39%。",
        [("增长3.5个百分点，达到92.39%。", False)],
    ),
    (
        "a line end splits",
        "全市新建驿站120家。覆盖职工人数不断增加，服务能力明显提升\n第二段。",
        [
            ("全市新建驿站120家。", False),
            ("覆盖职工人数不断增加，服务能力明显提升", False),
            ("第二段。", False),
        ],
    ),
    (
        "markdown heading",
        "## 坚持职工需求导向。\n正文一句。",
        [("坚持职工需求导向。", True), ("正文一句。", False)],
    ),
    (
        "bracket heading",
        "【上半年工作总结】\n全市工会新建驿站45个。",
        [("【上半年工作总结】", True), ("全市工会新建驿站45个。", False)],
    ),
    (
        "numbered title",
        "3.全力投身防控一线,为夺取胜利作贡献\n正文。",
        [("3.全力投身防控一线,为夺取胜利作贡献", True), ("正文。", False)],
    ),
    (
        "short line without a stop",
        "  团结奋进 凝心聚力  \n\n正文。",
        [("团结奋进 凝心聚力", True), ("正文。", False)],
    ),
    (
        "short sentence is not a heading",
        "会议召开。\n",
        [("会议召开。", False)],
    ),
    ("empty text", "\n \n", []),
]


@pytest.mark.parametrize(
    ("original", "expected"), [c[1:] for c in SPLITS], ids=[c[0] for c in SPLITS]
)
def test_split(original: str, expected: list[tuple[str, bool]]) -> None:
    sentences = split_sentences(normalize(original))
    assert [(s.text, s.is_heading) for s in sentences] == expected


def test_offsets_map_back_to_the_original() -> None:
    original = "## 概況\n新發展會員39.08 萬人，其中數(shù)千場活動。\n"
    norm = normalize(original)
    sentences = split_sentences(norm)
    assert [s.text for s in sentences] == ["概况", "新发展会员39.08万人，其中数千场活动。"]
    for s in sentences:
        assert norm.text[s.start : s.end] == s.text
    start, end = norm.span_to_original(sentences[1].start, sentences[1].end)
    assert original[start:end] == "新發展會員39.08 萬人，其中數(shù)千場活動。"


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


@pytest.mark.seeds
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared (seed corpus) is absent")
def test_seed_segments() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        norm = normalize(text)
        sentences = split_sentences(norm)
        assert sentences, path.name
        last = 0
        for s in sentences:
            assert s.start >= last and s.text == norm.text[s.start : s.end] != ""
            assert "\n" not in s.text
            last = s.end
        headings = [s.text for s in sentences if s.is_heading]
        # Every Markdown heading line of the original is a heading segment.
        md = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
        for line in md:
            assert normalize(line).text in headings, (path.name, line)
