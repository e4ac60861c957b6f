"""`resolve_mentions`: clean spans, then resolve every article's mentions on their own."""

from __future__ import annotations

import pandas as pd

from transforms.entities.spans import clean_spans
from transforms.entities.within_article import Mention, resolve_article

MENTION_COLUMNS = [
    "article_id",
    "start",
    "end",
    "text",
    "label",
    "sentence_index",
    "canonical_name",
    "entity_type",
    "country_code",
]


def resolve_mentions(spans: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Clean spans and resolve them within their article (see docs/modules.md).

    -> article_id, start, end, text, label, sentence_index, canonical_name, entity_type, country_code
    """
    bodies = dict(zip(articles["article_id"], articles["body"], strict=True))
    cleaned = clean_spans(spans, bodies)
    rows: list[tuple] = []
    by_article = dict(iter(cleaned.groupby("article_id", sort=False)))
    empty = cleaned.iloc[:0]
    for article_id in sorted(bodies, key=str):
        body = bodies[article_id]
        if not isinstance(body, str):
            continue
        group = by_article.get(article_id, empty)
        columns = (group[c] for c in ["start", "end", "text", "label", "sentence_index"])
        mentions = [Mention(int(s), int(e), t, lab, int(i)) for s, e, t, lab, i in zip(*columns, strict=True)]
        for m in resolve_article(body, mentions):
            rows.append((article_id, m.start, m.end, m.text, m.label, m.sentence_index, *m.reading()))
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    out[["start", "end", "sentence_index"]] = out[["start", "end", "sentence_index"]].astype("int64")
    return out
