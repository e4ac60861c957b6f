"""Suite `quarantine`: every rejected row or item names its table, key and reason."""

from __future__ import annotations

from expectations.common import gxe

TABLE = "quarantine"
COLUMNS = ["run_id", "table", "key", "reason", "payload"]


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="table"),
        e.ExpectColumnValuesToNotBeNull(column="key"),
        e.ExpectColumnValuesToNotBeNull(column="reason"),
        e.ExpectColumnValueLengthsToBeBetween(column="reason", min_value=1),
    ]
