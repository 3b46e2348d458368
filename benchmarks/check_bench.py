"""Checker benchmark: time and peak memory of `run_checks` on generated claims.

    python benchmarks/check_bench.py                    # 10^4, 10^5, 10^6 in memory
    python benchmarks/check_bench.py --sizes 10000 --db # also the database path

Claims are generated as consistent series — per metric a city and two of its
districts, yearly flows 2019..2023, a five-year total, a half year, year-end
stocks growing by the flows, a 其中 part, and the same figures repeated by a
second document — so that nothing may be flagged except the contradictions
planted among them (one of each check about every 2,000 claims, and a near
key: two phrasings of one metric in two reports). The run verifies that
every planted contradiction is found by its check, and that no error or
warning touches the consistent series.

`--db` runs the check through SQLite as `unionfacts check` does: claims
streamed from the database block by block (memory bounded by the largest
block), findings stored; `--jobs N` spreads the blocks over N processes.
Figures are printed beside the targets of issues 8 and 10: wall seconds
and, since a shared machine disturbs it least, CPU seconds of the process
(with --jobs, the workers' CPU is not counted).

Each size runs in a fresh process, so peak RSS (resource.getrusage) is that
size's own; small sizes run several times and the median is printed.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

CITY, DISTRICTS = "北京市", ("顺义区", "海淀区")
YEARS = range(2019, 2024)


@dataclass
class Doc:
    name: str
    claims: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        value: int,
        metric: str,
        period: str,
        scope: str = CITY,
        kind: str = "flow",
        part_of: int | None = None,
        unit: str = "个",
    ) -> int:
        self.claims.append(
            dict(
                surface=f"{value}{unit}",
                value=value,
                metric=metric,
                period=period,
                scope=scope,
                kind=kind,
                part_of=part_of,
                unit=unit,
            )
        )
        return len(self.claims) - 1


@dataclass
class Corpus:
    docs: list[Doc] = field(default_factory=list)
    planted: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    n: int = 0

    def doc(self, name: str) -> Doc:
        d = Doc(name)
        self.docs.append(d)
        return d


def _series(c: Corpus, rng: random.Random, m: int) -> None:
    """One metric, consistent: a city and two districts, reported by two docs."""
    metric = f"指标{m}"
    yearly = {y: rng.randint(200, 20000) for y in YEARS}
    base = rng.randint(0, 5000)
    first, second = c.doc(f"r{m}-a.txt"), c.doc(f"r{m}-b.txt")
    for scope, share in ((CITY, 10), *((d, 3) for d in DISTRICTS)):
        flows = {y: v * share // 10 for y, v in yearly.items()}
        for doc in (first, second) if scope == CITY else (first,):
            total = doc.add(sum(flows.values()), metric, "2019..2023", scope)
            doc.add(
                sum(flows.values()) // 7, metric + "中的青年", "2019..2023", scope, part_of=total
            )
            for y, v in flows.items():
                doc.add(v, metric, str(y), scope)
            doc.add(flows[2021] // 2, metric, "2021-H1", scope)
            stock = base * share // 10
            for y, v in flows.items():
                stock += v
                doc.add(stock, metric, f"asof:{y}", scope, kind="stock")


def _plant(c: Corpus, _rng: random.Random, k: int) -> None:
    """One contradiction of each kind, each on its own metric."""
    d = c.doc(f"planted{k}.txt")
    m = f"植入{k}"
    a = d.add(5000, m + "甲", "2022")
    b = d.add(5600, m + "甲", "2022")
    c.planted.append(("same_fact_differs", [(d.name, a), (d.name, b)]))
    whole = d.add(1300, m + "乙", "2020")
    part = d.add(94896, m + "乙中", "2020", part_of=whole)
    c.planted.append(("part_exceeds_whole", [(d.name, part), (d.name, whole)]))
    whole = d.add(1000, m + "丙", "2020")
    p1, p2 = (
        d.add(600, m + "丙一", "2020", part_of=whole),
        d.add(500, m + "丙二", "2020", part_of=whole),
    )
    c.planted.append(("parts_exceed_total", [(d.name, whole), (d.name, p1), (d.name, p2)]))
    s1 = d.add(5000, m + "丁", "asof:2020", kind="stock")
    s2 = d.add(4000, m + "丁", "asof:2021", kind="stock")
    c.planted.append(("stock_decreases", [(d.name, s1), (d.name, s2)]))
    f1, f2 = d.add(3000, m + "戊", "2020"), d.add(3000, m + "戊", "2021")
    st = d.add(5000, m + "戊", "asof:2021", kind="stock")
    c.planted.append(("flows_exceed_stock", [(d.name, st), (d.name, f1), (d.name, f2)]))
    big, small = d.add(1000, m + "己", "2019..2023"), d.add(2000, m + "己", "2021")
    c.planted.append(("subperiod_exceeds_period", [(d.name, big), (d.name, small)]))
    # two phrasings of one measure in two reports: a near key, not an identical one
    other = c.doc(f"planted{k}-b.txt")
    a = d.add(5000, m + "庚职工书屋数", "2022")
    b = other.add(5600, m + "庚职工书屋个数", "2022")
    c.planted.append(("same_fact_differs", [(d.name, a), (other.name, b)]))
    scope = f"地区{k}"
    t = d.add(1000, "劳动模范和先进工作者", "2020", scope, unit="人")
    parts = [
        d.add(v, name, "2020", scope, unit="人")
        for v, name in ((100, "全国劳模"), (600, "市级劳模"), (500, "市级先进工作者"))
    ]
    c.planted.append(("sum_mismatch", [(d.name, t), *((d.name, p) for p in parts)]))


def generate(n: int, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    c = Corpus()
    m = 0
    while c.n < n:
        before = len(c.docs)
        (_plant if m % 40 == 39 else _series)(c, rng, m)
        c.n += sum(len(d.claims) for d in c.docs[before:])
        m += 1
    return c


def stored(c: Corpus) -> list[Any]:
    from unionfacts.models import StoredClaim

    out: list[StoredClaim] = []
    next_id = 1
    for d in c.docs:
        doc_hash = f"{hash(d.name) & (2**64 - 1):064x}"
        first = next_id
        pos = 0
        for seq, cl in enumerate(d.claims):
            surface = cl["surface"]
            out.append(
                StoredClaim(
                    id=next_id,
                    doc_name=d.name,
                    doc_title=None,
                    doc_date=date(2024, 1, 1),
                    doc_hash=doc_hash,
                    doc_scope=CITY,
                    seq=seq,
                    start=pos,
                    end=pos + len(surface),
                    surface=surface,
                    value=Decimal(cl["value"]),
                    unit=cl["unit"],
                    unit_class=cl["unit"],
                    approx="exact",
                    metric=cl["metric"],
                    metric_rule=None,
                    period=cl["period"],
                    scope=cl["scope"],
                    kind=cl["kind"],
                    modality="actual",
                    part_of_id=None if cl["part_of"] is None else first + cl["part_of"],
                    sentence=surface,
                    context=surface,
                    context_start=pos,
                )
            )
            next_id += 1
            pos += len(surface) + 1
    return out


def verify(c: Corpus, findings: list[Any]) -> tuple[int, int, int]:
    """(planted found, planted, errors/warnings on consistent series)."""
    hits: dict[str, list[set[tuple[str, int]]]] = {}
    false_alarms = 0
    for f in findings:
        refs = {(cl.doc_name, cl.seq) for cl in f.claims}
        hits.setdefault(f.check, []).append(refs)
        if f.severity != "info" and not all(r[0].startswith("planted") for r in refs):
            false_alarms += 1
    found = sum(1 for check, refs in c.planted if any(set(refs) <= h for h in hits.get(check, [])))
    return found, len(c.planted), false_alarms


def run_memory(n: int, jobs: int = 1) -> dict[str, Any]:
    from unionfacts.check import load_check_rules, run_checks

    corpus = generate(n)
    claims = stored(corpus)
    rules = load_check_rules()
    t0, c0 = time.perf_counter(), time.process_time()
    findings = run_checks(claims, rules, jobs=jobs)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    found, planted, false_alarms = verify(corpus, findings)
    return dict(
        claims=len(claims),
        seconds=elapsed,
        cpu_seconds=cpu,
        findings=len(findings),
        found=found,
        planted=planted,
        false_alarms=false_alarms,
    )


def run_db(n: int, jobs: int = 1) -> dict[str, Any]:
    from unionfacts.models import Claim, ExtractedDocument, LoadedDocument
    from unionfacts.store import open_database, save_document

    corpus = generate(n)
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_database(str(Path(tmp) / "bench.db"))
        for d in corpus.docs:
            text = "；".join(cl["surface"] for cl in d.claims)
            claims, pos = [], 0
            for seq, cl in enumerate(d.claims):
                s = cl["surface"]
                claims.append(
                    Claim(
                        seq=seq,
                        start=pos,
                        end=pos + len(s),
                        surface=s,
                        value=Decimal(cl["value"]),
                        unit=cl["unit"],
                        unit_class=cl["unit"],
                        approx="exact",
                        metric=cl["metric"],
                        metric_rule=None,
                        period=cl["period"],
                        scope=cl["scope"],
                        kind=cl["kind"],
                        modality="actual",
                        part_of=cl["part_of"],
                        sentence=s,
                        rule_id="bench",
                    )
                )
                pos += len(s) + 1
            loaded = LoadedDocument(
                path=Path(tmp) / d.name,
                name=d.name,
                text=text,
                encoding="utf-8",
                content_hash=f"{hash(d.name):x}",
                size_bytes=len(text.encode()),
                body_start=0,
            )
            from unionfacts.models import DocumentMeta

            save_document(engine, ExtractedDocument(loaded, DocumentMeta(), claims))
        engine.dispose()
        # the check in a process of its own, so its peak memory is its own; it
        # reads what was planted from a file rather than generating it again
        (Path(tmp) / "planted.json").write_text(json.dumps(corpus.planted), encoding="utf-8")
        cmd = [sys.executable, __file__, "--child-check", str(Path(tmp) / "bench.db")]
        cmd += ["--jobs", str(jobs), "--child", str(n)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["claims"] = corpus.n
    return result


def check_db(path: str, n: int, jobs: int) -> dict[str, Any]:
    """Stream, check and store the findings of a built database."""
    from unionfacts.findings import check_database, stream_checks
    from unionfacts.store import open_database

    corpus = Corpus()  # only what was planted, to verify against
    planted = json.loads((Path(path).parent / "planted.json").read_text(encoding="utf-8"))
    corpus.planted = [(check, [(d, i) for d, i in refs]) for check, refs in planted]
    engine = open_database(path)
    t0, c0 = time.perf_counter(), time.process_time()
    found = stream_checks(engine, jobs=jobs)  # streamed: read and check only
    t1, cpu = time.perf_counter(), time.process_time() - c0
    planted, total, false_alarms = verify(corpus, found)
    del found
    first = check_database(engine, jobs=jobs)  # and store the findings
    t2 = time.perf_counter()
    engine.dispose()
    return dict(
        seconds=t1 - t0,
        cpu_seconds=cpu,
        store_seconds=t2 - t1,
        findings=first.total,
        found=planted,
        planted=total,
        false_alarms=false_alarms,
        max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def child(n: int, db: bool, jobs: int) -> None:
    result = run_db(n, jobs) if db else run_memory(n, jobs)
    result.setdefault("max_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=0, help="runs per size (default 5/3/1)")
    ap.add_argument("--db", action="store_true", help="also time check streamed from SQLite")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for the checks")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child-db", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-check", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child_check:
        print(json.dumps(check_db(a.child_check, a.child, a.jobs)))
        return
    if a.child:
        child(a.child, a.child_db, a.jobs)
        return
    ok = True
    print(
        f"{'mode':6} {'claims':>9} {'median s':>9} {'cpu s':>7} {'claims/s':>10} {'peak MB':>8} "
        f"{'findings':>8}  planted found  false alarms  target (10^6 claims)"
    )
    for n in a.sizes:
        modes = [False] + ([True] if a.db else [])
        for db in modes:
            runs = a.runs or (5 if n <= 10_000 else 3 if n <= 100_000 else 1)
            if db:
                runs = 1
            results = []
            for _ in range(runs):
                cmd = [sys.executable, __file__, "--child", str(n), "--jobs", str(a.jobs)]
                cmd += ["--child-db"] if db else []
                out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
                results.append(json.loads(out.strip().splitlines()[-1]))
            secs = statistics.median(r["seconds"] for r in results)
            rss = max(r["max_rss_mb"] for r in results)
            r0 = results[0]
            target = "≤ 20 s, ≤ 1 GB streamed" if db else "≤ 30 s, ≤ 2 GB"
            extra = f"; storing findings {r0['store_seconds']:.1f} s" if db else ""
            print(
                f"{'db' if db else 'memory':6} {r0['claims']:>9} {secs:>9.2f} "
                f"{statistics.median(r['cpu_seconds'] for r in results):>7.2f} "
                f"{r0['claims'] / secs:>10.0f} {rss:>8.0f} {r0['findings']:>8}"
                f"  {r0['found']}/{r0['planted']}  {r0['false_alarms']:>12}  {target}{extra}",
                flush=True,
            )
            if r0["found"] != r0["planted"] or r0["false_alarms"]:
                ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
