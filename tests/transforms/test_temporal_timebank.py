"""Quality floor on the TimeBank development articles (grammar only, no spaCy: fast)."""

from __future__ import annotations

import pytest

from benchmarks.temporal import match, predict, prf
from benchmarks.timeml import read_corpus


@pytest.fixture(scope="module")
def scored(shared_data):
    docs = read_corpus(shared_data / "timeml-dev")
    if not docs:
        pytest.skip("no TimeML files")
    predicted, seconds, _ = predict(docs, use_spacy=False)
    by_doc = {k: g.to_dict("records") for k, g in predicted.groupby("article_id")}
    tp_relaxed = tp_value = n_gold = 0
    for doc in docs:
        pred = by_doc.get(doc.doc_id, [])
        pairs = match(doc.timexes, pred, strict=False)
        tp_relaxed += len(pairs)
        tp_value += sum(doc.timexes[g]["value"] == pred[p]["value"] for g, p in pairs)
        n_gold += len(doc.timexes)
        for row in pred:
            assert doc.text[row["start"] : row["end"]] == row["text"]
    return {
        "relaxed": prf(tp_relaxed, len(predicted), n_gold)[2],
        "value": prf(tp_value, len(predicted), n_gold)[2],
        "seconds": seconds,
    }


def test_relaxed_extent_f1(scored):
    assert scored["relaxed"] >= 0.93


def test_value_f1_beats_heideltime_reference(scored):
    assert scored["value"] >= 0.83  # HeidelTime: 0.78 on TempEval-3 test


def test_fast(scored):
    assert scored["seconds"] < 5  # 55k words; spaCy needs ~10 s for the same text


def test_the_split_scores_a_third_or_more_of_mixed_sources(shared_data):
    from benchmarks.temporal import part_of, source_of

    names = [p.stem for p in sorted((shared_data / "timeml-dev").glob("*.tml"))]
    if not names:
        pytest.skip("no TimeML files")
    scored = [n for n in names if part_of(n) == "scored"]
    assert len(scored) * 3 >= len(names)
    assert len({source_of(n) for n in scored}) >= 4
    assert part_of("APW19980213.1310") == "scored" and part_of("wsj_0136") == "tune"
