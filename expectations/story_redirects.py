"""Suite `story_redirects`: each id that went away points once at another story."""

from __future__ import annotations

import pandas as pd

from expectations.common import gxe
from warehouse.schemas import STORY_REDIRECTS

TABLE = "story_redirects"
COLUMNS = STORY_REDIRECTS.names  # the table contract in warehouse/schemas.py


def derive(frame: pd.DataFrame, **_: object) -> pd.DataFrame:
    return frame.assign(check_points_elsewhere=(frame["story_id"] != frame["redirect_to"]).astype(bool))


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="story_id"),
        e.ExpectColumnValuesToBeUnique(column="story_id"),
        e.ExpectColumnValuesToNotBeNull(column="redirect_to"),
        e.ExpectColumnValuesToBeInSet(column="check_points_elsewhere", value_set=[True]),
    ]
