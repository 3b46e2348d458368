"""unionfacts.postag gives jieba's own tags (posseg, HMM off) from its cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from unionfacts import postag

# Invented phrases of the kinds metric reads: Han runs, digits and decimals,
# Latin letters, spaces, punctuation, words jieba does not know.
PHRASES = [
    "新发展会员39.08万人",
    "全年新建14家货运行业联合工会",
    "为2.23万家企业发放稳岗补贴",
    "走访慰问企业5984家、职工126.7万人次",
    "累计拨付帮扶资金 3,200 万元（含 A 类项目）",
    "他们免费赠送APP会员卡12张",
    "职工总数达",
    "云湾市临湖区总工会",
    "GDP增长5.2%，CPI上涨2%",
    "a1 b22 c333\r\n第三季度",
    "#&._+ 混合 符号",
    "",
    "𠮶钟可以去边",
    "Ｆｕｌｌ－ｗｉｄｔｈ１２３",
]


@pytest.fixture(scope="module")
def jieba_posseg():  # type: ignore[no-untyped-def]
    jieba = pytest.importorskip("jieba")
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    return pseg


@pytest.mark.parametrize("phrase", PHRASES)
def test_tags_are_jiebas(phrase: str, jieba_posseg) -> None:  # type: ignore[no-untyped-def]
    expected = [(p.word, p.flag) for p in jieba_posseg.lcut(phrase, HMM=False)]
    assert postag.lcut(phrase) == expected


def test_regexes_are_jiebas(jieba_posseg) -> None:  # type: ignore[no-untyped-def]
    assert postag._HAN_INTERNAL.pattern == jieba_posseg.re_han_internal.pattern
    assert postag._SKIP_INTERNAL.pattern == jieba_posseg.re_skip_internal.pattern
    assert postag._NUM.pattern == jieba_posseg.re_num.pattern
    assert postag._ENG.pattern == jieba_posseg.re_eng.pattern
    assert postag._ENG1.pattern == jieba_posseg.re_eng1.pattern


def test_cache_is_built_once_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postag, "_cache_dirs", lambda: [tmp_path])
    built: list[int] = []
    real_build = postag.build

    def counting_build() -> tuple[int, list[str], dict[str, bytes]]:
        built.append(1)
        return real_build()

    monkeypatch.setattr(postag, "build", counting_build)
    first = postag._load()
    assert (tmp_path / postag.cache_name()).is_file() and built == [1]
    second = postag._load()
    assert built == [1]  # read from the file, not built again
    assert second.get("会员") == first.get("会员") and second.log_total == first.log_total
