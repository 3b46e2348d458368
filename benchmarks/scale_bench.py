"""Issue 10 benchmark: speed on one core and on two, start-up, database size,
with the extraction quality printed beside the speed.

The corpora are whole, distinct files read where they lie at run time (never
copied into the project): the seed and development reports of ../shared
(seed-like and real) and the bundled sample reports (figure-dense). Every
case runs --repeat times, the cases interleaved (a shared machine drifts
between runs), and the median is printed beside its target. Ingest runs
into an empty database whose schema exists (`db upgrade`, untimed), so the
figures are a process's start-up plus the ingest. Chars per
CPU-second is the figure a busy machine disturbs least; wall figures are
printed too, and the two-job speed-up is a wall ratio by nature.

    python benchmarks/scale_bench.py              # everything, median of three
    python benchmarks/scale_bench.py --repeat 1   # a quick look
    python benchmarks/scale_bench.py --no-eval    # skip the F1 runs

Compare runs made together, never across days: the README quotes figures
with their date.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BIN = Path(sys.executable).parent
CLI = str(BIN / "unionfacts")

TARGETS = {
    "ingest_cpu": 1_000_000,  # chars per CPU-second, seed-like and real reports
    "ingest_cpu_dense": 500_000,  # figure-dense samples
    "jobs2_speedup": 1.8,
    "startup_s": 0.3,
    "tagger_s": 0.3,
    "db_per_byte": 2.0,
}


@dataclass(frozen=True)
class Corpus:
    name: str
    paths: list[Path]
    chars: int
    size_bytes: int
    files: int


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float


def corpus(name: str, folders: list[Path]) -> Corpus | None:
    sys.path.insert(0, str(ROOT / "src"))
    from unionfacts.load import load_file

    files = sorted(
        f for d in folders if d.is_dir() for f in d.rglob("*") if f.suffix in (".txt", ".md")
    )
    if not files:
        return None
    chars = sum(len(load_file(f).text) for f in files)
    size = sum(f.stat().st_size for f in files)
    return Corpus(name, [d for d in folders if d.is_dir()], chars, size, len(files))


def timed(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall, CPU (the child and the workers it reaped) and peak memory of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def ingest(c: Corpus, workdir: Path, jobs: int, extra: list[str]) -> tuple[Run, int]:
    db = workdir / f"{c.name}-{jobs}.db"
    for p in workdir.glob(f"{db.name}*"):
        p.unlink()
    # The schema is made first, untimed: creating a database runs every
    # migration (most of a second), which a team pays once, not per ingest.
    timed([CLI, "db", "upgrade", "--db", str(db)])
    run = timed([CLI, "ingest", *map(str, c.paths), "--db", str(db), "--jobs", str(jobs), *extra])
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return run, db.stat().st_size


def extraction_only(c: Corpus) -> float:
    """Chars per CPU-second of load + extraction in this process, warm."""
    sys.path.insert(0, str(ROOT / "src"))
    from unionfacts.load import load_file
    from unionfacts.pipeline import extract_document
    from unionfacts.rules import load_rules

    rules = load_rules([Path(p) for p in _rules_for(c)])
    files = sorted(f for d in c.paths for f in d.rglob("*") if f.suffix in (".txt", ".md"))
    docs = [load_file(f) for f in files]
    for d in docs[:1]:
        extract_document(d, rules)  # warm the caches as a second file would find them
    start = time.process_time()
    for d in docs:
        extract_document(d, rules)
    return c.chars / (time.process_time() - start)


def _rules_for(c: Corpus) -> list[str]:
    return [str(ROOT / "examples" / "rules")] if c.name == "samples" else []


def startup(db: Path) -> dict[str, Run]:
    code = (
        "import time; t = time.perf_counter(); from unionfacts.postag import dictionary; "
        "dictionary(); print(time.perf_counter() - t)"
    )
    return {
        "--help": timed([CLI, "--help"]),
        'sql "SELECT 1"': timed([CLI, "sql", "SELECT 1", "--db", str(db)]),
        "tagger dictionary": timed([sys.executable, "-c", code]),
    }


def f1(corpus_dir: Path, gold: Path | None) -> str:
    script = SHARED / "eval" / "run_eval.sh"
    if not script.is_file():
        return "n/a (no ../shared/eval)"
    cmd = ["bash", str(script), "--json", str(corpus_dir)] + ([str(gold)] if gold else [])
    out = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, "UNIONFACTS": CLI}, check=False
    )
    try:
        data = json.loads(out.stdout)
    except json.JSONDecodeError:
        return f"n/a ({(out.stderr or out.stdout).strip().splitlines()[-1:]})"
    attrs = " ".join(f"{k} {v:.3f}" for k, v in sorted(data.get("attributes", {}).items()))
    return f"F1 {data.get('f1', float('nan')):.3f} ({attrs})"


def line(what: str, value: str, target: str, ok: bool | None) -> None:
    mark = "" if ok is None else ("  ok" if ok else "  NOT MET")
    print(f"  {what:<44} {value:>22}   target {target}{mark}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-eval", action="store_true", help="skip the seed and dev F1")
    args = ap.parse_args(argv)

    real = corpus("real", [SHARED / "corpus" / "seeds", SHARED / "corpus" / "dev"])
    samples = corpus("samples", [ROOT / "examples" / "reports"])
    corpora = [c for c in (real, samples) if c is not None]
    print(
        f"scale benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} CPU(s), load {os.getloadavg()[0]:.1f}, median of {args.repeat}"
    )
    for c in corpora:
        print(
            f"  corpus {c.name}: {c.files} whole files, {c.chars:,} chars, {c.size_bytes:,} bytes"
        )

    workdir = Path(tempfile.mkdtemp(prefix="uf-scale-"))
    runs: dict[str, list[Run]] = {}
    sizes: dict[str, int] = {}
    extract_rates: dict[str, list[float]] = {}
    starts: dict[str, list[Run]] = {}
    try:
        for _ in range(args.repeat):  # interleaved: every case once per round
            for c in corpora:
                extra = ["--rules", str(ROOT / "examples" / "rules")] if c.name == "samples" else []
                for jobs in (1, 2):
                    run, size = ingest(c, workdir, jobs, extra)
                    runs.setdefault(f"{c.name}-{jobs}", []).append(run)
                    sizes[c.name] = size
                extract_rates.setdefault(c.name, []).append(extraction_only(c))
            db = workdir / f"{corpora[0].name}-1.db"
            for name, run in startup(db).items():
                starts.setdefault(name, []).append(run)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def med(xs: list[float]) -> float:
        return statistics.median(xs)

    for c in corpora:
        one, two = runs[f"{c.name}-1"], runs[f"{c.name}-2"]
        cpu_rate = med([c.chars / r.cpu for r in one])
        wall_rate = med([c.chars / r.wall for r in one])
        target = TARGETS["ingest_cpu_dense" if c.name == "samples" else "ingest_cpu"]
        print(f"\n{c.name}:")
        line(
            "CLI ingest into SQLite, chars/CPU-s",
            f"{cpu_rate:,.0f}",
            f"{target:,}",
            cpu_rate >= target,
        )
        line("  the same, chars/s wall", f"{wall_rate:,.0f}", "-", None)
        line("  peak memory", f"{med([r.peak_mb for r in one]):.0f} MB", "-", None)
        speedup = med([a.wall / b.wall for a, b in zip(one, two, strict=True)])
        line(
            "--jobs 2 against one job, wall",
            f"{speedup:.2f}x",
            f"{TARGETS['jobs2_speedup']}x",
            speedup >= TARGETS["jobs2_speedup"],
        )
        line("  --jobs 2, chars/s wall", f"{med([c.chars / r.wall for r in two]):,.0f}", "-", None)
        line(
            "extraction alone (no database), chars/CPU-s",
            f"{med(extract_rates[c.name]):,.0f}",
            "-",
            None,
        )
        per_byte = sizes[c.name] / c.size_bytes
        line(
            "database size per input byte",
            f"{per_byte:.2f}",
            f"<= {TARGETS['db_per_byte']}",
            per_byte <= TARGETS["db_per_byte"],
        )
        line("database size per input char", f"{sizes[c.name] / c.chars:.2f} bytes", "-", None)

    print("\nstart-up (wall; CPU in brackets):")
    for name, rs in starts.items():
        target = TARGETS["tagger_s" if name.startswith("tagger") else "startup_s"]
        wall = med([r.wall for r in rs])
        line(
            name,
            f"{wall:.2f} s ({med([r.cpu for r in rs]):.2f} CPU-s)",
            f"<= {target} s",
            wall <= target,
        )

    if not args.no_eval:
        print("\nextraction quality (same code as the figures above):")
        for name, gold, before in (
            ("seeds", None, "1.000"),
            ("dev", SHARED / "gold" / "dev", "0.789"),
        ):
            print(f"  {name}: {f1(SHARED / 'corpus' / name, gold)}; before issue 10: F1 {before}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
