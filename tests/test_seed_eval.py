"""The seed evaluation of issues 2 and 3, run exactly as ../shared/eval/run_eval.sh
runs it, so that a regression in extraction or checking fails CI. Skipped when
../shared is not beside the checkout."""

from pathlib import Path

import pytest

from eval_runner import RUN_EVAL, run_eval

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not RUN_EVAL.exists(), reason="../shared/eval is not beside the checkout"),
]

CLAIM_F1 = 0.95
ATTRIBUTES = {
    "approx": 0.95,
    "metric": 0.90,
    "period": 0.90,
    "scope": 0.95,
    "kind": 0.85,
    "modality": 0.95,
    "part_of": 0.90,
}


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    return run_eval()


def test_claim_f1(scores: dict[str, object]) -> None:
    assert scores["f1"] >= CLAIM_F1, scores  # type: ignore[operator]


@pytest.mark.parametrize(("name", "floor"), ATTRIBUTES.items())
def test_attribute_accuracy(scores: dict[str, object], name: str, floor: float) -> None:
    attributes = scores["attributes"]
    assert isinstance(attributes, dict)
    assert attributes[name] >= floor, attributes


def test_every_gold_conflict_is_found(scores: dict[str, object]) -> None:
    conflicts = scores["conflicts"]
    assert isinstance(conflicts, dict)
    assert conflicts["conflicts_found"] == conflicts["conflicts_gold"], conflicts


def test_no_trap_is_flagged(scores: dict[str, object]) -> None:
    conflicts = scores["conflicts"]
    assert isinstance(conflicts, dict)
    assert conflicts["traps_flagged"] == 0, conflicts


def test_every_explained_difference_is_shown(scores: dict[str, object]) -> None:
    conflicts = scores["conflicts"]
    assert isinstance(conflicts, dict)
    assert conflicts["explained_shown"] == conflicts["explained_gold"], conflicts
