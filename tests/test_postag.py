"""unionfacts.postag gives jieba's own tags (posseg, HMM off) from its cache."""

from __future__ import annotations

import marshal
import os
import time
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


def _fake_install(root: Path, name: str) -> Path:
    dict_file = root / name / "jieba" / "dict.txt"
    dict_file.parent.mkdir(parents=True)
    dict_file.write_text("会员 3 n\n", encoding="utf-8")
    return dict_file


def test_installs_sharing_a_cache_folder_keep_one_cache_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two virtual environments, each with its own copy of jieba's dictionary,
    # start in turn: each builds once, and neither removes the other's cache.
    cache = tmp_path / "cache"
    monkeypatch.setattr(postag, "_cache_dirs", lambda: [cache])
    built: list[Path] = []
    installs = [_fake_install(tmp_path, "venv-a"), _fake_install(tmp_path, "venv-b")]
    current = [installs[0]]
    monkeypatch.setattr(postag, "_jieba_dict_file", lambda: current[0])

    def fake_build() -> tuple[int, list[str], dict[str, bytes]]:
        built.append(current[0])
        return 3, ["n"], {"会": marshal.dumps({"会员": 3 << postag.TAG_BITS | 1})}

    monkeypatch.setattr(postag, "build", fake_build)
    names = []
    for install in [*installs, *installs]:
        current[0] = install
        assert postag._load().get("会员") == (3, "n")
        names.append(postag.cache_name())
    assert built == installs  # once each, not at every switch
    assert names[0] != names[1]
    assert sorted(p.name for p in cache.iterdir()) == sorted(names[:2])


def test_a_new_cache_removes_its_own_installs_stale_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setattr(postag, "_cache_dirs", lambda: [cache])
    dict_file = _fake_install(tmp_path, "venv")
    other = _fake_install(tmp_path, "other-venv")
    monkeypatch.setattr(postag, "_jieba_dict_file", lambda: dict_file)
    monkeypatch.setattr(postag, "build", lambda: (1, [], {}))
    postag._load()
    stale = postag.cache_name()
    os.utime(dict_file, ns=(0, 10**9))  # the same install, jieba upgraded
    monkeypatch.setattr(postag, "_jieba_dict_file", lambda: other)
    recent_other = postag.cache_name()
    (cache / recent_other).write_bytes(marshal.dumps((1, [], {})))
    gone_other = "jieba-pos-00000000-1-1-v1.marshal"
    (cache / gone_other).write_bytes(b"")
    month_ago = time.time() - postag.OTHER_INSTALL_MAX_AGE_S - 60
    os.utime(cache / gone_other, (month_ago, month_ago))
    monkeypatch.setattr(postag, "_jieba_dict_file", lambda: dict_file)
    postag._load()
    assert sorted(p.name for p in cache.iterdir()) == sorted([postag.cache_name(), recent_other])
    assert stale != postag.cache_name()
