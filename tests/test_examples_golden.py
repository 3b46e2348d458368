"""Golden tests: the claims extracted from each bundled sample report.

Each file under examples/reports/ has tests/golden/<file name>.json holding the
document metadata and, per claim, the fields an analyst relies on (seq, surface,
value, unit, approx, metric, period, scope, kind, modality, part_of). The test
runs the pure pipeline (load -> extract_document with the default rules plus the
examples' rules overlay) and compares. After an intended change, rewrite the
files with `pytest tests/test_examples_golden.py --update-golden` (or
UNIONFACTS_UPDATE_GOLDEN=1) and review the diff claim by claim before committing.

The contradictions and traps planted in the samples are listed, with their
arithmetic, in examples/README.md.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import opencc
import pytest

from golden_plugin import compare, dump, golden_record, merge_update, plain_decimal
from unionfacts.check import Finding, load_check_rules, run_checks
from unionfacts.ingest import ingest_paths
from unionfacts.load import load_file
from unionfacts.models import StoredClaim
from unionfacts.pipeline import extract_document
from unionfacts.rules import RuleSet, load_rules
from unionfacts.store import open_database, stored_claims

pytest_plugins = ["golden_plugin"]

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "examples" / "reports"
OVERLAY = ROOT / "examples" / "rules"
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = sorted(p for p in REPORTS.iterdir() if p.suffix in (".txt", ".md"))


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules([OVERLAY])


def test_samples_exist() -> None:
    assert len(SAMPLES) >= 4, f"expected the bundled sample reports in {REPORTS}"


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_golden(path: Path, rules: RuleSet, update_golden: bool) -> None:
    actual = golden_record(extract_document(load_file(path), rules))
    golden = GOLDEN / f"{path.name}.json"
    old = json.loads(golden.read_text(encoding="utf-8")) if golden.exists() else None
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(dump(merge_update(old, actual)), encoding="utf-8")
        return
    if old is None:
        pytest.fail(f"no golden file {golden.name}; run pytest --update-golden and review it")
    problems = compare(old, actual)
    assert not problems, (
        f"{path.name}: extraction differs from {golden.name} "
        f"({len(problems)} difference(s)); if intended, rerun with --update-golden "
        "and review the diff:\n" + "\n".join(problems[:60])
    )


def test_spans_point_into_the_original(rules: RuleSet) -> None:
    """Every claim's span is the number expression as printed in the file."""
    for path in SAMPLES:
        doc = load_file(path)
        for claim in extract_document(doc, rules).claims:
            assert doc.text[claim.start : claim.end] == claim.surface, (path.name, claim.seq)


def test_golden_comparison_accepts_known_errors_only() -> None:
    claim = {"start": 5, "seq": 0, "surface": "2.35亿元", "value": "235000000", "unit": "元",
             "approx": "exact", "metric": "返还经费", "period": "2023", "scope": "云湾市",
             "kind": "flow", "modality": "actual", "part_of": None}  # fmt: skip
    meta = {"document": "x.md", "encoding": "utf-8", "meta": {"title": None}}
    golden = {**meta, "claims": [claim], "known_wrong": []}
    assert json.loads(dump(golden)) == golden
    assert compare(golden, json.loads(dump(golden))) == []

    wrong = {**meta, "claims": [{**claim, "period": "2019..2023"}], "known_wrong": []}
    assert compare(golden, wrong)  # an unrecorded error is a difference

    known = {"start": 5, "surface": "2.35亿元", "field": "period", "got": "2019..2023"}
    golden_known = {**golden, "known_wrong": [known]}
    assert compare(golden_known, wrong) == []  # ... a recorded one is accepted
    assert any(p.startswith("fixed") for p in compare(golden_known, golden))
    changed = {**meta, "claims": [{**claim, "period": "2024"}], "known_wrong": []}
    assert any(p.startswith("changed") for p in compare(golden_known, changed))

    # updating keeps a known error that still occurs, drops one that was fixed
    assert merge_update(golden_known, wrong) == golden_known
    assert merge_update(golden_known, golden)["known_wrong"] == []

    extra = {**meta, "claims": [claim, {**claim, "start": 9}], "known_wrong": []}
    golden_extra = {**golden, "known_wrong": [{**known, "start": 9, "field": "extra"}]}
    assert compare(golden_extra, extra) == []
    assert merge_update(golden_extra, extra) == golden_extra

    assert plain_decimal(Decimal("3.908E+5")) == "390800"
    assert plain_decimal(Decimal("92.40")) == "92.4"


# ---- the answer key of examples/README.md: what the checker must flag ----------
#
# Claims are named by (file name prefix, number as printed): the claim's surface
# in simplified characters, without thousands separators or spaces.

A = "yunwan-2023-congress"
B = "yunwan-2023-top-ten"
C = "yunwan-2024-h1"
D = "linhu-2024"

Ref = tuple[str, str]

# (id in examples/README.md, check, claims that one error/warning finding must hold)
PLANTED: list[tuple[str, str, list[Ref]]] = [
    ("X1", "part_exceeds_whole", [(C, "1025.6万元"), (C, "7382万元")]),
    ("X2", "flows_exceed_stock", [(C, "1800余个")]),
    ("X3", "same_fact_differs", [(A, "216.5万人"), (B, "261.5万人")]),
    ("X4", "same_fact_differs", [(C, "6800人"), (D, "6300人")]),
    ("X5", "stock_decreases", [(A, "3260家"), (C, "3180家")]),
]

# (id in examples/README.md, two claims that no error/warning finding may hold together)
TRAPS: list[tuple[str, Ref, Ref]] = [
    ("K1", (A, "68.4万人"), (B, "15.1万人")),
    ("K2", (A, "17.2万人"), (B, "4.3万人")),
    ("K2", (A, "4126个"), (B, "980个")),
    ("K2", (A, "1650个"), (B, "410个")),
    ("K2", (A, "3.62万件"), (B, "7150件")),
    ("K2", (A, "8.75亿元"), (B, "1.64亿元")),
    ("K3", (A, "2.35亿元"), (B, "23486万元")),
    ("K4", (A, "39.08万人"), (B, "390800名")),
    ("K5", (A, "1.9万家"), (B, "19000余家")),
    ("K6", (A, "126个"), (C, "126个")),
    ("K7", (C, "360个"), (C, "58个")),
    ("K7", (C, "360个"), (C, "47个")),
    ("K8", (D, "286个"), (C, "1800余个")),
    ("K8", (D, "28.7万人"), (A, "216.5万人")),
    ("K9", (C, "58个"), (D, "96个")),
    ("K9", (D, "6300人"), (D, "1.36万人")),
    ("K9", (C, "6800人"), (D, "1.36万人")),
    ("K10", (D, "2.86万人次"), (D, "1.92万人次")),
    ("K10", (D, "2.86万人次"), (D, "0.94万人次")),
    ("K11", (C, "2500个"), (C, "1800余个")),
    ("K11", (C, "200个"), (C, "360个")),
    ("K11", (D, "1.2万人"), (D, "1.36万人")),
    ("K11", (A, "230万人"), (A, "216.5万人")),
    ("K12", (A, "68.4万人"), (A, "17.2万人")),
    ("K12", (A, "3260家"), (A, "41家")),
    ("K12", (B, "56个"), (B, "12个")),
    ("K13", (D, "212户"), (D, "97户")),
]

# Known failures of the current extraction or checker, strict so that a fix is
# noticed (and the entry removed). The reasons are the diagnosis.
KNOWN_FAILURES: dict[str, str] = {}


def _cases(rows: list[Any], ids: list[str]) -> list[Any]:
    return [
        pytest.param(*row, id=i, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[i]))
        if i in KNOWN_FAILURES
        else pytest.param(*row, id=i)
        for row, i in zip(rows, ids, strict=True)
    ]


# (id, claims that an info finding should show, with the reason they differ)
EXPLAINED: list[tuple[str, Ref, Ref]] = [
    ("K1", (A, "68.4万人"), (B, "15.1万人")),
]

_T2S = opencc.OpenCC("t2s")


def _printed(surface: str) -> str:
    return str(_T2S.convert(surface)).replace(",", "").replace(" ", "")


@pytest.fixture(scope="module")
def sample_claims(tmp_path_factory: pytest.TempPathFactory) -> list[StoredClaim]:
    """The samples ingested into a fresh SQLite file, read back as stored claims."""
    engine = open_database(str(tmp_path_factory.mktemp("examples") / "examples.db"))
    try:
        summary = ingest_paths(engine, [REPORTS], load_rules([OVERLAY]))
        assert summary.ok, [(o.path.name, o.reason) for o in summary.failed]
        return list(stored_claims(engine))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def sample_findings(sample_claims: list[StoredClaim]) -> list[Finding]:
    return run_checks(sample_claims, load_check_rules([OVERLAY]))


def _find(claims: list[StoredClaim], ref: Ref) -> StoredClaim:
    doc, text = ref
    hits = [c for c in claims if c.doc_name.startswith(doc) and _printed(c.surface) == text]
    assert hits, f"{text} in {doc}* was not extracted"
    assert len(hits) == 1, f"{text} in {doc}* is ambiguous: {[c.surface for c in hits]}"
    return hits[0]


def _ids(finding: Finding) -> set[int]:
    return {c.id for c in finding.claims}


def _show(findings: list[Finding]) -> str:
    return "\n".join(
        f"  {f.severity} {f.check}: {[c.surface for c in f.claims]} {f.arithmetic}"
        for f in findings
    )


ALL_REFS = sorted(
    {r for _, _, refs in PLANTED for r in refs} | {r for _, a, b in TRAPS for r in (a, b)}
)


@pytest.mark.parametrize("ref", ALL_REFS, ids=[f"{d}:{t}" for d, t in ALL_REFS])
def test_answer_key_claims_are_extracted(sample_claims: list[StoredClaim], ref: Ref) -> None:
    _find(sample_claims, ref)


@pytest.mark.parametrize("key,check,refs", _cases(PLANTED, [p[0] for p in PLANTED]))
def test_planted_contradiction_is_flagged(
    sample_claims: list[StoredClaim],
    sample_findings: list[Finding],
    key: str,
    check: str,
    refs: list[Ref],
) -> None:
    wanted = {_find(sample_claims, r).id for r in refs}
    flagged = [f for f in sample_findings if f.severity in ("error", "warning")]
    hits = [f for f in flagged if f.check == check and wanted <= _ids(f)]
    assert hits, f"{key} ({check}) not flagged; error/warning findings:\n{_show(flagged)}"


@pytest.mark.parametrize("key,a,b", _cases(TRAPS, [f"{t[0]}-{t[1][1]}-{t[2][1]}" for t in TRAPS]))
def test_consistent_trap_is_not_flagged(
    sample_claims: list[StoredClaim], sample_findings: list[Finding], key: str, a: Ref, b: Ref
) -> None:
    pair = {_find(sample_claims, a).id, _find(sample_claims, b).id}
    wrong = [f for f in sample_findings if f.severity in ("error", "warning") and pair <= _ids(f)]
    assert not wrong, f"{key}: consistent figures flagged:\n{_show(wrong)}"


@pytest.mark.parametrize("key,a,b", EXPLAINED, ids=[e[0] for e in EXPLAINED])
def test_explained_difference_is_shown_as_info(
    sample_claims: list[StoredClaim], sample_findings: list[Finding], key: str, a: Ref, b: Ref
) -> None:
    pair = {_find(sample_claims, a).id, _find(sample_claims, b).id}
    info = [f for f in sample_findings if f.severity == "info" and pair <= _ids(f)]
    assert info, f"{key}: no info finding explains why these figures differ"
