"""Two ingests into one SQLite file at once both finish, with every document
stored: each document is written in a short IMMEDIATE transaction that waits
for the other process's, instead of failing with "database is locked"."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from unionfacts.store import open_database, save_document
from unionfacts.store.db import writing

CLI = [sys.executable, "-c", "from unionfacts.cli import main; main()"]


def _write_reports(folder: Path, prefix: str, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"{prefix}{i:03d}.txt").write_text(
            f"2023年全市新发展会员{i + 100}人，其中女性{i + 10}人。建成驿站{i % 40 + 1}个。\n",
            encoding="utf-8",
        )


def test_two_ingests_of_500_files_each_store_all_1000(tmp_path: Path) -> None:
    _write_reports(tmp_path / "a", "a", 500)
    _write_reports(tmp_path / "b", "b", 499)
    # One long document among the small ones: its work must not be thrown
    # away when the other process commits while it is being extracted.
    (tmp_path / "b" / "b_long.txt").write_text(
        "".join(
            f"第{i}项工作中，全市新建驿站{i % 90 + 1}个，服务职工{i + 1000}人次。\n"
            for i in range(20000)
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "shared.db")
    runs = [
        subprocess.Popen(
            [*CLI, "ingest", str(tmp_path / name), "--db", db],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outputs = [p.communicate(timeout=600) for p in runs]
    for p, (out, err) in zip(runs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err, err
        assert "│       500 │ 500 │" in out, out
    engine = open_database(db, "read")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == 1000
        long_claims = conn.execute(
            text(
                "SELECT count(*) FROM claims c JOIN documents d ON d.id = c.document_id"
                " WHERE d.name = 'b_long.txt'"
            )
        ).scalar()
    engine.dispose()
    assert long_claims and long_claims >= 20000


def test_a_writer_waits_for_another_write_transaction(tmp_path: Path, fake_extracted: Any) -> None:
    """While one connection holds the write lock, a save waits and then succeeds."""
    db = str(tmp_path / "w.db")
    holder = open_database(db)
    other = open_database(db)
    held = threading.Event()

    def hold() -> None:
        with writing(holder).begin() as conn:
            conn.execute(text("UPDATE documents SET title = title"))
            held.set()
            time.sleep(1.0)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    started = time.monotonic()
    assert save_document(other, fake_extracted(tmp_path / "x.txt", "会员12人。")) == "new"
    waited = time.monotonic() - started
    t.join()
    assert waited >= 0.5
    holder.dispose()
    other.dispose()
