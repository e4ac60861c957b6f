"""The `ingest` flow: raw articles in, a validated DuckDB warehouse out.

Reads like the data path: discover → parse → enrich → link → validate → write
lake → load → report. Every task works on a batch; the logic lives in
`transforms/`, `expectations/` and `warehouse/`.
"""

from __future__ import annotations

import json
import secrets
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import artifacts, runners
from flows.workers import can_fork_workers, enrich_isolated_in_worker, parse_in_workers, worker_pool
from newsflow.settings import Settings, load_settings
from transforms import accounting, dedup, tables
from transforms.discover import discover, iter_files, read_item
from transforms.enrich import Enriched, concat, enrich, enrich_isolated
from transforms.link import Known, Linked, link_isolated
from transforms.nlp import load_pipeline
from transforms.parsing import ParseLimits, ParseResult
from warehouse import lake, loader
from warehouse.input_failures import InputFailures
from warehouse.lock import writer_lock
from warehouse.state import WarehouseState, read_state


@dataclass
class RunSummary:
    run_id: str
    status: str
    counts: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    quarantine_reasons: dict = field(default_factory=dict)
    validation: dict = field(default_factory=dict)
    database: str = ""
    lake: str = ""
    docs: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


# Tasks take whole frames; Prefect's default cache key would hash (serialise) every one of them,
# and nothing here is cached: hence NO_CACHE throughout.
@task(name="discover-inputs", cache_policy=NO_CACHE)
def discover_inputs(settings: Settings, state: WarehouseState, now: pd.Timestamp) -> tuple[pd.DataFrame, int]:
    missing = [str(p) for p in settings.inbox if not p.exists()]
    if missing:
        raise FileNotFoundError(f"inbox not found: {', '.join(missing)}")
    return _discover(settings, state.seen_inputs, now)


@task(name="parse-documents", cache_policy=NO_CACHE)
def parse_raw(
    raw: pd.DataFrame, settings: Settings, state: WarehouseState
) -> tuple[ParseResult, pd.DataFrame, pd.DataFrame]:
    """(parse result with duplicate_of, items whose bytes were seen before, article signatures)."""
    to_parse, repeats = accounting.split_repeated_bytes(raw, state.known_doc_ids)
    readable = to_parse[to_parse["precheck_reason"].isna()]
    limits = _limits(settings)
    parsed = _PARSED_AHEAD.pop(_parse_key(readable, limits), None)
    if parsed is None:
        parsed = parse_in_workers(readable[["doc_id", "source_uri", "content"]], limits, settings.n_process)
    if not parsed.articles.empty:  # the parse's MinHashes: dedup now, a table later
        parsed.articles["duplicate_of"] = dedup.find_duplicates(
            parsed.articles, state.signatures, parsed.signatures
        )
    return parsed, repeats, parsed.signatures


@task(name="enrich-batch", cache_policy=NO_CACHE)
def enrich_batch(
    articles: pd.DataFrame, model: str, nlp_batch_size: int, n_process: int
) -> tuple[Enriched, dict[str, str]]:
    """(the batch enriched, {article_id: reason} of the articles the step raised for)."""
    get_run_logger().info("step enrich: batch of %d articles", len(articles))
    nlp = load_pipeline(model)
    return enrich_isolated(
        articles, lambda b: enrich(b, nlp, nlp_batch_size, n_process, undated_timexes=False)
    )


@task(name="enrich-batch", cache_policy=NO_CACHE)
def enrich_batch_in_pool(
    articles: pd.DataFrame, model: str, nlp_batch_size: int, pool: Executor
) -> tuple[Enriched, dict[str, str]]:
    """The batch's whole enrich step in a worker process; this task thread only waits for it."""
    get_run_logger().info("step enrich: batch of %d articles", len(articles))
    return pool.submit(enrich_isolated_in_worker, articles, model, nlp_batch_size).result()


@task(name="link-entities-stories", cache_policy=NO_CACHE)
def link_articles(
    articles: pd.DataFrame, enriched: Enriched, state: WarehouseState, known: Known, processes: int
) -> tuple[Linked, dict[str, str]]:
    """(the articles linked, {article_id: reason} of the articles the step raised for)."""
    if not can_fork_workers(processes):
        return link_isolated(articles, enriched, state.registry, known)
    with worker_pool(processes, background=True) as pool:  # per-article work and discrepancies
        return link_isolated(articles, enriched, state.registry, known, pool=pool, processes=processes)


@task(name="validate-tables", cache_policy=NO_CACHE)
def validate(frames: dict[str, pd.DataFrame], docs_dir: Path, now: pd.Timestamp):
    from expectations.runner import Validator

    log = get_run_logger()
    validator = Validator(docs_dir)
    bodies = dict(zip(frames["articles"]["article_id"], frames["articles"]["body"], strict=True))
    passed: dict[str, pd.DataFrame] = {}
    rejects: list[pd.DataFrame] = []
    outcomes = {}
    # Articles first: children of a rejected article follow it into quarantine.
    for table in (
        "raw_documents",
        "articles",
        "entities",
        "mentions",
        "timexes",
        "quotes",
        "stories",
        "discrepancies",
        "text_repairs",
    ):
        frame = frames.get(table)
        if frame is None:
            continue
        log.info("validating %s: %d rows", table, len(frame))
        good, bad, outcome = validator.validate(table, frame, bodies=bodies, now=now)
        passed[table], outcomes[table] = good, outcome
        if not bad.empty:
            rejects.append(bad)
    for table in ("sentences", "article_signatures"):
        passed[table] = frames[table]
    docs = validator.build_docs()
    return passed, rejects, outcomes, docs, validator


@task(name="write-lake", cache_policy=NO_CACHE)
def write_lake(
    frames: dict[str, pd.DataFrame], lake_dir: Path, run_id: str, now: pd.Timestamp
) -> dict[str, Path]:
    return lake.write_run(frames, lake_dir, run_id, now.date())


@task(name="load-warehouse", cache_policy=NO_CACHE)
def load_warehouse(files: dict[str, Path], database: Path, run_row: dict) -> dict[str, int]:
    con = loader.connect(database)
    try:
        return loader.load_run(con, files, run_row)
    finally:
        con.close()


@flow(name="ingest", log_prints=False, task_runner=runners.task_runner_for())
def ingest(
    inbox: list[str] | None = None, feeds: list[str] | None = None, data_dir: str | None = None
) -> dict:
    """Ingest new raw articles from the inbox folders into the warehouse."""
    settings = load_settings(inbox=inbox, feeds=feeds, data_dir=data_dir)
    log = get_run_logger()
    now = pd.Timestamp.now(tz="UTC").floor("s")
    run_id = f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    summary = RunSummary(
        run_id, "nothing-new", database=str(settings.database_path), lake=str(settings.lake_dir)
    )
    # One writer at a time: the Prefect global limit across workers, the file lock on this data dir.
    with (
        runners.writer_slot(settings.lock_timeout_seconds),
        writer_lock(settings.lock_path, settings.lock_timeout_seconds),
    ):
        state = read_state(settings.database_path, with_articles=False)
        lake.discard_uncommitted(settings.lake_dir, state.committed_run_ids)
        raw, skipped = discover_inputs(settings, state, now)
        if settings.feeds:
            raw, skipped = _with_feeds(raw, skipped, settings, state, now)
        log.info("discovered %d new items (%d unchanged skipped)", len(raw), skipped)
        if raw.empty:
            summary.counts = {"discovered": 0, "unchanged_skipped": skipped}
            artifacts.publish_summary(summary.to_dict())
            return summary.to_dict()
        failures = InputFailures(settings.input_failures_path)
        raw = accounting.mark_poisoned(raw, failures.poisoned(settings.max_input_failures))
        # A failure from here on that no item isolation caught counts against this run's inputs.
        with failures.attempt(zip(raw["doc_id"], raw["source_uri"], strict=True), run_id):
            state = read_state(settings.database_path, with_articles=True)
            log.info("step parse: %d items", len(raw))
            parsed, repeats, signatures = parse_raw(raw, settings, state)
            articles = parsed.articles
            originals = articles[articles["duplicate_of"].isna()] if not articles.empty else articles
            log.info(
                "parsed %d articles (%d new originals), %d rejects",
                len(articles),
                len(originals),
                len(parsed.rejects),
            )

            enriched, failed = _enrich_all(originals, settings)
            known = _known(settings.database_path, state)
            linked, link_failed = link_articles(
                originals[~originals["article_id"].isin(failed)], enriched, state, known, settings.n_process
            )
            failed |= link_failed  # articles a step raised for: quarantined with the step's reason
            step_rejects = tables.step_rejects(failed, articles)
            articles = articles[~articles["article_id"].isin(failed)] if failed else articles
            parsed_articles = parsed.articles  # for the accounting: every article has its item

            frames = {
                "articles": tables.article_rows(articles, linked.story_ids, run_id)
                if not articles.empty
                else articles,
                "entities": tables.registry_changes(state.registry, linked.registry),
                "mentions": linked.mentions,
                "timexes": linked.timexes,
                "quotes": linked.quotes,
                "stories": linked.stories,
                "discrepancies": linked.discrepancies,
                "sentences": enriched.sentences,
                "article_signatures": signatures,
                "text_repairs": tables.text_repairs(raw, parsed.repairs, run_id),
            }
            frames["raw_documents"] = accounting.document_status(
                raw.drop(repeats.index),
                repeats,
                parsed.rejects,
                parsed_articles,
                parsed.media_types,
                failed,
                run_id,
            )
            log.info("step validate")
            passed, rejects, outcomes, docs, _ = validate(frames, settings.docs_dir, now)
            table_failures = {
                t: o.table_level_failures for t, o in outcomes.items() if o.table_level_failures
            }
            if table_failures and settings.fail_on_validation_error:
                raise RuntimeError(
                    f"validation failed at table level, nothing loaded: {json.dumps(table_failures)}"
                )

            rejects.append(step_rejects)
            rejected_articles = dict.fromkeys(
                _rejected_ids(rejects, "articles"), "articles_failed_validation"
            )
            rejected_articles |= failed
            passed["text_repairs"] = _of_kept_articles(passed["text_repairs"], rejected_articles)
            passed, cascaded = tables.cascade_rejected_articles(passed, rejected_articles, run_id, now)
            documents = accounting.document_status(
                raw.drop(repeats.index),
                repeats,
                parsed.rejects,
                parsed_articles,
                parsed.media_types,
                rejected_articles,
                run_id,
            )
            passed["raw_documents"] = documents
            quarantine = pd.concat(
                [
                    accounting.quarantine_records(documents, parsed.rejects, run_id, now),
                    cascaded,
                    *_as_quarantine(rejects, run_id, now),
                ],
                ignore_index=True,
            )
            passed["quarantine"] = quarantine
            counts = accounting.counts(documents, skipped)
            accounting.check_counts(counts)
            counts["articles"] = len(passed["articles"])

            log.info("step write-lake")
            files = write_lake(passed, settings.lake_dir, run_id, now)
            run_row = {
                "run_id": run_id,
                "prefect_flow_run_id": str(flow_run.get_id() or ""),
                "started_at": now.to_pydatetime(),
                "finished_at": pd.Timestamp.now(tz="UTC").to_pydatetime(),
                "status": "completed",
                "counts": json.dumps(counts),
                "validation": json.dumps({t: o.failed for t, o in outcomes.items()}),
            }
            log.info("step load: %d files", len(files))
            rows = load_warehouse(files, settings.database_path, run_row)
        log.info("step committed: run %s", run_id)
        # Still under the writer lock: no other run can hold the database file for writing now.
        artifacts.publish_tables(settings.database_path, run_id)
        artifacts.publish_report(settings.database_path, settings.data_dir / "report" / "index.html")

    summary.status = "completed"
    summary.counts = counts
    summary.rows = rows
    summary.quarantine_reasons = quarantine["reason"].value_counts().to_dict() if not quarantine.empty else {}
    summary.validation = {t: {"rows": o.rows, "failed": o.failed} for t, o in outcomes.items()}
    summary.docs = str(docs) if docs else None
    artifacts.publish_summary(summary.to_dict())
    log.info("run %s: %s", run_id, json.dumps(counts))
    return summary.to_dict()


def _enrich_all(originals: pd.DataFrame, settings: Settings) -> tuple[Enriched, dict[str, str]]:
    """Enrich in batches, one task each: over forked worker processes, or over Dask workers.

    Returns the batches' results and {article_id: reason} of the articles enrich raised for."""
    columns = ["article_id", "body", "published_at"]
    processes = settings.n_process
    size = _batch_size(len(originals), settings.batch_size, processes)
    batches = [originals.iloc[i : i + size][columns] for i in range(0, max(len(originals), 1), size)]
    model, nlp_batch_size = settings.spacy_model, settings.nlp_batch_size
    if not _runs_in_threads():  # a Dask runner spreads the batches over its own worker processes
        results = [f.result() for f in [enrich_batch.submit(b, model, nlp_batch_size, 1) for b in batches]]
    elif not can_fork_workers(processes):
        results = [enrich_batch(b, model, nlp_batch_size, processes) for b in batches]
    else:
        with worker_pool(processes, model) as pool:
            futures = [enrich_batch_in_pool.submit(b, model, nlp_batch_size, pool) for b in batches]
            results = [f.result() for f in futures]
    failed = {key: reason for _, failures in results for key, reason in failures.items()}
    return concat([enriched for enriched, _ in results]), failed


def _batch_size(articles: int, largest: int, processes: int) -> int:
    """Batches of at most `largest` articles, and enough of them (8 per process) that no worker
    waits long for the last one; never below 16 articles, so task overhead stays small."""
    return max(1, min(largest, max(16, -(-articles // (8 * processes)))))


def _runs_in_threads() -> bool:
    """True under the default thread runner (whatever the settings say: `with_options` may swap it)."""
    from prefect.context import FlowRunContext
    from prefect.task_runners import ThreadPoolTaskRunner

    context = FlowRunContext.get()
    return context is None or isinstance(context.task_runner, ThreadPoolTaskRunner)


def _with_feeds(
    raw: pd.DataFrame, skipped: int, settings: Settings, state: WarehouseState, now: pd.Timestamp
) -> tuple[pd.DataFrame, int]:
    """Poll the feed URLs of the settings (retried task) and add each response as a raw item.

    A feed that still fails after its retries becomes an item with no bytes and reason
    `fetch_failed`, so it is accounted for like an unreadable file.
    """
    from flows.feeds import fetch_feeds
    from newsflow.sources import HttpFeedSource
    from transforms.discover import RawItem, item_from_bytes
    from transforms.ids import stable_id

    source = HttpFeedSource(max_bytes=settings.max_file_bytes)
    fetched = fetch_feeds(settings.feeds, source.fetch)
    items = [
        item_from_bytes(row.content, row.source_uri)
        if row.content is not None
        else RawItem(
            stable_id("unreadable", row.source_uri, length=64),
            row.source_uri,
            0,
            None,
            "fetch_failed",
            row.error,
        )
        for row in fetched.itertuples(index=False)
    ]
    feeds, feed_skipped = discover(items, state.seen_inputs, now)
    return pd.concat([raw, feeds], ignore_index=True), skipped + feed_skipped


def _discover(settings: Settings, seen: set[tuple[str, str]], now: pd.Timestamp) -> tuple[pd.DataFrame, int]:
    items = (read_item(path, settings.max_file_bytes) for path in iter_files(settings.inbox))
    raw, skipped = discover(items, seen, now)
    # The same file reached twice (a folder and a file inside it) is one input, counted once.
    repeated = raw.duplicated(["doc_id", "source_uri"])
    return raw[~repeated].reset_index(drop=True), skipped + int(repeated.sum())


def _limits(settings: Settings) -> ParseLimits:
    return ParseLimits(
        max_bytes=settings.max_file_bytes,
        max_decompressed_bytes=settings.max_decompressed_bytes,
        max_html_depth=settings.max_html_depth,
        max_feed_entries=settings.max_feed_entries,
    )


def _known(database: Path, state: WarehouseState) -> Known:
    from warehouse.state import read_known_children

    return read_known_children(database, state.articles, state.mentions)


def _rejected_ids(rejects: list[pd.DataFrame], table: str) -> set[str]:
    ids: set[str] = set()
    for frame in rejects:
        ids.update(frame.loc[frame["table"] == table, "key"].astype(str))
    return ids


def _of_kept_articles(repairs: pd.DataFrame, rejected: dict[str, str]) -> pd.DataFrame:
    """Repairs of quarantined articles go with them (their quarantine rows keep the payload)."""
    gone = (repairs["table"] == "articles") & repairs["key"].isin(rejected)
    return repairs[~gone].reset_index(drop=True)


def _as_quarantine(rejects: list[pd.DataFrame], run_id: str, now: pd.Timestamp) -> list[pd.DataFrame]:
    return [r.drop(columns=["row"]).assign(run_id=run_id, quarantined_at=now) for r in rejects]


# ---------------------------------------------------------------- parsing ahead of the flow

# Parse results computed before the flow starts, by their exact input: (doc_id, source_uri) pairs
# (doc_id is the hash of the bytes) and limits. Parsing is a pure function of these.
_PARSED_AHEAD: dict[tuple, ParseResult] = {}


def _parse_key(readable: pd.DataFrame, limits: ParseLimits) -> tuple:
    return (limits, tuple(zip(readable["doc_id"], readable["source_uri"], strict=True)))


def parse_ahead(settings: Settings) -> None:
    """Parse the new inbox items while the Prefect server starts (see `newsflow.warmup`).

    Best effort and without the writer lock: the flow takes the result only if it is then asked to
    parse exactly the same items, else it parses them itself.
    """
    state = read_state(settings.database_path, with_articles=False)
    raw, _ = _discover(settings, state.seen_inputs, pd.Timestamp.now(tz="UTC"))
    to_parse, _ = accounting.split_repeated_bytes(raw, state.known_doc_ids)
    readable = to_parse[to_parse["precheck_reason"].isna()]
    _PARSED_AHEAD.clear()
    if readable.empty:
        return
    limits = _limits(settings)
    _PARSED_AHEAD[_parse_key(readable, limits)] = parse_in_workers(
        readable[["doc_id", "source_uri", "content"]], limits, settings.n_process
    )
