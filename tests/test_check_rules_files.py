"""rules/dimensions.yaml and rules/checker.yaml are validated on load: every
problem is reported with its file and line, all at once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from unionfacts.check.rules import load_check_rules
from unionfacts.rulefiles import RulesError


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("dimensions.yaml", "dimensions:\n  - id: m\n    units: {斤: 0}\n", "positive"),
        ("dimensions.yaml", "dimensions:\n  - id: m\n    unitz: {斤: 1}\n", "unitz"),
        # a unit in two dimensions would make comparisons ambiguous
        ("dimensions.yaml", "dimensions:\n  - id: m2\n    units: {吨: 1}\n", "already belongs"),
        ("checker.yaml", "markers:\n  - id: avg\n    words: [平均]\n", "needs a reason"),
        ("checker.yaml", "settings:\n  - id: default\n    near_key_threshold: 180\n", "100"),
        ("checker.yaml", "contrasts:\n  - id: one\n    words: [产量]\n", "at least 2"),
    ],
)
def test_bad_checker_rules_name_their_file(
    tmp_path: Path, file: str, text: str, message: str
) -> None:
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_check_rules([tmp_path])
    shown = str(err.value)
    assert str(tmp_path / file) in shown and message in shown, shown


def test_default_dimensions_convert_mass_and_keep_currencies_apart() -> None:
    dims = load_check_rules().dims
    jin, ton = dims.of("斤", "斤"), dims.of("吨", "吨")
    assert jin.dimension == ton.dimension == "mass"
    assert ton.factor / jin.factor == Decimal(2000)
    assert dims.of("元", "元").dimension != dims.of("美元", "美元").dimension
    assert dims.of("%", "%").dimension != dims.of("个百分点", "百分点").dimension
    assert not dims.of("%", "%").additive
    # a unit listed nowhere is its own dimension
    assert dims.of("块", "块").dimension == "块"


def test_overlay_adds_a_marker(tmp_path: Path) -> None:
    (tmp_path / "checker.yaml").write_text(
        "markers:\n  - id: estimate\n    words: [预计]\n    reason: '{marked} is an estimate.'\n",
        encoding="utf-8",
    )
    words = load_check_rules([tmp_path]).checker
    assert "estimate" in {m.id for m in words.explains}
    assert "average" in {m.id for m in words.explains}  # the defaults stay
