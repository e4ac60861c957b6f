"""SIGKILL a real `newsflow run` at ten moments, re-run, and get exactly the clean run's warehouse."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.reliability import harness
from tests.reliability.conftest import BATCH_SIZE

# (step marker the flow logs, seconds after it, what the moment exercises). Markers are the flow's
# `step ...` log lines (and Prefect's task-finished lines); offsets land inside the longer steps.
KILL_POINTS = [
    ("step parse", 0.0, "parse"),
    ("step enrich", 0.0, "enrich: first batch started"),
    ("Task run 'enrich-batch", 2.0, "enrich: batches running"),
    ("step validate", 0.0, "validate: start"),
    ("validating mentions", 0.0, "validate: expectations running"),
    ("step write-lake", 0.0, "Parquet write: staging"),
    ("step write-lake", 0.08, "Parquet write: publishing"),
    ("step load", 0.0, "DuckDB load: opening"),
    ("step load", 0.2, "DuckDB load: transaction"),
    ("step committed", 0.0, "after commit"),
]


def _kill_and_recover(point, corpus, prefect_url, base) -> dict:
    marker, offset, label = point
    env = harness.run_env(prefect_url, base / "prefect", NEWSFLOW_BATCH_SIZE=str(BATCH_SIZE))
    args = [str(corpus), "--data-dir", str(base / "data")]
    child = harness.start_run(args, env)
    seen = child.wait_for(marker, timeout=240)
    if seen is not None and offset:
        time.sleep(offset)
    killed = child.proc.poll() is None
    child.kill()
    left = harness.lake_state(base / "data")
    harness.run_to_completion(args, env)
    return {
        "label": label,
        "killed": killed,
        "at": round(seen + offset, 2) if seen is not None else None,
        "left": left,
        "line": child.matched.split(" - ", 1)[-1][:60],
        "tables": harness.snapshot(base / "data" / "news.duckdb"),
    }


@pytest.mark.slow
@pytest.mark.timeout(1800)  # ten kills and re-runs; generous for a busy 2-core machine
def test_ten_kills_lose_nothing_and_double_nothing(corpus, prefect_url, clean_run, tmp_path):
    assert len(list(corpus.iterdir())) >= 200
    assert clean_run["articles"] and clean_run["mentions"]
    # Two scenarios at a time (2 cores): each has its own data directory, the same inbox.
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(
            pool.map(
                lambda ip: _kill_and_recover(ip[1], corpus, prefect_url, tmp_path / f"kill{ip[0]}"),
                enumerate(KILL_POINTS),
            )
        )
    survived = 0
    print(f"\n{'moment':36} {'killed at s':>11} {'staging':>7} {'published':>9} {'committed':>9}  result")
    for outcome in outcomes:
        same = outcome["tables"] == clean_run
        survived += outcome["killed"] and same
        left = outcome["left"]
        print(
            f"{outcome['label']:36} {outcome['at']!s:>11} {left['staging']:>7} {left['published']:>9} "
            f"{left['committed_runs']:>9}  {'identical' if same else 'DIFFERENT'}  [{outcome['line']}]"
        )
    print(f"kills survived: {survived} of {len(KILL_POINTS)}")
    for outcome in outcomes:
        for table, rows in clean_run.items():
            assert outcome["tables"][table] == rows, (outcome["label"], table)
    assert all(o["killed"] for o in outcomes), [o["label"] for o in outcomes if not o["killed"]]
    # The kills landed before, inside and after the publication of the run's files.
    states = {(o["left"]["published"] > 0, o["left"]["committed_runs"]) for o in outcomes}
    assert (False, 0) in states and (True, 0) in states
    assert survived == len(KILL_POINTS)
