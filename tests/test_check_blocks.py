"""Block by block: the streamed run, the in-memory run and a run over worker
processes give the same findings; the blocks are the same either way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from check_fixtures import claim
from unionfacts.check import Finding, run_checks
from unionfacts.check.blocks import blocks_in_memory
from unionfacts.check.rules import load_check_rules
from unionfacts.findings import finding_id, stream_checks
from unionfacts.ingest import ingest_paths
from unionfacts.rules import load_rules
from unionfacts.store import open_database, stored_claims
from unionfacts.store.blocks import stream_blocks

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    db = tmp_path_factory.mktemp("blocks") / "b.db"
    engine = open_database(str(db))
    ingest_paths(engine, [EXAMPLES / "reports"], load_rules([EXAMPLES / "rules"]))
    yield engine
    engine.dispose()


def _signature(findings: list[Finding]) -> list[tuple[str, str, str, str, float | None]]:
    return sorted(
        (finding_id(f), f.severity, f.explanation, f.arithmetic, f.score) for f in findings
    )


def test_streamed_in_memory_and_parallel_runs_agree(engine: Engine) -> None:
    check_rules = load_check_rules([EXAMPLES / "rules"])
    in_memory = run_checks(list(stored_claims(engine)), check_rules)
    streamed = stream_checks(engine, check_rules)
    parallel = stream_checks(engine, check_rules, jobs=2)
    assert in_memory, "the examples hold planted contradictions"
    assert _signature(streamed) == _signature(in_memory)
    assert _signature(parallel) == _signature(in_memory)
    assert _signature(run_checks(list(stored_claims(engine)), check_rules, jobs=2)) == _signature(
        in_memory
    )


def test_store_cuts_the_blocks_memory_cuts(engine: Engine) -> None:
    claims = list(stored_claims(engine))
    kinds = ("measure", "document", "context")

    def cut(blocks: Iterator[tuple[str, list]]) -> list[tuple[str, list[int]]]:  # type: ignore[type-arg]
        return sorted((k, [c.id for c in b]) for k, b in blocks)

    assert cut(stream_blocks(engine, kinds)) == cut(blocks_in_memory(claims, kinds))


@pytest.mark.parametrize(
    ("claims", "kinds"),
    [
        # one measure block per raw key, whatever the document
        ([dict(metric="会员"), dict(metric="会员"), dict(metric="职工")], {"measure": 2}),
        # a measure key from the extraction wins over the metric text
        (
            [
                dict(metric="会员", metric_key="members"),
                dict(metric="入会职工", metric_key="members"),
            ],
            {"measure": 1},
        ),
    ],
)
def test_measure_blocks(claims: list[dict[str, str]], kinds: dict[str, int]) -> None:
    made = [claim("5人", 5, **kw) for kw in claims]
    got = [k for k, _ in blocks_in_memory(made, ["measure"])]
    assert len(got) == kinds["measure"]


@pytest.mark.postgres
def test_streamed_from_postgres_agrees(pg_url: str) -> None:
    engine = open_database(pg_url)
    try:
        ingest_paths(engine, [EXAMPLES / "reports"], load_rules([EXAMPLES / "rules"]))
        check_rules = load_check_rules([EXAMPLES / "rules"])
        in_memory = run_checks(list(stored_claims(engine)), check_rules)
        assert _signature(stream_checks(engine, check_rules)) == _signature(in_memory)
        assert _signature(stream_checks(engine, check_rules, jobs=2)) == _signature(in_memory)
        assert _signature(stream_checks(engine, check_rules)) == _signature(in_memory)  # still up
    finally:
        with engine.begin() as conn:  # a clean slate for the other PostgreSQL tests
            conn.execute(text("DELETE FROM documents"))
        engine.dispose()
