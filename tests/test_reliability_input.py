"""Bad input: one line naming the file and the problem, the rest of the batch
goes on, the summary is printed, and what was stored before is intact.

Each case ingests a folder holding the bad input beside a good report, into
a database that already holds another report; the real extraction runs.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from unionfacts.cli import _register, app
from unionfacts.store import open_database

runner = CliRunner()
_register()

GOOD = "全市新发展会员1200人，建成职工驿站45个。\n"
BEFORE = "2023年全市工会会员达到8000人。\n"


def _write(path: Path, body: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")


def _front(date: str) -> str:
    return f"---\ntitle: 报告\ndate: {date}\n---\n全市新发展会员300人。\n"


def _deep_yaml(folder: Path) -> None:
    _write(folder / "deep.txt", "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n会员3人。\n")


def _self_link(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "loop.txt").symlink_to("loop.txt")


def _huge_number(folder: Path) -> None:
    _write(folder / "huge.txt", "编号" + "9" * 30 + "人，全市新建驿站12个。\n")


def _linked_folder(folder: Path) -> None:
    outside = folder.parent / "elsewhere"
    _write(outside / "linked.txt", "全市新建书屋30个。\n")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "link").symlink_to(outside, target_is_directory=True)


def _link_back_up(folder: Path) -> None:
    _write(folder / "sub" / "inner.txt", "全市新建书屋30个。\n")
    (folder / "sub" / "up").symlink_to("..", target_is_directory=True)


def _utf16_cjk(folder: Path) -> None:
    body = "全市工会会员人数逐年增长职工之家建设成效明显" * 20
    _write(folder / "u16.txt", body.encode("utf-16-le"))


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]
    exit_code: int
    line: str  # the one line about it, with {folder} for the input folder; "" for none
    stored: tuple[str, ...]  # documents stored from the folder, good.txt included


CASES = [
    Case(
        "date-month-13",
        lambda f: _write(f / "d.txt", _front("2024-13-45")),
        0,
        "warning: {folder}/d.txt: front matter: date '2024-13-45' is not a date "
        "(YYYY-MM-DD); ignored",
        ("d.txt", "good.txt"),
    ),
    Case(
        "date-feb-30",
        lambda f: _write(f / "d.txt", _front("2024-02-30")),
        0,
        "warning: {folder}/d.txt: front matter: date '2024-02-30' is not a date "
        "(YYYY-MM-DD); ignored",
        ("d.txt", "good.txt"),
    ),
    Case(
        "date-tomorrow",
        lambda f: _write(f / "d.txt", _front("明天")),
        0,
        "warning: {folder}/d.txt: front matter: date '明天' is not a date (YYYY-MM-DD); ignored",
        ("d.txt", "good.txt"),
    ),
    Case(
        "deep-yaml",
        _deep_yaml,
        1,
        "failed: {folder}/deep.txt: line 2: unreadable front matter: nested too deeply",
        ("good.txt",),
    ),
    Case(
        "symlink-to-itself",
        _self_link,
        1,
        "failed: {folder}/loop.txt: broken symlink or symlink loop",
        ("good.txt",),
    ),
    Case(
        "30-digit-number",
        _huge_number,
        0,
        "warning: {folder}/huge.txt: line 1: a number of 30 digits is not a figure; skipped",
        ("good.txt", "huge.txt"),
    ),
    Case("symlinked-folder", _linked_folder, 0, "", ("good.txt", "linked.txt")),
    Case(
        "link-back-up",
        _link_back_up,
        0,
        "skipped: {folder}/sub/up: folder already read as {real} (a symlink to it)",
        ("good.txt", "inner.txt"),
    ),
    Case("utf16-cjk-without-bom", _utf16_cjk, 0, "", ("good.txt", "u16.txt")),
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[str]:
    """A database that already holds one report."""
    path = tmp_path / "store.db"
    _write(tmp_path / "before" / "before.txt", BEFORE)
    result = runner.invoke(app, ["ingest", str(tmp_path / "before"), "--db", str(path)])
    assert result.exit_code == 0, result.output
    yield str(path)


def _stored(db: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = open_database(db, "read")
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT d.name, c.surface, c.value FROM documents d"
                    " LEFT JOIN claims c ON c.document_id = d.id ORDER BY d.name, c.seq"
                )
            ).fetchall()
    finally:
        engine.dispose()
    out: dict[str, list[tuple[Any, ...]]] = {}
    for name, surface, value in rows:
        out.setdefault(name, [])
        if surface is not None:
            out[name].append((surface, value))
    return out


def _problem_lines(stderr: str) -> list[str]:
    return [
        line for line in stderr.splitlines() if line.startswith(("warning:", "failed:", "skipped:"))
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(tmp_path: Path, db: str, case: Case) -> None:
    folder = tmp_path / "in"
    _write(folder / "good.txt", GOOD)
    case.make(folder)
    before = _stored(db)["before.txt"]
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == case.exit_code, result.output
    assert "ingest summary" in result.stdout
    expected = [case.line.format(folder=folder, real=os.path.realpath(folder))] if case.line else []
    assert _problem_lines(result.stderr) == expected
    assert "Traceback" not in result.output
    stored = _stored(db)
    assert stored["before.txt"] == before
    assert sorted(set(stored) - {"before.txt"}) == sorted(case.stored)
    assert stored["good.txt"], "the good report lost its claims"


def test_huge_number_is_skipped_and_the_rest_kept(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "in"
    _huge_number(folder)
    runner.invoke(app, ["ingest", str(folder), "--db", db])
    claims = _stored(db)["huge.txt"]
    assert [s for s, _ in claims] == ["12个"]


def test_utf16_without_bom_is_decoded(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "in"
    _utf16_cjk(folder)
    runner.invoke(app, ["ingest", str(folder), "--db", db])
    engine = open_database(db, "read")
    with engine.connect() as conn:
        encoding = conn.execute(
            text("SELECT encoding FROM documents WHERE name = 'u16.txt'")
        ).scalar()
    engine.dispose()
    assert encoding == "utf-16"


def test_empty_folder_is_said(tmp_path: Path, db: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["ingest", str(empty), "--db", db])
    assert result.exit_code == 0
    assert "ingest summary" in result.stdout
    assert _problem_lines(result.stderr) == [
        f"skipped: {empty}: no .txt or .md files in this folder; nothing to ingest"
    ]
    assert set(_stored(db)) == {"before.txt"}


def test_unreadable_subfolder_is_said(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.walk reports a folder it cannot list through `onerror` (faked here:
    the tests run as root, who can list anything)."""
    folder = tmp_path / "in"
    _write(folder / "good.txt", GOOD)
    _write(folder / "locked" / "secret.txt", GOOD)
    real_walk = os.walk

    def walk(top: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        onerror = kwargs.get("onerror")
        for root, dirs, files in real_walk(top, *args, **kwargs):
            if onerror is not None and Path(root).name == "locked":
                onerror(PermissionError(13, "Permission denied", root))
                continue
            yield root, dirs, files

    monkeypatch.setattr("unionfacts.load.os.walk", walk)
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 1
    assert _problem_lines(result.stderr) == [
        f"failed: {folder / 'locked'}: unreadable folder: Permission denied"
    ]
    assert set(_stored(db)) == {"before.txt", "good.txt"}


def test_misspelt_rules_file_is_said(tmp_path: Path, db: str) -> None:
    rules = tmp_path / "myrules"
    _write(rules / "metric.yaml", "metrics: []\n")  # metrics.yaml is meant
    _write(tmp_path / "in" / "good.txt", GOOD)
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--rules", str(rules), "--db", db])
    assert result.exit_code == 0, result.output
    (line,) = _problem_lines(result.stderr)
    assert line.startswith(f"warning: {rules / 'metric.yaml'}: not a rules file unionfacts reads")
    assert "metrics.yaml" in line


# -- review --from-csv in the encodings spreadsheets save -----------------------


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("gbk", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE)],
    ids=["gbk", "utf-8-bom", "utf-16-bom"],
)
def test_review_csv_in_other_encodings(
    tmp_path: Path, encoding: str, prefix: bytes, fake_stages: None
) -> None:
    reports = tmp_path / "r"
    _write(reports / "a.txt", "北京市总工会报告。全市会员100人，今年新发展。")
    _write(reports / "b.txt", "另一份报告。全市会员120人，今年新发展。")
    db = str(tmp_path / "rv.db")
    assert runner.invoke(app, ["ingest", str(reports), "--db", db]).exit_code == 0
    runner.invoke(app, ["check", "--db", db])
    engine = open_database(db, "read")
    with engine.connect() as conn:
        fid = conn.execute(text("SELECT id FROM findings WHERE severity = 'error'")).scalar()
    engine.dispose()
    assert fid
    csv_file = tmp_path / "decisions.csv"
    csv_file.write_bytes(
        prefix + f"id,status,note\n{fid},dismissed,两份调查口径不同\n".encode(encoding)
    )
    result = runner.invoke(app, ["review", "--from-csv", str(csv_file), "--db", db])
    assert result.exit_code == 0, result.output
    assert f"{fid[:10]}: open → dismissed" in result.stdout
    engine = open_database(db, "read")
    with engine.connect() as conn:
        note = conn.execute(
            text("SELECT note FROM reviews WHERE finding_id = :f"), {"f": fid}
        ).scalar()
    engine.dispose()
    assert note == "两份调查口径不同"


def test_review_csv_that_is_binary_is_one_line(tmp_path: Path, db: str) -> None:
    junk = tmp_path / "x.csv"
    junk.write_bytes(bytes(range(1, 32)) * 50)
    result = runner.invoke(app, ["review", "--from-csv", str(junk), "--db", db])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {junk}: binary content (control characters), not a text file"
    ]
