"""The current rows of a lake table, as DuckDB holds them, read from the Parquet files alone.

The lake only grows: a run writes `<table>/ingest_date=<day>/<run_id>.parquet` and never rewrites
an older file. A later run that revises something writes its rows again, so a reader takes:

- `timexes` of an article: the rows of the run that last wrote the article's `articles` row;
  `discrepancies` of a story: those of the run that last wrote the story's `stories` row (such a
  run writes all of them, so older ones are superseded even where no new row replaces them);
- every other table: per primary key, the row of the latest run that wrote it (run ids sort in
  time order). Most keys are written once; `articles`, `stories` and `entities` rows are written
  again when a run revises them;
- `stories` and `discrepancies` of a story id found in `story_redirects`, and `entities` of an
  entity id found in `entity_redirects`, are gone: a later run merged that story or entity into
  another (ids that go away are never handed out again).

`current_rows(con, table, lake_dir)` applies that rule with DuckDB; docs/operations.md shows the
same queries for other engines.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from warehouse.schemas import PRIMARY_KEYS

# Child tables whose rows for a parent are all rewritten by the run that writes the parent.
COMPLETE_FOR = {"timexes": ("articles", "article_id"), "discrepancies": ("stories", "story_id")}
# Tables whose rows of a redirected id are gone: table -> (redirect table, id column).
GONE_WITH_REDIRECT = {
    "stories": ("story_redirects", "story_id"),
    "discrepancies": ("story_redirects", "story_id"),
    "entities": ("entity_redirects", "entity_id"),
}
_RUN = r"regexp_extract(filename, '([^/]+)\.parquet$', 1)"


def _glob(lake_dir: Path, table: str) -> str:
    return (lake_dir / table / "*" / "*.parquet").as_posix()


def current_rows(con: duckdb.DuckDBPyConnection, table: str, lake_dir: Path) -> pd.DataFrame:
    """The current rows of `table` in the lake at `lake_dir` (empty when the table has no file)."""
    if not list((lake_dir / table).glob("*/*.parquet")):
        return pd.DataFrame()
    rows = _latest_rows(con, table, lake_dir)
    redirects, column = GONE_WITH_REDIRECT.get(table, (None, None))
    if redirects is not None and list((lake_dir / redirects).glob("*/*.parquet")):
        gone = con.execute(
            f'SELECT DISTINCT "{column}" FROM read_parquet(?)', [_glob(lake_dir, redirects)]
        ).df()[column]
        rows = rows[~rows[column].isin(gone)].reset_index(drop=True)
    return rows


def _latest_rows(con: duckdb.DuckDBPyConnection, table: str, lake_dir: Path) -> pd.DataFrame:
    if table in COMPLETE_FOR:
        parent, key_column = COMPLETE_FOR[table]
        return con.execute(
            f"SELECT c.* EXCLUDE (filename, run) FROM "
            f"(SELECT *, {_RUN} AS run FROM read_parquet(?, filename = true, union_by_name = true)) AS c "
            f'JOIN (SELECT "{key_column}", max({_RUN}) AS run '
            f"FROM read_parquet(?, filename = true, union_by_name = true) GROUP BY 1) AS latest "
            f'USING ("{key_column}", run)',
            [_glob(lake_dir, table), _glob(lake_dir, parent)],
        ).df()
    order_keys = ", ".join(f'"{k}"' for k in PRIMARY_KEYS[table])
    return con.execute(
        f"SELECT * EXCLUDE (filename) FROM read_parquet(?, filename = true, union_by_name = true) "
        f"QUALIFY row_number() OVER (PARTITION BY {order_keys} ORDER BY {_RUN} DESC) = 1",
        [_glob(lake_dir, table)],
    ).df()
