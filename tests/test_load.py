"""Tests for unionfacts.load: encodings, bad input, front matter, file discovery.

Fixture texts are short sentences written for these tests (not taken from the
seed corpus); each table says where its cases come from.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from unionfacts.load import LoadError, iter_input_files, load_file

SIMPLIFIED = "全区工会今年新建职工之家120家，发放慰问金35.6万元。\n"
TRADITIONAL = "全區工會今年新建職工之家120家，發放慰問金35.6萬元。\n"


def _utf16_be_bom(text: str) -> bytes:
    return codecs.BOM_UTF16_BE + text.encode("utf-16-be")


# (case, text, encode, expected encoding) — the encodings issue 2 names, each
# with the script a real file in that encoding would hold.
ENCODINGS: list[tuple[str, str, Callable[[str], bytes], str]] = [
    ("utf-8", SIMPLIFIED, lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", SIMPLIFIED, lambda t: codecs.BOM_UTF8 + t.encode(), "utf-8-sig"),
    ("utf-16 LE with BOM", SIMPLIFIED, lambda t: t.encode("utf-16"), "utf-16"),
    ("utf-16 BE with BOM", SIMPLIFIED, _utf16_be_bom, "utf-16"),
    ("utf-16 LE without BOM", SIMPLIFIED, lambda t: t.encode("utf-16-le"), "utf-16"),
    ("utf-16 BE without BOM", SIMPLIFIED, lambda t: t.encode("utf-16-be"), "utf-16"),
    ("gb18030 simplified", SIMPLIFIED, lambda t: t.encode("gb18030"), "gb18030"),
    ("gbk simplified", SIMPLIFIED, lambda t: t.encode("gbk"), "gb18030"),
    ("gb18030 traditional", TRADITIONAL, lambda t: t.encode("gb18030"), "gb18030"),
    ("big5 traditional", TRADITIONAL, lambda t: t.encode("big5"), "big5"),
    ("utf-8 traditional", TRADITIONAL, lambda t: t.encode("utf-8"), "utf-8"),
    # A long ASCII head: detection must look where UTF-8 fails, not at the head.
    ("gb18030 after ascii", "x" * 70000 + SIMPLIFIED, lambda t: t.encode("gb18030"), "gb18030"),
]


@pytest.mark.parametrize(
    ("text", "encode", "expected"),
    [case[1:] for case in ENCODINGS],
    ids=[case[0] for case in ENCODINGS],
)
def test_encodings(
    tmp_path: Path, text: str, encode: Callable[[str], bytes], expected: str
) -> None:
    raw = encode(text)
    path = tmp_path / "report.txt"
    path.write_bytes(raw)
    doc = load_file(path)
    # a UTF-8 BOM stays as U+FEFF, as plain UTF-8 readers (the scorer) see it;
    # UTF-16's codec consumes its mark
    assert doc.text == ("\ufeff" + text if expected == "utf-8-sig" else text)
    assert doc.encoding == expected
    assert doc.content_hash == hashlib.sha256(raw).hexdigest()
    assert doc.size_bytes == len(raw)
    assert doc.name == "report.txt"
    assert doc.body_start == 0
    assert doc.front_matter == {}


# (case, bytes, words the one-line message must hold) — the bad inputs issue 2 lists.
BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "empty file"),
    ("only white space", " \r\n\n\u3000".encode(), "empty file"),
    ("NUL bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary content"),
    ("control characters", b"\x01\x02\x03\x04\x05\x06\x07\x08abc" * 20, "binary content"),
    ("undecodable", "工会".encode() + b"\x80\x80\xff\xff" * 10, "undecodable"),
    ("front matter not a mapping", b"---\n- a\n- b\n---\nbody\n", "expected a mapping"),
    ("front matter year", "---\nyear: 今年\n---\n正文\n".encode(), "year must be a number"),
]


@pytest.mark.parametrize(
    ("raw", "words"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_bad_files_give_one_line_error(tmp_path: Path, raw: bytes, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(raw)
    with pytest.raises(LoadError) as info:
        load_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert words in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(LoadError, match="no such file") as info:
        load_file(path)
    assert str(info.value).startswith(str(path))


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="directory"):
        load_file(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(LoadError, match="unreadable"):
            load_file(path)
    finally:
        path.chmod(0o644)


def test_bad_front_matter_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text("---\ntitle: 年度报告\nscope: [北京市\n---\n正文。\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(path)
    err = info.value
    assert err.line is not None and 3 <= err.line <= 4  # where YAML noticed the bracket
    assert str(err).startswith(f"{path}:{err.line}: unreadable front matter")
    assert "\n" not in str(err)


def test_front_matter_is_read_and_kept_in_text(tmp_path: Path) -> None:
    text = (
        "---\ntitle: 顺义区工会工作报告\ndate: 2021-04-25\nissuer: 顺义区总工会\n"
        "scope: 顺义区\nyear: 2020\ncolor: blue\n---\n全区新增会员2万人。\n"
    )
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    doc = load_file(path)
    assert doc.text == text  # front matter stays: offsets count from the file start
    assert doc.text[doc.body_start :] == "全区新增会员2万人。\n"
    assert doc.front_matter["title"] == "顺义区工会工作报告"
    assert str(doc.front_matter["date"]) == "2021-04-25"
    assert doc.front_matter["year"] == 2020
    assert doc.front_matter["color"] == "blue"  # unknown keys are kept


# (case, text, front matter found?) — what is and is not front matter.
FRONT_MATTER_SHAPES = [
    ("crlf lines", "---\r\ntitle: 报告\r\n---\r\n正文", True),
    ("empty block", "---\n---\n正文", True),
    ("no closing line", "---\ntitle: 报告\n正文没有结束线。\n", False),
    ("not at file start", "正文\n---\ntitle: 报告\n---\n", False),
]


@pytest.mark.parametrize(
    ("text", "found"), [c[1:] for c in FRONT_MATTER_SHAPES], ids=[c[0] for c in FRONT_MATTER_SHAPES]
)
def test_front_matter_shapes(tmp_path: Path, text: str, found: bool) -> None:
    path = tmp_path / "doc.md"
    path.write_bytes(text.encode("utf-8"))
    doc = load_file(path)
    assert (doc.body_start > 0) is found
    assert doc.text[doc.body_start :].startswith("正文") is found or not found


def test_iter_input_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ["a.txt", "b/c.md", "b/deep/d.TXT", "b/skip.pdf", ".git/e.txt", "b/.hidden.txt"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    items = list(iter_input_files([tmp_path, tmp_path / "a.txt", missing, tmp_path / "b"]))
    errors = [i for i in items if isinstance(i, LoadError)]
    files = [i for i in items if isinstance(i, Path)]
    assert [str(e) for e in errors] == [f"{missing}: no such file or directory"]
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "a.txt",
        "b/c.md",
        "b/deep/d.TXT",
    ]


def test_large_file_memory(tmp_path: Path) -> None:
    """A big GB18030 file costs the bytes plus the decoded text, not many copies."""
    path = tmp_path / "big.txt"
    raw = (SIMPLIFIED * 120_000).encode("gb18030")  # ~5 MB
    path.write_bytes(raw)
    size = len(raw)
    del raw
    tracemalloc.start()
    try:
        doc = load_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert doc.encoding == "gb18030"
    assert peak < 4 * size, f"peak {peak / size:.1f}x the file size"


def test_front_matter_after_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_bytes(codecs.BOM_UTF8 + "---\ntitle: 报告\n---\n正文\n".encode())
    doc = load_file(path)
    assert doc.front_matter == {"title": "报告"}
    assert doc.text[doc.body_start :] == "正文\n"
