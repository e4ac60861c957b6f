"""Suite `articles`: keys, publication times in a plausible range, a real body."""

from __future__ import annotations

import pandas as pd

from expectations.common import gxe, plausible_time

TABLE = "articles"
COLUMNS = ["article_id", "doc_id", "title", "published_at", "published_at_source", "body", "word_count"]
PUBLISHED_SOURCES = ["text", "metadata", "estimated", "unknown"]


def derive(frame: pd.DataFrame, now: pd.Timestamp, **_: object) -> pd.DataFrame:
    return frame.assign(
        check_published_at_plausible=plausible_time(frame["published_at"], now),
        check_updated_at_plausible=plausible_time(frame["updated_at"], now),
    )


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="article_id"),
        e.ExpectColumnValuesToBeUnique(column="article_id"),
        e.ExpectColumnValuesToNotBeNull(column="doc_id"),
        e.ExpectColumnValuesToNotBeNull(column="body"),
        e.ExpectColumnValueLengthsToBeBetween(column="body", min_value=1),
        e.ExpectColumnValuesToBeBetween(column="word_count", min_value=1),
        e.ExpectColumnValuesToBeInSet(column="published_at_source", value_set=PUBLISHED_SOURCES),
        e.ExpectColumnValuesToBeInSet(column="check_published_at_plausible", value_set=[True]),
        e.ExpectColumnValuesToBeInSet(column="check_updated_at_plausible", value_set=[True]),
        e.ExpectColumnValuesToMatchRegex(
            column="language", regex=r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$", mostly=1.0
        ),
    ]
