"""A terminal progress bar for a flow run in this process, fed by Prefect's own run loggers.

The flow stays unaware of the terminal: the tracker listens to the `prefect.task_runs`
and `prefect.flow_runs` loggers ("Finished in state Completed()" per task run, the
flow's INFO lines for counts) and draws a rich progress bar. While it runs, those
loggers pass INFO on (so the UI gets the run's logs) but the terminal shows only
warnings and errors besides the bar.

    with flow_progress():
        summary = ingest(...)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

# The task names of the ingest flow, in the order they run.
INGEST_STEPS = (
    "discover-inputs",
    "parse-documents",
    "enrich-batch",
    "link-entities-stories",
    "validate-tables",
    "write-lake",
    "load-warehouse",
)
_RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs")
_FINISHED = re.compile(r"Finished in state (\w+)")


class ProgressTracker(logging.Handler):
    """Counts finished steps (and batches of repeated steps) from task-run log records."""

    def __init__(self, progress: Progress, steps: Sequence[str]) -> None:
        super().__init__(level=logging.INFO)
        self.progress = progress
        self.steps = list(steps)
        self.done: dict[str, int] = {}
        self.failed: list[str] = []
        self.status = "starting"
        self.bar = progress.add_task("ingest", total=len(self.steps))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._update(record)
        except Exception:  # a display problem must never break the run
            self.handleError(record)

    def _update(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name == "prefect.flow_runs":
            if record.levelno >= logging.INFO and not message.startswith(("Beginning", "Finished in state")):
                self.status = message.splitlines()[0][:90]
        else:
            step = getattr(record, "task_name", None) or _step_of(getattr(record, "task_run_name", ""))
            finished = _FINISHED.search(message)
            if step and finished:
                if finished.group(1) in {"Completed", "Cached"}:
                    self.done[step] = self.done.get(step, 0) + 1
                elif finished.group(1) in {"Failed", "Crashed"}:
                    self.failed.append(step)
        completed = sum(1 for s in self.steps if s in self.done)
        self.progress.update(self.bar, completed=completed, description=self.describe())

    def describe(self) -> str:
        batches = self.done.get("enrich-batch", 0)
        parts = [f"ingest: {self.status}"]
        if batches > 1:
            parts.append(f"{batches} NLP batches")
        if self.failed:
            parts.append(f"[red]failed: {', '.join(self.failed)}[/]")
        return " · ".join(parts)


@contextmanager
def flow_progress(
    console: Console | None = None, steps: Sequence[str] = INGEST_STEPS
) -> Iterator[ProgressTracker]:
    """Show a progress bar for the flow run(s) started inside the block."""
    console = console or Console(stderr=True)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tracker = ProgressTracker(progress, steps)
    quiet = _QuietConsole()
    loggers = [logging.getLogger(name) for name in _RUN_LOGGERS]
    levels = [logger.level for logger in loggers]
    consoles = _console_handlers()
    with progress:
        for logger in loggers:
            logger.setLevel(logging.INFO)
            logger.addHandler(tracker)
        for handler in consoles:
            handler.addFilter(quiet)
        try:
            yield tracker
            progress.update(tracker.bar, completed=len(steps) if not tracker.failed else None)
        finally:
            for handler in consoles:
                handler.removeFilter(quiet)
            for logger, level in zip(loggers, levels, strict=True):
                logger.removeHandler(tracker)
                logger.setLevel(level)


class _QuietConsole(logging.Filter):
    """Keeps the run loggers' INFO lines off the terminal while the bar shows progress."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not record.name.startswith(_RUN_LOGGERS)


def _console_handlers() -> list[logging.Handler]:
    from prefect.logging.handlers import APILogHandler

    seen: list[logging.Handler] = []
    for logger in (logging.getLogger(), logging.getLogger("prefect"), *map(logging.getLogger, _RUN_LOGGERS)):
        seen += [h for h in logger.handlers if isinstance(h, logging.StreamHandler) and h not in seen]
    return [h for h in seen if not isinstance(h, APILogHandler)]


def _step_of(task_run_name: str) -> str:
    # Task run names are "<task name>-<suffix>" unless a task sets its own.
    return task_run_name.rsplit("-", 1)[0] if task_run_name else ""
