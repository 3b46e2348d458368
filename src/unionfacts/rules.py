"""The extraction rule set: loaded once from rules/, validated, compiled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RuleSet:
    """Placeholder until the extraction rules land; `load_rules` is final."""

    dirs: tuple[Path, ...] = ()


def load_rules(extra_dirs: Sequence[Path] = ()) -> RuleSet:
    """Load the default rules plus overlays; raises rulefiles.RulesError."""
    return RuleSet(tuple(extra_dirs))
