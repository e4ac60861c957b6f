"""Crash windows of one run: nothing half-written ever becomes visible, and the next run repairs."""

import json
import os
import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest

from transforms import accounting
from warehouse import lake, loader

NOW = pd.Timestamp("2026-01-02T03:04:05", tz="UTC")


def _documents(run_id, statuses):
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(statuses))],
            "source_uri": [f"file:///inbox/{i}.txt" for i in range(len(statuses))],
            "status": statuses,
            "run_id": run_id,
            "fetched_at": NOW,
        }
    )


def _articles(ids):
    return pd.DataFrame({"article_id": ids, "doc_id": ids, "body": ["text"] * len(ids)})


def _run_row(run_id, documents):
    counts = accounting.counts(documents, 0)
    return {
        "run_id": run_id,
        "started_at": NOW.to_pydatetime(),
        "status": "completed",
        "counts": json.dumps(counts),
    }


def _snapshot(con):
    return {
        t: con.execute(f"select * from {t} order by all").fetchall()
        for t in ("raw_documents", "articles", "runs")
    }


def test_load_checks_the_run_rows_against_its_counts(tmp_path):
    docs = _documents("r1", ["loaded", "quarantined", "duplicate"])
    files = lake.write_run(
        {"raw_documents": docs, "articles": _articles(["d0"])}, tmp_path / "lake", "r1", NOW.date()
    )
    con = loader.connect(tmp_path / "w.duckdb")
    loader.load_run(con, files, _run_row("r1", docs))
    assert con.execute("select count(*) from raw_documents").fetchone()[0] == 3

    # A run whose files hold fewer documents than it discovered must not commit.
    docs2 = _documents("r2", ["loaded", "loaded"]).assign(doc_id=["e0", "e1"])
    lying = _run_row("r2", pd.concat([docs2, docs2.assign(doc_id=["e2", "e3"])]))
    files2 = lake.write_run({"raw_documents": docs2}, tmp_path / "lake", "r2", NOW.date())
    before = _snapshot(con)
    with pytest.raises(RuntimeError, match="accounting"):
        loader.load_run(con, files2, lying)
    assert _snapshot(con) == before


def test_check_loaded_compares_statuses():
    counts = {"discovered": 3, "loaded": 1, "duplicate": 1, "quarantined": 1}
    accounting.check_loaded(counts, {"loaded": 1, "duplicate": 1, "quarantined": 1})
    with pytest.raises(RuntimeError):
        accounting.check_loaded(counts, {"loaded": 2, "quarantined": 1})
    with pytest.raises(RuntimeError):
        accounting.check_loaded(counts, {"loaded": 1, "duplicate": 1, "quarantined": 1, "other": 1})


def test_crash_while_publishing_files_is_discarded_and_redone(tmp_path, monkeypatch):
    lake_dir = tmp_path / "lake"
    frames = {"raw_documents": _documents("r1", ["loaded"]), "articles": _articles(["d0"])}
    real_replace = os.replace
    calls = []

    def crash_after_first(src, dst):
        calls.append(dst)
        if len(calls) > 1:
            raise KeyboardInterrupt  # the process dies between two renames
        real_replace(src, dst)

    monkeypatch.setattr(lake.os, "replace", crash_after_first)
    with pytest.raises(KeyboardInterrupt):
        lake.write_run(frames, lake_dir, "r1", NOW.date())
    monkeypatch.setattr(lake.os, "replace", real_replace)
    assert len(list(lake_dir.glob("*/ingest_date=*/r1.parquet"))) == 1  # half published
    removed = lake.discard_uncommitted(lake_dir, set())
    assert len(removed) == 2  # the published half and the staging folder
    assert not list(lake_dir.glob("*/ingest_date=*/*.parquet"))
    files = lake.write_run(frames, lake_dir, "r1", NOW.date())
    assert sorted(files) == ["articles", "raw_documents"]


def test_files_published_but_never_committed_are_discarded_committed_ones_kept(tmp_path):
    lake_dir = tmp_path / "lake"
    con = loader.connect(tmp_path / "w.duckdb")
    docs = _documents("r1", ["loaded"])
    loader.load_run(
        con, lake.write_run({"raw_documents": docs}, lake_dir, "r1", NOW.date()), _run_row("r1", docs)
    )
    lake.write_run(
        {"raw_documents": _documents("r2", ["loaded"])}, lake_dir, "r2", NOW.date()
    )  # crash before load
    committed = {r for (r,) in con.execute("select run_id from runs").fetchall()}
    lake.discard_uncommitted(lake_dir, committed)
    assert [p.stem for p in lake_dir.glob("*/ingest_date=*/*.parquet")] == ["r1"]


def test_process_killed_inside_the_load_transaction_leaves_nothing(tmp_path):
    database = tmp_path / "w.duckdb"
    con = loader.connect(database)
    docs = _documents("r1", ["loaded"])
    loader.load_run(
        con,
        lake.write_run({"raw_documents": docs}, tmp_path / "lake", "r1", NOW.date()),
        _run_row("r1", docs),
    )
    before = _snapshot(con)
    con.close()
    files = lake.write_run(
        {"raw_documents": _documents("r2", ["loaded", "loaded"]).assign(doc_id=["x", "y"])},
        tmp_path / "lake",
        "r2",
        NOW.date(),
    )
    script = textwrap.dedent(
        f"""
        import os, signal, duckdb
        con = duckdb.connect({str(database)!r})
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO raw_documents (doc_id, source_uri, status, run_id) "
                    "SELECT doc_id, source_uri, status, run_id FROM read_parquet(?)", [{str(files["raw_documents"])!r}])
        con.execute("INSERT INTO runs (run_id, status) VALUES ('r2', 'completed')")
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert result.returncode == -9
    con = duckdb.connect(str(database))
    assert _snapshot(con) == before
