"""Entity mentions (minimal version: surface form = entity)."""

from __future__ import annotations

import pandas as pd

from transforms.ids import stable_id

NON_ENTITY_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


def resolve_mentions(spans: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    out = spans[~spans["label"].isin(NON_ENTITY_LABELS) & ~spans["text"].str.contains("\n")].copy()
    out["canonical_name"] = out["text"]
    out["entity_type"] = out["label"]
    out["country_code"] = None
    return out.reset_index(drop=True)


def link_entities(mentions: pd.DataFrame, registry: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    mentions = mentions.copy()
    mentions["entity_id"] = [
        stable_id(t, n.lower())
        for t, n in zip(mentions["entity_type"], mentions["canonical_name"], strict=True)
    ]
    new = mentions.drop_duplicates("entity_id")[
        ["entity_id", "canonical_name", "entity_type", "country_code"]
    ]
    new = new.rename(columns={"entity_type": "type"})
    new = new[~new["entity_id"].isin(registry["entity_id"])] if len(registry) else new
    new = new.assign(aliases=[[n] for n in new["canonical_name"]])
    return mentions, pd.concat([registry, new], ignore_index=True)
