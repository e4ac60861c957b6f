"""Suite `quotes`: offsets match the body, a non-empty quotation."""

from __future__ import annotations

import pandas as pd

from expectations.common import gxe, offsets_match_body
from warehouse.schemas import QUOTES

TABLE = "quotes"
COLUMNS = QUOTES.names  # the table contract in warehouse/schemas.py


def derive(frame: pd.DataFrame, bodies: dict[str, str], **_: object) -> pd.DataFrame:
    return frame.assign(check_offsets_match_body=offsets_match_body(frame, bodies))


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectCompoundColumnsToBeUnique(column_list=["article_id", "start", "end"]),
        e.ExpectColumnValuesToBeInSet(column="check_offsets_match_body", value_set=[True]),
        e.ExpectColumnValueLengthsToBeBetween(column="text", min_value=1),
    ]
