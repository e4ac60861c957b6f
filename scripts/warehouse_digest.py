"""Print a digest of every table of a newsflow warehouse, for "same warehouse before and after".

    python scripts/warehouse_digest.py data/warehouse.duckdb

Columns that name or time the run (run ids, fetch and load times, Prefect ids) are left out;
rows are sorted, so two warehouses built from the same inputs print the same lines.
"""

from __future__ import annotations

import hashlib
import sys

import duckdb

# What differs between two runs over the same inputs by design: when and under which id they ran.
RUN_COLUMNS = {
    "run_id",
    "fetched_at",
    "quarantined_at",
    "started_at",
    "finished_at",
    "prefect_flow_run_id",
    "requeued_at",
}


def digest(database: str) -> list[str]:
    con = duckdb.connect(database, read_only=True)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        ]
        lines = []
        for table in tables:
            columns = [
                row[0]
                for row in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if row[0] not in RUN_COLUMNS
            ]
            select = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in columns)
            rows = sorted(repr(r) for r in con.execute(f'SELECT {select} FROM "{table}"').fetchall())
            value = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
            lines.append(f"{table}: {len(rows)} rows {value}")
        return lines
    finally:
        con.close()


if __name__ == "__main__":
    print("\n".join(digest(sys.argv[1])))
