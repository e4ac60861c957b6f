"""Worker processes for the CPU-heavy steps: parsing and enrich on every core.

spaCy and the parsers hold the GIL, so threads do not spread them over cores;
processes do. The workers are forked from the flow process (after it has loaded
the model, for enrich), so they start at once with the model (copy-on-write)
and every transform module already imported. An enrich worker runs the whole
enrich step of a batch — NER and the post-NER steps — and returns only the
small result frames.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

import pandas as pd

from runtime.forked_child import reset_inherited_logging
from runtime.parent_watch import exit_with_parent
from transforms.enrich import Enriched, enrich, enrich_isolated
from transforms.language import identifier as language_identifier
from transforms.nlp import limit_blas_threads, load_pipeline
from transforms.parsing import ParsedRows, ParseLimits, ParseResult, parse_documents, parse_rows, result_of

# Below this many items a parse is quicker in one process than shipped to the workers.
_PARALLEL_PARSE_ITEMS = 64


def can_fork_workers(processes: int) -> bool:
    """Worker processes are used for more than one process where fork is available."""
    return processes > 1 and "fork" in multiprocessing.get_all_start_methods()


# Niceness of workers that fill the cores beside a busy flow process (see `worker_pool`).
_BACKGROUND_NICE = 10


@contextmanager
def worker_pool(processes: int, model: str | None = None, background: bool = False) -> Iterator[Executor]:
    """`processes` forked workers (sharing the already-loaded `model`, if one is named).

    `background` workers yield the CPU to the flow process: they run work submitted ahead
    while the flow process goes on with the serial work everything waits for.
    """
    if model:
        load_pipeline(model)  # loaded before the fork, so no worker loads it again
    pool = ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(_BACKGROUND_NICE if background else 0,),
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(nice: int) -> None:
    reset_inherited_logging()  # first: a log record must not wait on a lock held at the fork
    exit_with_parent()
    limit_blas_threads()  # a worker per core: more BLAS threads would only contend
    if nice:
        os.nice(nice)


def enrich_in_worker(articles: pd.DataFrame, model: str, nlp_batch_size: int) -> Enriched:
    """The enrich step of one batch, in a worker (one spaCy process per worker)."""
    return enrich(articles, load_pipeline(model), nlp_batch_size, 1, undated_timexes=False)


def enrich_isolated_in_worker(
    articles: pd.DataFrame, model: str, nlp_batch_size: int
) -> tuple[Enriched, dict[str, str]]:
    """`enrich_in_worker`, with the articles it raises for left out and returned with their reasons."""
    return enrich_isolated(articles, lambda batch: enrich_in_worker(batch, model, nlp_batch_size))


def parse_in_workers(raw: pd.DataFrame, limits: ParseLimits, processes: int) -> ParseResult:
    """`parse_documents` over `processes` forked workers.

    Items are dealt round-robin (an inbox often holds its costly HTML pages side by side), and
    every copy of a doc_id goes with its first occurrence, so a repeated item is still rejected
    as `duplicate_document`. Articles come back in input order.
    """
    if not can_fork_workers(processes) or len(raw) < _PARALLEL_PARSE_ITEMS:
        return parse_documents(raw, limits)
    rank = raw.groupby("doc_id", sort=False).ngroup().to_numpy()  # order of each doc_id's first occurrence
    chunks = processes * 4
    language_identifier()  # loaded before the fork (about 1 s), so no worker loads it again
    with worker_pool(processes) as pool:
        parts = list(
            pool.map(parse_rows, [raw[rank % chunks == c] for c in range(chunks)], [limits] * chunks)
        )
    order = dict(zip(raw["doc_id"], rank, strict=True))
    merged = ParsedRows(
        sorted((a for p in parts for a in p.articles), key=lambda a: order[a["doc_id"]]),
        sorted((r for p in parts for r in p.rejects), key=lambda r: order[r[0]]),
        {k: v for p in parts for k, v in p.media_types.items()},
    )
    return result_of([merged])
