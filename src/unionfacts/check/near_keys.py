"""same_fact_differs across near keys: two phrasings of one measure.

Inside a block of one unit class, scope and year (cut by the caller, see
blocks.py), facts are grouped by dimension, kind, modality, rate type and
period; inside a group the distinct metric keys are paired through shared
character pairs (never all pairs), and each candidate pair scored with
rapidfuzz. A pair at or above `near_key_threshold` (rules/checker.yaml) is
taken as one measure: values that cannot be reconciled are a warning with the
score on the finding. Keys that differ in their digits are different things
(第1批, 第2批); keys that differ in a contrast word (产量 / 销量) are
different measures, and when their values differ that is shown as
information, so an analyst sees why two similar figures differ. Within one
report, two similar phrases tell two things apart: no warning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from rapidfuzz import fuzz

from unionfacts.check.base import CheckContext, Fact, Finding, finding, split_by
from unionfacts.check.keys import block_key
from unionfacts.check.same_fact_differs import (
    conflict,
    describe,
    explained_by_marker,
    when_groups,
)
from unionfacts.keys import split_qualified

NAME = "same_fact_differs"

# A character pair shared by more keys than this says little (指标, 工会) and
# would pair everything with everything: it is not used to find candidates.
MAX_PAIR_KEYS = 64
_DIGITS = re.compile(r"\d+")


def _grams(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)} or {key}


def candidate_pairs(keys: list[str]) -> Iterator[tuple[str, str]]:
    """Pairs of keys sharing a character pair that few keys share."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        for g in _grams(k):
            index[g].append(i)
    seen: set[tuple[int, int]] = set()
    for ids in index.values():
        if len(ids) < 2 or len(ids) > MAX_PAIR_KEYS:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                pair = (ids[x], ids[y])
                if pair not in seen:
                    seen.add(pair)
                    yield keys[pair[0]], keys[pair[1]]


def _common_head(a: str, b: str) -> str:
    """The longest common ending of two keys: the head noun they share (贷款余额)."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return a[len(a) - n :] if n else ""


def _disjoint(a: list[Fact], b: list[Fact]) -> tuple[Fact, Fact] | None:
    """A pair, one from each side, whose intervals cannot meet — only when no
    figure of one side agrees with any of the other."""
    for fa in a:
        for fb in b:
            if fa.interval.meets(fb.interval):
                return None
    low_a, low_b = min(a, key=lambda f: f.interval.low), min(b, key=lambda f: f.interval.low)
    return (low_a, low_b) if low_a.interval.low <= low_b.interval.low else (low_b, low_a)


def _compare(ctx: CheckContext, by_key: dict[str, list[Fact]]) -> Iterator[Finding]:
    words = ctx.rules.checker
    threshold = words.settings.near_key_threshold
    floor = min(threshold, words.settings.contrast_threshold, words.settings.head_threshold)
    for facts in by_key.values():
        yield from _spellings(ctx, facts)
    yield from _qualified(ctx, by_key)
    # keys numbered apart (第1批, 第2批) are different things: only keys with
    # the same digits are paired
    numbered: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in sorted(by_key):
        numbered[tuple(_DIGITS.findall(k))].append(k)
    for keys in numbered.values():
        if len(keys) >= 2:
            yield from _compare_keys(ctx, by_key, keys, threshold, floor)


def _compare_keys(
    ctx: CheckContext,
    by_key: dict[str, list[Fact]],
    keys: list[str],
    threshold: float,
    floor: float,
) -> Iterator[Finding]:
    words = ctx.rules.checker
    for ka, kb in candidate_pairs(keys):
        if split_qualified(ka)[0] == split_qualified(kb)[0]:
            continue  # one concept of two coverages: _qualified says why they differ
        score = round(fuzz.ratio(ka, kb, score_cutoff=floor), 1)
        if not score:
            continue
        pair = _disjoint(by_key[ka], by_key[kb])
        if pair is None:
            continue
        a, b = pair
        arithmetic = (
            f"{describe(a)} stands for {a.interval}, {describe(b)} for {b.interval}; "
            f"key similarity {score:g}/100"
        )
        contrasted = words.contrasted(ka, kb)
        if score < (words.settings.contrast_threshold if contrasted else threshold):
            head = _common_head(ka, kb)
            if (
                score >= words.settings.head_threshold
                and len(head) >= words.settings.head_length
                and a.claim.doc_hash != b.claim.doc_hash
            ):
                yield finding(
                    NAME,
                    "info",
                    (a, b),
                    f"{a.claim.metric} and {b.claim.metric} both measure {head} but name "
                    f"different aggregates ({ka[: -len(head)]} / {kb[: -len(head)]}), so "
                    f"{a.claim.surface.strip()} and {b.claim.surface.strip()} are not one "
                    "measure told twice; compare them only if the reports define them alike.",
                    arithmetic,
                    score,
                )
            continue
        if contrasted:
            if a.claim.doc_hash == b.claim.doc_hash:
                continue  # one report names two measures alike: nothing to explain
            yield finding(
                NAME,
                "info",
                (a, b),
                f"{a.claim.metric} and {b.claim.metric} look alike (similarity {score:g}/100) "
                "but differ in a word that tells measures apart, so "
                f"{a.claim.surface.strip()} and {b.claim.surface.strip()} are different "
                "measures and may differ.",
                arithmetic,
                score,
            )
            continue
        reason = explained_by_marker(ctx.rules, a, b)
        if reason:
            yield finding(NAME, "info", (a, b), reason, arithmetic, score)
            continue
        if a.claim.doc_hash == b.claim.doc_hash:
            continue  # one report, two similar phrases: it is telling two things apart
        yield finding(
            NAME,
            "warning",
            (a, b),
            f"{a.claim.metric} and {b.claim.metric} read as two phrasings of one measure "
            f"(similarity {score:g}/100) for {a.scope}, {a.period.text}; it is reported as "
            f"{a.claim.surface.strip()} and as {b.claim.surface.strip()}, which cannot both "
            "be true even allowing for rounding. Check whether the two name the same thing.",
            arithmetic,
            score,
        )


def _qualified(ctx: CheckContext, by_key: dict[str, list[Fact]]) -> Iterator[Finding]:
    """A concept's figure against the same concept of another coverage or price
    basis (fixed_asset_investment and fixed_asset_investment~全社会,
    disposable_income and disposable_income~实际): two measures by definition,
    shown with the reason when their values differ."""
    words = ctx.rules.checker
    bases: dict[str, list[str]] = defaultdict(list)
    for k in sorted(by_key):
        bases[split_qualified(k)[0]].append(k)
    for keys in bases.values():
        for i, ka in enumerate(keys):
            for kb in keys[i + 1 :]:
                pair = _disjoint(by_key[ka], by_key[kb])
                if pair is None:
                    continue
                a, b = pair
                qa, qb = split_qualified(a.metric)[1], split_qualified(b.metric)[1]
                marked, other = (a, b) if qa else (b, a)
                reason = words.qualifier_reason(
                    qa or qb or "", marked.claim.surface.strip(), other.claim.surface.strip()
                )
                yield finding(
                    NAME,
                    "info",
                    (a, b),
                    f"{marked.claim.metric} and {other.claim.metric}: {reason}",
                    f"{describe(a)} stands for {a.interval}, {describe(b)} for {b.interval}",
                )


def _spellings(ctx: CheckContext, facts: list[Fact]) -> Iterator[Finding]:
    """One key spelt two ways in the store (职工 之家, 职工之家): the measure
    blocks kept the spellings apart, so they are compared here, as one key."""
    if len(facts) < 2:
        return
    spelt = split_by(facts, lambda f: block_key(f.claim))
    if len(spelt) < 2:
        return
    groups = [spelt[k] for k in sorted(spelt, key=str)]
    for i, ga in enumerate(groups):
        for gb in groups[i + 1 :]:
            pair = _disjoint(ga, gb)
            if pair is not None:
                yield conflict(ctx, *pair)


def run(ctx: CheckContext) -> Iterator[Finding]:
    facts = [f for f in ctx.facts if f.known_scope and f.known_period]
    groups = split_by(facts, lambda f: (f.unit, f.scope, f.claim.kind, f.claim.modality, f.rtype))
    for group in groups.values():
        if len({f.metric for f in group}) < 2:
            continue
        for same_time in when_groups(group):
            by_key: dict[str, list[Fact]] = defaultdict(list)
            for f in same_time:
                by_key[f.metric].append(f)
            if len(by_key) >= 2:
                yield from _compare(ctx, by_key)
