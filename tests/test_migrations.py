"""Migrations: upgrade an empty database to head; the models match the migrations."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from unionfacts.store import current_revision, head_revision, make_engine, open_database, upgrade
from unionfacts.store.db import alembic_config
from unionfacts.store.schema import Base


def _models() -> None:
    # The checker's tables join the metadata once their module exists.
    import contextlib

    with contextlib.suppress(ModuleNotFoundError):
        import unionfacts.store.findings_schema  # noqa: F401


def test_upgrade_empty_database_to_head(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    names = set(inspect(engine).get_table_names())
    assert {"documents", "claims", "alembic_version"} <= names
    assert "facts" in inspect(engine).get_view_names()
    engine.dispose()


def test_first_revision_is_0001() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    base = script.get_bases()
    assert base == ["0001"]


def test_models_match_migrations(engine: Engine) -> None:
    _models()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == []


def test_open_database_is_idempotent(db_path: Path) -> None:
    for _ in range(2):
        engine = open_database(str(db_path))
        assert current_revision(engine) == head_revision()
        engine.dispose()


def test_downgrade_to_base_and_up_again(engine: Engine) -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_0003_compresses_text_of_existing_documents(tmp_path: Path) -> None:
    """A database made before revision 0003 keeps its documents' text."""
    from sqlalchemy import text

    from unionfacts.store import document_text

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (source_path, name, content_hash, encoding, size_bytes,"
                " n_chars, meta_sources, ingested_at, updated_at, text) VALUES"
                " ('/r.txt', 'r.txt', 'h', 'utf-8', 9, 9, '{}', '2026-01-01', '2026-01-01',"
                " '新发展会员1万人。')"
            )
        )
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert document_text(engine, 1) == "新发展会员1万人。"
    assert "facts" in inspect(engine).get_view_names()


def test_head_revision_constant_is_the_scripts_head() -> None:
    # Start-up compares alembic_version with this constant instead of reading
    # the scripts; a new migration must bump it.
    from unionfacts.store.location import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


def _claims_at_0004(engine: Engine, text: str, claims: list[tuple[int, int, str]]) -> None:
    """A document and its claims as revision 0004 stored them."""
    import zlib

    from sqlalchemy import text as sql

    with engine.begin() as conn:
        conn.execute(
            sql(
                "INSERT INTO documents (id, source_path, name, content_hash, encoding,"
                " size_bytes, n_chars, meta_sources, ingested_at, updated_at, text_zlib)"
                " VALUES (1, '/r.txt', 'r.txt', 'h', 'utf-8', 9, 9, '{}', '2026-01-01',"
                " '2026-01-01', :z)"
            ),
            {"z": zlib.compress(text.encode("utf-8"))},
        )
        for seq, (start, end, sentence) in enumerate(claims):
            cstart = max(0, start - 40)
            conn.execute(
                sql(
                    "INSERT INTO claims (document_id, seq, start_offset, end_offset, surface,"
                    " value, value_text, unit, unit_class, approx, metric, period, period_form,"
                    " scope, kind, modality, sentence, context, context_start, rule_id)"
                    " VALUES (1, :seq, :s, :e, :surface, 1, '1', '人', '人', 'exact', 'm',"
                    " '2023', 'year', '云湾市', 'flow', 'actual', :sentence, :context, :cs,"
                    " 'r')"
                ),
                {
                    "seq": seq,
                    "s": start,
                    "e": end,
                    "surface": text[start:end],
                    "sentence": sentence,
                    "context": text[cstart : end + 40],
                    "cs": cstart,
                },
            )


def _rows(engine: Engine, query: str) -> list[tuple[object, ...]]:
    from sqlalchemy import text as sql

    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sql(query))]


def test_0007_keeps_sentence_and_context_both_ways(tmp_path: Path) -> None:
    """Sentences become offsets where the original reads the same, and stay
    text where normalization changed them (here full-width digits); the facts
    view and a downgrade give back exactly what was stored."""
    from alembic import command

    body = "。新发展会员１２人，女性３人。全年新建工会3个，其中农村2个。"
    text = "前言" * 30 + body + "尾声" * 30
    a = text.index("１２人")
    w = text.index("３人")
    b = text.index("3个")
    c = text.index("2个")
    claims = [
        (a, a + 3, "新发展会员12人，女性3人。"),  # normalized: not the original's characters
        (w, w + 2, "新发展会员12人，女性3人。"),  # the same sentence: stored once
        (b, b + 2, "全年新建工会3个，其中农村2个。"),
        (c, c + 2, "全年新建工会3个，其中农村2个。"),
    ]
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0004")
    _claims_at_0004(engine, text, claims)
    before = _rows(engine, "SELECT claim_id, sentence, context FROM facts ORDER BY claim_id")
    upgrade(engine)
    after = _rows(engine, "SELECT claim_id, sentence, context FROM facts ORDER BY claim_id")
    assert after == before
    stored = _rows(
        engine, "SELECT sentence_start, sentence_text, sentence_of FROM claims ORDER BY id"
    )
    assert stored[0] == (None, "新发展会员12人，女性3人。", None)
    assert stored[1] == (None, None, 0)  # names claim seq 0, which holds the text
    assert stored[2][0] is not None and stored[2][1] is None
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    assert _rows(engine, "SELECT claim_id, sentence, context FROM facts ORDER BY claim_id") == (
        before
    )
    engine.dispose()
