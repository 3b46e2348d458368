"""Shared fixtures.

Store and ingest tests use a small stand-in for extraction (`fake_extract`,
`fake_extracted`, `fake_stages`) so that they test the store, not the
extractor; it follows the real interfaces in unionfacts.models.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from unionfacts.models import (
    Claim,
    DocumentMeta,
    ExtractedDocument,
    LoadedDocument,
    MetaOverrides,
    StreamedDocument,
)
from unionfacts.store import open_database

# --update-golden for the golden tests (tests/golden_plugin.py).
pytest_plugins = ["golden_plugin"]

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


# -- a stand-in for extraction --------------------------------------------

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
                sentence=text[max(0, m.start() - 20) : end + 20],
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


def fake_stream(
    doc: LoadedDocument, rules: object, overrides: MetaOverrides | None = None
) -> StreamedDocument:
    """`fake_extract` in the streamed form that ingest consumes."""
    extracted = fake_extract(doc, rules, overrides)
    return StreamedDocument(extracted.document, extracted.meta, iter([extracted.claims]))


@pytest.fixture
def fake_extracted() -> Callable[[Path, str], ExtractedDocument]:
    def build(path: Path, text: str) -> ExtractedDocument:
        return fake_extract(make_loaded(path, text), None)

    return build


@pytest.fixture
def fake_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the extraction with `fake_extract` (the real loader stays)."""
    monkeypatch.setattr("unionfacts.ingest.stream_document", fake_stream)


# A throwaway PostgreSQL database per test session, dropped afterwards;
# tests that use it are skipped, with the reason, when the server does not answer.
ADMIN_URL = os.environ.get("UNIONFACTS_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test")
TEXT = "全市新发展会员1200人，其中新就业形态劳动者300人。建成驿站45.5个。"


def throwaway_pg_database(prefix: str) -> Iterator[str]:
    """A uniquely named database on the local server, dropped afterwards; the
    calling test is skipped, with the reason, when the server does not answer."""
    admin = create_engine(
        ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as e:
        admin.dispose()
        first = str(getattr(e, "orig", e)).strip().splitlines()
        pytest.skip(f"PostgreSQL at {ADMIN_URL} does not answer: {first[0] if first else e}")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A uniquely named database, dropped after the session."""
    yield from throwaway_pg_database("unionfacts_test")
