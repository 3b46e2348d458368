"""Units → dimensions: which figures may be compared, and after what conversion.

`rules/dimensions.yaml` maps each canonical unit (or unit class) to a dimension
and a factor to the dimension's base unit, so 1.37万亿斤 and 68653万吨 compare
as masses. Units it does not list are their own dimension with factor 1, so
an unknown unit is never compared with anything but itself. Different
currencies are different dimensions: no exchange rate is assumed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from unionfacts.rulefiles import RuleProblem, load_section, rule_file_paths

RULE_FILE = "dimensions.yaml"


class DimensionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    additive: bool = True
    units: dict[str, Decimal]

    @field_validator("units")
    @classmethod
    def _positive(cls, v: dict[str, Decimal]) -> dict[str, Decimal]:
        bad = [u for u, f in v.items() if not f > 0]
        if bad:
            raise ValueError(f"factors must be positive: {', '.join(bad)}")
        if not v:
            raise ValueError("a dimension needs at least one unit")
        return v


@dataclass(frozen=True, slots=True)
class UnitDim:
    dimension: str
    factor: Decimal
    additive: bool


@dataclass(frozen=True)
class Dimensions:
    units: dict[str, UnitDim]

    def of(self, unit: str, unit_class: str) -> UnitDim:
        """The unit's dimension; the unit class when the unit itself is not
        listed; else a dimension of its own."""
        hit = self.units.get(unit) or self.units.get(unit_class)
        return hit if hit is not None else UnitDim(unit_class or unit, _ONE, True)


_ONE = Decimal(1)


def load_dimensions(extra_dirs: Sequence[Path], problems: list[RuleProblem]) -> Dimensions:
    units: dict[str, UnitDim] = {}
    owner: dict[str, str] = {}
    for e, path, line in load_section(
        rule_file_paths(RULE_FILE, extra_dirs), "dimensions", DimensionEntry, problems
    ):
        for unit, factor in e.units.items():
            if unit in owner and owner[unit] != e.id:
                problems.append(
                    RuleProblem(
                        path,
                        line,
                        ("dimensions", e.id, "units", unit),
                        f"unit {unit!r} already belongs to dimension {owner[unit]!r}",
                    )
                )
                continue
            owner[unit] = e.id
            units[unit] = UnitDim(e.id, factor, e.additive)
    return Dimensions(units)
