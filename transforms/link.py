"""The link step: entities across articles, quotes, stories, story-anchored dates, discrepancies."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from transforms.discrepancies import find_discrepancies_over, rows_of
from transforms.entities.relink import REDIRECT_COLUMNS as ENTITY_REDIRECT_COLUMNS
from transforms.entities.relink import relink_entities
from transforms.isolation import isolate
from transforms.language import rules_apply
from transforms.plausible import plausible_time
from transforms.quotes import extract_quotes
from transforms.stories import REDIRECT_COLUMNS, assign_stories, summarise_stories
from transforms.temporal import extract_timexes, timex_candidates

if TYPE_CHECKING:
    from transforms.enrich import Enriched


# The sentences, timexes and quotes of the given known articles.
ChildReader = Callable[[list[str]], tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]


def _no_children(ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame(), pd.DataFrame(), pd.DataFrame()


@dataclass
class Known:
    """What the warehouse already holds about articles that new ones may join."""

    articles: pd.DataFrame  # article_id, doc_id, title, body, outlet, published_at, story_id
    mentions: pd.DataFrame  # article_id, start, end, text, label, entity_id
    # Read only for the known members of the stories a run touches: a small run on a large
    # warehouse reads a few stories' rows, not every sentence the warehouse holds.
    read_children: ChildReader = _no_children
    redirects: pd.DataFrame | None = None  # story_redirects as stored: story_id, redirect_to
    entity_redirects: pd.DataFrame | None = None  # entity_redirects as stored: entity_id, redirect_to


@dataclass
class Linked:
    mentions: pd.DataFrame
    registry: pd.DataFrame  # full registry after this batch
    timexes: pd.DataFrame
    quotes: pd.DataFrame
    story_ids: pd.DataFrame  # article_id, story_id, story_role for the new articles
    stories: pd.DataFrame  # summaries of every story the new articles touched
    discrepancies: pd.DataFrame
    estimates: pd.DataFrame  # article_id, published_at, estimated_from: undated articles' story estimates
    # Known undated articles whose story estimate this run changed (a dated article joined their story):
    # article_id, published_at, estimated_from. Their timexes are in `timexes`, resolved again.
    revised: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_ESTIMATE_COLUMNS))
    # Known articles the run moved to another story or role: article_id, story_id, story_role
    moved: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_MEMBER_COLUMNS))
    story_redirects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REDIRECT_COLUMNS))
    revisions: dict[str, int] = field(default_factory=dict)  # what the run revised, for the ledger
    # Stored mentions the run linked to another entity (every stored column, entity_id new), and the
    # entity ids that went away: entity_id, redirect_to
    moved_mentions: pd.DataFrame = field(default_factory=pd.DataFrame)
    entity_redirects: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=ENTITY_REDIRECT_COLUMNS)
    )
    requoted: pd.DataFrame = field(default_factory=pd.DataFrame)  # stored quotes, their speaker followed
    known_bodies: dict[str, str] = field(default_factory=dict)  # of known articles with rows written again


_ESTIMATE_COLUMNS = ["article_id", "published_at", "estimated_from"]
_MEMBER_COLUMNS = ["article_id", "story_id", "story_role"]
SpanFinder = Callable[[pd.DataFrame], pd.DataFrame]  # articles (article_id, body) -> their NER spans


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
    find_spans: SpanFinder | None = None,
    now: pd.Timestamp | None = None,
) -> Linked:
    """articles: the new, non-duplicate articles of this run (with their enrich results).

    With a process `pool`, the per-article work and the stories' discrepancies are done in
    `processes` parts at once. `find_spans` gives the NER spans of known articles whose dates are
    resolved again (without it, the grammar alone finds their expressions). `now`: the run's
    time, beyond which a publication time is implausible and lends no estimate.
    """
    # Work that needs no stories runs on the pool while this process links entities and clusters
    # stories: finding the dates of undated articles (resolved once their stories lend an anchor)
    # and the quotations.
    ruled = articles[rules_apply(articles)]  # the temporal and quotation rules are English
    undated = ruled.loc[ruled["published_at"].isna(), ["article_id", "body"]]
    candidates_found = _split_over(pool, processes, timex_candidates, undated, spans)
    # the name the article gave each entity, kept beside the registry's so a later run can link again
    mentions = mentions.assign(article_name=mentions["canonical_name"])
    relinked = relink_entities(mentions, known.mentions, registry, known.entity_redirects)
    mentions, registry, known_mentions = relinked.mentions, relinked.registry, relinked.known_mentions
    names = registry.set_index("entity_id")["canonical_name"]
    mentions = mentions.assign(canonical_name=mentions["entity_id"].map(names).fillna(mentions["text"]))
    quotes_found = _split_over(
        pool, processes, extract_quotes, ruled[["article_id", "body"]], mentions, sentences
    )

    assignment = assign_stories(articles, mentions, known.articles, known_mentions, redirects=known.redirects)
    new_ids = set(articles["article_id"])
    story_ids = assignment.members[assignment.members["article_id"].isin(new_ids)].reset_index(drop=True)
    moved = assignment.members[~assignment.members["article_id"].isin(new_ids)].reset_index(drop=True)
    known_articles = _moved_into(known.articles, moved)
    articles = articles.drop(columns=_MEMBER_COLUMNS[1:], errors="ignore").merge(
        story_ids, on="article_id", how="left"
    )
    touched = assignment.touched
    revisable = _known_undated(known_articles, touched, new_ids)
    estimates = story_estimates(articles, known_articles, revisable, now)
    revised = _changed_estimates(estimates, revisable)
    estimates = estimates[~estimates["article_id"].isin(revisable["article_id"])].reset_index(drop=True)
    timexes = _reanchor_on_story(articles, estimates, timexes, spans, candidates_found())
    timexes = _concat_rows(timexes, _redate(revisable, revised, find_spans))

    quotes = quotes_found()
    members = _story_members(articles, known_articles, touched)
    stories = summarise_stories(members)
    known_ids = sorted(set(members["article_id"]) - set(articles["article_id"]))
    known_sentences, known_timexes, known_quotes = known.read_children(known_ids)
    if not revised.empty and not known_timexes.empty:  # revised dates as resolved again, not as stored
        known_timexes = known_timexes[~known_timexes["article_id"].isin(revised["article_id"])]
    discrepancies = find_discrepancies_over(
        pool,
        processes,
        members,
        _concat(known_sentences, sentences, members),
        _concat(known_mentions, mentions, members),
        _concat(known_timexes, timexes, members),
        _concat(known_quotes, quotes, members),
    )
    # A moved article's row is written again, and with it go its timexes (the run that last wrote an
    # article holds all of them): those whose dates the run did not resolve again, as stored.
    carried = moved["article_id"][~moved["article_id"].isin(revised["article_id"])]
    if not known_timexes.empty and not carried.empty:
        timexes = _concat_rows(timexes, known_timexes[known_timexes["article_id"].isin(carried)])
    revisions = {
        "stories_merged": int(len(assignment.redirects) - _chained(assignment.redirects, known.redirects)),
        "stories_split": assignment.split,
        "articles_regrouped": len(moved),
        "articles_reanchored": len(revised),
        "entities_merged": relinked.merged,
        "mentions_relinked": len(relinked.moved),
    }
    return Linked(
        mentions,
        registry,
        timexes,
        quotes,
        story_ids,
        stories,
        discrepancies,
        estimates,
        revised,
        moved,
        assignment.redirects,
        {k: v for k, v in revisions.items() if v},
        relinked.moved,
        relinked.redirects,
    )


def requoted(stored: pd.DataFrame, redirects: pd.DataFrame) -> pd.DataFrame:
    """Stored quotes whose speaker went into another entity, with that entity as their speaker."""
    if stored.empty:
        return stored
    target = dict(zip(redirects["entity_id"], redirects["redirect_to"], strict=True))
    return stored.assign(
        speaker_entity_id=stored["speaker_entity_id"].map(target).fillna(stored["speaker_entity_id"])
    )


def known_bodies(known: pd.DataFrame, linked: Linked) -> dict[str, str]:
    """The bodies of the known articles whose mentions or quotes the run writes again (their
    offsets are checked against them as the run's own)."""
    ids = set()
    for frame in (linked.moved_mentions, linked.requoted):
        if not frame.empty:
            ids |= set(frame["article_id"])
    if not ids or known.empty:
        return {}
    chosen = known[known["article_id"].isin(ids)]
    return dict(zip(chosen["article_id"], chosen["body"], strict=True))


def _moved_into(known: pd.DataFrame, moved: pd.DataFrame) -> pd.DataFrame:
    """The known articles with the stories and roles the run gave them."""
    if moved.empty or known.empty:
        return known
    update = moved.set_index("article_id")
    out = known.copy()
    chosen = out["article_id"].isin(update.index)
    for column in ("story_id", "story_role"):
        out.loc[chosen, column] = out.loc[chosen, "article_id"].map(update[column])
    return out


def _chained(redirects: pd.DataFrame, known: pd.DataFrame | None) -> int:
    """How many of the run's redirects re-point ids that were already redirected."""
    if known is None or known.empty or redirects.empty:
        return 0
    return int(redirects["story_id"].isin(known["story_id"]).sum())


def link_isolated(
    articles: pd.DataFrame,
    enriched: Enriched,
    registry: pd.DataFrame,
    known: Known,
    pool: Executor | None = None,
    processes: int = 1,
    find_spans: SpanFinder | None = None,
    now: pd.Timestamp | None = None,
) -> tuple[Linked, dict[str, str]]:
    """`link` over the articles it does not raise for, and {article_id: reason} of the others."""
    ids = articles["article_id"]
    parts = (enriched.mentions, enriched.sentences, enriched.timexes, enriched.spans)

    def run(keep: list[str]) -> Linked:
        if len(keep) == len(articles):
            return link(articles, *parts, registry, known, pool, processes, find_spans, now)
        kept = set(keep)
        subset = [p[p["article_id"].isin(kept)] if "article_id" in p else p for p in parts]
        return link(articles[ids.isin(kept)], *subset, registry, known, pool, processes, find_spans, now)

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


def story_estimates(
    articles: pd.DataFrame,
    known: pd.DataFrame,
    known_undated: pd.DataFrame | None = None,
    now: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The estimated publication time of each new article without one (and of `known_undated`
    articles): the earliest publication time of its story's dated articles (new or known), and that
    article. Articles whose story has no dated article are left out, and so are times validation
    rejects (before 1800, after `now` + 1 day): such an article's own row goes to quarantine.
    -> article_id, published_at, estimated_from
    """
    undated = articles.loc[articles["published_at"].isna(), ["article_id", "story_id"]]
    if known_undated is not None and not known_undated.empty:
        undated = pd.concat([undated, known_undated[["article_id", "story_id"]]], ignore_index=True)
    columns = ["article_id", "story_id", "published_at"]
    frames = [articles[columns]] + ([known[columns]] if not known.empty else [])
    dated = pd.concat(frames, ignore_index=True).dropna(subset=["published_at"])
    dated["published_at"] = pd.to_datetime(dated["published_at"], utc=True)
    if now is not None:
        dated = dated[plausible_time(dated["published_at"], now)]
    # The earliest, the smallest id among equals: the same peer whatever order the articles came in.
    earliest = dated.sort_values(["published_at", "article_id"]).drop_duplicates("story_id")
    out = undated.merge(earliest.rename(columns={"article_id": "estimated_from"}), on="story_id")
    return out[["article_id", "published_at", "estimated_from"]].reset_index(drop=True)


def _known_undated(known: pd.DataFrame, stories: set[str], new_ids: set[str]) -> pd.DataFrame:
    """Known articles without a publication time of their own in the stories this run touched."""
    if known.empty:
        return pd.DataFrame(columns=["article_id", "story_id", "body", "published_at"])
    chosen = (
        known["story_id"].isin(stories) & known["published_at"].isna() & ~known["article_id"].isin(new_ids)
    )
    return known[chosen]


def _changed_estimates(estimates: pd.DataFrame, revisable: pd.DataFrame) -> pd.DataFrame:
    """The estimates of `revisable` articles that differ from the one each holds (its stored
    `estimated_at` / `estimated_from`, absent for one never estimated)."""
    ours = pd.concat(
        [estimates[estimates["article_id"].isin(revisable["article_id"])], _lost(estimates, revisable)]
    )
    if ours.empty:
        return pd.DataFrame(columns=_ESTIMATE_COLUMNS)
    ours = ours.reset_index(drop=True)
    held = revisable.set_index("article_id")
    held_from = ours["article_id"].map(held["estimated_from"]) if "estimated_from" in held else None
    held_at = ours["article_id"].map(held["estimated_at"]) if "estimated_at" in held else None
    if held_from is None or held_at is None:
        return ours.reset_index(drop=True)
    same = (held_from == ours["estimated_from"]) & (
        pd.to_datetime(held_at, utc=True) == pd.to_datetime(ours["published_at"], utc=True)
    )
    return ours[~same.fillna(False)].reset_index(drop=True)


def _lost(estimates: pd.DataFrame, revisable: pd.DataFrame) -> pd.DataFrame:
    """Articles that held an estimate their story no longer lends (its dated articles went to
    another story): no estimate, as one run over everything gives them."""
    if "estimated_at" not in revisable:
        return pd.DataFrame(columns=_ESTIMATE_COLUMNS)
    held = revisable[
        revisable["estimated_at"].notna() & ~revisable["article_id"].isin(estimates["article_id"])
    ]
    return pd.DataFrame(
        {"article_id": held["article_id"], "published_at": pd.NaT, "estimated_from": None},
        columns=_ESTIMATE_COLUMNS,
    )


def _redate(known: pd.DataFrame, revised: pd.DataFrame, find_spans: SpanFinder | None) -> pd.DataFrame:
    """The temporal expressions of known undated articles against their new story estimates,
    exactly as one run over all their story's articles resolves them."""
    if revised.empty:
        return pd.DataFrame()
    at = dict(zip(revised["article_id"], revised["published_at"], strict=True))
    chosen = known[known["article_id"].isin(at) & rules_apply(known)]
    anchors = pd.to_datetime(chosen["article_id"].map(at), utc=True)
    frame = pd.DataFrame(
        {
            "article_id": chosen["article_id"].to_numpy(),
            "body": chosen["body"].to_numpy(),
            "published_at": anchors.to_numpy(),
            # an article whose story no longer lends an estimate is undated again
            "anchor_kind": np.where(anchors.notna(), "estimated", None),
        }
    )
    spans = find_spans(frame[["article_id", "body"]]) if find_spans is not None else pd.DataFrame()
    return extract_timexes(frame, spans)


def _concat_rows(first: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    if more.empty:
        return first
    if first.empty:
        return more.reset_index(drop=True)
    return pd.concat([first, more], ignore_index=True)


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
    undated = articles[articles["published_at"].isna() & rules_apply(articles)]
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
