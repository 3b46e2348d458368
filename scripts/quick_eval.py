"""Extract the seeds without a database and score them (a developer's loop).

python scripts/quick_eval.py [--show N]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from unionfacts.load import load_file
from unionfacts.numbers import decimal_text
from unionfacts.pipeline import extract_document
from unionfacts.rules import load_rules

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def main() -> None:
    rules = load_rules()
    rows = []
    for path in sorted((SHARED / "corpus" / "seeds").glob("*.txt")):
        ex = extract_document(load_file(path), rules)
        ids = {c.seq: f"{path.name[:3]}-{c.seq}" for c in ex.claims}
        for c in ex.claims:
            rows.append(
                {
                    "id": ids[c.seq],
                    "doc": path.name,
                    "start": c.start,
                    "end": c.end,
                    "value": float(decimal_text(c.value)),
                    "unit": c.unit,
                    "approx": c.approx,
                    "metric": c.metric,
                    "period": c.period,
                    "scope": c.scope,
                    "kind": c.kind,
                    "modality": c.modality,
                    "part_of": ids.get(c.part_of) if c.part_of is not None else None,
                }
            )
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--pred", f.name, *sys.argv[1:]],
        check=False,
    )


if __name__ == "__main__":
    main()
