"""The link step: entities across articles, quotes, stories, story-anchored dates, discrepancies."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from transforms.discrepancies import find_discrepancies_over, rows_of
from transforms.entities import link_entities
from transforms.isolation import isolate
from transforms.quotes import extract_quotes
from transforms.stories import assign_stories, summarise_stories
from transforms.temporal import extract_timexes, timex_candidates

if TYPE_CHECKING:
    from transforms.enrich import Enriched


@dataclass
class Known:
    """What the warehouse already holds about articles that new ones may join."""

    articles: pd.DataFrame  # article_id, doc_id, title, body, outlet, published_at, story_id
    mentions: pd.DataFrame  # article_id, start, end, text, label, entity_id
    sentences: pd.DataFrame
    timexes: pd.DataFrame
    quotes: pd.DataFrame


@dataclass
class Linked:
    mentions: pd.DataFrame
    registry: pd.DataFrame  # full registry after this batch
    timexes: pd.DataFrame
    quotes: pd.DataFrame
    story_ids: pd.DataFrame  # article_id, story_id for the new articles
    stories: pd.DataFrame  # summaries of every story the new articles touched
    discrepancies: pd.DataFrame
    estimates: pd.DataFrame  # article_id, published_at, estimated_from: undated articles' story estimates


def link(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    timexes: pd.DataFrame,
    spans: pd.DataFrame,
    registry: pd.DataFrame,
    known: Known,
    pool: Executor | None = None,
    processes: int = 1,
) -> Linked:
    """articles: the new, non-duplicate articles of this run (with their enrich results).

    With a process `pool`, the per-article work and the stories' discrepancies are done in
    `processes` parts at once.
    """
    # Work that needs no stories runs on the pool while this process links entities and clusters
    # stories: finding the dates of undated articles (resolved once their stories lend an anchor)
    # and the quotations.
    undated = articles.loc[articles["published_at"].isna(), ["article_id", "body"]]
    candidates_found = _split_over(pool, processes, timex_candidates, undated, spans)
    mentions, registry = link_entities(mentions, registry)
    names = registry.set_index("entity_id")["canonical_name"]
    mentions = mentions.assign(canonical_name=mentions["entity_id"].map(names).fillna(mentions["text"]))
    quotes_found = _split_over(
        pool, processes, extract_quotes, articles[["article_id", "body"]], mentions, sentences
    )

    story_ids = assign_stories(articles, mentions, known.articles, known.mentions)
    articles = articles.drop(columns=["story_id"], errors="ignore").merge(
        story_ids, on="article_id", how="left"
    )
    estimates = story_estimates(articles, known.articles)
    timexes = _reanchor_on_story(articles, estimates, timexes, spans, candidates_found())

    quotes = quotes_found()
    touched = set(story_ids["story_id"])
    members = _story_members(articles, known.articles, touched)
    stories = summarise_stories(members)
    discrepancies = find_discrepancies_over(
        pool,
        processes,
        members,
        _concat(known.sentences, sentences, members),
        _concat(known.mentions, mentions, members),
        _concat(known.timexes, timexes, members),
        _concat(known.quotes, quotes, members),
    )
    return Linked(mentions, registry, timexes, quotes, story_ids, stories, discrepancies, estimates)


def link_isolated(
    articles: pd.DataFrame,
    enriched: Enriched,
    registry: pd.DataFrame,
    known: Known,
    pool: Executor | None = None,
    processes: int = 1,
) -> tuple[Linked, dict[str, str]]:
    """`link` over the articles it does not raise for, and {article_id: reason} of the others."""
    ids = articles["article_id"]
    parts = (enriched.mentions, enriched.sentences, enriched.timexes, enriched.spans)

    def run(keep: list[str]) -> Linked:
        if len(keep) == len(articles):
            return link(articles, *parts, registry, known, pool=pool, processes=processes)
        kept = set(keep)
        subset = [p[p["article_id"].isin(kept)] if "article_id" in p else p for p in parts]
        return link(articles[ids.isin(kept)], *subset, registry, known, pool=pool, processes=processes)

    return isolate(list(ids), run, "link")


def _story_members(new: pd.DataFrame, known: pd.DataFrame, stories: set[str]) -> pd.DataFrame:
    columns = ["article_id", "doc_id", "story_id", "title", "body", "outlet", "published_at"]
    frames = [new[columns]]
    if not known.empty:
        frames.append(known.loc[known["story_id"].isin(stories), columns])
    members = pd.concat(frames, ignore_index=True)
    return members[members["story_id"].isin(stories)].drop_duplicates("article_id")


def _concat(known: pd.DataFrame, new: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    ids = set(members["article_id"])
    frames = [f[f["article_id"].isin(ids)] for f in (known, new) if not f.empty and "article_id" in f]
    if not frames:
        return new
    return pd.concat(frames, ignore_index=True)


def story_estimates(articles: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """The estimated publication time of each new article without one: the earliest publication
    time of its story's dated articles (new or known), and that article. Articles whose story has
    no dated article are left out. -> article_id, published_at, estimated_from
    """
    undated = articles.loc[articles["published_at"].isna(), ["article_id", "story_id"]]
    columns = ["article_id", "story_id", "published_at"]
    frames = [articles[columns]] + ([known[columns]] if not known.empty else [])
    dated = pd.concat(frames, ignore_index=True).dropna(subset=["published_at"])
    dated["published_at"] = pd.to_datetime(dated["published_at"], utc=True)
    # The earliest, the smallest id among equals: the same peer whatever order the articles came in.
    earliest = dated.sort_values(["published_at", "article_id"]).drop_duplicates("story_id")
    out = undated.merge(earliest.rename(columns={"article_id": "estimated_from"}), on="story_id")
    return out[["article_id", "published_at", "estimated_from"]].reset_index(drop=True)


def _reanchor_on_story(
    articles: pd.DataFrame,
    estimates: pd.DataFrame,
    timexes: pd.DataFrame,
    spans: pd.DataFrame,
    candidates: pd.DataFrame,
) -> pd.DataFrame:
    """The temporal expressions of articles without a publication time, resolved again (or for the
    first time: see `enrich(undated_timexes=False)`) now that their stories are known.

    `candidates`: the undated articles' `timex_candidates`. Such an article takes its story
    estimate (`story_estimates`) as an estimated anchor; one whose story has none keeps an unknown
    anchor.
    """
    undated = articles[articles["published_at"].isna()]
    if undated.empty:
        return timexes
    by_article = dict(zip(estimates["article_id"], estimates["published_at"], strict=True))
    estimated = pd.to_datetime(undated["article_id"].map(by_article), utc=True)  # NaT: none known
    kinds = undated["anchor_kind"] if "anchor_kind" in undated else pd.Series(None, undated.index, object)
    undated = undated.assign(published_at=estimated, anchor_kind=kinds.where(estimated.isna(), "estimated"))
    ids = set(undated["article_id"])
    redone = extract_timexes(undated, rows_of(spans, ids), candidates)
    kept = timexes[~timexes["article_id"].isin(ids)]
    if kept.empty or redone.empty:
        return kept if redone.empty else redone.reset_index(drop=True)
    return pd.concat([kept, redone], ignore_index=True)


def _split_over(
    pool: Executor | None, processes: int, find: Callable[..., pd.DataFrame], articles: pd.DataFrame, *frames
) -> Callable[[], pd.DataFrame]:
    """`find(articles, *frames)` (per-article work) in `processes` x 2 consecutive parts of the
    articles on `pool`, each with the rows of `frames` for its articles; call the returned function
    for the rows, the same and in the same order as of one call."""
    if pool is None or processes < 2 or len(articles) < 32:
        rows = find(articles, *frames)
        return lambda: rows
    futures = []
    for part in np.array_split(np.arange(len(articles)), processes * 2):
        chosen = articles.iloc[part]
        ids = set(chosen["article_id"])
        futures.append(pool.submit(find, chosen, *(rows_of(f, ids) for f in frames)))

    def rows() -> pd.DataFrame:
        parts = [f.result() for f in futures]
        filled = [p for p in parts if not p.empty]
        return pd.concat(filled, ignore_index=True) if filled else parts[0]

    return rows
