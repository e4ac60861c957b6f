"""Suite `mentions`: offsets inside the body and matching the text, no line breaks, known labels."""

from __future__ import annotations

import pandas as pd

from expectations.common import MENTION_LABELS, gxe, offsets_match_body
from warehouse.schemas import MENTIONS

TABLE = "mentions"
# The table contract in warehouse/schemas.py; what linking reads of a mention (article_name,
# entity_type, country_code) may be absent (rows from before it was kept are linked as before).
LINKING_COLUMNS = ("article_name", "entity_type", "country_code")
COLUMNS = [c for c in MENTIONS.names if c not in LINKING_COLUMNS]


def derive(frame: pd.DataFrame, bodies: dict[str, str], **_: object) -> pd.DataFrame:
    return frame.assign(check_offsets_match_body=offsets_match_body(frame, bodies))


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="article_id"),
        e.ExpectCompoundColumnsToBeUnique(column_list=["article_id", "start", "end"]),
        e.ExpectColumnValuesToBeInSet(column="check_offsets_match_body", value_set=[True]),
        e.ExpectColumnValuesToNotMatchRegex(column="text", regex=r"[\r\n]"),
        e.ExpectColumnValuesToBeInSet(column="label", value_set=MENTION_LABELS),
        e.ExpectColumnValuesToNotBeNull(column="entity_id"),
    ]
