"""The consistency checker: stored claims in, findings out.

    claims → prepare (keys, periods, intervals) → each registered check → findings

Pure: reads no database and writes none; `unionfacts.findings` stores the result.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence

from unionfacts.check.base import CheckContext, Finding, prepare
from unionfacts.check.rules import CheckRules, load_check_rules
from unionfacts.models import StoredClaim

__all__ = ["CheckRules", "Finding", "load_check_rules", "run_checks"]

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def run_checks(
    claims: Iterable[StoredClaim],
    rules: CheckRules | None = None,
    only: Sequence[str] | None = None,
) -> list[Finding]:
    """Run every registered check (or those named in `only`) over the claims."""
    from unionfacts.check.registry import CHECKS

    rules = rules or load_check_rules()
    # The run allocates millions of small acyclic objects; the cyclic garbage
    # collector would rescan them over and over (superlinear time) and finds
    # nothing to free, so it is paused for the run.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        ctx = CheckContext(prepare(claims, rules), rules)
        out: list[Finding] = []
        for name, run in CHECKS:
            if only is None or name in only:
                out.extend(run(ctx))
        return out
    finally:
        if was_enabled:
            gc.enable()
