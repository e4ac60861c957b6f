"""Put one run's results together as warehouse tables, and drop what validation rejected.

Children follow their parents: when an article is quarantined, its mentions,
timexes, quotes and sentences go to quarantine too (reason
`parent_article_quarantined`), never silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from transforms import accounting
from transforms.accounting import QUARANTINE_COLUMNS, Intake

if TYPE_CHECKING:
    from transforms.enrich import Enriched
    from transforms.link import Linked

CHILD_TABLES = ("mentions", "timexes", "quotes", "sentences", "article_signatures")


def run_tables(
    intake: Intake,
    enriched: Enriched,
    linked: Linked,
    signatures: pd.DataFrame,
    registry_before: pd.DataFrame,
    failed: dict[str, str],
    stored: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The run's tables as they go to validation; `failed` articles (a step raised for them) left
    out. raw_documents come later: an item's status depends on what validation rejects.

    `stored`: the warehouse rows of the known articles the run revises (`Linked.revised`); their
    new rows join the run's articles, and their timexes are among the run's timexes."""
    articles = intake.articles
    kept = articles[~articles["article_id"].isin(failed)] if failed else articles
    rows = article_rows(kept, linked.story_ids, linked.estimates, intake.run_id) if not kept.empty else kept
    if stored is not None and not stored.empty:
        rows = _concat_like(rows, revised_article_rows(stored, linked.revised, linked.moved, intake.run_id))
    return {
        "articles": rows,
        "entities": registry_changes(registry_before, linked.registry),
        "entity_redirects": linked.entity_redirects.assign(run_id=intake.run_id),
        "mentions": _concat_rows(linked.mentions, linked.moved_mentions),
        "timexes": linked.timexes,
        "quotes": _concat_rows(linked.quotes, linked.requoted),
        "stories": linked.stories,
        "story_redirects": linked.story_redirects.assign(run_id=intake.run_id),
        "discrepancies": linked.discrepancies,
        "sentences": enriched.sentences,
        "article_signatures": signatures,
        "text_repairs": text_repairs(intake.raw, intake.repairs, intake.run_id),
    }


def rejected_articles(rejects: list[pd.DataFrame], failed: dict[str, str]) -> dict[str, str]:
    """{article_id: reason its item takes} of every article that is not loaded."""
    return dict.fromkeys(accounting.rejected_keys(rejects, "articles"), "articles_failed_validation") | failed


@dataclass
class Settled:
    """What a run writes and loads (raw_documents and quarantine included), and its item counts."""

    tables: dict[str, pd.DataFrame]
    counts: dict[str, int]

    @property
    def quarantine_reasons(self) -> dict[str, int]:
        quarantine = self.tables["quarantine"]
        return quarantine["reason"].value_counts().to_dict() if not quarantine.empty else {}


def settle(
    passed: dict[str, pd.DataFrame],
    rejects: list[pd.DataFrame],
    intake: Intake,
    failed: dict[str, str],
    now: pd.Timestamp,
    revisions: dict[str, int] | None = None,
) -> Settled:
    """Drop what validation rejected (children follow their article), quarantine it with its reason,
    and check that every item of the run is accounted for. `revisions`: what the run changed in
    what earlier runs concluded (`Linked.revisions`), counted beside its items."""
    rejects = [*rejects, step_rejects(failed, intake.articles)]
    rejected = rejected_articles(rejects, failed)
    tables = dict(passed)
    tables["text_repairs"] = _of_kept_articles(tables["text_repairs"], rejected)
    tables, cascaded = cascade_rejected_articles(tables, rejected, intake.run_id, now)
    documents = tables["raw_documents"]
    tables["quarantine"] = pd.concat(
        [
            accounting.quarantine_records(documents, intake.parse_rejects, intake.run_id, now),
            cascaded,
            *accounting.as_quarantine(rejects, intake.run_id, now),
        ],
        ignore_index=True,
    )
    counts = accounting.counts(documents, intake.skipped)
    accounting.check_counts(counts)
    articles = tables["articles"]
    revised = (
        ~articles["doc_id"].isin(documents["doc_id"]) if not articles.empty else pd.Series([], dtype=bool)
    )
    counts["articles"] = int((~revised).sum())
    if revised.any():  # known articles written again (`revised_article_rows`), no item of this run
        counts["articles_revised"] = int(revised.sum())
    counts |= revisions or {}
    return Settled(tables, counts)


def _of_kept_articles(repairs: pd.DataFrame, rejected: dict[str, str]) -> pd.DataFrame:
    """Repairs of quarantined articles go with them (their quarantine rows keep the payload)."""
    gone = (repairs["table"] == "articles") & repairs["key"].isin(rejected)
    return repairs[~gone].reset_index(drop=True)


def article_rows(
    articles: pd.DataFrame, story_ids: pd.DataFrame, estimates: pd.DataFrame, run_id: str
) -> pd.DataFrame:
    """The `articles` rows of the run: duplicates keep the story of their original where known;
    undated articles take their story's estimate (`published_at_source = 'estimated'`)."""
    out = articles.drop(columns=["story_id", "story_role"], errors="ignore").merge(
        story_ids, on="article_id", how="left"
    )
    if out["duplicate_of"].notna().any():
        story_of = dict(zip(story_ids["article_id"], story_ids["story_id"], strict=True))
        fill = out["duplicate_of"].map(story_of)
        out["story_id"] = out["story_id"].fillna(fill)
    out["published_at_estimated_from"] = None
    if not estimates.empty:
        at = dict(zip(estimates["article_id"], estimates["published_at"], strict=True))
        peer = dict(zip(estimates["article_id"], estimates["estimated_from"], strict=True))
        lent = out["article_id"].isin(at) & out["published_at"].isna()
        out.loc[lent, "published_at"] = out.loc[lent, "article_id"].map(at)
        out.loc[lent, "published_at_source"] = "estimated"
        out.loc[lent, "published_at_estimated_from"] = out.loc[lent, "article_id"].map(peer)
    return out.assign(run_id=run_id)


def revised_article_rows(
    stored: pd.DataFrame, revised: pd.DataFrame, moved: pd.DataFrame, run_id: str
) -> pd.DataFrame:
    """Known articles' rows as the run revises them, written by this run (the lake's latest row of
    an article wins): the publication time their story now lends them (`revised`: article_id,
    published_at, estimated_from; none: undated again), the story and role the run moved them to
    (`moved`: article_id, story_id, story_role), and the duplicates of moved articles, which follow
    their original's story."""
    at = dict(zip(revised["article_id"], revised["published_at"], strict=True))
    peer = dict(zip(revised["article_id"], revised["estimated_from"], strict=True))
    story = dict(zip(moved["article_id"], moved["story_id"], strict=True))
    role = dict(zip(moved["article_id"], moved["story_role"], strict=True))
    follows = stored["duplicate_of"].isin(story) if "duplicate_of" in stored else False
    out = stored[stored["article_id"].isin(at.keys() | story.keys()) | follows].copy()
    dated = out["article_id"].isin(at)
    times = pd.to_datetime(out.loc[dated, "article_id"].map(at), utc=True)
    out["published_at"] = pd.to_datetime(out["published_at"], utc=True)
    out.loc[dated, "published_at"] = times
    out.loc[dated, "published_at_source"] = times.notna().map({True: "estimated", False: "unknown"})
    out.loc[dated, "published_at_estimated_from"] = out.loc[dated, "article_id"].map(peer)
    chosen = out["article_id"].isin(story)
    out.loc[chosen, "story_id"] = out.loc[chosen, "article_id"].map(story)
    out.loc[chosen, "story_role"] = out.loc[chosen, "article_id"].map(role)
    duplicate = out["duplicate_of"].isin(story)
    out.loc[duplicate, "story_id"] = out.loc[duplicate, "duplicate_of"].map(story)
    return out.assign(run_id=run_id).reset_index(drop=True)


def _concat_rows(rows: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    """The run's rows and known rows it writes again (columns of the table, in either)."""
    if more is None or more.empty:
        return rows
    if rows.empty:
        return more.reset_index(drop=True)
    return pd.concat([rows, more], ignore_index=True)


def _concat_like(rows: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    """`rows` and `more` as one frame with the columns of `rows` (those of `more` when `rows` is empty)."""
    if more.empty:
        return rows
    if rows.empty:
        return more
    more = more.reindex(columns=rows.columns)
    more["published_at"] = more["published_at"].astype(rows["published_at"].dtype)
    return pd.concat([rows, more], ignore_index=True)


def cascade_rejected_articles(
    tables: dict[str, pd.DataFrame], rejected: set[str], run_id: str, now: pd.Timestamp
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Remove child rows of rejected articles; return (tables, their quarantine records)."""
    records = []
    out = dict(tables)
    if not rejected:
        return out, pd.DataFrame(columns=QUARANTINE_COLUMNS)
    for name in CHILD_TABLES:
        frame = out.get(name)
        if frame is None or frame.empty:
            continue
        mask = frame["article_id"].isin(rejected)
        for row in frame[mask].itertuples(index=False):
            key = "|".join(str(getattr(row, c)) for c in ("article_id", "start", "end") if hasattr(row, c))
            if name == "sentences":
                key = f"{row.article_id}|{row.sentence_index}"
            payload = json.dumps({"article_id": row.article_id})
            records.append((run_id, name, key, "parent_article_quarantined", payload, now))
        out[name] = frame[~mask].reset_index(drop=True)
    return out, pd.DataFrame(records, columns=QUARANTINE_COLUMNS)


def registry_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Registry rows that are new or changed (aliases grew, a place was located) in this run."""
    if before.empty:
        return after
    known = before.set_index("entity_id")
    changed = []
    for row in after.itertuples(index=False):
        if row.entity_id not in known.index:
            changed.append(True)
            continue
        old_aliases = known.at[row.entity_id, "aliases"]
        located = any(
            not _same(known.at[row.entity_id, column], getattr(row, column))
            for column in ("country_code", "latitude")
            if column in known.columns
        )
        changed.append(located or sorted(_as_list(old_aliases)) != sorted(_as_list(row.aliases)))
    return after[pd.Series(changed, index=after.index, dtype=bool)]


def _same(a: object, b: object) -> bool:
    """Equal, or both missing (None, NaN and NA alike)."""
    missing_a, missing_b = bool(pd.isna(a)), bool(pd.isna(b))
    return (missing_a and missing_b) or (not missing_a and not missing_b and a == b)


def _as_list(value: object) -> list:
    if value is None:
        return []
    try:
        return list(value)  # type: ignore[arg-type]
    except TypeError:
        return []


TEXT_REPAIR_COLUMNS = ["run_id", "table", "key", "field", "repair", "count"]


def text_repairs(raw: pd.DataFrame, article_repairs: pd.DataFrame, run_id: str) -> pd.DataFrame:
    """The `text_repairs` rows of a run: what entering text lost or had replaced, by row and field."""
    rows = [
        (run_id, "raw_documents", doc_id, name, kind, count)
        for doc_id, repairs in zip(raw["doc_id"], raw.get("repairs", pd.Series([[]] * len(raw))), strict=True)
        for name, kind, count in repairs or ()
    ]
    rows += [
        (run_id, "articles", r.article_id, r.field, r.repair, int(r.count))
        for r in article_repairs.itertuples(index=False)
    ]
    frame = pd.DataFrame(rows, columns=TEXT_REPAIR_COLUMNS)
    frame["count"] = frame["count"].astype("int32")
    return frame


def step_rejects(failures: dict[str, str], articles: pd.DataFrame) -> pd.DataFrame:
    """Quarantine records (validator form) of the articles a batch step raised for (transforms.isolation)."""
    failed = articles[articles["article_id"].isin(failures)]
    records = [
        {
            "table": "articles",
            "key": article_id,
            "reason": failures[article_id],
            "payload": json.dumps({"article_id": article_id, "doc_id": doc_id, "item_index": int(index)}),
            "row": -1,
        }
        for article_id, doc_id, index in zip(
            failed["article_id"], failed["doc_id"], failed["item_index"], strict=True
        )
    ]
    return pd.DataFrame(records, columns=["table", "key", "reason", "payload", "row"])
