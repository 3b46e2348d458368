"""Markup never yields claims; link text and table cells do; offsets stay exact.

Each case is an invented document and the number expressions that must be
found in it, as they stand in the original text (in order)."""

from __future__ import annotations

import pytest

from unionfacts.extract import find_candidates
from unionfacts.markup import markup_edits
from unionfacts.normalize import normalize
from unionfacts.rules import RuleSet, load_rules


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


CASES = [
    (
        "link text is body text, its target is not",
        "本会有[12个工会](https://example.org/article/10375/%E4%B9%9D%E5%B7%B4-5%E5%80%8B/)。",
        ["12个"],
    ),
    (
        "percent-escapes of a bare URL",
        "原文见 https://example.org/a/123/%E5%B7%B4%E5%A3%AB-14%E5%B0%8F%E6%99%82 。共3人。",
        ["3人"],
    ),
    (
        "percent-escapes without a scheme",
        "网址 example.org/x/%E5%B7%B48%E5%A3%AB 已失效，会员20人。",
        ["20人"],
    ),
    (
        "an image and its path",
        "增长较快。\n\n![图片3](./W020230228515999787733.png)\n\n新建驿站40个。",
        ["40个"],
    ),
    (
        "HTML attributes and file names",
        '<figure>\n<img src="https://x.org/2018/02/bus-20180213025028_11a9.jpg" alt="9人">\n'
        "<figcaption>会员大会有300人出席</figcaption>\n</figure>\n",
        ["300人"],
    ),
    (
        "inline HTML keeps its text",
        '全年新建<span class="n5" data-id="77个">15个</span>站点。',
        ["15个"],
    ),
    (
        "an autolink",
        "详见<https://example.org/report/2023/88人>，服务职工500人。",
        ["500人"],
    ),
    (
        "a reference link and its definition",
        "本年[新增会员][r]3000人。\n\n[r]: https://example.org/r/66个\n",
        ["3000人"],
    ),
    (
        "a link inside a table cell",
        "| 项目 | 数 |\n| --- | --- |\n| [职工之家](https://x.org/45个) | 25个 |\n",
        ["25个"],
    ),
    (
        "an HTML comment",
        "<!-- 旧稿：共有99个 -->\n全市共有7个。",
        ["7个"],
    ),
]


@pytest.mark.parametrize(("why", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_markup_yields_no_claims(rules: RuleSet, why: str, text: str, expected: list[str]) -> None:
    norm = normalize(text)
    found = [
        text[slice(*norm.span_to_original(c.start, c.end))]
        for c in find_candidates(norm.text, rules)
    ]
    assert found == expected


def test_front_matter_is_skipped(rules: RuleSet) -> None:
    text = '---\ntitle: "5個工會"\nurl: "https://x.org/%E5%B7%B4"\n---\n\n会员30人。\n'
    start = text.index("\n\n") + 2
    norm = normalize(text, start)
    spans = [norm.span_to_original(c.start, c.end) for c in find_candidates(norm.text, rules)]
    assert [text[s:e] for s, e in spans] == ["30人"]


def test_every_kept_character_maps_to_itself() -> None:
    text = (
        "# 标题\n\n有 [5个](https://a.org/%E4%B9%9D) 和 ![图](x1.png) "
        '<b class="k">30人</b>。\n\n<table><tr><td>甲</td><td>12</td></tr></table>\n'
    )
    norm = normalize(text)
    for i, ch in enumerate(norm.text):
        if ch in "| \n":
            continue  # separators that markup became
        assert text[norm.to_original(i)] == ch


def test_html_table_becomes_pipe_rows() -> None:
    text = (
        "<table>\n<tr><th>地区</th><th>人数</th></tr>\n<tr><td>东区</td><td>120</td></tr>\n</table>"
    )
    rows = [ln.strip() for ln in normalize(text).text.splitlines() if ln.strip()]
    assert rows == ["| 地区 | 人数 |", "| 东区 | 120 |"]


def test_no_markup_no_edits() -> None:
    assert markup_edits("全年新建工会组织3553家，增长5.0%。") == []
