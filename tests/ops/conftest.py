"""One real Prefect server for the operations tests that need one (started on first use).

Flows never run in the test process itself (see tests/ops/scenarios.py): Prefect's process-wide
services stay bound to the first API they use, which would break the other suites' test servers.
"""

from __future__ import annotations

import os

import pytest

from tests.ops.harness import prefect_server


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    """The API URL of a `prefect server` with its own PREFECT_HOME (stopped at the end, even on failure)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with prefect_server(tmp_path_factory.mktemp("prefect-home")) as api:
        yield api
