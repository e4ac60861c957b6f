"""The throughput benchmark end to end on a small corpus: every measurement and ratio is printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_throughput_benchmark_prints_every_ratio(shared_data):
    out = subprocess.run(
        [
            sys.executable,
            "benchmarks/throughput.py",
            "--limit",
            "10",
            "--scales",
            "1,2",
            "--peer-once",
            "--no-served",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "NEWSFLOW_SHARED_DATA": str(shared_data)},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    for label in ("1x:", "2x:"):
        assert any(line.startswith(label) and "newsflow" in line and "floor" in line for line in lines)
    for part in ("start-up", "enrich (NER + post-NER)", "link", "validate", "enrich / floor"):
        row = next(line for line in lines if line.startswith(part))
        figures = [float(value) for value in row.split()[-2:]]  # one per scale, numbers (nan allowed)
        assert len(figures) == 2
    for ratio in (
        "newsflow / floor",
        "newsflow / peer",
        "re-run / first run",
        "peak RSS 2x / 1x",
        "time 2x / 1x",
    ):
        assert any(line.startswith(ratio) and ("ok" in line or "MISSED" in line) for line in lines), ratio
