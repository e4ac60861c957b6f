"""Suite `articles`: keys, publication times in a plausible range, a real body, field sources well formed."""

from __future__ import annotations

import json

import pandas as pd

from expectations.common import gxe, plausible_time

TABLE = "articles"
COLUMNS = ["article_id", "doc_id", "title", "published_at", "published_at_source", "body", "word_count"]
PUBLISHED_SOURCES = ["text", "metadata", "estimated", "unknown"]
SOURCED_FIELDS = frozenset({"title", "byline", "published_at", "updated_at"})


def sources_well_formed(value: object) -> bool:
    """`metadata_sources`: null (rows written before the column), or a JSON object from the sourced
    fields to non-empty labels."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return True
    try:
        sources = json.loads(value)
    except (TypeError, ValueError):
        return False
    return isinstance(sources, dict) and all(
        k in SOURCED_FIELDS and isinstance(v, str) and v for k, v in sources.items()
    )


def derive(frame: pd.DataFrame, now: pd.Timestamp, **_: object) -> pd.DataFrame:
    return frame.assign(
        check_published_at_plausible=plausible_time(frame["published_at"], now),
        check_updated_at_plausible=plausible_time(frame["updated_at"], now),
        check_metadata_sources=[
            sources_well_formed(v)
            for v in (frame["metadata_sources"] if "metadata_sources" in frame else [None] * len(frame))
        ],
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
        e.ExpectColumnValuesToBeInSet(column="check_metadata_sources", value_set=[True]),
        e.ExpectColumnValuesToMatchRegex(
            column="language", regex=r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$", mostly=1.0
        ),
    ]
