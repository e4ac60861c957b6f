"""Two `newsflow run` at once: one loads, the other waits for the lock (or gives up clearly);
`newsflow query` keeps answering throughout."""

import os
import signal
import threading
import time

import pytest

from newsflow import cli
from tests.reliability import harness
from tests.reliability.conftest import BATCH_SIZE


def _query_until(stop: threading.Event, data_dir, results: list) -> None:
    """Query the warehouse over and over while the runs go on, as an analyst would."""
    while not stop.is_set():
        if (data_dir / "news.duckdb").exists():
            results.append(
                cli.main(
                    ["query", "select count(*) from runs", "--format", "csv", "--data-dir", str(data_dir)]
                )
            )
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_two_runs_together_equal_one_run(corpus, prefect_url, clean_run, tmp_path, capsys):
    data = tmp_path / "data"
    env = harness.run_env(prefect_url, tmp_path / "prefect", NEWSFLOW_BATCH_SIZE=str(BATCH_SIZE))
    args = [str(corpus), "--data-dir", str(data), "--json"]
    stop, answers = threading.Event(), []
    poller = threading.Thread(target=_query_until, args=(stop, data, answers))
    poller.start()
    try:
        first, second = harness.start_run(args, env), harness.start_run(args, env)
        codes = [first.finish(420), second.finish(420)]
    finally:
        stop.set()
        poller.join(60)
    assert codes == [0, 0], first.output()[-3000:] + second.output()[-3000:]
    statuses = sorted('"status": "completed"' in c.output() for c in (first, second))
    assert statuses == [False, True]  # one loaded, the other found nothing new once it had the lock
    assert harness.snapshot(data / "news.duckdb") == clean_run
    assert answers and set(answers) == {0}, capsys.readouterr().err[-2000:]


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_second_run_gives_up_after_the_lock_timeout_with_a_clear_message(corpus, prefect_url, tmp_path):
    data = tmp_path / "data"
    env = harness.run_env(prefect_url, tmp_path / "prefect", NEWSFLOW_BATCH_SIZE=str(BATCH_SIZE))
    first = harness.start_run([str(corpus), "--data-dir", str(data)], env)
    try:
        assert first.wait_for("step parse", timeout=240) is not None  # the first run holds the lock
        os.kill(first.proc.pid, signal.SIGSTOP)  # and keeps it, however fast the rest of its run would be
        try:
            impatient = harness.start_run(
                [str(corpus), "--data-dir", str(data)], {**env, "NEWSFLOW_LOCK_TIMEOUT_SECONDS": "1"}
            )
            assert impatient.finish(240) == 2
        finally:
            os.kill(first.proc.pid, signal.SIGCONT)
        # Against a Prefect server the global writer slot answers first; without one, the file lock.
        out = impatient.output()
        assert (
            "being written by pid" in out or "holds the 'newsflow-warehouse-writer' concurrency slot" in out
        )
    finally:
        first.kill()
    assert harness.lake_state(data)["committed_runs"] <= 1  # only the first run may have committed
