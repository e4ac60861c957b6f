"""Suite `articles`: keys, publication times in a plausible range, a real body, a language code,
which NER model ran (or why none did), and field sources well formed."""

from __future__ import annotations

import json

import pandas as pd

from expectations.common import gxe, plausible_time

TABLE = "articles"
COLUMNS = ["article_id", "doc_id", "title", "published_at", "published_at_source", "body", "word_count"]
PUBLISHED_SOURCES = ["text", "metadata", "estimated", "unknown"]
STORY_ROLES = ["core", "attached", "alone"]  # transforms/stories.py
NER_SKIP_REASONS = ["no_model_for_language", "language_undetermined"]  # transforms/language.py
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
        # a model ran or a reason says why none did, never both (rows from before either: neither)
        check_ner_model_or_reason=~(
            _column(frame, "ner_model").notna() & _column(frame, "ner_skip_reason").notna()
        ),
        check_metadata_sources=_column(frame, "metadata_sources").map(sources_well_formed).astype(bool),
    )


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)


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
        # ISO 639-1 (639-3 where a language has none), 'und' when undetermined: no regions, no case
        e.ExpectColumnValuesToMatchRegex(column="language", regex=r"^[a-z]{2,3}$", mostly=1.0),
        e.ExpectColumnValuesToBeInSet(column="ner_skip_reason", value_set=NER_SKIP_REASONS),
        e.ExpectColumnValuesToBeInSet(column="check_ner_model_or_reason", value_set=[True]),
        e.ExpectColumnValuesToBeInSet(column="check_metadata_sources", value_set=[True]),
        e.ExpectColumnValuesToBeInSet(column="story_role", value_set=STORY_ROLES),
    ]
