"""The checker's words and thresholds (`rules/checker.yaml`), and reading them
off a claim's text.

Markers name why two figures of one measure may differ (an average, a real
rate, a coverage restriction); `change` marks 增加/减少 N
when the extraction left the rate type empty; `open_list` marks a list ending
in 等. Contrast words tell two similar metric keys apart (产量 / 销量).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from unionfacts.models import StoredClaim
from unionfacts.rulefiles import RuleProblem, load_section, rule_file_paths

RULE_FILE = "checker.yaml"


class MarkerEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    words: list[str] = Field(min_length=1)
    sets: Literal["explains", "change", "open_list"] = "explains"
    reason: str = ""
    window: int | None = None
    # words after the marker that undo it: 增加到 names the level reached, not a change
    not_followed_by: list[str] = []


class ContrastEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    words: list[str] = Field(min_length=2)


class CheckerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    window: int = 12
    near_key_threshold: float = Field(default=88, ge=0, le=100)
    contrast_threshold: float = Field(default=80, ge=0, le=100)
    head_threshold: float = Field(default=60, ge=0, le=100)
    head_length: int = Field(default=4, ge=2)
    rate_tolerance: float = Field(default=0.002, ge=0)
    revision_tolerance: float = Field(default=0.05, ge=0)


@dataclass(frozen=True)
class Marker:
    id: str
    words: tuple[str, ...]
    reason: str
    window: int
    not_followed_by: tuple[str, ...] = ()
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # one search per claim instead of one `in` per word
        object.__setattr__(self, "pattern", re.compile(self.regex))

    @property
    def regex(self) -> str:
        alternatives = "|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True))
        if not self.not_followed_by:
            return f"(?:{alternatives})"
        undo = "|".join(re.escape(w) for w in self.not_followed_by)
        return f"(?:{alternatives})(?!{undo})"


@dataclass(frozen=True)
class CheckerWords:  # not slots: cached_property needs a __dict__
    explains: tuple[Marker, ...]
    change: tuple[Marker, ...]
    open_list: tuple[Marker, ...]
    contrasts: tuple[tuple[str, ...], ...]
    settings: CheckerSettings
    real_by_default: tuple[str, ...] = ()

    def real_rate_measure(self, key: str) -> bool:
        """Growth of this measure is reported at constant prices (GDP)."""
        return any(w in key for w in self.real_by_default)

    def markers_of(self, claim: StoredClaim) -> frozenset[str]:
        """Ids of the explaining markers in the claim's clause before its number."""
        return frozenset(m.id for m in self.explains if _before_has(claim, m))

    def is_change(self, claim: StoredClaim) -> bool:
        # called for every count and amount: one pattern per window, no generator
        if claim.start <= claim.context_start:
            return False
        for window, pattern in self._change_patterns:
            if pattern.search(_before(claim, window)) is not None:
                return True
        return False

    @cached_property
    def _change_patterns(self) -> tuple[tuple[int, re.Pattern[str]], ...]:
        by_window: dict[int, list[str]] = {}
        for m in self.change:
            by_window.setdefault(m.window, []).append(m.regex)
        return tuple((w, re.compile("|".join(rs))) for w, rs in by_window.items())

    def ends_open_list(self, claim: StoredClaim) -> bool:
        """A list whose last item is this claim goes on (…等)."""
        return any(_after_has(claim, m) for m in self.open_list)

    def contrasted(self, a: str, b: str) -> bool:
        """The two keys differ in a word that tells measures apart."""
        for words in self.contrasts:
            if {w for w in words if w in a} != {w for w in words if w in b}:
                return True
        return False

    def qualifier_reason(self, qualifier: str, marked: str, other: str) -> str:
        """Why a figure of a qualified key (全社会, 实际, 不含农户) differs from
        one of its concept's own: the reason of the marker one of whose words
        the qualifier holds or is part of, else a generic one."""
        for m in self.explains:
            if any(w in qualifier or qualifier in w for w in m.words):
                return m.reason.format(marked=marked, other=other)
        return (
            f"{marked} is qualified by {qualifier}, {other} is not; figures of different "
            "coverage differ without contradicting each other."
        )

    def reason(self, marker: str) -> str:
        return next((m.reason for m in self.explains if m.id == marker), "")


def _before(claim: StoredClaim, window: int) -> str:
    rel = claim.start - claim.context_start
    ctx = claim.context or ""
    if rel <= 0 or rel > len(ctx):
        return ""
    text = ctx[max(0, rel - window) : rel]
    m = _LAST_CLAUSE.search(text)
    return m.group(1) if m else text


# the text after the last clause end (，。；…) of a window
_LAST_CLAUSE = re.compile(r"[，,。；;：:！!？?\n、]([^，,。；;：:！!？?\n、]*)$")


def _after(claim: StoredClaim, window: int) -> str:
    rel = claim.end - claim.context_start
    ctx = claim.context or ""
    if rel < 0 or rel > len(ctx):
        return ""
    return ctx[rel : rel + window]


def _before_has(claim: StoredClaim, m: Marker) -> bool:
    return m.pattern.search(_before(claim, m.window)) is not None


def _after_has(claim: StoredClaim, m: Marker) -> bool:
    return m.pattern.search(_after(claim, m.window)) is not None


def load_checker_words(extra_dirs: Sequence[Path], problems: list[RuleProblem]) -> CheckerWords:
    paths = rule_file_paths(RULE_FILE, extra_dirs)
    settings = [s for s, _, _ in load_section(paths, "settings", CheckerSettings, problems)]
    s = settings[-1] if settings else CheckerSettings(id="default")
    by_kind: dict[str, list[Marker]] = {"explains": [], "change": [], "open_list": []}
    for e, path, line in load_section(paths, "markers", MarkerEntry, problems):
        if e.sets == "explains" and not e.reason:
            problems.append(
                RuleProblem(
                    path, line, ("markers", e.id, "reason"), "an explaining marker needs a reason"
                )
            )
            continue
        by_kind[e.sets].append(
            Marker(e.id, tuple(e.words), e.reason, e.window or s.window, tuple(e.not_followed_by))
        )
    contrasts = tuple(
        tuple(e.words) for e, _, _ in load_section(paths, "contrasts", ContrastEntry, problems)
    )
    real = tuple(
        w
        for e, _, _ in load_section(paths, "real_by_default", ContrastEntry, problems)
        for w in e.words
    )
    return CheckerWords(
        tuple(by_kind["explains"]),
        tuple(by_kind["change"]),
        tuple(by_kind["open_list"]),
        contrasts,
        s,
        real,
    )
