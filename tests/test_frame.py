"""The document's frame (issue 7 §1): genre, issuer, date, years and home
scope, decided once from invented reports of every genre."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from unionfacts.frame import document_meta
from unionfacts.models import LoadedDocument, MetaOverrides
from unionfacts.normalize import normalize
from unionfacts.rules import RuleSet, load_rules


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def frame(
    text: str,
    rules: RuleSet,
    fm: dict[str, object] | None = None,
    overrides: MetaOverrides | None = None,
):  # type: ignore[no-untyped-def]
    doc = LoadedDocument(
        path=Path("x.txt"),
        name="x.txt",
        text=text,
        encoding="utf-8",
        content_hash="0",
        size_bytes=len(text.encode()),
        body_start=0,
        front_matter=fm or {},
    )
    return document_meta(doc, normalize(text).text, rules, overrides)


# (text, front matter, genre, date, year under review, target year, scope)
FRAMES = [
    (  # a national work report: the premier's byline, a Chinese-numeral date
        "政府工作报告\n——二〇二四年三月五日在第十五届全国人民代表大会第二次会议上\n"
        "国务院总理 王某\n\n一、过去一年工作回顾\n过去一年，城镇新增就业1200万人。",
        {},
        "gwr",
        date(2024, 3, 5),
        2023,
        2024,
        "全国",
    ),
    (  # a city's report given in December plans the next year
        "政府工作报告\n——2023年12月28日在河源市第八届人民代表大会第三次会议上\n"
        "河源市市长 李某\n\n一、2023年工作回顾\n全市地区生产总值增长5%。",
        {},
        "gwr",
        date(2023, 12, 28),
        2023,
        2024,
        "河源市",
    ),
    (  # a statistical communiqué names its year and its issuer
        "**湖南省2021年国民经济和社会发展统计公报**\n\n湖南省统计局\n\n2022年3月20日\n\n"
        "全年地区生产总值46063亿元。",
        {},
        "statcomm",
        date(2022, 3, 20),
        2021,
        None,
        "湖南省",
    ),
    (  # Hong Kong news: read against its own date, home scope from the region
        "九巴車長新指引\n\n運輸署今日公布指引，立法會議員批評，全港車長每日工作14小時。",
        {"date": "2019-05-02", "author": "記者", "url": "https://example.org/1"},
        "news",
        date(2019, 5, 2),
        2019,
        None,
        "香港特别行政区",
    ),
]


@pytest.mark.parametrize(("text", "fm", "genre", "day", "year", "target", "scope"), FRAMES)
def test_frame(
    rules: RuleSet,
    text: str,
    fm: dict[str, object],
    genre: str,
    day: date,
    year: int,
    target: int | None,
    scope: str,
) -> None:
    meta = frame(text, rules, fm)
    assert (meta.genre, meta.date, meta.year, meta.target_year, meta.scope) == (
        genre,
        day,
        year,
        target,
        scope,
    )


def test_a_national_body_named_in_running_text_is_no_issuer(rules: RuleSet) -> None:
    # a city union's digest thanks the national federation in its first sentence
    meta = frame(
        "2022年是奋进之年。一年来，在杭州市委和全国总工会的坚强领导下，全市工会新发展会员3万人。",
        rules,
    )
    assert meta.scope == "杭州市"


def test_overrides_win(rules: RuleSet) -> None:
    meta = frame(
        "政府工作报告\n——2023年1月10日在某市人民代表大会上",
        rules,
        overrides=MetaOverrides(date=date(2023, 2, 1), scope="宁波市", genre="digest"),
    )
    assert (meta.date, meta.scope, meta.genre) == (date(2023, 2, 1), "宁波市", "digest")


EXAMPLES = [(g.id, t) for g in load_rules().frame.genres for t in g.examples]


@pytest.mark.parametrize(("genre", "title"), EXAMPLES)
def test_genre_examples_match(rules: RuleSet, genre: str, title: str) -> None:
    from unionfacts.frame import detect_genre

    found = detect_genre(title, title, {}, rules)
    assert found is not None and found.id == genre
