"""Flow scenarios that the slow tests run in a child process against the test server.

Prefect keeps process-wide services (concurrency leases, events) bound to the first API
they talk to, so a process must not switch servers: each scenario runs in its own
interpreter (`harness.run_scenario`) with PREFECT_API_URL set, and returns plain JSON.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_INBOX = ROOT / "samples" / "inbox"
COMPARED = {"articles": ["run_id"], "entities": [], "mentions": [], "timexes": [], "stories": []}


def dask_vs_thread(tmp: str) -> dict:
    """The sample through the default runner and a 2-worker LocalCluster, one article per batch."""
    from flows.ingest import ingest
    from runtime.runners import dask_task_runner, last_worker_load

    os.environ["NEWSFLOW_BATCH_SIZE"] = "1"
    inbox = Path(tmp) / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    threads = ingest(inbox=[str(inbox)], data_dir=f"{tmp}/thread")
    on_dask = ingest.with_options(task_runner=dask_task_runner(None, workers=2))
    state = on_dask(inbox=[str(inbox)], data_dir=f"{tmp}/dask", return_state=True)
    dask = state.result()
    differing = [
        table
        for table, ignore in COMPARED.items()
        if _rows(f"{tmp}/thread/news.duckdb", table, ignore)
        != _rows(f"{tmp}/dask/news.duckdb", table, ignore)
    ]
    runs = _task_runs(state.state_details.flow_run_id, "enrich-batch")
    return {
        "status": [threads["status"], dask["status"]],
        "differing_tables": differing,
        "rows": {t: len(_rows(f"{tmp}/dask/news.duckdb", t, i)) for t, i in COMPARED.items()},
        "worker_load": sorted(last_worker_load.values()),
        "enrich_task_runs": [r.state.type.value for r in runs],
    }


def feeds_retry() -> dict:
    """A flaky feed (fails twice), a dead one, and a repeated URL, with no delay between tries."""
    from prefect import flow

    from flows import feeds

    calls: Counter[str] = Counter()

    def fetch(url: str) -> bytes:
        calls[url] += 1
        if url.endswith("/dead") or calls[url] < 3:
            raise ConnectionError(f"refused: {url}")
        return b"<rss version='2.0'><channel><title>t</title></channel></rss>"

    feeds.fetch_feed = feeds.fetch_feed.with_options(retry_delay_seconds=0)

    @flow(name="poll-feeds")
    def poll():
        urls = ["https://feeds.test/flaky", "https://feeds.test/dead", "https://feeds.test/flaky"]
        return feeds.fetch_feeds(urls, fetch)

    frame = poll()
    return {
        "urls": frame["source_uri"].tolist(),
        "content": [None if c is None else c.decode() for c in frame["content"]],
        "errors": [None if not isinstance(e, str) else e for e in frame["error"]],
        "calls": dict(calls),
        "fetched_at_dtype": str(frame["fetched_at"].dtype),
    }


def progress_probe() -> dict:
    """A two-task flow under the progress bar."""
    import io

    from prefect import flow, task
    from rich.console import Console

    from newsflow.progress import flow_progress

    @task(name="discover-inputs")
    def first() -> int:
        return 1

    @task(name="parse-documents")
    def second(x: int) -> int:
        return x + 1

    @flow(name="progress-probe")
    def probe() -> int:
        return second(first())

    with flow_progress(console=Console(file=io.StringIO())) as tracker:
        result = probe()
    return {"result": result, "done": tracker.done}


def writer_slot_contention() -> dict:
    """A second writer while the slot is held, then again after it is released."""
    from runtime.runners import writer_slot
    from warehouse.lock import WarehouseLocked

    outcome: dict[str, str] = {}
    with writer_slot(5):
        try:
            with writer_slot(1):
                outcome["second"] = "acquired"
        except WarehouseLocked as exc:
            outcome["second"] = f"WarehouseLocked: {exc}"
    with writer_slot(5):
        outcome["after_release"] = "acquired"
    return outcome


def _rows(database: str, table: str, ignore: list[str]) -> list[str]:
    import duckdb

    con = duckdb.connect(database, read_only=True)
    try:
        frame = con.execute(f"select * from {table}").df().drop(columns=ignore)
    finally:
        con.close()
    records = json.loads(frame.to_json(orient="records", date_format="iso"))
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def _task_runs(flow_run_id, name: str) -> list:
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
            task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_=name)),
        )
