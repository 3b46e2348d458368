"""Batch ingest: files and folders in, documents and claims stored.

For each input file: load -> (skip when its content is already stored) ->
extract -> save. Each document is saved in a transaction of its own, so a
failure or an interrupt never loses another file's data and never leaves half
a document. This module prints nothing; callers pass a progress callback.

`jobs` > 1 extracts in worker processes (unionfacts.ingest_jobs); `queue`
shares the files among several processes or machines through a table on
PostgreSQL (unionfacts.ingest_queue).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine

from unionfacts.models import (
    Claim,
    ExtractedDocument,
    ExtractionError,
    LoadedDocument,
    MetaOverrides,
    StreamedDocument,
)
from unionfacts.pipeline import stream_document
from unionfacts.rules import RuleSet
from unionfacts.store import save_document, source_key, stored_identity

# "ignored": a path left out on purpose and said so (an empty folder, a folder
# reached twice through symlinks); it does not make the run fail.
Status = Literal["new", "replaced", "unchanged", "failed", "ignored"]


class IngestError(Exception):
    """The ingest cannot start at all (e.g. overrides given for several files)."""


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: Status
    claims: int = 0  # claims stored for this file (0 unless new or replaced)
    reason: str | None = None  # why it failed or was ignored, one line
    chars: int = 0  # characters decoded (0 when loading failed)
    warnings: tuple[str, ...] = ()  # problems that did not stop it, one line each


@dataclass
class IngestSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def _with(self, status: Status) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def new(self) -> int:
        return len(self._with("new"))

    @property
    def replaced(self) -> int:
        return len(self._with("replaced"))

    @property
    def unchanged(self) -> int:
        return len(self._with("unchanged"))

    @property
    def skipped(self) -> list[FileOutcome]:
        """Files not extracted again because their content is already stored."""
        return self._with("unchanged")

    @property
    def failed(self) -> list[FileOutcome]:
        return self._with("failed")

    @property
    def ignored(self) -> list[FileOutcome]:
        return self._with("ignored")

    @property
    def warned(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.warnings]

    @property
    def documents(self) -> int:
        """Documents now stored from this run's inputs (new, replaced or unchanged)."""
        return self.new + self.replaced + self.unchanged

    @property
    def claims_stored(self) -> int:
        return sum(o.claims for o in self.outcomes)

    @property
    def chars(self) -> int:
        return sum(o.chars for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class IngestProgress:
    """Sent before each file (outcome None) and after it (outcome set)."""

    index: int  # 0-based position of `path` among `total` files
    total: int
    path: Path
    outcome: FileOutcome | None = None


ProgressCallback = Callable[[IngestProgress], None]


def collect_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Expand PATHs into input files (sorted, each once: see
    load.iter_input_files) and failed outcomes for missing paths."""
    from unionfacts.load import InputNote, LoadError, iter_input_files

    files: list[Path] = []
    problems: list[FileOutcome] = []
    for item in iter_input_files([Path(p) for p in paths]):
        if isinstance(item, LoadError):
            problems.append(FileOutcome(item.path, "failed", reason=_load_reason(item)))
        elif isinstance(item, InputNote):
            problems.append(FileOutcome(item.path, "ignored", reason=item.message))
        else:
            files.append(item)
    return files, problems


def ingest_paths(
    engine: Engine,
    paths: Sequence[Path],
    rules: RuleSet,
    *,
    overrides: MetaOverrides | None = None,
    manifest: Callable[[Path], MetaOverrides | None] | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    jobs: int = 1,
    queue: bool = False,
) -> IngestSummary:
    """Load, extract and store every input file; never raises for one bad file.

    Unchanged files (same content hash, same overrides) are not extracted
    again unless `force`. `jobs` worker processes extract (the first result
    is written first, so the summary keeps the files' order); with `queue`
    (PostgreSQL) the files are claimed from the shared `ingest_queue` table,
    so several processes on one list never do a file twice. Raises
    IngestError when `overrides` are given for more than one file, or for
    `queue` on SQLite."""
    files, problems = collect_inputs(paths)
    if overrides is not None and (len(files) != 1 or any(p.status == "failed" for p in problems)):
        raise IngestError("--date and --scope apply to a single file; give exactly one file")
    if jobs < 1:
        raise IngestError(f"--jobs must be at least 1, not {jobs}")
    summary = IngestSummary(outcomes=list(problems))
    if queue:
        from unionfacts.ingest_queue import ingest_from_queue

        if engine.dialect.name != "postgresql":
            raise IngestError("--queue needs PostgreSQL (several machines share its table)")
        summary.outcomes.extend(
            ingest_from_queue(
                engine, files, rules, overrides=overrides, force=force, progress=progress, jobs=jobs
            )
        )
        return summary
    if jobs > 1 and len(files) > 1:
        from unionfacts.ingest_jobs import ingest_in_workers

        summary.outcomes.extend(
            ingest_in_workers(
                engine, files, rules, jobs, overrides=overrides, force=force, progress=progress
            )
        )
        return summary
    for i, path in enumerate(files):
        if progress:
            progress(IngestProgress(i, len(files), path))
        own = manifest(path) if manifest is not None and overrides is None else overrides
        outcome = ingest_file(engine, path, rules, overrides=own, force=force)
        summary.outcomes.append(outcome)
        if progress:
            progress(IngestProgress(i, len(files), path, outcome))
    return summary


def ingest_file(
    target: Engine | Connection,
    path: Path,
    rules: RuleSet,
    *,
    overrides: MetaOverrides | None = None,
    force: bool = False,
) -> FileOutcome:
    """One file, isolated: every error becomes a failed outcome. On a
    Connection (a queue worker's transaction) the document is saved under a
    savepoint, so a failure undoes only this file."""
    prepared = prepare_file(target, path, overrides=overrides, force=force)
    if isinstance(prepared, FileOutcome):
        return prepared
    doc, key = prepared
    try:
        # claims are produced a run of lines at a time, so a 50 MB report never
        # holds all its claims in memory; all of them are produced (and
        # spooled) before its write transaction begins, which then stays short
        extracted = extract_ahead(stream_document(doc, rules, overrides))
    except Exception as e:  # an extraction bug must not stop the batch
        return failed(path, f"extraction failed: {_err(e)}", doc)
    return save_file(target, path, extracted, key)


def prepare_file(
    target: Engine | Connection,
    path: Path,
    *,
    overrides: MetaOverrides | None = None,
    force: bool = False,
) -> FileOutcome | tuple[LoadedDocument, str]:
    """The loaded document and its store key, or the outcome when there is
    nothing to extract (unreadable, or stored with the same content)."""
    from unionfacts.load import LoadError, load_file

    try:
        doc = load_file(path)
    except LoadError as e:
        return FileOutcome(path, "failed", reason=_load_reason(e))
    except OSError as e:
        return FileOutcome(path, "failed", reason=_one_line(e.strerror or str(e)))
    except Exception as e:  # a loader bug must not stop the batch either
        return FileOutcome(path, "failed", reason=f"cannot load: {_err(e)}")
    key = source_key(doc.path)  # resolved once, for the lookup and the save
    try:
        stored = stored_identity(target, key)
    except Exception as e:  # a database problem: report it for this file and go on
        return failed(path, f"cannot read the store: {_err(e)}", doc)
    same_content = stored is not None and stored.content_hash == doc.content_hash
    same_meta = overrides is None or (
        stored is not None
        and (overrides.date is None or stored.doc_date == overrides.date)
        and (overrides.scope is None or stored.scope == overrides.scope)
        and (overrides.genre is None or stored.genre == overrides.genre)
    )
    if same_content and same_meta and not force:
        # Checked before extraction, so re-ingesting a corpus is cheap.
        return FileOutcome(path, "unchanged", chars=len(doc.text), warnings=doc.warnings)
    return doc, key


def save_file(
    target: Engine | Connection,
    path: Path,
    extracted: ExtractedDocument | StreamedDocument,
    key: str,
) -> FileOutcome:
    doc = extracted.document
    try:
        if isinstance(target, Connection):
            with target.begin_nested():
                result = save_document(target, extracted, force=True, key=key)
        else:
            result = save_document(target, extracted, force=True, key=key)
    except ExtractionError as e:  # raised while storing the claims: rolled back
        return failed(path, f"extraction failed: {_err(e)}", doc)
    except Exception as e:  # the transaction was rolled back: nothing of it is stored
        return failed(path, f"cannot store: {_err(e)}", doc)
    count = len(extracted.claims) if isinstance(extracted, ExtractedDocument) else extracted.count
    return FileOutcome(path, result, claims=count, chars=len(doc.text), warnings=doc.warnings)


def failed(path: Path, reason: str, doc: LoadedDocument) -> FileOutcome:
    return FileOutcome(path, "failed", reason=reason, chars=len(doc.text), warnings=doc.warnings)


SPOOL_IN_MEMORY = 8 << 20  # bytes of pickled claims kept in memory before a temp file


def extract_ahead(streamed: StreamedDocument) -> StreamedDocument:
    """`streamed` with every claim already produced, spooled (pickled, a batch
    at a time) to memory or a temporary file; reading it back costs little.

    So a document's write transaction holds the SQLite write lock for the
    inserts only, never for the extraction: another process's ingest waits
    seconds at most, and an extraction error is raised here, before anything
    is written."""
    # Closed by `replay` once read back (or by the garbage collector), not here.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    batches = 0
    try:
        claims = streamed.claims()
        while batch := list(islice(claims, SPOOL_BATCH)):
            pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
            batches += 1
    except BaseException:
        spool.close()
        raise
    spool.seek(0)

    def replay() -> Iterator[list[Claim]]:
        with spool:
            for _ in range(batches):
                yield pickle.load(spool)

    return StreamedDocument(streamed.document, streamed.meta, replay())


SPOOL_BATCH = 5000


def _load_reason(e: Exception) -> str:
    # LoadError's str() starts with the path; the summary prints the path itself.
    message = getattr(e, "message", None)
    line = getattr(e, "line", None)
    if isinstance(message, str):
        return _one_line(f"line {line}: {message}" if line else message)
    return _one_line(str(e))


def _err(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e)
    return _one_line(f"{type(e).__name__}: {text}" if text else type(e).__name__)


def _one_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else "unknown error"
