"""Comparison keys: which claims talk about the same thing.

Claims are compared only inside a group that shares metric key, unit class,
kind and modality (and, per check, scope and period). Building the groups is a
dictionary pass, so no check ever looks at all pairs of claims.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from unionfacts.models import StoredClaim

# Characters that never change what a metric name means: spacing and
# punctuation left over from the sentence around it.
_DROP = set(" \t\r\n\u3000\u00a0·・,，、.。:：;；\"'“”‘’()（）[]【】《》<>〈〉-—_")


@lru_cache(maxsize=200_000)  # metric names repeat across claims
def metric_key_of_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch not in _DROP)


def metric_key(claim: StoredClaim) -> str:
    """The extraction's metric key (a concept id, else a fingerprint of the
    counted noun); for claims stored before it existed, the canonical rule id
    when a metric rule named the claim, else its text. Rule ids and texts
    share one namespace on purpose: a sum rule in `rules/sums.yaml` may name
    either."""
    if claim.metric_key:
        return claim.metric_key
    if claim.metric_rule:
        return metric_key_of_text(claim.metric_rule)
    return metric_key_of_text(claim.metric or "")


def block_key(claim: StoredClaim) -> str:
    """The raw text a block of one measure is keyed on: what the store can
    order by (see store/blocks.py), so a streamed run and an in-memory run
    cut the same blocks."""
    return claim.metric_key or claim.metric_rule or claim.metric or ""


def exact_identity(claim: StoredClaim) -> bool:
    """The key names a concept (a metric rule matched), not just a phrase."""
    return bool(claim.metric_rule)


def unit_key(claim: StoredClaim, classes: dict[str, str]) -> str:
    """Comparison class of the claim's unit: 人/名/位 compare, 人 and 人次 never.
    The store's unit_class wins; the table of rules/intervals.yaml covers
    claims stored without one."""
    if claim.unit_class:
        return claim.unit_class
    unit = unicodedata.normalize("NFKC", claim.unit or "").strip()
    return classes.get(unit, unit)
