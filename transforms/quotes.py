"""Quotations (placeholder: none found yet)."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["article_id", "start", "end", "text", "speaker_entity_id", "speaker_text", "cue"]


def extract_quotes(articles: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS)
