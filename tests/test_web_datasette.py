"""datasette/metadata.yaml describes tables and columns that exist, and every
canned query runs on a checked database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import inspect, text

from unionfacts.store import open_database
from web_corpus import ingest_and_check, write_corpus

METADATA = Path(__file__).resolve().parents[1] / "datasette" / "metadata.yaml"
DB = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["unionfacts"]
PARAMS = {"metric": "新发展会员", "scope": "云湾市"}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("datasette")
    eng = open_database(str(tmp / "unionfacts.db"))
    ingest_and_check(eng, write_corpus(tmp / "reports"))
    yield eng
    eng.dispose()


def test_described_columns_exist(engine) -> None:  # type: ignore[no-untyped-def]
    insp = inspect(engine)
    for table, meta in DB["tables"].items():
        if table == "facts":
            with engine.connect() as conn:
                names = set(conn.execute(text("SELECT * FROM facts LIMIT 0")).keys())
        else:
            names = {c["name"] for c in insp.get_columns(table)}
        assert set(meta.get("columns", {})) <= names, table


@pytest.mark.parametrize("name", sorted(DB["queries"]))
def test_canned_query_runs(engine, name: str) -> None:  # type: ignore[no-untyped-def]
    sql = DB["queries"][name]["sql"]
    params = {p: PARAMS[p] for p in set(re.findall(r":(\w+)", sql))}
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    if name in ("figure_over_time", "parts_and_wholes", "findings_with_claims"):
        assert rows, name


def test_findings_link_to_claims_by_foreign_key(engine) -> None:  # type: ignore[no-untyped-def]
    fks = inspect(engine).get_foreign_keys("finding_claims")
    assert {"claims", "findings"} == {fk["referred_table"] for fk in fks}


def test_json_columns_keep_chinese_readable(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT evidence FROM findings")).scalars().all()
    assert raw and all("\\u" not in r and "新发展会员" in "".join(raw) for r in raw)
