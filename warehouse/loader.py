"""Load a run's Parquet files into DuckDB in one transaction, together with its ledger row."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from warehouse.schemas import PRIMARY_KEYS, TABLES

# Order matters only for readability of failures: parents before children.
LOAD_ORDER = [
    "raw_documents",
    "articles",
    "article_signatures",
    "sentences",
    "entities",
    "mentions",
    "timexes",
    "quotes",
    "stories",
    "discrepancies",
    "quarantine",
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


def connect(database: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if read_only:
        return duckdb.connect(str(database), read_only=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database))
    con.execute(sql_text("tables.sql"))
    for statement in view_sql():
        con.execute(statement)
    return con


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
            con.execute(
                f"INSERT OR REPLACE INTO {table} ({_quoted(columns)}) "
                f"SELECT {_quoted(columns)} FROM read_parquet(?)",
                [str(path)],
            )
            loaded[table] = con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0]
        _refresh_entity_counts(con)
        con.execute(
            f"INSERT OR REPLACE INTO runs ({_quoted(list(run_row))}) VALUES ({', '.join('?' for _ in run_row)})",
            list(run_row.values()),
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return loaded


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
