"""Suite `text_repairs`: every repair names the row and field it changed, a known kind and a count."""

from __future__ import annotations

from expectations.common import gxe
from transforms.safe_text import REPAIRS

TABLE = "text_repairs"
COLUMNS = ["run_id", "table", "key", "field", "repair", "count"]


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToBeInSet(column="table", value_set=["articles", "raw_documents"]),
        e.ExpectColumnValuesToNotBeNull(column="key"),
        e.ExpectColumnValuesToNotBeNull(column="field"),
        e.ExpectColumnValuesToBeInSet(column="repair", value_set=sorted(REPAIRS)),
        e.ExpectColumnValuesToBeBetween(column="count", min_value=1),
    ]
