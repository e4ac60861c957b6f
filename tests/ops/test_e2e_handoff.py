"""End to end: with `newsflow serve` up on the server it names, `newsflow run` is done by the served
deployment's warm process, started at once (not at the runner's next poll), with its own inbox and
data directory, and prints its summary as a run of its own would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import duckdb
import psutil
import pytest

from runtime.handoff import note_path
from tests.conftest import SAMPLE_INBOX
from tests.ops.harness import ROOT, clean_env, stop

pytestmark = pytest.mark.e2e


def _deployment_id(api: str, proc: subprocess.Popen, timeout: float = 240):
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL, temporary_settings

    deadline = time.monotonic() + timeout
    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                return client.read_deployment_by_name("ingest/scheduled").id
            except ObjectNotFound:
                time.sleep(0.5)
    raise AssertionError("the deployment was not registered")


def _flow_run(api: str, flow_run_id: str):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)
        states = {s.type.value: s.timestamp for s in client.read_flow_run_states(flow_run_id)}
    return run, states


def test_a_run_is_handed_to_the_served_deployment(prefect_api, tmp_path):
    idle, inbox, data = tmp_path / "idle", tmp_path / "inbox", tmp_path / "data"
    idle.mkdir()
    shutil.copytree(SAMPLE_INBOX, inbox)
    env = clean_env(PREFECT_API_URL=prefect_api, PYTHONPATH=str(ROOT))  # the runner's poll: 10 s
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsflow.cli", "serve", str(idle), "--interval", "86400",
             "--data-dir", str(tmp_path / "serve-data")],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            deployment_id = _deployment_id(prefect_api, proc)
            deadline = time.monotonic() + 60
            while not note_path(prefect_api).exists() and time.monotonic() < deadline:
                time.sleep(0.2)  # the process notes itself once the deployment is registered
            done = subprocess.run(
                [sys.executable, "-m", "newsflow.cli", "run", str(inbox), "--data-dir", str(data), "--json"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr[-3000:] + log_path.read_text(errors="replace")[-3000:]
            con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
            (flow_run_id,) = con.execute("select prefect_flow_run_id from runs").fetchone()
            articles = con.execute("select count(*) from articles").fetchone()[0]
            con.close()
            run, states = _flow_run(prefect_api, flow_run_id)  # before the runner stops
        finally:
            children = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
            stop(proc)
            for child in children:
                if child.is_running():
                    child.kill()
    assert "run by the served deployment" in done.stderr, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    assert summary["status"] == "completed" and summary["counts"]["loaded"] == 2
    assert not list(data.glob(".run-summary-*"))  # read and removed
    assert articles == 2
    assert run.deployment_id == deployment_id and run.state.is_completed()
    # Picked up on the command's signal, well before the runner's next poll.
    assert (states["PENDING"] - states["SCHEDULED"]).total_seconds() < 5
