"""Every check, in one list. A check is a module with `NAME` and functions
`(ctx) -> Iterator[Finding]`, each run on blocks of one kind (see blocks.py);
adding one means adding it here."""

from __future__ import annotations

from unionfacts.check import (
    explained,
    flows_exceed_stock,
    near_keys,
    part_exceeds_whole,
    parts_exceed_total,
    rate_contradiction,
    same_fact_differs,
    stock_decreases,
    subperiod_exceeds_period,
    sum_mismatch,
    target_outcome,
)
from unionfacts.check.blocks import CheckEntry

ENTRIES: list[CheckEntry] = [
    (same_fact_differs.NAME, "measure", same_fact_differs.run),
    (near_keys.NAME, "context", near_keys.run),
    (part_exceeds_whole.NAME, "document", part_exceeds_whole.explicit),
    (part_exceeds_whole.NAME, "measure", part_exceeds_whole.across_scopes),
    (parts_exceed_total.NAME, "document", parts_exceed_total.explicit),
    (parts_exceed_total.NAME, "measure", parts_exceed_total.siblings),
    (subperiod_exceeds_period.NAME, "measure", subperiod_exceeds_period.run),
    (stock_decreases.NAME, "measure", stock_decreases.run),
    (flows_exceed_stock.NAME, "measure", flows_exceed_stock.run),
    (sum_mismatch.NAME, "sums", sum_mismatch.run),
    (sum_mismatch.NAME, "measure", sum_mismatch.partitions),
    (rate_contradiction.NAME, "measure", rate_contradiction.run),
    (target_outcome.NAME, "measure", target_outcome.run),
    (explained.NAME, "measure", explained.run),
]

CHECK_NAMES = list(dict.fromkeys(name for name, _, _ in ENTRIES))
