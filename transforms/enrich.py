"""The enrich step over one batch: one spaCy pass, then entities and temporal expressions.

Shared by the flow and by `newsflow extract`, so both give the same answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from transforms.entities import resolve_mentions
from transforms.isolation import isolate
from transforms.language import rules_apply
from transforms.nlp import annotate
from transforms.temporal import extract_timexes

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass
class Enriched:
    spans: pd.DataFrame  # raw spaCy spans (all labels)
    sentences: pd.DataFrame
    mentions: pd.DataFrame  # resolved within each article, no entity_id yet
    timexes: pd.DataFrame


def enrich(
    articles: pd.DataFrame,
    nlp: Language,
    nlp_batch_size: int = 64,
    n_process: int = 1,
    undated_timexes: bool = True,
) -> Enriched:
    """articles: article_id, body, published_at (+ optional anchor_kind, language: the temporal
    expressions of an article not in English are left out).

    With `undated_timexes=False` the temporal expressions of articles without a publication
    time are left out: the flow finds them once it knows their stories (transforms.link), which
    may lend them an anchor.
    """
    spans, sentences = annotate(articles, nlp, batch_size=nlp_batch_size, n_process=n_process)
    return after_ner(articles, spans, sentences, undated_timexes)


def after_ner(
    articles: pd.DataFrame, spans: pd.DataFrame, sentences: pd.DataFrame, undated_timexes: bool = True
) -> Enriched:
    """The enrich work that follows the spaCy pass; needs no model, so another process can run it."""
    mentions = resolve_mentions(spans, articles[["article_id", "body"]])
    dated = articles[rules_apply(articles)]  # the temporal rules are English
    dated = dated if undated_timexes else dated[dated["published_at"].notna()]
    timexes = extract_timexes(dated, spans)
    return Enriched(spans=spans, sentences=sentences, mentions=mentions, timexes=timexes)


def enrich_isolated(
    articles: pd.DataFrame, enrich_batch: Callable[[pd.DataFrame], Enriched]
) -> tuple[Enriched, dict[str, str]]:
    """(enrich_batch over the articles it does not raise for, {article_id: reason} of the others)."""
    ids = articles["article_id"]

    def run(keep: list[str]) -> Enriched:
        return enrich_batch(articles if len(keep) == len(articles) else articles[ids.isin(keep)])

    return isolate(list(ids), run, "enrich")


def concat(parts: list[Enriched]) -> Enriched:
    """Join the results of several batches."""

    def cat(frames: list[pd.DataFrame]) -> pd.DataFrame:
        filled = [f for f in frames if not f.empty]
        if filled:
            return pd.concat(filled, ignore_index=True)
        return frames[0] if frames else pd.DataFrame()

    return Enriched(
        spans=cat([p.spans for p in parts]),
        sentences=cat([p.sentences for p in parts]),
        mentions=cat([p.mentions for p in parts]),
        timexes=cat([p.timexes for p in parts]),
    )
