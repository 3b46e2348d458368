"""Findings survive: a review decision outlives a second `check` and an
unchanged re-ingest; changed evidence reopens; a vanished finding goes stale.
Run on SQLite and (marked `postgres`) on PostgreSQL in a database made for
this session."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from unionfacts.check import Finding, run_checks
from unionfacts.findings import (
    CHECKER,
    ReviewError,
    check_database,
    get_finding,
    list_findings,
    review,
    review_csv,
    sync_findings,
)
from unionfacts.models import ExtractedDocument
from unionfacts.store import open_database, save_document, stored_claims
from unionfacts.store.findings_schema import reviews_table

A = "北京市总工会报告。全市会员100人，今年新发展。"
B = "另一份报告。全市会员120人，今年新发展。"

Extract = Callable[[Path, str], ExtractedDocument]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = open_database(str(tmp_path / "f.db"))
        yield engine
        engine.dispose()
        return
    engine = open_database(request.getfixturevalue("pg_url"))
    yield engine
    with engine.begin() as conn:  # a clean slate for the next test
        for table in ("reviews", "finding_claims", "findings", "documents"):
            conn.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


def _ingest(engine: Engine, tmp_path: Path, extract: Extract) -> None:
    for name, body in (("a.txt", A), ("b.txt", B)):
        save_document(engine, extract(tmp_path / name, body))


def _errors(engine: Engine) -> list[str]:
    live = ["open", "confirmed", "dismissed", "fixed"]
    return [f.id for f in list_findings(engine, statuses=live, severities=["error"])]


def test_decision_survives_rerun_and_unchanged_reingest(
    db: Engine, tmp_path: Path, fake_extracted: Extract
) -> None:
    _ingest(db, tmp_path, fake_extracted)
    first = check_database(db)
    assert first.new >= 1
    (fid,) = _errors(db)
    review(db, fid[:8], "dismissed", "different surveys", "alice")
    again = check_database(db)
    assert again.new == 0 and again.reopened == 0 and again.stale == 0
    _ingest(db, tmp_path, fake_extracted)  # unchanged files: nothing rewritten
    check_database(db)
    found = get_finding(db, fid)
    assert found.status == "dismissed" and not found.reopened
    assert [(h.from_status, h.to_status, h.who) for h in found.history] == [
        ("open", "dismissed", "alice")
    ]
    assert {c["doc"] for c in found.claims} == {"a.txt", "b.txt"}


def _changed(findings: list[Finding]) -> list[Finding]:
    """The same claims (same id), one of them now read as approximate: the
    id hashes quote, value, metric, period and scope, not how exact it is."""
    out = []
    for f in findings:
        first = dataclasses.replace(f.claims[0], approx="about")
        out.append(dataclasses.replace(f, claims=(first, *f.claims[1:])))
    return out


def test_changed_evidence_reopens_with_reason(
    db: Engine, tmp_path: Path, fake_extracted: Extract
) -> None:
    _ingest(db, tmp_path, fake_extracted)
    check_database(db)
    (fid,) = _errors(db)
    review(db, fid, "confirmed", "", "bob")
    produced = [f for f in run_checks(stored_claims(db)) if f.severity == "error"]
    summary = sync_findings(db, _changed(produced))
    assert summary.reopened == 1
    found = get_finding(db, fid)
    assert found.status == "open" and found.reopened
    assert (
        found.reopen_reason and "approx" in found.reopen_reason and "about" in found.reopen_reason
    )
    assert found.history[-1].who == CHECKER


def test_vanished_finding_goes_stale_and_comes_back_with_its_decision(
    db: Engine, tmp_path: Path, fake_extracted: Extract
) -> None:
    _ingest(db, tmp_path, fake_extracted)
    check_database(db)
    (fid,) = _errors(db)
    review(db, fid, "confirmed", "real", "carol")
    assert sync_findings(db, []).stale >= 1
    assert get_finding(db, fid).status == "stale"  # kept, not deleted
    check_database(db)
    assert get_finding(db, fid).status == "confirmed"


def test_changed_document_makes_a_new_finding(
    db: Engine, tmp_path: Path, fake_extracted: Extract
) -> None:
    _ingest(db, tmp_path, fake_extracted)
    check_database(db)
    (old,) = _errors(db)
    save_document(db, fake_extracted(tmp_path / "b.txt", B.replace("120", "130")))
    check_database(db)
    (new,) = _errors(db)
    assert new != old and get_finding(db, old).status == "stale"


def test_review_csv_all_or_nothing(db: Engine, tmp_path: Path, fake_extracted: Extract) -> None:
    _ingest(db, tmp_path, fake_extracted)
    check_database(db)
    (fid,) = _errors(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"id,status,note\n{fid},confirmed,ok\nzzzz,dismissed,x\n{fid},maybe,\n")
    with pytest.raises(ReviewError) as e:
        review_csv(db, bad, "dave")
    assert "bad.csv:3" in str(e.value) and "bad.csv:4" in str(e.value)
    assert get_finding(db, fid).status == "open"
    good = tmp_path / "good.csv"
    good.write_text(f"id,status,note,by\n{fid},fixed,corrected upstream,erin\n")
    assert review_csv(db, good, "dave") == [(fid, "open", "fixed")]
    assert get_finding(db, fid).history[-1].who == "erin"
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(reviews_table)).scalar_one() == 1


def test_unknown_or_ambiguous_id(db: Engine) -> None:
    with pytest.raises(ReviewError):
        review(db, "nope", "confirmed", "", "x")
