"""Task-runner selection from settings."""

import pytest
from prefect.task_runners import ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from runtime.runners import _worker_env, task_runner_for
from runtime.settings import Settings
from tests.ops.harness import run_scenario


def test_default_is_the_local_thread_pool():
    assert isinstance(task_runner_for(Settings()), ThreadPoolTaskRunner)


def test_dask_on_a_local_cluster_uses_single_threaded_worker_processes():
    runner = task_runner_for(Settings(task_runner="dask", dask_workers=3))
    assert isinstance(runner, DaskTaskRunner) and runner.address is None
    assert runner.cluster_kwargs == {"n_workers": 3, "threads_per_worker": 1, "processes": True}
    # Prefect copies the runner per flow run: the copy must keep the API hand-over.
    assert type(runner.duplicate()) is type(runner)


def test_dask_on_a_scheduler_address():
    runner = task_runner_for(Settings(task_runner="dask", dask_address="tcp://dask-scheduler:8786"))
    assert runner.address == "tcp://dask-scheduler:8786"


def test_workers_are_given_the_api_url_of_the_flow(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:4999/api"}):
        assert _worker_env()["PREFECT_API_URL"] == "http://127.0.0.1:4999/api"


@pytest.mark.slow
def test_a_second_writer_waits_for_the_slot_then_gives_up_readably(prefect_api):
    result = run_scenario(prefect_api, "writer_slot_contention")
    assert result["second"].startswith("WarehouseLocked: another run holds the 'newsflow-warehouse-writer'")
    assert "gave up after 1" in result["second"]
    assert result["after_release"] == "acquired"
