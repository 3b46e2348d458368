"""Run ../shared/eval/run_eval.sh exactly as CI's reviewers do and read its
JSON summary (shared by the seed and development-set evaluation tests)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN_EVAL = ROOT.parent / "shared" / "eval" / "run_eval.sh"


def run_eval(*args: str) -> dict[str, object]:
    """The scores of `run_eval.sh --json ARGS`; skips when unionfacts is not installed."""
    cli = Path(sys.executable).with_name("unionfacts")
    if not cli.exists():
        found = shutil.which("unionfacts")
        if found is None:
            pytest.skip("the unionfacts command is not installed")
        cli = Path(found)
    out = subprocess.run(
        ["bash", str(RUN_EVAL), "--json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "UNIONFACTS": str(cli)},
        timeout=900,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result
