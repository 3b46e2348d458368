"""Blocks: the independent pieces the checks work on, and running them.

Every check compares claims only inside one block of one of four kinds:

    measure    claims of one measure (the raw metric key): the same fact told
               twice, series over time and scopes, rates chained, targets
               against outcomes
    document   the claims of one document that take part in a 其中 link
    context    claims of one unit class, scope and year: near keys
    sums       the claims of metrics named in rules/sums.yaml (one block,
               collected while the measure blocks go by)

A block is cut from what the store can order by (store/blocks.py streams the
same blocks from the database in key order), so the in-memory run and the
streamed run see identical blocks, and memory is bounded by the largest
block (or a batch of consecutive blocks, about BATCH_CLAIMS claims, checked
together: every check groups by its own keys inside). Blocks are
independent, so `jobs > 1` spreads the batches over processes; the findings
are the same as with one job.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import groupby
from typing import Any, Literal

from unionfacts.check.base import CheckContext, Fact, Finding, parse_period_cached, preparer
from unionfacts.check.keys import block_key
from unionfacts.check.rules import CheckRules
from unionfacts.models import StoredClaim

BlockKind = Literal["measure", "document", "context", "sums"]
BLOCK_KINDS: tuple[BlockKind, ...] = ("measure", "document", "context", "sums")
Block = tuple[BlockKind, list[StoredClaim]]


def _end_year(c: StoredClaim) -> int | None:
    end: date | None = parse_period_cached(c.period).end
    return end.year if end is not None else None


def measure_order(c: StoredClaim) -> tuple[str, str, str, int]:
    return (block_key(c), c.doc_name, c.doc_hash, c.seq)


def document_order(c: StoredClaim) -> tuple[str, str, int]:
    return (c.doc_name, c.doc_hash, c.seq)


def context_order(c: StoredClaim) -> tuple[str, str, int, str, str, int]:
    return (c.unit_class, c.scope, _end_year(c) or 0, c.doc_name, c.doc_hash, c.seq)


def linked(claims: Iterable[StoredClaim]) -> list[StoredClaim]:
    """Claims that are a part (其中) or the whole of one."""
    claims = list(claims)
    wholes = {c.part_of_id for c in claims if c.part_of_id is not None}
    return [c for c in claims if c.part_of_id is not None or c.id in wholes]


def blocks_in_memory(claims: Sequence[StoredClaim], kinds: Iterable[BlockKind]) -> Iterator[Block]:
    """The blocks of claims held in memory, in the order the store streams them."""
    for kind in kinds:
        if kind == "measure":
            ordered = sorted(claims, key=measure_order)
            for _, g in groupby(ordered, key=lambda c: measure_order(c)[0]):
                yield kind, list(g)
        elif kind == "document":
            ordered = sorted(linked(claims), key=document_order)
            for _, g in groupby(ordered, key=lambda c: (c.doc_name, c.doc_hash)):
                yield kind, list(g)
        elif kind == "context":
            known = [c for c in claims if _end_year(c) is not None]
            ordered = sorted(known, key=context_order)
            for _, g in groupby(ordered, key=lambda c: context_order(c)[:3]):
                yield kind, list(g)


CheckEntry = tuple[str, BlockKind, Callable[[CheckContext], Iterator[Finding]]]


class BlockRunner:
    """Runs the registered checks of each block kind over one block."""

    def __init__(self, rules: CheckRules, only: Sequence[str] | None = None):
        from unionfacts.check.registry import ENTRIES

        self.rules = rules
        self.entries = [e for e in ENTRIES if only is None or e[0] in only]
        self.kinds = {kind for _, kind, _ in self.entries}
        self.prepare = preparer(rules)
        # claims held in memory are prepared once for all kinds of block
        self.cache: dict[int, Fact] | None = None
        self.sum_keys = frozenset(
            k for s in rules.sums for k in s.total | frozenset().union(*s.parts)
        )

    def __getstate__(self) -> dict[str, object]:
        # a closure does not pickle (spawned workers): rebuilt on arrival
        return {k: v for k, v in self.__dict__.items() if k != "prepare"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.prepare = preparer(self.rules)

    def block_kinds(self) -> list[BlockKind]:
        """The kinds of block to cut, in order; the declared sums need the
        measure blocks to collect their claims."""
        wanted = self.kinds | ({"measure"} if "sums" in self.kinds else set())
        return [k for k in BLOCK_KINDS if k in wanted and k != "sums"]

    def facts(self, claims: Iterable[StoredClaim]) -> list[Fact]:
        cache = self.cache
        one = self.prepare
        if cache is None:
            return [one(c) for c in claims]
        out = []
        for c in claims:
            f = cache.get(c.id)
            if f is None or f.claim is not c:
                f = cache[c.id] = one(c)
            out.append(f)
        return out

    def run(
        self, kind: BlockKind, claims: list[StoredClaim]
    ) -> tuple[list[Finding], list[StoredClaim]]:
        """Findings of one block (or of several blocks of one kind: every check
        groups by its own keys inside, so a union of blocks gives the findings
        of each), and, for measure blocks, the claims the declared sums need,
        to be checked together at the end."""
        facts = self.facts(claims)
        ctx = CheckContext(facts, self.rules)
        out: list[Finding] = []
        for _, k, fn in self.entries:
            if k == kind:
                out.extend(fn(ctx))
        keep = [f.claim for f in facts if f.metric in self.sum_keys] if kind == "measure" else []
        return out, keep

    def run_batch(self, batch: list[Block]) -> tuple[list[Finding], list[StoredClaim]]:
        """The blocks of a batch, those of one kind together."""
        found: list[Finding] = []
        keep: list[StoredClaim] = []
        for kind in BLOCK_KINDS:
            claims = [c for k, block in batch if k == kind for c in block]
            if claims:
                f, k = self.run(kind, claims)
                found.extend(f)
                keep.extend(k)
        return found, keep

    def run_sums(self, claims: list[StoredClaim]) -> list[Finding]:
        if "sums" not in self.kinds or not claims:
            return []
        return self.run("sums", claims)[0]


_WORKER: BlockRunner | None = None


def _init_worker(runner: BlockRunner) -> None:
    global _WORKER
    _WORKER = runner
    gc.disable()


def _run_batch(batch: list[Block]) -> tuple[list[Finding], list[StoredClaim]]:
    assert _WORKER is not None
    return _WORKER.run_batch(batch)


BATCH_CLAIMS = 5000


def _batches(blocks: Iterable[Block], size: int = BATCH_CLAIMS) -> Iterator[list[Block]]:
    """Consecutive blocks grouped into batches of about `size` claims: fewer
    round trips to workers and fewer small groups. Cut the same way for any
    number of jobs, so the findings do not depend on it."""
    batch: list[Block] = []
    n = 0
    for b in blocks:
        batch.append(b)
        n += len(b[1])
        if n >= size:
            yield batch
            batch, n = [], 0
    if batch:
        yield batch


def _bounded_map(
    pool: Any, batches: Iterable[list[Block]], window: int
) -> Iterator[tuple[list[Finding], list[StoredClaim]]]:
    """Results in submission order, with at most `window` batches in flight:
    Pool.imap would read the whole database ahead into its task queue."""
    pending: deque[Any] = deque()
    for batch in batches:
        pending.append(pool.apply_async(_run_batch, (batch,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def run_blocks(runner: BlockRunner, blocks: Iterable[Block], jobs: int = 1) -> list[Finding]:
    """Every block through the runner, then the declared sums; `jobs` worker
    processes when above 1 (results are taken in block order either way)."""
    was_enabled = gc.isenabled()
    gc.disable()  # millions of small acyclic objects: see run_checks
    try:
        out: list[Finding] = []
        keep: list[StoredClaim] = []
        if jobs <= 1:
            for batch in _batches(blocks):
                f, k = runner.run_batch(batch)
                out.extend(f)
                keep.extend(k)
        else:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            mp = multiprocessing.get_context(method)
            with mp.Pool(jobs, initializer=_init_worker, initargs=(runner,)) as pool:
                for f, k in _bounded_map(pool, _batches(blocks), 2 * jobs):
                    out.extend(f)
                    keep.extend(k)
        out.extend(runner.run_sums(keep))
        return out
    finally:
        if was_enabled:
            gc.enable()
