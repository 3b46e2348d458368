"""The consistency checker: stored claims in, findings out.

    claims → blocks (blocks.py) → prepare each (keys, dimensions, periods,
    intervals) → the checks registered for that kind of block → findings

Pure: reads no database and writes none; `unionfacts.findings` stores the
result, and `unionfacts.store.blocks` streams the same blocks from a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from unionfacts.check.base import Finding
from unionfacts.check.rules import CheckRules, load_check_rules
from unionfacts.models import StoredClaim

__all__ = ["CheckRules", "Finding", "load_check_rules", "run_checks"]

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def run_checks(
    claims: Iterable[StoredClaim],
    rules: CheckRules | None = None,
    only: Sequence[str] | None = None,
    jobs: int = 1,
) -> list[Finding]:
    """Run every registered check (or those named in `only`) over the claims,
    block by block (see blocks.py); `jobs` > 1 spreads blocks over processes."""
    from unionfacts.check.blocks import BlockRunner, blocks_in_memory, run_blocks

    runner = BlockRunner(rules or load_check_rules(), only)
    runner.cache = {}
    claims = list(claims)
    return run_blocks(runner, blocks_in_memory(claims, runner.block_kinds()), jobs)
