"""Task-runner selection and the one-writer-at-a-time guard of the ingest flow.

`task_runner_for(settings)` picks Prefect's local thread pool or a Dask runner
(a scheduler address, or a LocalCluster of single-threaded worker processes:
spaCy holds the GIL, so one thread per process is what spreads the NLP batches).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from runtime.settings import Settings, load_settings

WRITER_LIMIT = "newsflow-warehouse-writer"
FLOW_TAGS = ["newsflow", "warehouse-writer"]
# Environment that Dask workers must share with the flow process (see _worker_env).
_PASSED_TO_WORKERS = ("PREFECT_HOME", "PREFECT_SERVER_ANALYTICS_ENABLED", "PREFECT_LOGGING_LEVEL")


def task_runner_for(settings: Settings | None = None) -> TaskRunner:
    """The task runner named by `settings.task_runner` ("thread" or "dask")."""
    settings = settings or load_settings()
    if settings.task_runner == "dask":
        return dask_task_runner(settings.dask_address, settings.dask_workers)
    return ThreadPoolTaskRunner()


def dask_task_runner(address: str | None, workers: int) -> TaskRunner:
    """A DaskTaskRunner on `address`, or on a LocalCluster of `workers` processes."""
    from prefect_dask import DaskTaskRunner

    class ApiAwareDaskTaskRunner(DaskTaskRunner):
        """Gives LocalCluster workers the flow's Prefect API URL when the cluster starts.

        Without it every worker process starts its own temporary Prefect server
        (15-25 s each) and the task runs land in the wrong database.
        """

        def __enter__(self) -> ApiAwareDaskTaskRunner:
            if not self.address and self._cluster is None:
                env = {**self.cluster_kwargs.get("env", {}), **_worker_env()}
                self.cluster_kwargs = {**self.cluster_kwargs, "env": env}
            return super().__enter__()

        def __exit__(self, *exc: object) -> None:
            if self._client is not None:
                _record_worker_load(self._client, self.logger)
            super().__exit__(*exc)

    if address:
        return ApiAwareDaskTaskRunner(address=address)
    return ApiAwareDaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True},
    )


# Tasks executed per Dask worker address, as seen when the last Dask runner closed (for logs and tests).
last_worker_load: dict[str, int] = {}


def _executed(dask_worker) -> int:
    return dask_worker.state.executed_count


def _record_worker_load(client, logger) -> None:
    """Log how the tasks spread over the workers: one busy worker means the batches are too big."""
    try:
        load = client.run(_executed)
    except Exception as exc:  # observability only: never fail a run over it
        logger.debug("could not read the Dask worker load: %s", exc)
        return
    last_worker_load.clear()
    last_worker_load.update(load)
    logger.info("Dask: %d tasks ran on %d workers %s", sum(load.values()), len(load), sorted(load.values()))


def current_api_url() -> str | None:
    """The API this process talks to: PREFECT_API_URL, or the temporary server it started."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if url:
        return url
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer._instances.get(None)  # the default temporary server, if running
    return server.api_url if server is not None and getattr(server, "running", False) else None


def _worker_env() -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASSED_TO_WORKERS if name in os.environ}
    url = current_api_url()
    if url:
        env["PREFECT_API_URL"] = url
    return env


@contextmanager
def writer_slot(timeout_seconds: float | None = None) -> Iterator[None]:
    """Hold the global concurrency slot that lets one run at a time write the warehouse.

    Complements the file lock: the file lock guards one machine's data directory,
    the Prefect limit is visible in the UI and queues runs from any worker.
    """
    from prefect.concurrency.sync import concurrency

    from runtime.settings import load_settings
    from warehouse.lock import WarehouseLocked

    if not os.environ.get("PREFECT_API_URL") or not load_settings().writer_slot:
        # A temporary per-process server (or a test harness) shares nothing with other runs:
        # the file lock alone keeps writers apart there.
        yield
        return
    ensure_writer_limit()
    with ExitStack() as stack:
        try:
            stack.enter_context(
                # The shortest lease the server accepts (auto-renewed): a killed run frees the slot within a minute.
                concurrency(
                    WRITER_LIMIT, occupy=1, timeout_seconds=timeout_seconds, strict=False, lease_duration=60
                )
            )
        except TimeoutError as exc:  # the file lock's failure, so the CLI reports it in one line
            raise WarehouseLocked(
                f"another run holds the '{WRITER_LIMIT}' concurrency slot; gave up after {timeout_seconds} s"
            ) from exc
        yield


def ensure_writer_limit(limit: int = 1) -> None:
    """Create the global concurrency limit of warehouse writers when it does not exist."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(WRITER_LIMIT)
            return
        except ObjectNotFound:
            pass
        with suppress(ObjectAlreadyExists):  # another run created it meanwhile
            client.create_global_concurrency_limit(
                GlobalConcurrencyLimitCreate(name=WRITER_LIMIT, limit=limit)
            )
