"""Reports of stored findings: terminal (Rich), Markdown, JSON, self-contained
HTML, and the conflicts JSONL that ../shared/eval/score.py reads.

Every renderer takes the same list of `StoredFinding` values (read back by
`unionfacts.findings.list_findings`), grouped by severity, each with its check,
status, explanation, arithmetic and the quoted claims in their context with
the number highlighted. Pure functions: they return text or print to the
console they are given, and never touch the database.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from unionfacts.findings import StoredFinding

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


def write_conflicts_jsonl(findings: Iterable[StoredFinding], out: TextIO) -> int:
    """One finding per line in score.py's format (all severities)."""
    n = 0
    for f in findings:
        row = {
            "id": f.id,
            "check": f.check,
            "severity": f.severity,
            "status": f.status,
            "claims": [{"doc": c["doc"], "start": c["start"], "end": c["end"]} for c in f.claims],
            "explanation": f.explanation,
            "arithmetic": f.arithmetic,
            "score": f.score,
        }
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


# -- html -----------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:2px solid #ddd}
.f{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;padding:.6rem 1rem;
margin:1rem 0}.error{border-left-color:#c62828}.warning{border-left-color:#f9a825}
.info{border-left-color:#0277bd}.meta{color:#666;font-size:.85rem}
.arith{font-family:ui-monospace,monospace;background:#f6f6f6;padding:.2rem .4rem}
blockquote{margin:.5rem 0 .2rem 0;padding-left:.8rem;border-left:3px solid #ccc}
mark{background:#ffe082;font-weight:bold}.src{color:#666;font-size:.85rem;margin-left:.8rem}
.reopened{color:#6a1b9a}
"""


def render_html(findings: Sequence[StoredFinding]) -> str:
    """One self-contained page: inline CSS, no scripts, no external resources;
    every piece of text from the documents is escaped."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8">',
        "<title>unionfacts check</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>unionfacts check</h1>",
        f"<p>{e(summary_line(findings))}</p>",
    ]
    for sev, group in by_severity(findings).items():
        if not group:
            continue
        out.append(f"<h2>{e(_TITLES.get(sev, sev))} ({len(group)})</h2>")
        for f in group:
            out.append(f'<section class="f {e(sev)}" id="f-{e(f.id)}">')
            out.append(
                f'<div class="meta"><b>{e(sev.upper())}</b> · {e(f.check)} · '
                f"<code>{e(f.id[:10])}</code> · {e(_status_tag(f))}</div>"
            )
            out.append(f"<p>{e(f.explanation)}</p>")
            out.append(f'<p><span class="arith">{e(f.arithmetic)}</span></p>')
            if f.reopened and f.reopen_reason:
                out.append(f'<p class="reopened">Reopened: {e(f.reopen_reason)}</p>')
            for c in f.claims:
                before, number, after = split_context(c)
                out.append(
                    f"<blockquote>{e(before)}<mark>{e(number)}</mark>{e(after)}</blockquote>"
                    f'<div class="src">{e(source_line(c))}</div>'
                )
            out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
