"""One writer at a time; readers wait (bounded) for a short load instead of failing at once."""

import subprocess
import sys
import textwrap
import time

import pytest

from newsflow import cli
from warehouse import loader
from warehouse.lock import WarehouseLocked, writer_lock


def _hold(database, read_only: bool, seconds: float) -> subprocess.Popen:
    """Another process holding the database file, as a loading run (or a long query) would."""
    script = textwrap.dedent(
        f"""
        import sys, time, duckdb
        con = duckdb.connect({str(database)!r}, read_only={read_only})
        con.execute("select count(*) from runs").fetchall()
        print("holding", flush=True)
        time.sleep({seconds})
        con.close()
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


@pytest.fixture()
def warehouse(tmp_path):
    database = tmp_path / "news.duckdb"
    loader.connect(database).close()
    return database


def test_second_writer_times_out_with_a_clear_message(tmp_path):
    lock = tmp_path / ".writer.lock"
    with writer_lock(lock, 1):
        started = time.monotonic()
        with (
            pytest.raises(WarehouseLocked, match="being written by pid"),
            writer_lock(lock, 0.6, poll_seconds=0.1),
        ):
            pass
        assert 0.5 < time.monotonic() - started < 5
    with writer_lock(lock, 0):  # released: free again at once
        pass


def test_query_waits_for_a_loading_run_then_answers(warehouse, capsys):
    holder = _hold(warehouse, read_only=False, seconds=2.0)
    try:
        code = cli.main(
            [
                "query",
                "select count(*) as n from runs",
                "--format",
                "csv",
                "--data-dir",
                str(warehouse.parent),
            ]
        )
    finally:
        holder.wait(30)
    assert code == 0
    assert capsys.readouterr().out.split() == ["n", "0"]


def test_query_gives_up_after_its_wait_with_a_clear_message(warehouse, capsys):
    holder = _hold(warehouse, read_only=False, seconds=4.0)
    try:
        code = cli.main(["query", "select 1", "--wait", "0.5", "--data-dir", str(warehouse.parent)])
    finally:
        holder.kill()
        holder.wait(30)
    assert code == 2
    err = capsys.readouterr().err
    assert "held by another process" in err and "--wait" in err


def test_loader_waits_for_readers_to_leave(warehouse):
    holder = _hold(warehouse, read_only=True, seconds=1.5)
    try:
        con = loader.connect(warehouse, timeout_seconds=30)
        con.execute("insert into runs (run_id) values ('r')")
        con.close()
    finally:
        holder.wait(30)
    with pytest.raises(loader.WarehouseBusy):
        holder = _hold(warehouse, read_only=True, seconds=3.0)
        try:
            loader.connect(warehouse, timeout_seconds=0.3)
        finally:
            holder.kill()
            holder.wait(30)
