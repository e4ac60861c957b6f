"""`newsflow requeue`: quarantined inputs are re-read by the next run; their history stays."""

import shutil

import duckdb
import pandas as pd
import pytest

from newsflow import cli
from newsflow.requeue import requeue_quarantined
from tests.conftest import SAMPLE_INBOX
from warehouse import loader

NOW = pd.Timestamp("2026-03-04T05:06:07", tz="UTC")

ROWS = [
    # doc_id, source_uri, status, reason
    ("big", "file:///in/big.txt", "quarantined", "too_large: 900 bytes > limit 100"),
    ("big", "file:///in/big-copy.txt", "duplicate", "same bytes as file:///in/big.txt"),
    ("bin", "file:///in/x.bin", "quarantined", "binary: NUL bytes"),
    ("pct", "file:///in/p.txt", "quarantined", "too%odd"),
    ("ok", "file:///in/ok.txt", "loaded", None),
    ("ok", "file:///in/ok-copy.txt", "duplicate", "same bytes as file:///in/ok.txt"),
]


@pytest.fixture()
def con(tmp_path):
    con = loader.connect(tmp_path / "news.duckdb")
    for doc, uri, status, reason in ROWS:
        con.execute(
            "insert into raw_documents (doc_id, source_uri, status, reason, run_id) values (?, ?, ?, ?, 'r1')",
            [doc, uri, status, reason],
        )
    yield con
    con.close()


def _uris(con, table):
    return sorted(u for (u,) in con.execute(f"select source_uri from {table}").fetchall())


def test_requeue_by_reason_prefix_moves_rows_to_history(con):
    moved = requeue_quarantined(con, "too_large", NOW)
    assert sorted(moved["source_uri"]) == ["file:///in/big-copy.txt", "file:///in/big.txt"]
    assert "file:///in/big.txt" not in _uris(con, "raw_documents")
    assert _uris(con, "raw_document_history") == ["file:///in/big-copy.txt", "file:///in/big.txt"]
    history = con.execute(
        "select status, reason, run_id, requeue_filter from raw_document_history order by all"
    ).fetchall()
    assert ("quarantined", "too_large: 900 bytes > limit 100", "r1", "too_large") in history
    # Loaded items and their same-bytes duplicates are never requeued.
    assert {"file:///in/ok.txt", "file:///in/ok-copy.txt"} <= set(_uris(con, "raw_documents"))


def test_prefix_is_literal_not_a_pattern(con):
    assert requeue_quarantined(con, "%", NOW).empty
    assert requeue_quarantined(con, "too_", NOW)["source_uri"].tolist() == [
        "file:///in/big-copy.txt",
        "file:///in/big.txt",
    ]
    assert requeue_quarantined(con, "too%", NOW)["source_uri"].tolist() == ["file:///in/p.txt"]


def test_requeue_all_takes_every_quarantined_item(con):
    moved = requeue_quarantined(con, None, NOW)
    assert len(moved) == 4
    assert _uris(con, "raw_documents") == ["file:///in/ok-copy.txt", "file:///in/ok.txt"]


def test_cli_requires_a_filter_and_reports(tmp_path, con, capsys):
    with pytest.raises(SystemExit):
        cli.main(["requeue", "--data-dir", str(tmp_path)])
    con.close()
    assert cli.main(["requeue", "--reason", "binary", "--dry-run", "--data-dir", str(tmp_path)]) == 0
    assert "would requeue 1 item" in capsys.readouterr().out
    assert cli.main(["requeue", "--reason", "binary", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "requeued 1 item" in out and "x.bin" in out


def test_quarantined_item_is_loaded_after_a_fix_and_requeue(prefect_api, tmp_path, monkeypatch):
    from flows.ingest import ingest

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / "long.txt").write_text(
        "Officials in Kabul said on Monday that the talks would resume. " * 300, encoding="utf-8"
    )
    data = tmp_path / "data"
    monkeypatch.setenv("NEWSFLOW_MAX_FILE_BYTES", "15000")
    first = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert first["counts"]["quarantined"] == 1
    monkeypatch.setenv("NEWSFLOW_MAX_FILE_BYTES", str(50 * 2**20))  # the fix: a larger limit
    assert ingest(inbox=[str(inbox)], data_dir=str(data))["status"] == "nothing-new"
    assert cli.main(["requeue", "--reason", "too_large", "--data-dir", str(data)]) == 0
    third = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert third["counts"] == {**third["counts"], "discovered": 1, "loaded": 1, "unchanged_skipped": 2}
    con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
    rows = con.execute("select status from raw_documents where source_uri like '%long.txt'").fetchall()
    assert rows == [("loaded",)]
    assert con.execute("select count(*) from raw_document_history").fetchone()[0] == 1
    # The old quarantine record and both runs stay in the ledger.
    assert con.execute("select count(*) from quarantine where reason like 'too_large%'").fetchone()[0] == 1
    assert con.execute("select count(*) from runs").fetchone()[0] == 2
    assert con.execute("select count(*) from articles").fetchone()[0] == 3
