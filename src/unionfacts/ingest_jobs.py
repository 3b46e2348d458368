"""`ingest --jobs N`: extraction in N worker processes.

Each worker loads a file, asks the store whether its content is already
there, and extracts it. On SQLite the worker sends the extracted document
back and the parent alone writes (SQLite has one writer at a time, and the
parent's inserts are a small part of the work); on PostgreSQL each worker
saves its documents itself, in a session of its own. Results are taken in
the files' order, so the summary reads as a one-job run's.

Workers are forked where the platform allows: they inherit the loaded rule
set and the tagger's dictionary instead of building them again.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from unionfacts.ingest import (
    FileOutcome,
    IngestProgress,
    ProgressCallback,
    failed,
    prepare_file,
    save_file,
)
from unionfacts.models import ExtractedDocument, MetaOverrides
from unionfacts.rules import RuleSet


@dataclass(frozen=True)
class _Setup:
    url: str
    rules: RuleSet
    overrides: MetaOverrides | None
    force: bool
    save_here: bool  # PostgreSQL: the worker writes its own documents


@dataclass(frozen=True)
class _Extracted:
    """A worker's document for the parent to write."""

    extracted: ExtractedDocument
    key: str


_setup: _Setup | None = None
_engine: Engine | None = None


def _start(setup: _Setup) -> None:
    global _setup, _engine
    from unionfacts.store import make_engine

    _setup = setup
    _engine = make_engine(setup.url)


def _work(path: Path) -> FileOutcome | _Extracted:
    from unionfacts.pipeline import extract_document

    assert _setup is not None and _engine is not None
    prepared = prepare_file(_engine, path, overrides=_setup.overrides, force=_setup.force)
    if isinstance(prepared, FileOutcome):
        return prepared
    doc, key = prepared
    try:
        extracted = extract_document(doc, _setup.rules, _setup.overrides)
    except Exception as e:  # an extraction bug must not stop the batch
        return failed(path, f"extraction failed: {type(e).__name__}: {e}".splitlines()[0], doc)
    if _setup.save_here:
        return save_file(_engine, path, extracted, key)
    return _Extracted(extracted, key)


def ingest_in_workers(
    engine: Engine,
    files: Sequence[Path],
    rules: RuleSet,
    jobs: int,
    *,
    overrides: MetaOverrides | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> list[FileOutcome]:
    """Every file's outcome, in the files' order."""
    setup = _Setup(
        url=engine.url.render_as_string(hide_password=False),
        rules=rules,
        overrides=overrides,
        force=force,
        save_here=engine.dialect.name == "postgresql",
    )
    _warm_tagger()
    context = _context()
    outcomes: list[FileOutcome] = []
    with context.Pool(min(jobs, len(files)), initializer=_start, initargs=(setup,)) as pool:
        for i, (path, result) in enumerate(zip(files, _results(pool, files), strict=True)):
            if progress:
                progress(IngestProgress(i, len(files), path))
            if isinstance(result, _Extracted):
                result = save_file(engine, path, result.extracted, result.key)
            outcomes.append(result)
            if progress:
                progress(IngestProgress(i, len(files), path, result))
    return outcomes


def _results(pool: Any, files: Sequence[Path]) -> Iterator[FileOutcome | _Extracted]:
    # One file per task: reports differ in size by orders of magnitude.
    yield from pool.imap(_work, files, chunksize=1)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _warm_tagger() -> None:
    # Decoded before the fork, the dictionary is shared by every worker
    # (copy-on-write) instead of decoded again in each.
    from unionfacts.postag import dictionary

    dictionary().decode_all()
