"""The `ingest` deployment: served on a cron schedule with the inbox and feeds of the settings.

`newsflow serve` calls `serve_ingest`; `prefect.yaml` describes the same deployment
for a process work pool (`prefect deploy --all` + `prefect worker start`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from runtime.settings import Settings

DEPLOYMENT_NAME = "scheduled"
ENTRYPOINT = "flows.ingest:ingest"


def deployment_parameters(settings: Settings) -> dict[str, Any]:
    """Flow parameters of the deployment: absolute paths, so the runner's working directory does not matter."""
    return {
        "inbox": [str(p.resolve()) for p in settings.inbox],
        "feeds": list(settings.feeds),
        "data_dir": str(settings.data_dir.resolve()),
    }


def _options(settings: Settings, interval_seconds: float | None) -> dict[str, Any]:
    """Schedule, parameters and description of the deployment, as `to_deployment` and `serve` take them."""
    from prefect.deployments.runner import EntrypointType

    from runtime import runners

    schedule: dict[str, Any] = (
        {"interval": dt.timedelta(seconds=interval_seconds)}
        if interval_seconds
        else {"cron": settings.schedule_cron}
    )
    return {
        **schedule,
        "parameters": deployment_parameters(settings),
        "tags": list(runners.FLOW_TAGS),
        "description": "Ingest new raw articles and feeds into the newsflow warehouse.",
        # Import by module path: works from any directory where the project is installed.
        "entrypoint_type": EntrypointType.MODULE_PATH,
    }


def build_deployment(
    settings: Settings, interval_seconds: float | None = None, name: str = DEPLOYMENT_NAME
):  # -> prefect.deployments.runner.RunnerDeployment
    """The runner deployment of `ingest`: cron from settings, or a fixed interval (for tests and demos)."""
    from flows.ingest import ingest

    # Runs of this deployment never overlap; the flow also holds the warehouse-writer limit.
    return ingest.to_deployment(name=name, concurrency_limit=1, **_options(settings, interval_seconds))


def serve_ingest(settings: Settings, interval_seconds: float | None = None, limit: int = 1) -> None:
    """Register the deployment and run its scheduled flow runs until interrupted (blocks).

    Served as a flow object (not by entrypoint), so the runner starts each run from the flow it
    holds — forked from a warm process that has imported everything and loaded the model
    (`runtime.warm_runs`) — instead of a fresh interpreter importing it all again."""
    from flows.ingest import ingest
    from runtime import runners
    from runtime.warm_runs import use_warm_processes

    runners.ensure_writer_limit()
    use_warm_processes(settings.spacy_model)
    ingest.serve(
        name=DEPLOYMENT_NAME,
        global_limit=1,  # runs of this deployment never overlap
        limit=limit,
        print_starting_message=True,
        **_options(settings, interval_seconds),
    )
