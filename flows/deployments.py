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
    (`runtime.warm_runs`) — instead of a fresh interpreter importing it all again. What
    `ingest.serve` does, with the runner at hand: a `newsflow run` on this machine and server
    hands its run to this process and has the runner poll at once (`runtime.handoff`)."""
    import asyncio
    import contextlib

    from prefect.exceptions import TerminationSignal
    from prefect.runner import Runner
    from prefect.settings import PREFECT_API_URL

    from flows.ingest import ingest
    from runtime import handoff, runners
    from runtime.warm_runs import use_warm_processes

    runners.ensure_writer_limit()
    use_warm_processes(settings.spacy_model)
    runner = Runner(name=DEPLOYMENT_NAME, pause_on_shutdown=True, limit=limit)
    deployment_id = runner.add_flow(
        ingest,
        name=DEPLOYMENT_NAME,
        concurrency_limit=1,  # runs of this deployment never overlap
        **_options(settings, interval_seconds),
    )
    print(
        f"Your flow 'ingest' is being served and polling for scheduled runs!\n"
        f"To trigger a run for this flow: prefect deployment run 'ingest/{DEPLOYMENT_NAME}'",
        flush=True,
    )
    if api_url := PREFECT_API_URL.value():

        def poll_now() -> None:
            if runner.started and not runner.stopping:
                runner.execute_in_background(runner._get_and_submit_flow_runs)

        handoff.announce(api_url, str(deployment_id), settings, poll_now)
    with contextlib.suppress(KeyboardInterrupt, TerminationSignal):  # a stop, as `ingest.serve` takes it
        asyncio.run(runner.start())
