"""Reports: HTML is one self-contained, escaped file; the other formats carry
the same findings; the CLI exits by --fail-on."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from unionfacts.cli import _register, app
from unionfacts.findings import StoredFinding
from unionfacts.report import (
    render_html,
    render_json,
    render_markdown,
    split_context,
    write_conflicts_jsonl,
)

_register()
runner = CliRunner()
EVIL = '<script>alert("x")</script>'


def _finding(severity: str = "error") -> StoredFinding:
    ctx = f"前文{EVIL}会员100人，后文 & more"
    start = ctx.index("100")
    claim = {
        "doc": "a<b>.txt",
        "doc_hash": "h",
        "doc_title": f"标题{EVIL}",
        "doc_date": "2024-01-05",
        "start": 1000 + start,
        "end": 1000 + start + 4,
        "surface": "100人",
        "value": "100",
        "unit": "人",
        "approx": "exact",
        "metric": "会员",
        "period": "2023",
        "scope": "北京市",
        "kind": "flow",
        "modality": "actual",
        "context": ctx,
        "context_start": 1000,
    }
    now = datetime(2024, 1, 1)
    return StoredFinding(
        id="abcdef0123456789abcd",
        check="same_fact_differs",
        severity=severity,
        status="open",
        reopened=False,
        reopen_reason=None,
        explanation=f"values differ {EVIL}",
        arithmetic="100 ∈ [99.5, 100.5) < 120",
        claims=[claim, dict(claim, doc="b.txt")],
        first_seen=now,
        last_seen=now,
    )


def test_split_context_highlights_the_span() -> None:
    before, number, after = split_context(_finding().claims[0])
    assert number == "100人" and before.endswith("会员") and after.startswith("，")


def test_html_is_self_contained_and_escaped() -> None:
    page = render_html([_finding(), _finding("info")])
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert page.count("<script") == 1  # the filters; every document text is escaped
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "a&lt;b&gt;.txt" in page and "&amp; more" in page
    # nothing to fetch: no links, images, stylesheets or scripts from elsewhere
    assert not re.search(r"""src\s*=|href\s*=\s*"[^#]|@import|url\(|<link""", page)
    assert "<mark>100人</mark>" in page


def _reviewed(f: StoredFinding, status: str) -> StoredFinding:
    return StoredFinding(**{**f.__dict__, "status": status, "id": f.id[:-1] + status[0]})


def test_html_contents_filters_and_collapsed_decisions() -> None:
    from unionfacts.findings import ReviewEntry

    open_, done = _finding(), _reviewed(_finding("warning"), "dismissed")
    trad = _finding("info")
    trad.claims[0]["context"] = "全市新發展會員100人，職工服務中心"
    trad.claims[0]["doc"] = "trad.txt"
    decision = ReviewEntry(datetime(2024, 2, 1), "open", "dismissed", "口径不同", "analyst")
    page = render_html([open_, done, trad], {done.id: decision})
    contents = page.split('id="contents"')[1].split("</nav>")[0]
    assert 'href="#sev-error"' in contents and 'data-value="same_fact_differs"' in contents
    assert 'data-value="a&lt;b&gt;.txt"' in contents and 'data-value="trad.txt"' in contents
    assert 'data-filter="severity"' in page and 'data-filter="doc"' in page
    opened = re.findall(r'<details class="f [^"]*" id="f-(\w+)"[^>]*?( open)?>', page)
    assert dict(opened) == {open_.id: " open", done.id: "", trad.id: " open"}
    assert "dismissed by analyst, 2024-02-01: “口径不同”" in page
    assert '<blockquote lang="zh-Hant">' in page and '<blockquote lang="zh-Hans">' in page


def test_markdown_and_json_carry_the_same_findings() -> None:
    md = render_markdown([_finding()])
    assert "**100人**" in md and "same\\_fact\\_differs" not in md.split("###")[0]
    data = json.loads(render_json([_finding(), _finding("warning")]))
    assert data["summary"] == {"error": 1, "warning": 1, "info": 0}
    assert data["findings"][0]["claims"][0]["surface"] == "100人"


def test_conflicts_jsonl_matches_the_scorer() -> None:
    out = io.StringIO()
    assert write_conflicts_jsonl([_finding(), _finding("info")], out) == 2
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {r["severity"] for r in rows} == {"error", "info"}
    assert set(rows[0]) >= {"id", "check", "severity", "claims", "explanation"}
    claim = _finding().claims[0]
    first = rows[0]["claims"][0]
    assert {k: first[k] for k in ("doc", "start", "end")} == {
        "doc": "a<b>.txt",
        "start": claim["start"],
        "end": claim["end"],
    }
    assert "会员【100人】" in first["quote"]
    assert rows[0]["status"] == "open" and rows[0]["note"] == ""


def _ingest(tmp_path: Path) -> str:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text("甲报告。全市会员100人。", encoding="utf-8")
    (reports / "b.txt").write_text("乙报告。全市会员120人。", encoding="utf-8")
    db = str(tmp_path / "r.db")
    assert runner.invoke(app, ["ingest", str(reports), "--db", db]).exit_code == 0
    return db


def test_check_cli_formats_and_exit_status(tmp_path: Path, fake_stages: None) -> None:
    db = _ingest(tmp_path)
    result = runner.invoke(app, ["check", "--db", db])
    assert result.exit_code == 1, result.output  # an open error
    assert "same_fact_differs" in result.output
    assert runner.invoke(app, ["check", "--db", db, "--fail-on", "never"]).exit_code == 0
    html_file = tmp_path / "r.html"
    result = runner.invoke(app, ["check", "--db", db, "--format", "html", "-o", str(html_file)])
    assert result.exit_code == 1 and html_file.read_text(encoding="utf-8").startswith("<!DOCTYPE")
    assert runner.invoke(app, ["check", "--db", db, "--format", "xml"]).exit_code == 2
    exported = runner.invoke(app, ["export", "conflicts", "--db", db, "--format", "jsonl"])
    (row,) = [json.loads(line) for line in exported.stdout.splitlines()]
    fid = row["id"]
    shown = runner.invoke(app, ["show", fid[:6], "--db", db])
    assert shown.exit_code == 0 and "100人" in shown.output and "120人" in shown.output
    reviewed = runner.invoke(
        app,
        [
            "review",
            fid[:8],
            "--status",
            "dismissed",
            "--note",
            "two surveys",
            "--by",
            "qa",
            "--db",
            db,
        ],
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert runner.invoke(app, ["check", "--db", db]).exit_code == 0  # nothing open now
    listed = runner.invoke(app, ["findings", "--status", "dismissed", "--db", db])
    assert fid[:10] in listed.output
    assert runner.invoke(app, ["review", "--db", db]).exit_code == 2
