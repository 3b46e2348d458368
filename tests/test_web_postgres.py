"""The review application on PostgreSQL: the tsvector search, a review, a
correction across a re-ingest, and a read-only session that refuses writes."""

from __future__ import annotations

import re
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from unionfacts.findings import list_findings
from unionfacts.store import open_database
from unionfacts.web.app import create_app
from unionfacts.web.server import open_read_only
from web_corpus import ingest_and_check, write_corpus

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_web(pg_url: str, tmp_path: Path) -> Iterator[tuple[str, Engine, Path]]:
    """A database of its own on the session's server, with the corpus checked."""
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"unionfacts_web_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    engine = open_database(url)
    folder = write_corpus(tmp_path / "reports")
    ingest_and_check(engine, folder)
    try:
        yield url, engine, folder
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _token(client: TestClient) -> str:
    m = re.search(r'data-csrf="([^"]+)"', client.get("/findings").text)
    assert m
    return m.group(1)


def test_web_on_postgres(pg_web: tuple[str, Engine, Path]) -> None:
    url, engine, folder = pg_web
    client = TestClient(create_app(engine, reviewer="pg-reviewer"))
    page = client.get("/claims", params={"q": "新發展會員"}).text
    assert "full-text index" in page
    assert sorted(re.findall(r'<a href="/claims/\d+">([^<]+)</a>', page)) == sorted(
        ["3.2万人", "120个", "4.5萬人", "120個"]
    )
    fid = next(f.id for f in list_findings(engine) if f.check == "part_exceeds_whole")
    resp = client.post(
        f"/findings/{fid}/review",
        data={"status": "confirmed", "note": "核实", "csrf": _token(client)},
        headers={"accept": "application/json"},
    )
    assert resp.json()["to"] == "confirmed"
    with engine.connect() as conn:
        cid = conn.execute(text("SELECT id FROM claims WHERE surface = '4.5萬人'")).scalar_one()
    resp = client.post(
        f"/claims/{cid}/correct",
        data={"csrf": _token(client), "period": "2022", "kind": "flow", "modality": "actual"},
        follow_redirects=True,
    )
    assert "period → 2022" in resp.text
    ingest_and_check(engine, folder, force=True)
    statuses = {f.check: f.status for f in list_findings(engine)}
    assert statuses == {"part_exceeds_whole": "confirmed", "same_fact_differs": "stale"}
    for route in ("/findings", "/documents", "/metric?key=新发展会员&scope=云湾市", "/audit"):
        assert client.get(route).status_code == 200

    ro = open_read_only(url)
    with ro.connect() as conn, pytest.raises(Exception, match="read-only transaction"):
        conn.execute(text("DELETE FROM reviews"))
    ro_client = TestClient(create_app(ro, read_only=True))
    assert "核实" in ro_client.get("/audit").text
    assert ro_client.get("/claims", params={"q": "暖心驿站"}).status_code == 200
    ro.dispose()
