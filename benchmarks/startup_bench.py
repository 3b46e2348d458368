"""Issue 10 start-up benchmark: `unionfacts --help`, `unionfacts sql "SELECT 1"`
and the tagger's dictionary load, each the median of --repeat runs beside
its target (0.3 s wall).

With --against OTHER (another install's `unionfacts`, e.g. main's
/work/main/.venv/bin/unionfacts) every case runs on both, the runs
interleaved A, B, A, B ...: on a shared machine the load drifts, so only
runs made together compare. The tagger load runs in the Python beside each
`unionfacts` script.

    python benchmarks/startup_bench.py
    python benchmarks/startup_bench.py --repeat 9 --against /work/main/.venv/bin/unionfacts

The database for `sql` is made once per install (`db upgrade`, untimed) in a
temporary folder, and so is the tagger's cache ($UNIONFACTS_CACHE, built by
one untimed run): other processes on the machine cannot remove it midway.
Compiled bytecode is written and read under the same folder
(PYTHONPYCACHEPREFIX, PYTHONDONTWRITEBYTECODE unset), so every install starts
as a user's second start does, from .pyc files, whatever the caller's
environment says, and no checkout gets a __pycache__ written into it.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 0.3
TAGGER = "tagger dictionary (python -c)"
TAGGER_CODE = (
    "import time; t = time.perf_counter(); from unionfacts.postag import dictionary; "
    "dictionary(); print(time.perf_counter() - t)"
)


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall seconds, child CPU seconds, standard output) of one run; a failed
    run stops the benchmark."""
    before = os.times()
    start = time.perf_counter()
    out = subprocess.run(
        cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    ).stdout
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, out


def cases(cli: str, db: Path) -> dict[str, list[str]]:
    python = str(Path(cli).parent / "python")
    return {
        "--help": [cli, "--help"],
        'sql "SELECT 1"': [cli, "sql", "SELECT 1", "--db", str(db)],
        TAGGER: [python, "-c", TAGGER_CODE],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs per case (median printed)")
    ap.add_argument(
        "--cli",
        default=str(Path(sys.executable).parent / "unionfacts"),
        help="the unionfacts script to time (default: beside this Python)",
    )
    ap.add_argument("--against", help="another unionfacts script, timed interleaved")
    args = ap.parse_args()
    clis = {"this": args.cli} | ({"against": args.against} if args.against else {})

    with tempfile.TemporaryDirectory(prefix="unionfacts-startup-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["UNIONFACTS_CACHE"] = str(Path(tmp) / "cache")
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        plans: dict[str, dict[str, list[str]]] = {}
        for label, cli in clis.items():
            db = Path(tmp) / f"{label}.db"
            subprocess.run(
                [cli, "db", "upgrade", "--db", str(db)], check=True, capture_output=True, env=env
            )
            plans[label] = cases(cli, db)
            # One untimed run of each case: the tagger cache is built if missing,
            # the files are in the page cache as a user's second start finds them.
            for cmd in plans[label].values():
                timed(cmd, env)
        runs: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
        for _ in range(args.repeat):
            for name in plans["this"]:
                for label in clis:
                    runs.setdefault((name, label), []).append(timed(plans[label][name], env))

    print(f"start-up, median of {args.repeat} (wall s, CPU s in brackets); target <= {TARGET_S} s")
    for label, cli in clis.items():
        print(f"  {label}: {cli}")
    for name in plans["this"]:
        for label in clis:
            rs = runs[(name, label)]
            wall = statistics.median(r[0] for r in rs)
            cpu = statistics.median(r[1] for r in rs)
            mark = "ok" if wall <= TARGET_S else "NOT MET"
            print(f"  {name:<30} {label:<8} {wall:6.3f} s ({cpu:.3f})   {mark}")
            if name == TAGGER:
                inside = statistics.median(float(r[2]) for r in rs)
                print(f"  {'  of which the load itself':<30} {label:<8} {inside:6.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
