"""`newsflow serve` registers the scheduled `ingest` deployment and its runs happen on time."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import time

import duckdb
import psutil
import pytest

from tests.conftest import SAMPLE_INBOX
from tests.ops.harness import ROOT, clean_env, stop

pytestmark = pytest.mark.e2e

INTERVAL = 10


def _deployment_runs(api: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        try:
            deployment = client.read_deployment_by_name("ingest/scheduled")
        except ObjectNotFound:
            return None, []
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))
        )
    return deployment, runs


def test_served_deployment_runs_on_its_schedule(prefect_api, tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    shutil.copytree(SAMPLE_INBOX, inbox)
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsflow.cli", "serve", str(inbox), "--interval", str(INTERVAL),
             "--data-dir", str(data)],
            cwd=ROOT, env=clean_env(PREFECT_API_URL=prefect_api, PYTHONPATH=str(ROOT)),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            deployment, completed = _wait_for_completed_runs(prefect_api, proc, want=2, timeout=240)
        finally:
            # Flow runs are started in their own sessions: stop every descendant we started, then serve.
            try:
                children = psutil.Process(proc.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                children = []
            stop(proc)
            for child in children:
                if child.is_running():
                    child.kill()
    assert len(completed) >= 2, log_path.read_text(errors="replace")[-4000:]

    schedule = deployment.schedules[0].schedule
    assert schedule.interval == dt.timedelta(seconds=INTERVAL)
    assert deployment.parameters["inbox"] == [str(inbox.resolve())]
    assert {"newsflow", "warehouse-writer"} <= set(deployment.tags)
    # On time: each run was scheduled on the interval grid and started soon after its slot.
    first, second = sorted(completed, key=lambda r: r.expected_start_time)[:2]
    gap = (second.expected_start_time - first.expected_start_time).total_seconds()
    assert gap >= INTERVAL and gap % INTERVAL == pytest.approx(0, abs=0.5)
    for run in (first, second):
        assert run.start_time is not None
        assert (run.start_time - run.expected_start_time).total_seconds() < 60, run

    # Served runs log at INFO, so the UI shows what each step did.
    assert any("discovered" in line for line in _log_lines(prefect_api, first.id)), "no run logs in the API"

    # The second run found nothing new: the warehouse holds the sample once.
    con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
    assert con.execute("select count(*) from articles").fetchone()[0] == 2
    con.close()


def _log_lines(api: str, flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    return [log.message for log in logs]


def _wait_for_completed_runs(api: str, proc: subprocess.Popen, want: int, timeout: float):
    deadline = time.monotonic() + timeout
    deployment, completed = None, []
    while time.monotonic() < deadline and proc.poll() is None:
        deployment, runs = _deployment_runs(api)
        failed = [r for r in runs if r.state is not None and (r.state.is_failed() or r.state.is_crashed())]
        assert not failed, [f"{r.name}: {r.state.message}" for r in failed]
        completed = [r for r in runs if r.state is not None and r.state.is_completed()]
        if len(completed) >= want:
            break
        time.sleep(2)
    return deployment, completed
