import os

import pytest


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    """A temporary Prefect API for the in-process flow tests of this folder (started on first use)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def prefect_url(tmp_path_factory):
    """A local Prefect server shared by the `newsflow run` child processes of the session."""
    from tests.reliability import harness

    with harness.prefect_server(tmp_path_factory.mktemp("prefect-server")) as url:
        yield url


@pytest.fixture(scope="session")
def corpus(shared_data, tmp_path_factory):
    """≥ 200 short articles from ECB+ as page-text files (several outlets per event)."""
    from tests.reliability import harness

    return harness.build_corpus(shared_data, tmp_path_factory.mktemp("corpus") / "inbox")


@pytest.fixture(scope="session")
def clean_run(corpus, prefect_url, tmp_path_factory):
    """The warehouse of one undisturbed run over the corpus: what every other run must equal."""
    from tests.reliability import harness

    base = tmp_path_factory.mktemp("clean")
    env = harness.run_env(prefect_url, base / "prefect", NEWSFLOW_BATCH_SIZE=str(BATCH_SIZE))
    harness.run_to_completion([str(corpus), "--data-dir", str(base / "data")], env)
    return harness.snapshot(base / "data" / "news.duckdb")


BATCH_SIZE = 16
