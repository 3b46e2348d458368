"""Every check, in one list. A check is a module with `NAME` and
`run(ctx) -> Iterator[Finding]`; adding one means adding it here."""

from __future__ import annotations

from unionfacts.check import (
    flows_exceed_stock,
    part_exceeds_whole,
    parts_exceed_total,
    same_fact_differs,
    stock_decreases,
    subperiod_exceeds_period,
    sum_mismatch,
)
from unionfacts.check.base import CheckFn

CHECKS: list[tuple[str, CheckFn]] = [
    (m.NAME, m.run)
    for m in (
        same_fact_differs,
        part_exceeds_whole,
        parts_exceed_total,
        subperiod_exceeds_period,
        stock_decreases,
        flows_exceed_stock,
        sum_mismatch,
    )
]

CHECK_NAMES = [name for name, _ in CHECKS]
