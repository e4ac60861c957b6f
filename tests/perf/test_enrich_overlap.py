"""The overlapped enrich step (spaCy here, the post-NER steps in a helper process) gives the same frames."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.ingest import _can_overlap, _helper_process
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


def test_helper_process_returns_the_same_frames(articles, nlp):
    if not _can_overlap(1):
        pytest.skip("no second core or no fork here")
    halves = [articles.iloc[:12], articles.iloc[12:]]
    with _helper_process() as helper:
        futures = [helper.submit(after_ner, h, *annotate(h, nlp)) for h in halves]
        for half, future in zip(halves, futures, strict=True):
            _same(future.result(), enrich(half, nlp))


def test_helper_errors_reach_the_flow(nlp):
    if not _can_overlap(1):
        pytest.skip("no second core or no fork here")
    frame = _articles(["On Monday, Apple said so."])
    spans, sentences = annotate(frame, nlp)
    with _helper_process() as helper, pytest.raises(KeyError):
        helper.submit(after_ner, frame.drop(columns="body"), spans, sentences).result()


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


def test_helper_ends_with_a_killed_run(tmp_path):
    import subprocess
    import sys
    import time
    from pathlib import Path

    if not _can_overlap(1):
        pytest.skip("no second core or no fork here")
    code = (
        "import os\nfrom flows.ingest import _helper_process\n"
        "helper = _helper_process()\npool = helper.__enter__()\n"
        "print(pool.submit(os.getpid).result(), flush=True)\nos._exit(0)\n"  # dies without shutting down
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    status = Path(f"/proc/{int(out.stdout.split()[-1])}/status")
    deadline = time.monotonic() + 10
    while status.exists() and "zombie" not in status.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not status.exists() or "zombie" in status.read_text()
