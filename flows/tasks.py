"""The tasks of the ingest flow, one per step of the data path, each named for what it produces.

A task only wires: the logic lives in `transforms/`, `expectations/` and `warehouse/`, the worker
processes and parse-ahead in `runtime/`. Tasks take whole frames; Prefect's default cache key would
hash (serialise) every one of them, and nothing here is cached: hence NO_CACHE throughout.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import Executor
from pathlib import Path

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError

from runtime.parse_ahead import ParsedAhead, parse, parse_limits
from runtime.settings import Settings
from runtime.workers import can_fork_workers, enrich_isolated_in_worker, worker_pool
from transforms import accounting, dedup, tables
from transforms.accounting import Intake
from transforms.discover import discover_inbox
from transforms.enrich import Enriched, concat, enrich, enrich_isolated
from transforms.language import plan_ner
from transforms.link import Known, Linked, known_bodies, link_isolated, requoted
from transforms.nlp import annotate, load_pipeline
from warehouse import lake, loader
from warehouse.state import WarehouseState, read_article_rows, read_known_children, read_quotes_of_speakers


@task(name="discover-inputs", cache_policy=NO_CACHE)
def discover_inputs(settings: Settings, state: WarehouseState, now: pd.Timestamp) -> tuple[pd.DataFrame, int]:
    """(the new items of the inbox, how many known ones were skipped)."""
    missing = [str(p) for p in settings.inbox if not p.exists()]
    if missing:
        raise FileNotFoundError(f"inbox not found: {', '.join(missing)}")
    raw, skipped = discover_inbox(settings.inbox, settings.max_file_bytes, state.seen_inputs, now)
    _step_log().info("discovered %d new items (%d unchanged skipped)", len(raw), skipped)
    return raw, skipped


@task(name="parse-documents", cache_policy=NO_CACHE)
def parse_documents(
    raw: pd.DataFrame, skipped: int, settings: Settings, state: WarehouseState, run_id: str
) -> tuple[Intake, pd.DataFrame]:
    """(the run's intake: items, parsed articles marked with duplicate_of, rejects; article signatures)."""
    _step_log().info("step parse: %d items", len(raw))
    to_parse, repeats = accounting.split_repeated_bytes(raw, state.known_doc_ids)
    limits = parse_limits(settings)
    parsed = parse(
        accounting.readable_items(to_parse), limits, settings.n_process, ParsedAhead(settings.parse_ahead_dir)
    )
    if not parsed.articles.empty:  # the parse's MinHashes: dedup now, a table later
        parsed.articles["duplicate_of"] = dedup.find_duplicates(
            parsed.articles, state.signatures, parsed.signatures
        )
    articles = plan_ner(parsed.articles, settings.ner_models)  # which NER model each one gets, if any
    intake = Intake(
        run_id, raw, repeats, parsed.rejects, articles, parsed.media_types, parsed.repairs, skipped
    )
    _step_log().info(
        "parsed %d articles (%d new originals), %d rejects",
        len(parsed.articles),
        len(intake.originals),
        len(parsed.rejects),
    )
    return intake, parsed.signatures


@task(name="enrich-batch", cache_policy=NO_CACHE)
def enrich_batch(
    articles: pd.DataFrame, model: str, nlp_batch_size: int, n_process: int
) -> tuple[Enriched, dict[str, str]]:
    """(the batch enriched, {article_id: reason} of the articles the step raised for)."""
    _log().info("step enrich: batch of %d articles", len(articles))
    nlp = load_pipeline(model)
    return enrich_isolated(
        articles, lambda b: enrich(b, nlp, nlp_batch_size, n_process, undated_timexes=False)
    )


@task(name="enrich-batch", cache_policy=NO_CACHE)
def enrich_batch_in_pool(
    articles: pd.DataFrame, model: str, nlp_batch_size: int, pool: Executor
) -> tuple[Enriched, dict[str, str]]:
    """The batch's whole enrich step in a worker process; this task thread only waits for it."""
    _log().info("step enrich: batch of %d articles", len(articles))
    return pool.submit(enrich_isolated_in_worker, articles, model, nlp_batch_size).result()


def enrich_articles(originals: pd.DataFrame, settings: Settings) -> tuple[Enriched, dict[str, str]]:
    """Enrich in batches, one task each: over forked worker processes, or over Dask workers.

    Returns the batches' results and {article_id: reason} of the articles enrich raised for."""
    processes, nlp_batch_size = settings.n_process, settings.nlp_batch_size
    batches = _model_batches(originals, settings, processes)  # [(model, batch)], one model per batch
    if not _runs_in_threads():  # a Dask runner spreads the batches over its own worker processes
        futures = [enrich_batch.submit(b, model, nlp_batch_size, 1) for model, b in batches]
        results = [f.result() for f in futures]
    elif not can_fork_workers(processes):
        results = [enrich_batch(b, model, nlp_batch_size, processes) for model, b in batches]
    else:
        with worker_pool(processes, settings.spacy_model) as pool:  # other models load in the workers
            futures = [enrich_batch_in_pool.submit(b, model, nlp_batch_size, pool) for model, b in batches]
            results = [f.result() for f in futures]
    failed = {key: reason for _, failures in results for key, reason in failures.items()}
    return concat([enriched for enriched, _ in results]), failed


def _model_batches(
    originals: pd.DataFrame, settings: Settings, processes: int
) -> list[tuple[str, pd.DataFrame]]:
    """The articles that have a model, in batches of one model each (English first). Those without
    one go through no model; an empty English batch keeps the results' frames shaped."""
    columns = ["article_id", "body", "published_at", "language"]
    models = (
        originals["ner_model"]
        if "ner_model" in originals
        else pd.Series(settings.spacy_model, originals.index)
    )
    batches: list[tuple[str, pd.DataFrame]] = []
    for model in sorted(set(models.dropna()), key=lambda m: (m != settings.spacy_model, m)):
        chosen = originals[models.eq(model)].reindex(columns=columns)
        size = _batch_size(len(chosen), settings.batch_size, processes)
        batches += [(model, chosen.iloc[i : i + size]) for i in range(0, len(chosen), size)]
    return batches or [(settings.spacy_model, originals.iloc[:0].reindex(columns=columns))]


@task(name="link-entities-stories", cache_policy=NO_CACHE)
def link_articles(
    articles: pd.DataFrame, enriched: Enriched, state: WarehouseState, settings: Settings, now: pd.Timestamp
) -> tuple[Linked, dict[str, str], pd.DataFrame]:
    """(the articles linked to entities and stories, {article_id: reason} of those the step raised
    for, the stored rows of the known articles whose estimated publication time the run revises)."""
    database, processes = settings.database_path, settings.n_process
    known: Known = read_known_children(
        database, state.articles, state.mentions, state.story_redirects, state.entity_redirects
    )

    def find_spans(frame: pd.DataFrame) -> pd.DataFrame:  # the same NER as the enrich step's
        return annotate(frame, load_pipeline(settings.spacy_model), settings.nlp_batch_size)[0]

    if not can_fork_workers(processes):
        linked, failed = link_isolated(articles, enriched, state.registry, known, None, 1, find_spans, now)
    else:
        with worker_pool(processes, background=True) as pool:  # per-article work and discrepancies
            linked, failed = link_isolated(
                articles, enriched, state.registry, known, pool, processes, find_spans, now
            )
    revised = sorted(set(linked.revised["article_id"]) | set(linked.moved["article_id"]))
    if not linked.entity_redirects.empty:  # quotes of speakers merged into another entity follow them
        linked.requoted = requoted(
            read_quotes_of_speakers(database, list(linked.entity_redirects["entity_id"])),
            linked.entity_redirects,
        )
    linked.known_bodies = known_bodies(state.articles, linked)
    if revised or linked.revisions:
        _step_log().info(
            "revising %d known articles: %s",
            len(revised),
            json.dumps(linked.revisions),
        )
    return linked, failed, read_article_rows(database, revised)


@task(name="validate-tables", cache_policy=NO_CACHE)
def validate_tables(
    frames: dict[str, pd.DataFrame],
    intake: Intake,
    failed: dict[str, str],
    settings: Settings,
    now: pd.Timestamp,
    known_bodies: dict[str, str] | None = None,
):
    """Every table through its GX suite, then the items' raw_documents rows, whose statuses depend
    on the articles rejected. A table-level failure fails the run before anything is loaded.
    `known_bodies`: of the known articles whose mentions or quotes the run writes again."""
    from expectations.runner import Validator

    _step_log().info("step validate")
    validator = Validator(settings.docs_dir)
    report = validator.validate_tables(frames, now, log=_step_log(), known_bodies=known_bodies)
    documents = intake.documents(tables.rejected_articles(report.rejects, failed))
    report.add(validator.validate_tables({"raw_documents": documents}, now, log=_step_log()))
    report.passed["raw_documents"] = documents  # every item keeps its row: its status is the accounting
    report.docs_index = validator.build_docs(report, settings.data_docs)
    if report.table_failures and settings.fail_on_validation_error:
        raise RuntimeError(
            f"validation failed at table level, nothing loaded: {json.dumps(report.table_failures)}"
        )
    return report


@task(name="write-lake", cache_policy=NO_CACHE)
def write_lake(
    frames: dict[str, pd.DataFrame], lake_dir: Path, run_id: str, now: pd.Timestamp
) -> dict[str, Path]:
    _step_log().info("step write-lake")
    return lake.write_run(frames, lake_dir, run_id, now.date())


@task(name="load-warehouse", cache_policy=NO_CACHE)
def load_warehouse(files: dict[str, Path], database: Path, run_row: dict) -> dict[str, int]:
    _step_log().info("step load: %d files", len(files))
    con = loader.connect(database)
    try:
        return loader.load_run(con, files, run_row)
    finally:
        con.close()


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


def _log() -> logging.Logger | logging.LoggerAdapter:
    """The task run's logger (its lines reach the dashboard); a plain one when called bare (`.fn`)."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


def _step_log() -> logging.Logger | logging.LoggerAdapter:
    """The flow run's logger, for the lines that mark the run's progress through the data path
    (the dashboard's flow log, the CLI's status line, and whoever waits for a step)."""
    from prefect.context import FlowRunContext
    from prefect.logging.loggers import flow_run_logger

    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None:
        return flow_run_logger(context.flow_run, context.flow)
    return _log()
