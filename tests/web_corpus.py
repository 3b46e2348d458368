"""A small invented corpus for the web tests: three reports of the fictional
云湾市 (examples/rules knows it) that contradict each other twice — one
same_fact_differs across a Simplified and a Traditional report, one
part_exceeds_whole inside a report — and a report that carries markup."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from unionfacts.check.rules import load_check_rules
from unionfacts.findings import check_database
from unionfacts.ingest import ingest_paths
from unionfacts.rules import load_rules

RULES = Path(__file__).resolve().parents[1] / "examples" / "rules"

REPORTS = {
    "a.txt": (
        "---\ntitle: 云湾市总工会2023年工作报告\ndate: 2024-01-10\nscope: 云湾市\n---\n"
        "2023年，全市新发展会员3.2万人，建成暖心驿站120个。\n"
        '报告附注：<script>alert("x")</script> <b>粗体</b>\n'
    ),
    "b.txt": (
        "---\ntitle: 雲灣市總工會2023年工作總結\ndate: 2024-02-01\nscope: 云湾市\n---\n"
        "2023年，全市新發展會員4.5萬人，建成暖心驛站120個。\n"
    ),
    "c.txt": (
        "---\ntitle: 云湾市总工会2023年职工服务报告\ndate: 2024-03-01\nscope: 云湾市\n---\n"
        "截至2023年底，全市共有职工服务中心50个，其中街道职工服务中心60个。\n"
    ),
}


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in REPORTS.items():
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def ingest_and_check(engine: Engine, folder: Path, force: bool = False) -> None:
    summary = ingest_paths(engine, [folder], load_rules([RULES]), force=force)
    assert summary.ok, summary.failed
    check_database(engine, load_check_rules([RULES]))
