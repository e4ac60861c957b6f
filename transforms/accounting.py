"""Every input item ends as loaded, duplicate or quarantined, with a reason; the counts add up."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

QUARANTINE_COLUMNS = ["run_id", "table", "key", "reason", "payload", "quarantined_at"]


def split_repeated_bytes(raw: pd.DataFrame, known_doc_ids: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(items to parse, items whose bytes were already seen) — the same bytes are parsed once."""
    repeated = raw["doc_id"].isin(known_doc_ids) | raw.duplicated("doc_id", keep="first")
    readable = raw["precheck_reason"].isna()
    return raw[~repeated | ~readable], raw[repeated & readable]


def readable_items(to_parse: pd.DataFrame) -> pd.DataFrame:
    """The items parsing gets: those the discovery pre-checks (size, readability, poison) let through."""
    return to_parse[to_parse["precheck_reason"].isna()]


@dataclass
class Intake:
    """What a run was given and what parsing made of it: everything its accounting is made of."""

    run_id: str
    raw: pd.DataFrame  # every item discovered by the run (poisoned ones marked)
    repeats: pd.DataFrame  # items whose bytes an earlier run or item had: not parsed again
    parse_rejects: pd.DataFrame  # doc_id, item_index (-1 = whole item), reason, detail
    articles: pd.DataFrame  # every parsed article, duplicates (duplicate_of set) included
    media_types: dict[str, str]
    repairs: pd.DataFrame  # text repairs of the parsed articles (ParseResult.repairs)
    skipped: int  # known inputs not rediscovered

    @property
    def originals(self) -> pd.DataFrame:
        """The articles the run enriches and links: new ones, not copies of another."""
        articles = self.articles
        return articles[articles["duplicate_of"].isna()] if not articles.empty else articles

    def documents(self, rejected_articles: Collection[str]) -> pd.DataFrame:
        """The raw_documents rows of the run, given the articles that did not make it."""
        return document_status(
            self.raw.drop(self.repeats.index),
            self.repeats,
            self.parse_rejects,
            self.articles,
            self.media_types,
            rejected_articles,
            self.run_id,
        )


def mark_poisoned(raw: pd.DataFrame, poisoned: Mapping[tuple[str, str], str]) -> pd.DataFrame:
    """Inputs that failed too many runs (warehouse.input_failures) end as quarantined `poison`, unparsed."""
    if not poisoned or raw.empty:
        return raw
    keys = list(zip(raw["doc_id"], raw["source_uri"], strict=True))
    hit = pd.Series([key in poisoned for key in keys], index=raw.index)
    if not hit.any():
        return raw
    raw = raw.copy()
    raw.loc[hit, "precheck_reason"] = "poison"
    raw.loc[hit, "precheck_detail"] = [poisoned[key] for key, h in zip(keys, hit, strict=True) if h]
    raw.loc[hit, "content"] = None
    return raw


def document_status(
    raw: pd.DataFrame,
    repeats: pd.DataFrame,
    parse_rejects: pd.DataFrame,
    articles: pd.DataFrame,
    media_types: dict[str, str],
    rejected_articles: Collection[str],
    run_id: str,
) -> pd.DataFrame:
    """The raw_documents rows of this run: status and reason for every discovered item.

    `rejected_articles` may map each rejected article to the reason its item takes when none of
    its articles is left (default `articles_failed_validation`).
    """
    # Plain dicts and tuples: per-item frame lookups cost more than the rest of the step.
    whole_rejects: dict[str, tuple[object, object]] = {}
    item_rejects: set[str] = set()
    for doc, index, reason, detail in parse_rejects[["doc_id", "item_index", "reason", "detail"]].itertuples(
        index=False
    ):
        if index < 0:
            whole_rejects.setdefault(doc, (reason, detail))
        else:
            item_rejects.add(doc)
    by_doc: dict[str, list[tuple[str, object]]] = {}
    if not articles.empty:
        for doc, article, duplicate_of in zip(
            articles["doc_id"], articles["article_id"], articles["duplicate_of"], strict=True
        ):
            by_doc.setdefault(doc, []).append((article, duplicate_of))
    rows = []
    for item in raw.itertuples(index=False):
        status, reason, count = _status_of(item, whole_rejects, item_rejects, by_doc, rejected_articles)
        rows.append(_row(item, media_types.get(item.doc_id, "unknown"), run_id, status, reason, count))
    first_uri = dict(zip(raw["doc_id"][::-1], raw["source_uri"][::-1], strict=True))
    for item in repeats.itertuples(index=False):
        where = first_uri.get(item.doc_id)
        reason = (
            f"same bytes as {where}" if where and where != item.source_uri else "same bytes as a loaded item"
        )
        rows.append(_row(item, media_types.get(item.doc_id, "unknown"), run_id, "duplicate", reason, 0))
    return pd.DataFrame(rows)


def _status_of(
    item,
    whole_rejects: dict[str, tuple[object, object]],
    item_rejects: set[str],
    by_doc: dict[str, list[tuple[str, object]]],
    rejected_articles: Collection[str],
) -> tuple[str, str | None, int]:
    if isinstance(item.precheck_reason, str):
        return "quarantined", _reason(item.precheck_reason, item.precheck_detail), 0
    if item.doc_id in whole_rejects:
        return "quarantined", _reason(*whole_rejects[item.doc_id]), 0
    group = by_doc.get(item.doc_id)
    if not group:
        if item.doc_id in item_rejects:
            return "quarantined", "all_items_rejected", 0
        return "quarantined", "no_articles: no article text found", 0
    kept = [(article, duplicate_of) for article, duplicate_of in group if article not in rejected_articles]
    if not kept:
        reasons = rejected_articles if isinstance(rejected_articles, Mapping) else {}
        return "quarantined", reasons.get(group[0][0]) or "articles_failed_validation", 0
    if all(isinstance(duplicate_of, str) for _, duplicate_of in kept):
        return "duplicate", f"duplicate of article {kept[0][1]}", 0
    return "loaded", None, len(kept)


def _reason(slug: object, detail: object) -> str:
    return f"{slug}: {detail}" if isinstance(detail, str) and detail else str(slug)


def _row(item, media_type: str, run_id: str, status: str, reason: str | None, count: int) -> dict:
    return {
        "doc_id": item.doc_id,
        "source_uri": item.source_uri,
        "media_type": media_type,
        "size_bytes": item.size_bytes,
        "fetched_at": item.fetched_at,
        "run_id": run_id,
        "status": status,
        "reason": reason,
        "article_count": count,
    }


def quarantine_records(
    documents: pd.DataFrame, parse_rejects: pd.DataFrame, run_id: str, now: pd.Timestamp
) -> pd.DataFrame:
    """Quarantine rows for rejected items and rejected entries inside items."""
    rows = []
    for doc in documents[documents["status"] == "quarantined"].itertuples(index=False):
        payload = json.dumps(
            {"source_uri": doc.source_uri, "size_bytes": doc.size_bytes, "media_type": doc.media_type}
        )
        rows.append((run_id, "raw_documents", doc.doc_id, doc.reason, payload, now))
    uri = dict(zip(documents["doc_id"], documents["source_uri"], strict=False))
    for reject in parse_rejects[parse_rejects["item_index"] >= 0].itertuples(index=False):
        payload = json.dumps({"source_uri": uri.get(reject.doc_id), "item_index": int(reject.item_index)})
        key = f"{reject.doc_id}#{int(reject.item_index)}"
        rows.append((run_id, "articles", key, _reason(reject.reason, reject.detail), payload, now))
    return pd.DataFrame(rows, columns=QUARANTINE_COLUMNS)


def as_quarantine(rejects: list[pd.DataFrame], run_id: str, now: pd.Timestamp) -> list[pd.DataFrame]:
    """Validator-form reject records (table, key, reason, payload, row) as quarantine rows."""
    return [r.drop(columns=["row"]).assign(run_id=run_id, quarantined_at=now) for r in rejects]


def rejected_keys(rejects: list[pd.DataFrame], table: str) -> set[str]:
    keys: set[str] = set()
    for frame in rejects:
        keys.update(frame.loc[frame["table"] == table, "key"].astype(str))
    return keys


def counts(documents: pd.DataFrame, skipped: int) -> dict[str, int]:
    """The run's item counts; discovered == loaded + duplicate + quarantined by construction."""
    by_status = documents["status"].value_counts().to_dict() if not documents.empty else {}
    result = {
        "discovered": len(documents),
        "loaded": int(by_status.get("loaded", 0)),
        "duplicate": int(by_status.get("duplicate", 0)),
        "quarantined": int(by_status.get("quarantined", 0)),
        "unchanged_skipped": skipped,
    }
    return result


def check_counts(result: dict[str, int]) -> None:
    total = result["loaded"] + result["duplicate"] + result["quarantined"]
    if total != result["discovered"]:
        raise RuntimeError(
            f"run accounting does not add up: discovered {result['discovered']} != "
            f"loaded {result['loaded']} + duplicate {result['duplicate']} + quarantined {result['quarantined']}"
        )


def check_loaded(result: dict[str, int], loaded_by_status: dict[str, int]) -> None:
    """The warehouse holds exactly the run's documents: one raw_documents row per discovered item."""
    expected = {k: int(result.get(k, 0)) for k in ("loaded", "duplicate", "quarantined")}
    actual = {k: int(loaded_by_status.get(k, 0)) for k in expected}
    total = sum(int(v) for v in loaded_by_status.values())
    if total != result["discovered"] or actual != expected:
        raise RuntimeError(
            f"warehouse accounting does not match the run: discovered {result['discovered']}, "
            f"expected {expected}, raw_documents of the run hold {dict(loaded_by_status)}"
        )
