"""`resolve_mentions`: clean spans, then resolve every article's mentions on their own."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from transforms.entities.spans import NON_ENTITY_LABELS, clean_span_parts
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
    spans = spans[~spans["label"].isin(NON_ENTITY_LABELS)]
    by_article: dict[str, list[tuple[int, int, str, int]]] = defaultdict(list)
    columns = (spans[c] for c in ["article_id", "start", "end", "label", "sentence_index"])
    for article_id, start, end, label, sentence in zip(*columns, strict=True):
        by_article[article_id].append((int(start), int(end), label, int(sentence)))
    rows: list[tuple] = []
    for article_id in sorted(bodies, key=str):
        body = bodies[article_id]
        if not isinstance(body, str):
            continue
        # One article at a time: cleaning and resolution share the article's cached word casing.
        mentions = _clean_mentions(body, by_article.get(article_id, []))
        for m in resolve_article(body, mentions):
            rows.append((article_id, m.start, m.end, m.text, m.label, m.sentence_index, *m.reading()))
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    out[["start", "end", "sentence_index"]] = out[["start", "end", "sentence_index"]].astype("int64")
    return out


def _clean_mentions(body: str, spans: list[tuple[int, int, str, int]]) -> list[Mention]:
    """The article's spans with clean, exact offsets (`spans.clean_span_parts`), each place once."""
    mentions: list[Mention] = []
    seen: set[tuple[int, int]] = set()
    for start, end, label, sentence in spans:
        if not 0 <= start < end <= len(body):
            continue
        for s, e in clean_span_parts(body, start, end, label):
            if (s, e) not in seen:
                seen.add((s, e))
                mentions.append(Mention(s, e, body[s:e], label, sentence))
    return mentions
