"""Suite `raw_documents`: one row per input item, each with a final status."""

from __future__ import annotations

from expectations.common import HEX_ID, gxe

TABLE = "raw_documents"
COLUMNS = ["doc_id", "source_uri", "media_type", "size_bytes", "fetched_at", "run_id", "status", "reason"]


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="doc_id"),
        e.ExpectColumnValuesToMatchRegex(column="doc_id", regex=HEX_ID),
        e.ExpectColumnValuesToNotBeNull(column="source_uri"),
        e.ExpectCompoundColumnsToBeUnique(column_list=["doc_id", "source_uri"]),
        e.ExpectColumnValuesToBeInSet(column="status", value_set=["loaded", "duplicate", "quarantined"]),
        e.ExpectColumnValuesToBeBetween(column="size_bytes", min_value=0),
    ]
