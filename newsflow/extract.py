"""`newsflow extract`: parse + enrich files without touching the warehouse (the DESIGN contract)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from runtime.settings import Settings
from transforms.discover import read_item
from transforms.enrich import concat, enrich
from transforms.entities import link_entities
from transforms.language import plan_ner, rules_apply
from transforms.nlp import load_pipeline
from transforms.parsing import ParseLimits, parse_documents
from transforms.quotes import extract_quotes
from warehouse.schemas import empty_frame


def extract_files(
    files: list[Path], settings: Settings, published_at: pd.Timestamp | None, override: bool = False
) -> Iterator[dict]:
    items = [read_item(path, settings.max_file_bytes) for path in files]
    raw = pd.DataFrame(
        {
            "doc_id": [i.doc_id for i in items],
            "source_uri": [str(p) for p in files],
            "content": [i.content if i.content is not None else b"" for i in items],
        }
    )
    limits = ParseLimits(
        max_bytes=settings.max_file_bytes, max_decompressed_bytes=settings.max_decompressed_bytes
    )
    parsed = parse_documents(raw, limits)
    articles = parsed.articles
    if articles.empty:
        return
    articles = plan_ner(_apply_published_at(articles, published_at, override), settings.ner_models)
    enriched = concat(
        [
            enrich(articles[articles["ner_model"] == model], load_pipeline(model), settings.nlp_batch_size, 1)
            for model in sorted(set(articles["ner_model"].dropna()))
        ]
        or [enrich(articles.iloc[:0], load_pipeline(settings.spacy_model), settings.nlp_batch_size, 1)]
    )
    mentions, registry = link_entities(enriched.mentions, empty_frame("entities"))
    names = registry.set_index("entity_id")["canonical_name"]
    mentions = mentions.assign(canonical_name=mentions["entity_id"].map(names))
    ruled = articles[rules_apply(articles)]  # the quotation rules are English
    quotes = extract_quotes(ruled[["article_id", "body"]], mentions, enriched.sentences)
    source = dict(zip(raw["doc_id"], raw["source_uri"], strict=True))
    for article in articles.itertuples(index=False):
        yield _record(article, source[article.doc_id], mentions, enriched.timexes, quotes)


def _apply_published_at(
    articles: pd.DataFrame, published_at: pd.Timestamp | None, override: bool
) -> pd.DataFrame:
    if published_at is None:
        return articles
    articles = articles.copy()
    use = articles["published_at"].isna() | override
    articles.loc[use, "published_at"] = published_at
    articles.loc[use, "published_at_source"] = "metadata"
    articles["published_from_option"] = use
    articles.loc[use & articles["published_tz"].isna(), "published_tz"] = "UTC"
    return articles


def _iso(value: object) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def _sources(article) -> dict[str, str]:
    """Where each metadata field came from; a publication time given on the command line says so."""
    sources = json.loads(getattr(article, "metadata_sources", None) or "{}")
    if getattr(article, "published_from_option", False):
        sources["published_at"] = "option"
    return sources


def _of(frame: pd.DataFrame, article_id: str) -> pd.DataFrame:
    return frame[frame["article_id"] == article_id].sort_values("start") if not frame.empty else frame


def _record(
    article, source: str, mentions: pd.DataFrame, timexes: pd.DataFrame, quotes: pd.DataFrame
) -> dict:
    byline = article.byline if isinstance(article.byline, list) else list(article.byline or [])
    return {
        "source": source,
        "title": article.title,
        "byline": byline,
        "outlet": article.outlet,
        "published_at": _iso(article.published_at),
        "published_tz": article.published_tz,
        "updated_at": _iso(article.updated_at),
        "metadata_sources": _sources(article),
        "dateline": article.dateline,
        "language": article.language,
        # the spaCy pipeline of its mentions; None: no NER ran (and no quotes or timexes), see reason
        "ner_model": article.ner_model,
        "ner_skip_reason": article.ner_skip_reason,
        "body": article.body,
        "mentions": [
            {
                "start": int(m.start),
                "end": int(m.end),
                "text": m.text,
                "label": m.label,
                "entity_id": m.entity_id,
                "canonical_name": m.canonical_name,
            }
            for m in _of(mentions, article.article_id).itertuples(index=False)
        ],
        "timexes": [
            {
                "start": int(t.start),
                "end": int(t.end),
                "text": t.text,
                "type": t.type,
                "value": t.value,
                "begin_date": None if pd.isna(t.begin_date) else str(t.begin_date)[:10],
                "end_date": None if pd.isna(t.end_date) else str(t.end_date)[:10],
                "anchor": t.anchor,
            }
            for t in _of(timexes, article.article_id).itertuples(index=False)
        ],
        "quotes": [
            {
                "start": int(q.start),
                "end": int(q.end),
                "text": q.text,
                "speaker": q.speaker_text,
                "speaker_entity_id": q.speaker_entity_id,
                "cue": q.cue,
            }
            for q in _of(quotes, article.article_id).itertuples(index=False)
        ],
    }
