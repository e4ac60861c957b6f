"""The `ingest` flow: raw articles in, a validated DuckDB warehouse out.

The flow is the table of contents of the data path — discover → parse → enrich → link →
validate → settle → write lake → load → publish — one call per step; the steps are the tasks of
`flows/tasks.py`, the logic behind them in `transforms/`, `expectations/` and `warehouse/`.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows import artifacts
from flows.feeds import add_feeds
from flows.tasks import (
    discover_inputs,
    enrich_articles,
    link_articles,
    load_warehouse,
    parse_documents,
    validate_tables,
    write_lake,
)
from runtime import runners
from runtime.settings import Settings, load_settings
from transforms import accounting, tables
from warehouse import lake
from warehouse.input_failures import InputFailures
from warehouse.lock import WarehouseLocked, writer_lock
from warehouse.state import read_state


def _publish_after_completion(flow, flow_run, state) -> None:
    """The run's table artifacts and the report, once the run is Completed (see `_publish`)."""
    pending = _PENDING.pop(str(flow_run.id), None)
    if pending is None:  # nothing new was loaded
        return
    settings, run_id = pending
    artifacts.publish_tables(settings.database_path, run_id)
    try:  # the report reads the warehouse: not while another run writes it (that run rewrites it)
        with writer_lock(settings.lock_path, _REPORT_LOCK_WAIT_SECONDS):
            artifacts.publish_report(settings.database_path, settings.data_dir / "report" / "index.html")
    except WarehouseLocked:
        get_run_logger().info("report left to the run that now writes the warehouse")


_PENDING: dict[str, tuple[Settings, str]] = {}  # flow run id -> what `_publish_after_completion` publishes
_REPORT_LOCK_WAIT_SECONDS = 2.0


@flow(
    name="ingest",
    log_prints=False,
    task_runner=runners.task_runner_for(),
    on_completion=[_publish_after_completion],
)
def ingest(
    inbox: list[str] | None = None,
    feeds: list[str] | None = None,
    data_dir: str | None = None,
    summary_path: str | None = None,
) -> dict:
    """Ingest new raw articles from the inbox folders into the warehouse; with `summary_path`,
    also write the run's summary there as JSON (for a `newsflow run` handed to a served process)."""
    summary = _ingest(inbox, feeds, data_dir)
    if summary_path:
        Path(summary_path).write_text(json.dumps(summary, default=str), encoding="utf-8")
    return summary


def _ingest(inbox: list[str] | None, feeds: list[str] | None, data_dir: str | None) -> dict:
    settings = load_settings(inbox=inbox, feeds=feeds, data_dir=data_dir)
    now = pd.Timestamp.now(tz="UTC").floor("s")
    summary = RunSummary(f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}", "nothing-new")
    summary.database, summary.lake = str(settings.database_path), str(settings.lake_dir)
    # One writer at a time: the Prefect global limit across workers, the file lock on this data dir.
    with (
        runners.writer_slot(settings.lock_timeout_seconds),
        writer_lock(settings.lock_path, settings.lock_timeout_seconds),
    ):
        state = read_state(settings.database_path, with_articles=False)
        lake.discard_uncommitted(settings.lake_dir, state.committed_run_ids)
        raw, skipped = discover_inputs(settings, state, now)
        raw, skipped = add_feeds(raw, skipped, settings, state.seen_inputs, now)
        if raw.empty:
            return summary.publish({"discovered": 0, "unchanged_skipped": skipped})
        failures = InputFailures(settings.input_failures_path)
        raw = accounting.mark_poisoned(raw, failures.poisoned(settings.max_input_failures))
        # A failure from here on that no item isolation caught counts against this run's inputs.
        with failures.attempt(zip(raw["doc_id"], raw["source_uri"], strict=True), summary.run_id):
            state = read_state(settings.database_path, with_articles=True)
            intake, signatures = parse_documents(raw, skipped, settings, state, summary.run_id)
            originals = intake.originals
            enriched, failed = enrich_articles(originals, settings)
            linked, link_failed, stored = link_articles(
                originals[~originals["article_id"].isin(failed)], enriched, state, settings, now
            )
            failed |= link_failed  # articles a step raised for: quarantined with the step's reason
            frames = tables.run_tables(intake, enriched, linked, signatures, state.registry, failed, stored)
            report = validate_tables(frames, intake, failed, settings, now, linked.known_bodies)
            settled = tables.settle(report.passed, report.rejects, intake, failed, now, linked.revisions)
            files = write_lake(settled.tables, settings.lake_dir, summary.run_id, now)
            rows = load_warehouse(files, settings.database_path, summary.run_row(now, settled, report))
        _publish(settings, summary.run_id)
    return summary.completed(settled, rows, report)


def _publish(settings: Settings, run_id: str) -> None:
    """The run's table artifacts and the HTML report come after its Completed state (an
    `on_completion` hook, in the run's process, with its flow-run context): the data is committed
    by then, they never change the run's outcome, and rewriting the report (a few tenths of a
    second) no longer delays the state that says the run's data is in. A run called without
    Prefect's engine (`ingest.fn`) has no hooks: it publishes them here."""
    get_run_logger().info("step committed: run %s", run_id)
    flow_run_id = flow_run.get_id()
    if flow_run_id is None:
        artifacts.publish_tables(settings.database_path, run_id)
        artifacts.publish_report(settings.database_path, settings.data_dir / "report" / "index.html")
        return
    _PENDING[str(flow_run_id)] = (settings, run_id)


@dataclass
class RunSummary:
    """What a run did, as the CLI prints it and the dashboard shows it (an artifact)."""

    run_id: str
    status: str
    counts: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    quarantine_reasons: dict = field(default_factory=dict)
    validation: dict = field(default_factory=dict)
    database: str = ""
    lake: str = ""
    docs: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def publish(self, counts: dict) -> dict:
        self.counts = counts
        artifacts.publish_summary(self.to_dict())
        get_run_logger().info("run %s: %s", self.run_id, json.dumps(counts))
        return self.to_dict()

    def run_row(self, started: pd.Timestamp, settled: tables.Settled, report) -> dict:
        """The run's row of the `runs` ledger, loaded in the same transaction as its tables."""
        return {
            "run_id": self.run_id,
            "prefect_flow_run_id": str(flow_run.get_id() or ""),
            "started_at": started.to_pydatetime(),
            "finished_at": pd.Timestamp.now(tz="UTC").to_pydatetime(),
            "status": "completed",
            "counts": json.dumps(settled.counts),
            "validation": json.dumps({t: o.failed for t, o in report.outcomes.items()}),
        }

    def completed(self, settled: tables.Settled, rows: dict, report) -> dict:
        self.status, self.rows = "completed", rows
        self.quarantine_reasons = settled.quarantine_reasons
        self.validation = {t: {"rows": o.rows, "failed": o.failed} for t, o in report.outcomes.items()}
        self.docs = str(report.docs_index) if report.docs_index else None
        return self.publish(settled.counts)
