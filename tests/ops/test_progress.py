"""The CLI progress bar follows a flow run from its log records and keeps INFO lines off the terminal."""

from __future__ import annotations

import io
import logging

import pytest
from rich.console import Console

from newsflow.progress import INGEST_STEPS, flow_progress
from tests.ops.harness import run_scenario


def _record(logger: str, message: str, **extra) -> logging.LogRecord:
    record = logging.LogRecord(logger, logging.INFO, __file__, 1, message, None, None)
    record.__dict__.update(extra)
    return record


def test_finished_steps_and_batches_are_counted():
    console = Console(file=io.StringIO(), width=120)
    with flow_progress(console=console) as tracker:
        tracker.handle(_record("prefect.flow_runs", "discovered 12 new items (0 unchanged skipped)"))
        for step in ("discover-inputs", "parse-documents", "enrich-batch", "enrich-batch"):
            tracker.handle(_record("prefect.task_runs", "Finished in state Completed()", task_name=step))
        tracker.handle(
            _record("prefect.task_runs", "Finished in state Failed('x')", task_run_name="write-lake-0")
        )
        assert tracker.done == {"discover-inputs": 1, "parse-documents": 1, "enrich-batch": 2}
        assert tracker.failed == ["write-lake"]
        task = tracker.progress.tasks[tracker.bar]
        assert task.total == len(INGEST_STEPS) and task.completed == 3
        assert "discovered 12 new items" in task.description and "2 NLP batches" in task.description


def test_run_loggers_are_restored_afterwards():
    logger = logging.getLogger("prefect.task_runs")
    before = logger.level, list(logger.handlers)
    with flow_progress(console=Console(file=io.StringIO())):
        assert logger.level == logging.INFO
    assert (logger.level, logger.handlers) == before


@pytest.mark.slow
def test_a_real_flow_drives_the_bar(prefect_api):
    result = run_scenario(prefect_api, "progress_probe")
    assert result == {"result": 2, "done": {"discover-inputs": 1, "parse-documents": 1}}
