"""Re-try quarantined inputs after a fix: forget their raw_documents rows so the next run re-reads them.

A run skips every (doc_id, source_uri) that raw_documents already holds. Requeueing moves the
matching quarantined rows into `raw_document_history` (with when and by which filter) and deletes
them from raw_documents, in one transaction, so the next run discovers the items again. Their
`quarantine` rows and `runs` ledger stay as they are: the history of an input is never rewritten.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from warehouse import loader
from warehouse.lock import writer_lock

ALL = "*"

# The rows to requeue: quarantined items matching the filter, and items with the same bytes that
# were recorded as duplicates of them (their bytes were never loaded, so they must be re-read too).
_SELECTED = """
WITH picked AS (
    SELECT doc_id, source_uri FROM raw_documents
    WHERE status = 'quarantined' AND (? OR starts_with(coalesce(reason, ''), ?))
),
same_bytes AS (
    SELECT r.doc_id, r.source_uri FROM raw_documents r
    WHERE r.status = 'duplicate'
      AND r.doc_id IN (SELECT doc_id FROM picked)
      AND r.doc_id NOT IN (SELECT doc_id FROM raw_documents WHERE status = 'loaded')
)
SELECT * FROM picked UNION SELECT * FROM same_bytes
"""

_COLUMNS = "doc_id, source_uri, media_type, size_bytes, fetched_at, run_id, status, reason, article_count"


def requeue_quarantined(
    con: duckdb.DuckDBPyConnection, reason_prefix: str | None, now: pd.Timestamp
) -> pd.DataFrame:
    """Move matching raw_documents rows to raw_document_history in one transaction; returns them.

    `reason_prefix=None` selects every quarantined item. The prefix is matched literally (no LIKE
    wildcards), as a parameter.
    """
    everything = reason_prefix is None
    prefix = reason_prefix or ""
    label = ALL if everything else prefix
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _requeue AS {_SELECTED}",
            [everything, prefix],
        )
        con.execute(
            f"INSERT INTO raw_document_history ({_COLUMNS}, requeued_at, requeue_filter) "
            f"SELECT {_COLUMNS}, ?, ? FROM raw_documents "
            "WHERE (doc_id, source_uri) IN (SELECT (doc_id, source_uri) FROM _requeue)",
            [now.to_pydatetime(), label],
        )
        moved = con.execute(
            f"SELECT {_COLUMNS} FROM raw_documents "
            "WHERE (doc_id, source_uri) IN (SELECT (doc_id, source_uri) FROM _requeue) "
            "ORDER BY source_uri, doc_id"
        ).df()
        con.execute(
            "DELETE FROM raw_documents WHERE (doc_id, source_uri) IN (SELECT (doc_id, source_uri) FROM _requeue)"
        )
        con.execute("DROP TABLE _requeue")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return moved


def preview(con: duckdb.DuckDBPyConnection, reason_prefix: str | None) -> pd.DataFrame:
    """What `requeue_quarantined` would move, without changing anything."""
    everything = reason_prefix is None
    return con.execute(
        f"SELECT {_COLUMNS} FROM raw_documents WHERE (doc_id, source_uri) IN "
        f"(SELECT (doc_id, source_uri) FROM ({_SELECTED})) ORDER BY source_uri, doc_id",
        [everything, reason_prefix or ""],
    ).df()


def requeue(
    database: Path,
    reason_prefix: str | None,
    *,
    lock_path: Path,
    lock_timeout_seconds: float,
    dry_run: bool = False,
) -> pd.DataFrame:
    """Requeue under the writer lock (never while a run is loading); returns the rows requeued."""
    with writer_lock(lock_path, lock_timeout_seconds):
        con = loader.connect(database)
        try:
            if dry_run:
                return preview(con, reason_prefix)
            return requeue_quarantined(con, reason_prefix, pd.Timestamp.now(tz="UTC"))
        finally:
            con.close()
