"""Batch ingest with stand-in load/extract stages (see conftest.fake_stages)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Engine

from unionfacts.ingest import IngestError, IngestProgress, ingest_paths
from unionfacts.models import MetaOverrides
from unionfacts.rules import RuleSet
from unionfacts.store import count_claims, document_by_path, list_documents, stored_claims

pytestmark = pytest.mark.usefixtures("fake_stages")
RULES = cast(RuleSet, object())  # the stand-in extraction does not read rules


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    write(root / "a.txt", "新发展会员1200人，其中女性300人。")
    write(root / "sub" / "b.md", "建成驿站45个。")
    write(root / "notes.pdf", "ignored")
    return root


def test_ingest_folder(engine: Engine, corpus: Path) -> None:
    summary = ingest_paths(engine, [corpus], RULES)
    assert (summary.new, summary.replaced, summary.unchanged) == (2, 0, 0)
    assert summary.claims_stored == 3 == count_claims(engine)
    assert summary.ok and not summary.skipped and not summary.failed
    assert [d.name for d in list_documents(engine)] == ["a.txt", "b.md"]


def test_reingest_unchanged_changes_nothing(
    engine: Engine, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths(engine, [corpus], RULES)
    before = [(c.id, c.value) for c in stored_claims(engine)]
    stamp = document_by_path(engine, corpus / "a.txt")

    def must_not_extract(*_: object) -> None:
        raise AssertionError("unchanged files must not be extracted again")

    monkeypatch.setattr("unionfacts.ingest.stream_document", must_not_extract)
    summary = ingest_paths(engine, [corpus], RULES)
    assert (summary.new, summary.replaced, summary.unchanged) == (0, 0, 2)
    assert summary.claims_stored == 0
    assert [(c.id, c.value) for c in stored_claims(engine)] == before
    assert document_by_path(engine, corpus / "a.txt") == stamp


def test_changed_file_replaces_its_claims(engine: Engine, corpus: Path) -> None:
    ingest_paths(engine, [corpus], RULES)
    write(corpus / "a.txt", "新发展会员1500人。")
    summary = ingest_paths(engine, [corpus], RULES)
    assert (summary.new, summary.replaced, summary.unchanged) == (0, 1, 1)
    values = sorted(int(c.value) for c in stored_claims(engine))
    assert values == [45, 1500]


def test_bad_file_fails_alone(engine: Engine, corpus: Path) -> None:
    (corpus / "bin.txt").write_bytes(bytes(range(256)) * 4)
    write(corpus / "c.txt", "坏的文件1人")  # the fake extractor raises on 坏
    (corpus / "empty.md").write_bytes(b"")
    summary = ingest_paths(engine, [corpus, corpus / "missing.txt"], RULES)
    failed = {o.path.name: o.reason or "" for o in summary.failed}
    assert set(failed) == {"bin.txt", "c.txt", "empty.md", "missing.txt"}
    assert failed["bin.txt"]  # the loader's one-line reason
    assert "extraction failed" in failed["c.txt"]
    assert "no such file" in failed["missing.txt"]
    assert summary.new == 2 and not summary.ok
    assert {d.name for d in list_documents(engine)} == {"a.txt", "b.md"}


def test_later_failure_keeps_earlier_data(
    engine: Engine, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths(engine, [corpus], RULES)
    write(corpus / "a.txt", "新发展会员1500人。")

    def store_breaks(*_: object, **__: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("unionfacts.ingest.save_document", store_breaks)
    summary = ingest_paths(engine, [corpus], RULES)
    assert [o.path.name for o in summary.failed] == ["a.txt"]
    assert "cannot store" in (summary.failed[0].reason or "")
    # The old version of a.txt and all of b.md are still there.
    assert sorted(int(c.value) for c in stored_claims(engine)) == [45, 300, 1200]


def test_interrupt_leaves_no_half_document(
    engine: Engine, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unionfacts.store.writer as writer

    real = writer._insert_claims

    def interrupted(*args: object) -> None:
        real(*args)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "_insert_claims", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(engine, [corpus / "a.txt"], RULES)
    assert list_documents(engine) == [] and count_claims(engine) == 0


def test_unchanged_files_count_as_skipped(engine: Engine, corpus: Path) -> None:
    ingest_paths(engine, [corpus / "a.txt"], RULES)
    summary = ingest_paths(engine, [corpus], RULES)
    assert [o.path.name for o in summary.skipped] == ["a.txt"]
    assert summary.new == 1 and summary.documents == 2 and summary.ok


def test_each_file_once(engine: Engine, corpus: Path) -> None:
    summary = ingest_paths(engine, [corpus, corpus / "a.txt"], RULES)
    assert summary.new == 2 and len(summary.outcomes) == 2


def test_overrides_need_a_single_file(engine: Engine, corpus: Path) -> None:
    with pytest.raises(IngestError, match="single file"):
        ingest_paths(engine, [corpus], RULES, overrides=MetaOverrides(scope="顺义区"))
    assert list_documents(engine) == []


def test_overrides_apply_and_reapply(engine: Engine, corpus: Path) -> None:
    path = corpus / "a.txt"
    ingest_paths(engine, [path], RULES)
    over = MetaOverrides(date=date(2021, 4, 25), scope="顺义区")
    summary = ingest_paths(engine, [path], RULES, overrides=over)
    assert summary.replaced == 1
    doc = document_by_path(engine, path)
    assert doc is not None and doc.doc_date == date(2021, 4, 25) and doc.scope == "顺义区"
    assert ingest_paths(engine, [path], RULES, overrides=over).unchanged == 1


def test_progress_reports_every_file(engine: Engine, corpus: Path) -> None:
    events: list[IngestProgress] = []
    ingest_paths(engine, [corpus], RULES, progress=events.append)
    assert [(e.index, e.total, e.outcome is None) for e in events] == [
        (0, 2, True),
        (0, 2, False),
        (1, 2, True),
        (1, 2, False),
    ]


def test_force_extracts_again(engine: Engine, corpus: Path) -> None:
    ingest_paths(engine, [corpus], RULES)
    summary = ingest_paths(engine, [corpus], RULES, force=True)
    assert summary.replaced == 2 and summary.claims_stored == 3
