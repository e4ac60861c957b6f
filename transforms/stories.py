"""Stories (minimal version: one story per article)."""

from __future__ import annotations

import pandas as pd

from transforms.ids import stable_id


def assign_stories(new_articles, new_mentions, known_articles, known_mentions) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": new_articles["article_id"],
            "story_id": [stable_id("story", a) for a in new_articles["article_id"]],
        }
    )


def summarise_stories(articles: pd.DataFrame) -> pd.DataFrame:
    grouped = articles.groupby("story_id", sort=True)
    return pd.DataFrame(
        {
            "story_id": list(grouped.groups),
            "title": grouped["title"].first().tolist(),
            "first_published": grouped["published_at"].min().tolist(),
            "article_count": grouped.size().tolist(),
            "outlets": [sorted({o for o in g if isinstance(o, str)}) for _, g in grouped["outlet"]],
        }
    )
