"""The latency benchmark end to end, one run of each kind: every time, part and ratio is printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_latency_benchmark_prints_peer_standalone_served_and_ratios(shared_data):
    out = subprocess.run(
        [sys.executable, "benchmarks/latency.py", "--quick", "--base", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "NEWSFLOW_SHARED_DATA": str(shared_data), "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    for kind in ("peer", "standalone", "served"):
        row = next(line for line in lines if line.startswith(kind + " "))
        assert all(float(v) > 0 for v in row.split()[1:]), row  # 1 and 10 new articles
    for part in ("start-up", "enrich (NER + post-NER)", "link", "validate", "whole run"):
        row = next(line for line in lines if line.startswith(part))
        assert len(row.split()[-4:]) == 4, row  # standalone and served, 1 and 10 new
    for ratio in ("served / peer", "standalone / peer"):
        assert any(
            line.startswith(ratio) and line.split()[-1] in {"ok", "MISSED", "partly"} for line in lines
        )
