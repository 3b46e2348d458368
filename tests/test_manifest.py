"""A manifest gives many files their frame at once (issue 7 §1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from unionfacts.manifest import ManifestError, overrides_for, read_manifest


def test_csv_manifest(tmp_path: Path) -> None:
    m = tmp_path / "m.csv"
    m.write_text(
        "file,date,scope,genre\na.txt,2022-12-29,青岛市,gwr\nsub/b.txt,,,news\n",
        encoding="utf-8-sig",
    )
    rows = read_manifest(m, {"gwr", "news"})
    assert rows["a.txt"].date == date(2022, 12, 29) and rows["a.txt"].scope == "青岛市"
    assert overrides_for(tmp_path / "sub" / "b.txt", rows, tmp_path) == rows["sub/b.txt"]
    assert overrides_for(tmp_path / "other" / "a.txt", rows, tmp_path) == rows["a.txt"]
    assert overrides_for(tmp_path / "c.txt", rows, tmp_path) is None


def test_yaml_manifest(tmp_path: Path) -> None:
    m = tmp_path / "m.yaml"
    m.write_text("a.txt: {date: 2023-03-05, genre: gwr}\n", encoding="utf-8")
    assert read_manifest(m, {"gwr"})["a.txt"].genre == "gwr"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("m.csv", "name,date\na.txt,2022-01-01\n", "needs a header row with a `file` column"),
        ("m.csv", "file,date\na.txt,2022-13-45\n", "m.csv:2: date '2022-13-45' is not YYYY-MM-DD"),
        ("m.csv", "file,genre\na.txt,poem\n", "unknown genre 'poem'"),
        ("m.csv", "file,colour\na.txt,red\n", "unknown field(s) colour"),
        ("m.yaml", "- a\n- b\n", "expected a mapping"),
    ],
)
def test_bad_manifest_says_where(tmp_path: Path, name: str, text: str, message: str) -> None:
    m = tmp_path / name
    m.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=None) as e:
        read_manifest(m, {"gwr", "news"})
    assert message in str(e.value) and str(m) in str(e.value)
