"""The benchmark suite still runs: `bench/run.py --smoke` exits 0 and prints its results table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_smoke_run_prints_table(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--smoke", "--out", str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    out = proc.stdout
    assert "| benchmark | size | ours (median) |" in out
    for name in (
        "open document",
        "apply one code",
        "import",
        "CSV export",
        "alpha_U + F1",
        "Krippendorff's alpha (table)",
        "re-anchor spans",
    ):
        assert f"| {name} |" in out, f"no row for {name}"
    assert "FAILED" not in out
    results = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert results.startswith("# Benchmark results (smoke run)")
    assert "## What is measured" in results
