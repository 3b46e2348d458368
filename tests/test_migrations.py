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
