"""The checker's rules: intervals, scope hierarchy and declared sums.

Loaded once from `rules/intervals.yaml`, `rules/sums.yaml`,
`rules/dimensions.yaml`, `rules/checker.yaml`, the places of
`rules/scopes.yaml` and the change words of `rules/cues.yaml` (plus `--rules
DIR` overlays), validated with pydantic models
that forbid unknown keys, and checked for meaning (a parent that does not
exist, a cycle, an alias claimed twice). All problems are raised at once as
`RulesError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from unionfacts.check.dimensions import Dimensions, load_dimensions
from unionfacts.check.intervals import IntervalRules, load_interval_rules
from unionfacts.check.keys import metric_key_of_text
from unionfacts.check.words import CheckerWords, load_checker_words
from unionfacts.places import read_gazetteer
from unionfacts.rulefiles import RuleProblem, RulesError, load_section, rule_file_paths

SCOPE_FILE = "scopes.yaml"
SUMS_FILE = "sums.yaml"


class ScopeEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scope: str
    parent: str | None = None
    aliases: list[str] = []
    disjoint_children: bool = True


class SumEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    total: list[str]
    parts: list[list[str]]
    periods: Literal["same", "within"] = "same"
    note: str = ""

    @field_validator("total", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return [v] if isinstance(v, str) else v

    @field_validator("parts", mode="before")
    @classmethod
    def _parts(cls, v: object) -> object:
        if isinstance(v, list):
            return [[p] if isinstance(p, str) else p for p in v]
        return v


@dataclass(frozen=True)
class ScopeHierarchy:
    root: str
    parent: dict[str, str]  # canonical scope → its parent (root has none)
    canonical: dict[str, str]  # any spelling → canonical scope
    disjoint: frozenset[str]  # scopes whose listed children may be added up
    overlapping: frozenset[str] = frozenset()  # places that are no part of a partition

    def canon(self, scope: str) -> str:
        return self.canonical.get(scope, scope)

    def ancestors(self, scope: str) -> list[str]:
        """Nearest first; every known scope but the root ends with the root."""
        out: list[str] = []
        s = self.canon(scope)
        if s in ("", "?", self.root):
            return out
        seen = {s}
        while s in self.parent:
            s = self.parent[s]
            if s in seen:
                break
            out.append(s)
            seen.add(s)
        if not out or out[-1] != self.root:
            out.append(self.root)
        return out

    def declared_parent(self, scope: str) -> str | None:
        return self.parent.get(self.canon(scope))


class PartitionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    whole: str
    parts: list[str]
    tolerance: float = 0.0  # relative gap explained by how the figures are compiled
    note: str = ""


@dataclass(frozen=True)
class ScopePartition:
    """Scopes that together make up another (东部, 中部, 西部 and 东北地区 make
    up 全国): figures of one measure for all of them should add up to the
    whole's, within `tolerance` when they are compiled separately."""

    id: str
    whole: str
    parts: tuple[str, ...]
    tolerance: float
    note: str


@dataclass(frozen=True)
class SumRule:
    id: str
    total: frozenset[str]
    parts: tuple[frozenset[str], ...]
    periods: Literal["same", "within"]
    note: str


@dataclass(frozen=True)
class CheckRules:
    intervals: IntervalRules
    scopes: ScopeHierarchy
    sums: tuple[SumRule, ...]
    decrease_words: frozenset[str] = frozenset()  # 减少到: a fall the report itself states
    dimensions: Dimensions | None = None  # rules/dimensions.yaml
    words: CheckerWords | None = None  # rules/checker.yaml
    partitions: tuple[ScopePartition, ...] = ()  # rules/sums.yaml scope_partitions

    @property
    def dims(self) -> Dimensions:
        assert self.dimensions is not None, "load_check_rules() fills dimensions"
        return self.dimensions

    @property
    def checker(self) -> CheckerWords:
        assert self.words is not None, "load_check_rules() fills words"
        return self.words


def _load_scopes(extra: Sequence[Path], problems: list[RuleProblem]) -> ScopeHierarchy:
    """The hierarchy of the places in gazetteer.tsv and scopes.yaml (the
    extraction's own lists, so a place added there is known to both)."""
    from unionfacts.rules import PlaceRule

    entries = load_section(rule_file_paths(SCOPE_FILE, extra), "places", PlaceRule, problems)
    # the root scope is the scopes.yaml place of level country (全国)
    roots = [e.id for e, _, _ in entries if e.level == "country"]
    if not roots:
        path = (rule_file_paths(SCOPE_FILE, extra) or [Path(SCOPE_FILE)])[0]
        problems.append(RuleProblem(path, None, ("places",), "no place of level country"))
    root = roots[0] if roots else ""
    canonical: dict[str, str] = {root: root}
    parent: dict[str, str] = {}
    rows = [r for p in rule_file_paths("gazetteer.tsv", extra) for r in read_gazetteer(p, [])]
    for r in rows:  # problems in the file are reported by the extraction rules
        canonical[r.id] = r.id
        parent[r.id] = r.parent
    for r in rows:
        for alias in (r.name, *r.short):
            canonical.setdefault(alias, r.id)
    for e, _path, _line in entries:
        canonical[e.id] = e.id
        if e.parent is not None and e.id != root:
            parent[e.id] = e.parent
    for e, _path, _line in entries:
        for alias in e.aliases:
            canonical.setdefault(alias, e.id)  # duplicates are reported by the extraction rules
    for e, path, line in entries:  # a cycle would make "inside" meaningless
        s, seen = e.id, {e.id}
        while s in parent:
            s = parent[s]
            if s in seen:
                problems.append(
                    RuleProblem(path, line, ("places", e.id, "parent"), "the parent chain loops")
                )
                break
            seen.add(s)
    # the listed children of a place do not overlap, so their figures add up;
    # regions (京津冀, 东部地区) and organisations cut across the divisions
    disjoint = frozenset(canonical.values())
    overlapping = frozenset(
        e.id for e, _path, _line in entries if e.level in ("region", "organisation")
    )
    return ScopeHierarchy(root, parent, canonical, disjoint, overlapping)


def _load_decrease_words(extra: Sequence[Path], problems: list[RuleProblem]) -> frozenset[str]:
    from unionfacts.rules import CueRule

    words: set[str] = set()
    for e, _path, _line in load_section(
        rule_file_paths("cues.yaml", extra), "cues", CueRule, problems
    ):
        if e.sets == "change" and e.value == "decrease":
            words.update(e.words)
    return frozenset(words)


def _load_partitions(
    extra: Sequence[Path], problems: list[RuleProblem], scopes: ScopeHierarchy
) -> tuple[ScopePartition, ...]:
    out = []
    for e, path, line in load_section(
        rule_file_paths(SUMS_FILE, extra), "scope_partitions", PartitionEntry, problems
    ):
        names = [e.whole, *e.parts]
        unknown = [n for n in names if scopes.canon(n) not in scopes.canonical.values()]
        if unknown or len(e.parts) < 2:
            problems.append(
                RuleProblem(
                    path,
                    line,
                    ("scope_partitions", e.id),
                    f"unknown scopes {unknown}" if unknown else "a partition needs two parts",
                )
            )
            continue
        out.append(
            ScopePartition(
                e.id,
                scopes.canon(e.whole),
                tuple(scopes.canon(p) for p in e.parts),
                e.tolerance,
                e.note,
            )
        )
    return tuple(out)


def _load_sums(extra: Sequence[Path], problems: list[RuleProblem]) -> tuple[SumRule, ...]:
    out = []
    for e, path, line in load_section(
        rule_file_paths(SUMS_FILE, extra), "sums", SumEntry, problems
    ):
        if len(e.parts) < 2 or not e.total:
            problems.append(
                RuleProblem(
                    path, line, ("sums", e.id), "a sum needs a total and at least two parts"
                )
            )
            continue
        out.append(
            SumRule(
                id=e.id,
                total=frozenset(metric_key_of_text(t) for t in e.total),
                parts=tuple(frozenset(metric_key_of_text(a) for a in p) for p in e.parts),
                periods=e.periods,
                note=e.note,
            )
        )
    return tuple(out)


def load_check_rules(extra_dirs: Sequence[Path] = ()) -> CheckRules:
    """Default rules plus overlays; raises RulesError listing every problem."""
    problems: list[RuleProblem] = []
    intervals = load_interval_rules(extra_dirs, problems)
    scopes = _load_scopes(extra_dirs, problems)
    sums = _load_sums(extra_dirs, problems)
    partitions = _load_partitions(extra_dirs, problems, scopes)
    decrease = _load_decrease_words(extra_dirs, problems)
    dimensions = load_dimensions(extra_dirs, problems)
    words = load_checker_words(extra_dirs, problems)
    if problems:
        raise RulesError(problems)
    return CheckRules(intervals, scopes, sums, decrease, dimensions, words, partitions)
