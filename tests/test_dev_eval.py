"""The development-set evaluation of issue 7 (../shared/corpus/dev against
../shared/gold/dev), run exactly as ../shared/eval/run_eval.sh runs it. The
thresholds are the issue's acceptance figures; those the extraction does not
reach yet are strict xfails, so that reaching one is noticed. Skipped when
../shared is not beside the checkout."""

from pathlib import Path

import pytest

from eval_runner import RUN_EVAL, run_eval

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "dev"
GOLD = SHARED / "gold" / "dev"

pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(
        not (RUN_EVAL.exists() and CORPUS.is_dir() and GOLD.is_dir()),
        reason="../shared/corpus/dev and ../shared/gold/dev are not beside the checkout",
    ),
]

CLAIM_F1 = 0.93
DOC_F1 = 0.85
ATTRIBUTES = {
    "approx": 0.95,
    "metric": 0.90,
    "period": 0.90,
    "scope": 0.92,
    "kind": 0.88,
    "modality": 0.92,
    "part_of": 0.90,
}
# Floors not reached yet by the extraction (strict xfails); period reached 0.90
# on 2026-12-02 (the 政府工作报告 and communiqué periods and kinds).
NOT_YET: set[str] = set()


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    return run_eval(str(CORPUS), str(GOLD))


def test_claim_f1(scores: dict[str, object]) -> None:
    assert scores["f1"] >= CLAIM_F1, scores  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        pytest.param(n, f, marks=pytest.mark.xfail(strict=True, reason="below the floor"))
        if n in NOT_YET
        else (n, f)
        for n, f in ATTRIBUTES.items()
    ],
)
def test_attribute_accuracy(scores: dict[str, object], name: str, floor: float) -> None:
    attributes = scores["attributes"]
    assert isinstance(attributes, dict)
    assert attributes[name] >= floor, attributes


def _doc_f1(d: dict[str, float]) -> float:
    p, r = d["precision"], d["recall"]
    return 2 * p * r / (p + r) if p + r else 0.0


def test_no_document_below_the_floor(scores: dict[str, object]) -> None:
    per_doc = scores["per_doc"]
    assert isinstance(per_doc, dict)
    low = {doc for doc, d in per_doc.items() if _doc_f1(d) < DOC_F1}
    assert not low, {doc: per_doc[doc] for doc in low}
