"""One real Prefect server for the operations tests that need one (started on first use)."""

from __future__ import annotations

import logging
import os
from contextlib import suppress

import pytest

from tests.ops.harness import prefect_server


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    """The API URL of a `prefect server` with its own PREFECT_HOME (stopped at the end, even on failure)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with prefect_server(tmp_path_factory.mktemp("prefect-home")) as api:
        yield api
        # Send the last run logs while the server is still up.
        for handler in logging.getLogger("prefect.flow_runs").handlers:
            with suppress(Exception):
                handler.flush()


@pytest.fixture()
def use_api(prefect_api):
    """Point this process's Prefect client at the test server."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: prefect_api}):
        yield prefect_api
