"""Thousands of hostile items through `newsflow run` as scheduled runs, and a failure of the
environment reported in one line."""

import subprocess
import sys

import pytest

from benchmarks.fuzz import TARGETS, fuzz
from tests.reliability import harness


@pytest.mark.slow
def test_2000_hostile_items_in_runs_beside_good_articles(tmp_path):
    figures = fuzz(items=2000, runs=8, good=5, seed=22, work=tmp_path)
    print(figures)
    assert figures["items generated"] == 2000
    for name, target in TARGETS.items():
        assert figures[name] <= target, figures
    assert figures["raw_documents loaded"] > 500 and figures["raw_documents quarantined"] > 500


@pytest.mark.slow
def test_a_failure_of_the_environment_is_one_line_and_blames_no_input(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Kabul said on Friday that flights to Moscow would resume.\n", "utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "lake").write_text("not a folder")  # the lake cannot be written: nobody's item is at fault
    env = harness.run_env(None, tmp_path / "prefect", NEWSFLOW_DATA_DIR=str(data))
    done = subprocess.run(
        [sys.executable, "-m", "newsflow.cli", "run", str(inbox)],
        cwd=harness.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("newsflow: run failed, nothing was loaded: FileExistsError"), done.stderr[-2000:]
    assert "not an input's fault" in last
    assert not (data / "input_failures.json").exists()
