"""Load a run's Parquet files into DuckDB in one transaction, together with its ledger row."""

from __future__ import annotations

import json
import os
import time
from importlib import resources
from pathlib import Path

import duckdb
import psutil

from transforms.accounting import check_loaded
from warehouse.lake_current import COMPLETE_FOR, GONE_WITH_REDIRECT
from warehouse.schemas import PRIMARY_KEYS, TABLES

# DuckDB allows one process to hold a database file for writing, and no process can open it read-only
# meanwhile (nor for writing while readers hold it). Writers hold the file only for one short load
# transaction; both sides retry the open for a bounded time instead of failing on the first conflict.
DEFAULT_OPEN_TIMEOUT_SECONDS = 60.0

# Order matters only for readability of failures: parents before children.
LOAD_ORDER = [
    "raw_documents",
    "articles",
    "article_signatures",
    "sentences",
    "entities",
    "entity_redirects",
    "mentions",
    "timexes",
    "quotes",
    "story_redirects",
    "stories",
    "discrepancies",
    "quarantine",
    "text_repairs",
]


def sql_text(name: str) -> str:
    return resources.files("warehouse").joinpath("sql", name).read_text(encoding="utf-8")


def view_sql() -> list[str]:
    views = resources.files("warehouse").joinpath("sql", "views")
    return [
        p.read_text(encoding="utf-8")
        for p in sorted(views.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".sql")
    ]


class WarehouseBusy(RuntimeError):
    """The database file stayed held by another process for longer than we were willing to wait."""


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower()


def open_with_retry(
    database: Path,
    read_only: bool,
    timeout_seconds: float = DEFAULT_OPEN_TIMEOUT_SECONDS,
    poll_seconds: float = 0.2,
) -> duckdb.DuckDBPyConnection:
    """Open the database, retrying while another process holds a conflicting file lock."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            return duckdb.connect(str(database), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_conflict(exc):
                raise
            if time.monotonic() >= deadline:
                mode = "read" if read_only else "write"
                raise WarehouseBusy(
                    f"warehouse {database} is held by another process (a run loading or a query); "
                    f"could not open it to {mode} within {timeout_seconds:.0f}s"
                ) from exc
            time.sleep(poll_seconds)


def connect(
    database: Path, read_only: bool = False, timeout_seconds: float = DEFAULT_OPEN_TIMEOUT_SECONDS
) -> duckdb.DuckDBPyConnection:
    if read_only:
        return open_with_retry(database, True, timeout_seconds)
    database.parent.mkdir(parents=True, exist_ok=True)
    if not database.exists():
        _create(database)
    con = open_with_retry(database, False, timeout_seconds)
    _apply_schema(con)
    return con


def _apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql_text("tables.sql"))
    for statement in view_sql():
        con.execute(statement)


def _create(database: Path) -> None:
    """A new database file appears whole or not at all: built under a temporary name, then linked in
    place (a process killed while DuckDB writes a new file's first pages would leave a file no one
    can open). Linking never replaces a file another process created meanwhile."""
    for leftover in database.parent.glob(f".{database.name}.*.creating*"):
        pid = leftover.name.split(".")[-2] if leftover.suffix == ".creating" else leftover.name.split(".")[-3]
        if not (pid.isdigit() and psutil.pid_exists(int(pid))) or int(pid) == os.getpid():
            leftover.unlink(missing_ok=True)  # from a process that died while creating
    partial = database.with_name(f".{database.name}.{os.getpid()}.creating")
    con = duckdb.connect(str(partial))
    try:
        _apply_schema(con)
    finally:
        con.close()
    try:
        os.link(partial, database)
    except FileExistsError:
        pass  # another process created it first: use theirs
    finally:
        partial.unlink(missing_ok=True)


def _quoted(columns: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def load_run(con: duckdb.DuckDBPyConnection, files: dict[str, Path], run_row: dict) -> dict[str, int]:
    """Upsert every table file and insert the run row, all or nothing. Returns rows per table."""
    loaded: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for table in LOAD_ORDER:
            path = files.get(table)
            if path is None:
                continue
            columns = [f.name for f in TABLES[table]]
            _drop_replaced_children(con, table, files)
            _drop_gone(con, table, path)
            con.execute(
                f"INSERT OR REPLACE INTO {table} ({_quoted(columns)}) "
                f"SELECT {_quoted(columns)} FROM read_parquet(?)",
                [str(path)],
            )
            loaded[table] = con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0]
        _refresh_entity_counts(con)
        check_run_rows(con, run_row)
        con.execute(
            f"INSERT OR REPLACE INTO runs ({_quoted(list(run_row))}) VALUES ({', '.join('?' for _ in run_row)})",
            list(run_row.values()),
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return loaded


def _drop_replaced_children(con: duckdb.DuckDBPyConnection, table: str, files: dict[str, Path]) -> None:
    """A run's file of these tables holds every row of the parents it names: what earlier runs
    stored for those parents and the run no longer finds (a date resolved again, a story compared
    again) goes (see `warehouse.lake_current`)."""
    if table not in COMPLETE_FOR:
        return
    parent, key_column = COMPLETE_FOR[table]
    if files.get(parent) is None:
        return
    con.execute(
        f'DELETE FROM {table} WHERE "{key_column}" IN (SELECT "{key_column}" FROM read_parquet(?))',
        [str(files[parent])],
    )


def _drop_gone(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    """Rows keyed by an id the run redirected go: a story and its discrepancies, an entity, live on
    under the id they went into (see `warehouse.lake_current`)."""
    for gone_from, (redirects, column) in GONE_WITH_REDIRECT.items():
        if redirects == table:
            con.execute(
                f'DELETE FROM {gone_from} WHERE "{column}" IN (SELECT "{column}" FROM read_parquet(?))',
                [str(path)],
            )


def check_run_rows(con: duckdb.DuckDBPyConnection, run_row: dict) -> None:
    """Inside the load transaction: the run's raw_documents rows must match its counts, or nothing commits."""
    counts = json.loads(run_row.get("counts") or "{}")
    if "discovered" not in counts:
        return
    rows = con.execute(
        "SELECT status, count(*) FROM raw_documents WHERE run_id = ? GROUP BY status", [run_row["run_id"]]
    ).fetchall()
    check_loaded(counts, dict(rows))


def _refresh_entity_counts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        UPDATE entities AS e SET mention_count = c.mentions, article_count = c.articles
        FROM (
            SELECT entity_id, count(*) AS mentions, count(DISTINCT article_id) AS articles
            FROM mentions GROUP BY entity_id
        ) AS c
        WHERE e.entity_id = c.entity_id
          AND (e.mention_count IS DISTINCT FROM c.mentions OR e.article_count IS DISTINCT FROM c.articles)
        """
    )


def primary_key(table: str) -> tuple[str, ...]:
    return PRIMARY_KEYS[table]
