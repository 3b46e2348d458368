"""Reports of stored findings: terminal (Rich), Markdown, JSON, self-contained
HTML, and the conflicts JSONL that ../shared/eval/score.py reads.

Every renderer takes the same list of `StoredFinding` values (read back by
`unionfacts.findings.list_findings`), grouped by severity, each with its check,
status, explanation, arithmetic and the quoted claims in their context with
the number highlighted. Pure functions: they return text or print to the
console they are given, and never touch the database.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

import jinja2
from rich.console import Console
from rich.text import Text

from unionfacts.findings import ReviewEntry, StoredFinding
from unionfacts.langtag import lang_of

SEVERITIES = ("error", "warning", "info")
_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Explained (information)"}
_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "cyan"}


def split_context(claim: dict[str, Any], width: int = 40) -> tuple[str, str, str]:
    """(before, number, after) of a claim's quote, trimmed to `width` each side."""
    ctx = claim.get("context") or ""
    rel_s = int(claim["start"]) - int(claim.get("context_start") or 0)
    rel_e = int(claim["end"]) - int(claim.get("context_start") or 0)
    if not (0 <= rel_s <= rel_e <= len(ctx)):
        return "", str(claim.get("surface", "")), ""
    before = ctx[max(0, rel_s - width) : rel_s].replace("\n", " ")
    after = ctx[rel_e : rel_e + width].replace("\n", " ")
    return (
        ("…" if rel_s > width else "") + before,
        ctx[rel_s:rel_e],
        after + ("…" if rel_e + width < len(ctx) else ""),
    )


def source_line(claim: dict[str, Any]) -> str:
    """`a.txt — 《title》, 2024-01-05 · 新发展会员, 2023, 北京市, flow`"""
    title = f" 《{claim['doc_title']}》" if claim.get("doc_title") else ""
    date = f", {claim['doc_date']}" if claim.get("doc_date") else ""
    facts = ", ".join(
        str(claim.get(k)) for k in ("metric", "period", "scope", "kind") if claim.get(k)
    )
    modality = " (target)" if claim.get("modality") == "target" else ""
    return f"{claim['doc']}{title}{date} · {facts}{modality}"


def by_severity(findings: Iterable[StoredFinding]) -> dict[str, list[StoredFinding]]:
    out: dict[str, list[StoredFinding]] = {s: [] for s in SEVERITIES}
    for f in findings:
        out.setdefault(f.severity, []).append(f)
    return out


def summary_line(findings: Sequence[StoredFinding]) -> str:
    groups = by_severity(findings)
    parts = [f"{len(groups[s])} {s}" for s in SEVERITIES]
    open_ = sum(1 for f in findings if f.status == "open" and f.severity != "info")
    return f"{len(findings)} finding(s): {', '.join(parts)}; {open_} open for review"


# -- terminal -------------------------------------------------------------------


def _status_tag(f: StoredFinding) -> str:
    tag = f.status + (" (reopened)" if f.reopened else "")
    return tag


def print_terminal(
    findings: Sequence[StoredFinding], console: Console, info_details: bool = False
) -> None:
    console.print(Text(summary_line(findings), style="bold"))
    for sev, group in by_severity(findings).items():
        if not group:
            continue
        console.print()
        console.rule(Text(f"{_TITLES.get(sev, sev)} ({len(group)})", style=_STYLES.get(sev, "")))
        for f in group:
            head = Text()
            head.append(f"{sev.upper():8}", style=_STYLES.get(sev, ""))
            head.append(f"{f.check}  ", style="bold")
            head.append(f"{f.id[:10]}  {_status_tag(f)}", style="dim")
            console.print(head)
            console.print(Text("  " + f.explanation))
            if f.reopened and f.reopen_reason:
                console.print(Text("  reopened: " + f.reopen_reason, style="magenta"))
            if sev == "info" and not info_details:
                console.print(Text("  " + f.arithmetic, style="dim"))
                continue
            console.print(Text("  = " + f.arithmetic, style="bold"))
            for c in f.claims:
                print_quote(console, c)
    console.print()


def print_quote(console: Console, claim: dict[str, Any], indent: str = "    ") -> None:
    before, number, after = split_context(claim)
    line = Text(indent + "“")
    line.append(before)
    line.append(number, style="bold reverse")
    line.append(after)
    line.append("”")
    console.print(line)
    console.print(Text(indent + "  " + source_line(claim), style="dim"))


# -- markdown -----------------------------------------------------------------


def _md_escape(s: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>|#" else ch for ch in s)


def render_markdown(findings: Sequence[StoredFinding]) -> str:
    lines = ["# unionfacts check", "", summary_line(findings)]
    for sev, group in by_severity(findings).items():
        if not group:
            continue
        lines += ["", f"## {_TITLES.get(sev, sev)} ({len(group)})"]
        for f in group:
            lines += [
                "",
                f"### {f.check} `{f.id[:10]}` — {_status_tag(f)}",
                "",
                _md_escape(f.explanation),
                "",
                f"**Arithmetic:** {_md_escape(f.arithmetic)}",
            ]
            if f.reopened and f.reopen_reason:
                lines += ["", f"*Reopened:* {_md_escape(f.reopen_reason)}"]
            lines.append("")
            for c in f.claims:
                before, number, after = split_context(c)
                quote = f"{_md_escape(before)}**{_md_escape(number)}**{_md_escape(after)}"
                lines.append(f"- “{quote}” — {_md_escape(source_line(c))}")
    return "\n".join(lines) + "\n"


# -- json -----------------------------------------------------------------------


def finding_dict(f: StoredFinding) -> dict[str, Any]:
    return {
        "id": f.id,
        "check": f.check,
        "severity": f.severity,
        "status": f.status,
        "reopened": f.reopened,
        "reopen_reason": f.reopen_reason,
        "explanation": f.explanation,
        "arithmetic": f.arithmetic,
        "score": f.score,
        "claims": f.claims,
        "first_seen": f.first_seen.isoformat(),
        "last_seen": f.last_seen.isoformat(),
    }


def render_json(findings: Sequence[StoredFinding]) -> str:
    counts = {s: len(g) for s, g in by_severity(findings).items()}
    doc = {"summary": counts, "findings": [finding_dict(f) for f in findings]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_findings_json(
    findings: Sequence[StoredFinding], decisions: Mapping[str, ReviewEntry] | None = None
) -> str:
    """A JSON list of findings, each with its last reviewer's decision."""
    out = []
    for f in findings:
        d = (decisions or {}).get(f.id)
        row = finding_dict(f)
        row["decision"] = (
            {"status": d.to_status, "note": d.note, "who": d.who, "at": d.at.isoformat()}
            if d
            else None
        )
        out.append(row)
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def quote_text(claim: dict[str, Any], width: int = 40) -> str:
    """The quote in its context with the number in 【】, for plain-text exports."""
    before, number, after = split_context(claim, width)
    return f"{before}【{number}】{after}"


def write_conflicts_jsonl(
    findings: Iterable[StoredFinding],
    out: TextIO,
    decisions: Mapping[str, ReviewEntry] | None = None,
) -> int:
    """One finding per line in score.py's format (all severities), with each
    claim's quote and the last reviewer's note."""
    n = 0
    for f in findings:
        d = (decisions or {}).get(f.id)
        row = {
            "id": f.id,
            "check": f.check,
            "severity": f.severity,
            "status": f.status,
            "claims": [
                {"doc": c["doc"], "start": c["start"], "end": c["end"], "quote": quote_text(c)}
                for c in f.claims
            ],
            "explanation": f.explanation,
            "arithmetic": f.arithmetic,
            "note": d.note if d else "",
            "reviewed_by": d.who if d else "",
            "score": f.score,
        }
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_conflicts_csv(
    findings: Sequence[StoredFinding],
    out: TextIO,
    decisions: Mapping[str, ReviewEntry] | None = None,
) -> int:
    """One finding per row: status, note, the explanation and, for each claim,
    its document, span and quote in context."""
    width = max((len(f.claims) for f in findings), default=0)
    head = ["id", "check", "severity", "status", "note", "reviewed_by", "explanation"]
    head += ["arithmetic"]
    for i in range(1, width + 1):
        head += [f"doc_{i}", f"start_{i}", f"end_{i}", f"quote_{i}"]
    w = csv.writer(out)
    w.writerow(head)
    for f in findings:
        d = (decisions or {}).get(f.id)
        row = [f.id, f.check, f.severity, f.status, d.note if d else "", d.who if d else ""]
        row += [f.explanation, f.arithmetic]
        for c in f.claims:
            row += [c["doc"], c["start"], c["end"], quote_text(c)]
        w.writerow(row)
    return len(findings)


def write_review_template(
    findings: Sequence[StoredFinding],
    out: TextIO,
    decisions: Mapping[str, ReviewEntry] | None = None,
) -> int:
    """CSV that `review --from-csv` reads back: id, status, note, by (filled
    with the current status and last note), then columns for the reader
    (ignored by --from-csv). Stale findings are left out: `stale` is no
    decision a reviewer can write back. Returns the rows written."""
    w = csv.writer(out)
    w.writerow(["id", "status", "note", "by", "severity", "check", "explanation", "quotes"])
    findings = [f for f in findings if f.status != "stale"]
    for f in findings:
        d = (decisions or {}).get(f.id)
        quotes = " | ".join(f"{c['doc']}: {quote_text(c, 20)}" for c in f.claims)
        w.writerow(
            [f.id, f.status, d.note if d else "", "", f.severity, f.check, f.explanation, quotes]
        )
    return len(findings)


# -- html -----------------------------------------------------------------------

_TEMPLATES = Path(__file__).resolve().parent / "report_templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _counts(values: Iterable[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))


def render_html(
    findings: Sequence[StoredFinding], decisions: Mapping[str, ReviewEntry] | None = None
) -> str:
    """One self-contained page (inline style and filter script, nothing
    fetched): contents by severity, check and document, filters, reviewed
    findings collapsed with their decision and note (`decisions`: the last
    reviewer's entry per finding id), `lang` per quote so Traditional text
    gets Traditional glyphs. Every text from the documents is escaped."""
    groups = by_severity(findings)
    return (
        _environment()
        .get_template("report.html")
        .render(
            summary=summary_line(findings),
            groups=groups,
            titles=_TITLES,
            statuses=sorted({f.status for f in findings}),
            checks=_counts(f.check for f in findings),
            docs=_counts(d for f in findings for d in {str(c["doc"]) for c in f.claims}),
            decisions=decisions or {},
            split=split_context,
            source=source_line,
            lang=lambda c: lang_of(str(c.get("context") or c.get("surface") or "")),
        )
    )
