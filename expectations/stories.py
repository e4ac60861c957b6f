"""Suite `stories`: one row per story with at least one article."""

from __future__ import annotations

from expectations.common import gxe
from warehouse.schemas import STORIES

TABLE = "stories"
COLUMNS = STORIES.names  # the table contract in warehouse/schemas.py


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="story_id"),
        e.ExpectColumnValuesToBeUnique(column="story_id"),
        e.ExpectColumnValuesToBeBetween(column="article_count", min_value=1),
    ]
