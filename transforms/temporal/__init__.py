"""Temporal expressions (minimal version: spaCy DATE spans, dateparser values)."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["article_id", "start", "end", "text", "type", "value", "begin_date", "end_date", "anchor"]


def extract_timexes(articles: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    import dateparser

    published = dict(zip(articles["article_id"], articles["published_at"], strict=True))
    rows = []
    for row in spans[spans["label"].isin(["DATE", "TIME"])].itertuples(index=False):
        base = published.get(row.article_id)
        settings = {"RELATIVE_BASE": base.to_pydatetime().replace(tzinfo=None)} if pd.notna(base) else {}
        parsed = dateparser.parse(row.text, settings=settings)
        value = parsed.date().isoformat() if parsed else None
        rows.append(
            (
                row.article_id,
                row.start,
                row.end,
                row.text,
                row.label,
                value,
                None,
                None,
                "publication" if pd.notna(base) else "unresolved",
            )
        )
    return pd.DataFrame(rows, columns=COLUMNS)
