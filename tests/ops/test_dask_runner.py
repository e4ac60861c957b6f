"""Scale-out: the flow on a 2-worker Dask LocalCluster builds the same warehouse as the default runner."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from tests.conftest import SAMPLE_INBOX

pytestmark = pytest.mark.slow

COMPARED = {
    "articles": ["run_id"],
    "entities": [],
    "mentions": [],
    "timexes": [],
    "stories": [],
}


def _rows(database, table: str, ignore: list[str]) -> list[str]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        frame = con.execute(f"select * from {table}").df().drop(columns=ignore)
    finally:
        con.close()
    records = json.loads(frame.to_json(orient="records", date_format="iso"))
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def _enrich_task_runs(flow_run_id: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        TaskRunFilter,
        TaskRunFilterName,
    )

    with get_client(sync_client=True) as client:
        return client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
            task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="enrich-batch")),
        )


def test_dask_local_cluster_gives_the_same_warehouse(use_api, tmp_path, monkeypatch):
    from flows.ingest import ingest
    from flows.runners import dask_task_runner

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    # One article per batch: two enrich-batch tasks, one per worker.
    monkeypatch.setenv("NEWSFLOW_BATCH_SIZE", "1")

    threads = ingest(inbox=[str(inbox)], data_dir=str(tmp_path / "thread"))
    on_dask = ingest.with_options(task_runner=dask_task_runner(None, workers=2))
    state = on_dask(inbox=[str(inbox)], data_dir=str(tmp_path / "dask"), return_state=True)
    dask = state.result()
    assert threads["status"] == dask["status"] == "completed"

    for table, ignore in COMPARED.items():
        assert _rows(tmp_path / "thread" / "news.duckdb", table, ignore) == _rows(
            tmp_path / "dask" / "news.duckdb", table, ignore
        ), table
    # The two NLP batches ran one on each worker.
    from flows.runners import last_worker_load

    assert sorted(last_worker_load.values()) == [1, 1], last_worker_load
    # The workers reported to the same API as the flow (no private temporary servers).
    runs = _enrich_task_runs(state.state_details.flow_run_id)
    assert len(runs) == 2 and all(r.state.is_completed() for r in runs)
