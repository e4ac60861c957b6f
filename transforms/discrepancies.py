"""Cross-source discrepancies (placeholder: none found yet)."""

from __future__ import annotations

import pandas as pd

COLUMNS = [
    "story_id",
    "article_a",
    "article_b",
    "kind",
    "sentence_a",
    "sentence_b",
    "value_a",
    "value_b",
    "score",
]


def find_discrepancies(articles, sentences, mentions, timexes, quotes) -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS)
