"""End to end: `newsflow run` against a real Prefect server; the run, its artifacts and the report show."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.artifacts import ARTIFACT_KEYS, REPORT_KEY, SUMMARY_KEY
from tests.conftest import SAMPLE_INBOX
from tests.ops.harness import ROOT, clean_env, find_chromium, page_text

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ingested(prefect_api, tmp_path_factory):
    """The sample ingested once by the CLI in a subprocess, reporting to the test server."""
    tmp = tmp_path_factory.mktemp("e2e")
    inbox, data = tmp / "inbox", tmp / "data"
    shutil.copytree(SAMPLE_INBOX, inbox)
    env = clean_env(PREFECT_API_URL=prefect_api, PYTHONPATH=str(ROOT), NEWSFLOW_DATA_DIR=str(data))
    done = subprocess.run(
        [sys.executable, "-m", "newsflow.cli", "run", str(inbox), "--data-dir", str(data), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
    (flow_run_id,) = con.execute("select prefect_flow_run_id from runs").fetchone()
    con.close()
    return {"summary": summary, "flow_run_id": flow_run_id, "data": data, "api": prefect_api}


def _client_view(api: str, flow_run_id: str) -> tuple:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
        )
        limits = {limit.name: limit.limit for limit in client.read_global_concurrency_limits()}
    return run, {a.key: a for a in artifacts}, limits


def test_the_run_completed_on_the_server_with_its_artifacts(ingested):
    run, artifacts, limits = _client_view(ingested["api"], ingested["flow_run_id"])
    assert run.state.is_completed(), run.state
    assert set(ARTIFACT_KEYS) <= set(artifacts)
    assert f"newsflow run `{ingested['summary']['run_id']}` — completed" in artifacts[SUMMARY_KEY].data
    report = Path(ingested["data"] / "report" / "index.html").resolve()
    assert report.is_file() and report.as_uri() in artifacts[REPORT_KEY].data
    assert limits.get("newsflow-warehouse-writer") == 1


def test_the_dashboard_renders_the_run_and_its_artifacts(ingested, tmp_path):
    browser = find_chromium()
    if browser is None:
        pytest.skip("chromium not found and could not be installed (scripts/install-test-deps.sh)")
    run, artifacts, _ = _client_view(ingested["api"], ingested["flow_run_id"])
    ui = ingested["api"].removesuffix("/api")

    run_page = page_text(browser, f"{ui}/runs/flow-run/{run.id}", screenshot=tmp_path / "run.png")
    assert run.name in run_page and "Completed" in run_page and "ingest" in run_page, run_page[:2000]

    listing = page_text(browser, f"{ui}/artifacts")
    missing = [key for key in ARTIFACT_KEYS if key not in listing]
    assert not missing, listing[:2000]

    summary_page = page_text(browser, f"{ui}/artifacts/artifact/{artifacts[SUMMARY_KEY].id}")
    assert f"newsflow run {ingested['summary']['run_id']}" in summary_page, summary_page[:2000]
    assert "Validation" in summary_page and "Rows loaded" in summary_page


def test_the_report_renders_its_charts_offline(ingested):
    browser = find_chromium()
    if browser is None:
        pytest.skip("chromium not found and could not be installed (scripts/install-test-deps.sh)")
    pytest.importorskip("vl_convert")
    page = Path(ingested["data"] / "report" / "index.html").resolve()
    dom_text = page_text(browser, page.as_uri(), budget_ms=5000)
    assert "Entity mentions over time" in dom_text
    # vega-embed drew the charts: the legend title exists only in the rendered SVG.
    assert "story covered by" in dom_text, dom_text[:2000]
