"""Suite `discrepancies`: a known kind, two different articles, two different values, a score in [0, 1]."""

from __future__ import annotations

import pandas as pd

from expectations.common import gxe
from warehouse.schemas import DISCREPANCIES

TABLE = "discrepancies"
COLUMNS = DISCREPANCIES.names  # the table contract in warehouse/schemas.py
KINDS = ["date", "number", "attribution", "name"]


def derive(frame: pd.DataFrame, **_: object) -> pd.DataFrame:
    return frame.assign(
        check_two_articles=frame["article_a"] != frame["article_b"],
        check_values_differ=frame["value_a"] != frame["value_b"],
    )


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="story_id"),
        e.ExpectColumnValuesToBeInSet(column="kind", value_set=KINDS),
        e.ExpectColumnValuesToBeInSet(column="check_two_articles", value_set=[True]),
        e.ExpectColumnValuesToBeInSet(column="check_values_differ", value_set=[True]),
        e.ExpectColumnValuesToBeBetween(column="score", min_value=0.0, max_value=1.0),
    ]
