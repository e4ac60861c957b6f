"""Scale-out: the flow on a 2-worker Dask LocalCluster builds the same warehouse as the default runner."""

import pytest

from tests.ops.harness import run_scenario

pytestmark = pytest.mark.slow


def test_dask_local_cluster_gives_the_same_warehouse(prefect_api, tmp_path):
    result = run_scenario(prefect_api, "dask_vs_thread", str(tmp_path))
    assert result["status"] == ["completed", "completed"]
    # Same rows in articles, entities, mentions, timexes and stories (run ids and times aside).
    assert result["differing_tables"] == []
    assert result["rows"]["articles"] == 2 and result["rows"]["mentions"] > 20
    # One article per batch: the two NLP batches ran one on each worker...
    assert result["worker_load"] == [1, 1]
    # ...and the workers reported to the flow's API (no private temporary servers).
    assert result["enrich_task_runs"] == ["COMPLETED", "COMPLETED"]
