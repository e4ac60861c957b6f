"""Duplicate detection (minimal exact-hash version)."""

from __future__ import annotations

import pandas as pd


def signatures(articles: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {"article_id": articles["article_id"], "content_hash": articles["content_hash"], "minhash": None}
    )


def find_duplicates(new: pd.DataFrame, known_signatures: pd.DataFrame) -> pd.Series:
    first: dict[str, str] = dict(
        zip(known_signatures["content_hash"], known_signatures["article_id"], strict=True)
    )
    out = []
    for article_id, content_hash in zip(new["article_id"], new["content_hash"], strict=True):
        original = first.setdefault(content_hash, article_id)
        out.append(None if original == article_id else original)
    return pd.Series(out, index=new.index, dtype=object)
