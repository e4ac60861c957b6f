"""Suite `entity_redirects`: each entity id that went away points once at another entity."""

from __future__ import annotations

import pandas as pd

from expectations.common import gxe
from warehouse.schemas import ENTITY_REDIRECTS

TABLE = "entity_redirects"
COLUMNS = ENTITY_REDIRECTS.names  # the table contract in warehouse/schemas.py


def derive(frame: pd.DataFrame, **_: object) -> pd.DataFrame:
    return frame.assign(check_points_elsewhere=(frame["entity_id"] != frame["redirect_to"]).astype(bool))


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="entity_id"),
        e.ExpectColumnValuesToBeUnique(column="entity_id"),
        e.ExpectColumnValuesToNotBeNull(column="redirect_to"),
        e.ExpectColumnValuesToBeInSet(column="check_points_elsewhere", value_set=[True]),
    ]
