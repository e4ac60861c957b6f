"""Suite `timexes`: offsets match the body, TIMEX3 types, values and anchors, ordered intervals."""

from __future__ import annotations

import pandas as pd

from expectations.common import ANCHORS, TIMEX3_VALUE, TIMEX_TYPES, gxe, offsets_match_body
from warehouse.schemas import TIMEXES

TABLE = "timexes"
COLUMNS = TIMEXES.names  # the table contract in warehouse/schemas.py


def derive(frame: pd.DataFrame, bodies: dict[str, str], **_: object) -> pd.DataFrame:
    begin = pd.to_datetime(frame["begin_date"], errors="coerce")
    end = pd.to_datetime(frame["end_date"], errors="coerce")
    return frame.assign(
        check_offsets_match_body=offsets_match_body(frame, bodies),
        check_interval_ordered=(begin.isna() | end.isna() | (begin <= end)),
    )


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="article_id"),
        e.ExpectCompoundColumnsToBeUnique(column_list=["article_id", "start", "end"]),
        e.ExpectColumnValuesToBeInSet(column="check_offsets_match_body", value_set=[True]),
        e.ExpectColumnValuesToBeInSet(column="type", value_set=TIMEX_TYPES),
        e.ExpectColumnValuesToNotBeNull(column="value"),
        e.ExpectColumnValuesToMatchRegex(column="value", regex=TIMEX3_VALUE),
        e.ExpectColumnValuesToBeInSet(column="anchor", value_set=ANCHORS),
        e.ExpectColumnValuesToBeInSet(column="check_interval_ordered", value_set=[True]),
    ]
