"""Review decisions survive an edit elsewhere in a report, and the decisions
stored under the ids of before (content hash and offsets) carry over when the
database is upgraded."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from unionfacts.check import Finding
from unionfacts.check.intervals import fmt
from unionfacts.findings import (
    check_database,
    finding_id,
    get_finding,
    list_findings,
    review,
)
from unionfacts.models import ExtractedDocument
from unionfacts.store import current_revision, head_revision, make_engine, save_document, upgrade

A = "北京市总工会报告。全市会员100人，今年新发展。"
B = "另一份报告。全市会员120人，今年新发展。"
LIVE = ["open", "confirmed", "dismissed", "fixed"]

Extract = Callable[[Path, str], ExtractedDocument]


def _ingest(engine: Engine, tmp_path: Path, extract: Extract, a: str = A) -> None:
    for name, body in (("a.txt", a), ("b.txt", B)):
        save_document(engine, extract(tmp_path / name, body))


def _errors(engine: Engine) -> list[str]:
    return [f.id for f in list_findings(engine, statuses=LIVE, severities=["error"])]


@pytest.mark.parametrize(
    "edited",
    [
        A + "\n附注：本报告另有说明。",  # a line appended
        "（内部资料）\n" + A,  # a line before: every offset moves
        A.replace("今年新发展", "今年新发展，工作扎实"),  # words after the claim change
    ],
    ids=["appended", "prepended", "same-sentence"],
)
def test_decision_survives_an_edit_elsewhere(
    engine: Engine, tmp_path: Path, fake_extracted: Extract, edited: str
) -> None:
    _ingest(engine, tmp_path, fake_extracted)
    check_database(engine)
    (fid,) = _errors(engine)
    review(engine, fid, "dismissed", "两份调查口径不同", "alice")
    _ingest(engine, tmp_path, fake_extracted, a=edited)
    summary = check_database(engine)
    assert (summary.new, summary.reopened, summary.stale) == (0, 0, 0)
    found = get_finding(engine, fid)
    assert found.status == "dismissed" and not found.reopened
    quote = next(c for c in found.claims if c["doc"] == "a.txt")
    # the evidence shows the claim where it is now
    assert edited[quote["start"] : quote["end"]] == quote["surface"]
    with engine.connect() as conn:
        start = conn.execute(
            text(
                "SELECT start_offset FROM finding_claims"
                " WHERE finding_id = :f AND doc_name = 'a.txt'"
            ),
            {"f": fid},
        ).scalar()
    assert start == quote["start"]


def test_a_changed_value_is_a_new_open_finding(
    engine: Engine, tmp_path: Path, fake_extracted: Extract
) -> None:
    _ingest(engine, tmp_path, fake_extracted)
    check_database(engine)
    (fid,) = _errors(engine)
    review(engine, fid, "dismissed", "", "alice")
    _ingest(engine, tmp_path, fake_extracted, a=A.replace("100人", "90人"))
    summary = check_database(engine)
    assert summary.new == 1 and summary.stale == 1
    (new_id,) = _errors(engine)
    assert new_id != fid
    assert get_finding(engine, new_id).status == "open"
    assert get_finding(engine, fid).status == "stale"


def _old_id(f: Finding) -> str:
    """How revisions up to 0004 named a finding: documents' content hashes and spans."""
    refs = sorted((c.doc_hash, c.start, c.end, fmt(c.value)) for c in f.claims)
    return hashlib.sha256(json.dumps([f.check, refs], ensure_ascii=False).encode()).hexdigest()[:20]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without any table: a new SQLite file, or the session's
    PostgreSQL database emptied."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    url: str = request.getfixturevalue("pg_url")
    _wipe(url)
    yield url
    _wipe(url)


def _wipe(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def test_decisions_under_old_ids_carry_over_on_upgrade(
    empty_url: str, tmp_path: Path, fake_extracted: Extract, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic.script import ScriptDirectory

    from unionfacts.store.db import alembic_config

    # the revision just before 0005, whichever that is once branches are
    # chained: today's writer can fill it, and 0005 renames the findings
    before = ScriptDirectory.from_config(alembic_config()).get_revision("0005").down_revision
    engine = make_engine(empty_url)
    upgrade(engine, str(before))
    _ingest(engine, tmp_path, fake_extracted)
    with monkeypatch.context() as m:  # `check` as revision 0004's code ran it
        m.setattr("unionfacts.findings.finding_id", _old_id)
        # nor did it know corrections (0006) or link findings to claim rows
        m.setattr("unionfacts.findings.link_finding_claims", lambda engine: None)
        m.setattr("unionfacts.store.corrections.corrections", lambda engine: {})
        check_database(engine)
    (old,) = _errors(engine)
    review(engine, old, "confirmed", "核实无误", "alice")
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    (new,) = _errors(engine)
    assert new != old
    # the old id (or a prefix of it) still names the finding
    assert get_finding(engine, old[:10]).id == new
    found = get_finding(engine, new)
    assert found.status == "confirmed"
    assert [(h.to_status, h.note) for h in found.history] == [("confirmed", "核实无误")]
    # and today's check lands on the renamed row: nothing new, nothing stale
    summary = check_database(engine)
    assert (summary.new, summary.stale, summary.reopened) == (0, 0, 0)
    assert get_finding(engine, new).status == "confirmed"
    engine.dispose()


def test_finding_id_ignores_offsets_and_content_hash(
    engine: Engine, tmp_path: Path, fake_extracted: Extract
) -> None:
    import dataclasses

    from unionfacts.check import run_checks
    from unionfacts.store import stored_claims

    _ingest(engine, tmp_path, fake_extracted)
    (f,) = [f for f in run_checks(stored_claims(engine)) if f.severity == "error"]
    moved = dataclasses.replace(
        f,
        claims=tuple(
            dataclasses.replace(c, start=c.start + 7, end=c.end + 7, doc_hash="0" * 64)
            for c in f.claims
        ),
    )
    assert finding_id(moved) == finding_id(f)
    for field, value in (("surface", "101人"), ("metric", "另一指标"), ("period", "2022")):
        other = dataclasses.replace(
            f, claims=(dataclasses.replace(f.claims[0], **{field: value}), *f.claims[1:])
        )
        assert finding_id(other) != finding_id(f), field
