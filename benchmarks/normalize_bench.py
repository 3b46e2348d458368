"""Micro-benchmark of the first stages: load + normalize + layout.

Builds a file of at least 5 MB (the seed reports repeated when ../shared is
there, else a fixture paragraph with the same kinds of artifacts), then times
load_file -> normalize -> Layout (lines, sentences, clauses, time
expressions) five times and prints the median
characters per second, plus the size of the offset map and the peak RSS.

    python benchmarks/normalize_bench.py [--mb 5] [--encoding utf-8|gb18030]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from unionfacts.layout import Layout
from unionfacts.load import load_file
from unionfacts.normalize import normalize
from unionfacts.rules import load_rules

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

# Written for this benchmark: a cut sentence, a Markdown heading, a Traditional
# line with pinyin readings and spaces before units, full-width digits.
FIXTURE = (
    "## 坚持职工需求导向，工会服务更加贴心\n\n"
    "常态化开展冬送温暖、夏送清凉等慰问活动。聚焦职工多元化需求，建\n\n"
    "设职工心灵驿站390家，挂牌母婴关爱室1095家，覆盖职工1600万人次。\n\n"
    "【新聞回放】\n全市新發展會員39.08 萬人，其中新就業(yè)形態勞動者5.61 萬人，"
    "累計舉辦了數(shù)千場各種活動，召開溝通會１．４萬余場。\n"
)


def build_corpus(target_bytes: int) -> str:
    """Seed text (or the fixture) repeated up to `target_bytes` of UTF-8."""
    if SEEDS.is_dir():
        unit = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    else:
        unit = FIXTURE
    reps = target_bytes // len(unit.encode("utf-8")) + 1
    return unit * reps


RULES = load_rules()


def run_once(path: Path) -> tuple[float, int, int, int]:
    """Seconds, characters, lines and map breakpoints of one pass."""
    t0 = time.perf_counter()
    doc = load_file(path)
    norm = normalize(doc.text, doc.body_start)
    layout = Layout(norm, RULES)
    elapsed = time.perf_counter() - t0
    return elapsed, len(doc.text), len(layout.lines), norm.breakpoints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    parser.add_argument("--encoding", default="utf-8", help="file encoding (default utf-8)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    text = build_corpus(int(args.mb * 1024 * 1024))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        path.write_bytes(text.encode(args.encoding))
        del text
        size = path.stat().st_size
        runs = [run_once(path) for _ in range(args.runs)]
    times = [r[0] for r in runs]
    _, chars, sentences, breakpoints = runs[0]
    median = statistics.median(times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    source = "seeds" if SEEDS.is_dir() else "fixture"
    print(f"corpus: {size / 1e6:.1f} MB {args.encoding} ({source}), {chars:,} chars")
    print(f"load+normalize+layout: median {median:.3f} s of {args.runs} runs")
    print(f"chars/second: {chars / median:,.0f}")
    print(f"lines: {sentences:,}; offset map: {breakpoints:,} breakpoints")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
