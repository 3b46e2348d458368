"""Shared fixtures.

Store and ingest tests use small stand-ins for the stages before the store
(`fake_extracted`, `fake_stages`) so that they test the store, not the
extractor; the stand-ins follow the real interfaces in unionfacts.models.
"""

from __future__ import annotations

import hashlib
import re
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from unionfacts.models import (
    Claim,
    DocumentMeta,
    ExtractedDocument,
    LoadedDocument,
    MetaOverrides,
)
from unionfacts.store import open_database

# -- databases ---------------------------------------------------------------


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    """A fresh SQLite database upgraded to head."""
    eng = open_database(str(db_path))
    yield eng
    eng.dispose()


# -- stand-ins for load and extract --------------------------------------------

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def make_loaded(path: Path, text: str) -> LoadedDocument:
    raw = text.encode("utf-8")
    return LoadedDocument(
        path=path,
        name=path.name,
        text=text,
        encoding="utf-8",
        content_hash=hashlib.sha256(raw).hexdigest(),
        size_bytes=len(raw),
        body_start=0,
    )


def fake_claims(text: str) -> list[Claim]:
    """Every run of digits followed by 人 or 个 is a claim; a claim whose
    text since the previous claim holds 其中 is part of the claim before it."""
    claims: list[Claim] = []
    for m in _NUMBER.finditer(text):
        end = m.end()
        if end >= len(text) or text[end] not in "人个":
            continue
        between = text[claims[-1].end : m.start()] if claims else ""
        part_of = claims[-1].seq if "其中" in between else None
        claims.append(
            Claim(
                seq=len(claims),
                start=m.start(),
                end=end + 1,
                surface=text[m.start() : end + 1],
                value=Decimal(m.group()),
                unit=text[end],
                unit_class=text[end],
                approx="exact",
                metric="测试指标",
                metric_rule=None,
                period="2023",
                scope="北京市",
                kind="flow",
                modality="actual",
                part_of=part_of,
                sentence=text,
                rule_id="test.number",
            )
        )
    return claims


def fake_extract(
    doc: LoadedDocument, rules: object, overrides: MetaOverrides | None = None
) -> ExtractedDocument:
    if "坏" in doc.text:  # lets a test make extraction fail for one file
        raise RuntimeError("broken on purpose")
    meta = DocumentMeta(
        title=doc.name,
        date=(overrides.date if overrides and overrides.date else date(2023, 12, 31)),
        year=2023,
        scope=(overrides.scope if overrides and overrides.scope else "北京市"),
        sources={"date": "override" if overrides and overrides.date else "text"},
    )
    return ExtractedDocument(document=doc, meta=meta, claims=fake_claims(doc.text))


@pytest.fixture
def fake_extracted() -> Callable[[Path, str], ExtractedDocument]:
    def build(path: Path, text: str) -> ExtractedDocument:
        return fake_extract(make_loaded(path, text), None)

    return build


class FakeLoadError(Exception):
    pass


def _fake_load_file(path: Path) -> LoadedDocument:
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise FakeLoadError(f"{path}: cannot read: {e.strerror}") from e
    if not raw:
        raise FakeLoadError(f"{path}: empty file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FakeLoadError(f"{path}: binary or undecodable content") from None
    doc = make_loaded(Path(path), text)
    return doc


def _fake_iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in (".txt", ".md")
            )
        elif p.suffix.lower() in (".txt", ".md"):
            yield p


@pytest.fixture
def fake_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace unionfacts.load and the extraction with the stand-ins above."""
    module = types.ModuleType("unionfacts.load")
    module.LoadError = FakeLoadError  # type: ignore[attr-defined]
    module.load_file = _fake_load_file  # type: ignore[attr-defined]
    module.iter_input_files = _fake_iter_input_files  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unionfacts.load", module)
    monkeypatch.setattr("unionfacts.ingest.extract_document", fake_extract)
