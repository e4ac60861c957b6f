"""Order independence: ECB+ dev through the ingest flow in one run, then in K runs of a fixed shuffle.

    .venv/bin/python benchmarks/incremental.py [--runs 5 20] [--seed 17] [--limit N]

Each ECB+ dev text is written as a plain .txt file (the texts carry no publication time; the two
seed articles join them, the undated one in the first run and the dated one in the last, so a
revision is exercised). One data directory per K; the flow runs in this process, as a scheduled
deployment would run it. Printed for each K: story B³ F1 against the gold stories (topic +
ecb/ecbplus) beside the one-run figure, the B³ agreement of the story partition and of the entity
partition (over the mentions both warehouses hold) with the one-run warehouse, and how many
timexes and article publication times differ. Targets (issue: the same warehouse whatever the
order): agreement >= 0.98 for stories and entities; story F1 >= the one-run F1 - 0.01.

Then the cost of a small run: one new article into a warehouse of about 4,000 articles (the
throughput benchmark's corpus at 6x, every dev set and recombinations of its texts) beside the
same article into an empty one, each the median of three runs in this process (`--no-cost` skips
it). Target: the first within 2x the second + 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from benchmarks._ecbplus import load  # noqa: E402
from benchmarks.stories import b_cubed  # noqa: E402

SEEDS = ROOT / "samples" / "inbox"
UNDATED, DATED = "000_89779fb7a3461cee.txt", "001_221771e9a0a30a7f.txt"
TARGET_AGREEMENT, TARGET_F1_DROP = 0.98, 0.01
COST_SCALE, COST_REPEATS = 6, 3


def batches(files: list[str], runs: int, seed: int) -> list[list[str]]:
    """The files in `runs` consecutive parts of one fixed shuffle; the undated seed first, the dated last."""
    order = sorted(files)
    random.Random(seed).shuffle(order)
    parts = [order[k::runs] for k in range(runs)]
    parts[0].insert(0, UNDATED)
    parts[-1].append(DATED)
    return parts


def build(corpus: pd.DataFrame, parts: list[list[str]], work: Path) -> tuple[Path, float]:
    from flows.ingest import ingest

    inbox, data = work / "inbox", work / "data"
    inbox.mkdir(parents=True)
    bodies = dict(zip(corpus["file"].str.replace(".xml", ".txt"), corpus["body"], strict=True))
    started = time.perf_counter()
    for part in parts:
        for name in part:
            if name in (UNDATED, DATED):
                shutil.copy(SEEDS / name, inbox / name)
            else:
                (inbox / name).write_text(bodies[name] + "\n", encoding="utf-8")
        ingest(inbox=[str(inbox)], data_dir=str(data))
    return data / "news.duckdb", time.perf_counter() - started


def read(database: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        by_file = "regexp_extract(r.source_uri, '[^/]+$') AS file"
        return {
            "articles": con.execute(
                f"SELECT {by_file}, a.story_id, a.published_at, a.published_at_source "
                "FROM articles a JOIN raw_documents r USING (doc_id) WHERE a.duplicate_of IS NULL"
            ).df(),
            "mentions": con.execute(
                f'SELECT {by_file}, m.start, m."end", m.entity_id FROM mentions m '
                "JOIN articles a USING (article_id) JOIN raw_documents r USING (doc_id)"
            ).df(),
            "timexes": con.execute(
                f'SELECT {by_file}, t.start, t."end", t.value, t.anchor FROM timexes t '
                "JOIN articles a USING (article_id) JOIN raw_documents r USING (doc_id)"
            ).df(),
        }
    finally:
        con.close()


def compare(one: dict[str, pd.DataFrame], many: dict[str, pd.DataFrame], gold: dict[str, str]) -> dict:
    stories = one["articles"].merge(many["articles"], on="file", suffixes=("_one", "_many"))
    scored = stories[stories["file"].isin(gold)]
    mentions = one["mentions"].merge(
        many["mentions"], on=["file", "start", "end"], suffixes=("_one", "_many")
    )
    timexes = one["timexes"].merge(
        many["timexes"], on=["file", "start", "end"], how="outer", suffixes=("_one", "_many")
    )
    timex_differs = (timexes["value_one"] != timexes["value_many"]) | (
        timexes["anchor_one"] != timexes["anchor_many"]
    )
    at_one = pd.to_datetime(stories["published_at_one"], utc=True)
    at_many = pd.to_datetime(stories["published_at_many"], utc=True)
    times = ~((at_one == at_many) | (at_one.isna() & at_many.isna()))
    return {
        "story F1": b_cubed(scored["file"].map(gold).tolist(), scored["story_id_many"].tolist())[2],
        "story agreement": b_cubed(stories["story_id_one"].tolist(), stories["story_id_many"].tolist())[2],
        "entity agreement": b_cubed(mentions["entity_id_one"].tolist(), mentions["entity_id_many"].tolist())[
            2
        ],
        "shared mentions": f"{len(mentions)}/{len(one['mentions'])}",
        "entities": many["mentions"]["entity_id"].nunique(),
        "timexes differing": int(timex_differs.sum()),
        "publication times differing": int(times.sum()),
    }


def small_run_cost(work: Path) -> tuple[int, float, float]:
    """(articles in the big warehouse, median seconds of one new article into it, into an empty one)."""
    from benchmarks.throughput import base_articles, build_corpus, data_dir
    from flows.ingest import ingest

    texts, pages = base_articles(data_dir(), None)
    held_out = texts.pop()  # the new article: in neither warehouse before
    big_inbox, big = work / "big-inbox", work / "big"
    build_corpus(big_inbox, texts, pages, COST_SCALE)
    started = time.perf_counter()
    loaded = ingest(inbox=[str(big_inbox)], data_dir=str(big))["counts"]["articles"]
    print(f"(built a warehouse of {loaded} articles in {time.perf_counter() - started:.0f} s)")

    def one_new(data: Path, name: str) -> float:
        inbox = work / f"inbox-{name}"
        inbox.mkdir()
        (inbox / "new.txt").write_text(held_out, encoding="utf-8")
        started = time.perf_counter()
        ingest(inbox=[str(inbox)], data_dir=str(data))
        return time.perf_counter() - started

    big_copies, empty_runs = [], []
    for i in range(COST_REPEATS):  # each into its own copy: the same warehouse every time
        copy = work / f"big-{i}"
        shutil.copytree(big, copy)
        big_copies.append(one_new(copy, f"big-{i}"))
        empty_runs.append(one_new(work / f"empty-{i}", f"empty-{i}"))
        shutil.rmtree(copy)
    return loaded, statistics.median(big_copies), statistics.median(empty_runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, nargs="+", default=[5, 20])
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--limit", type=int, default=0, help="only the first N texts (a quick look)")
    parser.add_argument("--no-cost", action="store_true", help="skip the small-run cost on a big warehouse")
    args = parser.parse_args(argv)
    corpus = load()
    if args.limit:
        corpus = corpus.head(args.limit)
    files = corpus["file"].str.replace(".xml", ".txt").tolist()
    gold = dict(zip(files, corpus["gold"], strict=True))
    with tempfile.TemporaryDirectory(prefix="newsflow-incremental-") as tmp:
        database, seconds = build(corpus, batches(files, 1, args.seed), Path(tmp) / "one")
        one = read(database)
        one_f1 = b_cubed(
            [gold[f] for f in one["articles"]["file"] if f in gold],
            [
                s
                for f, s in zip(one["articles"]["file"], one["articles"]["story_id"], strict=True)
                if f in gold
            ],
        )[2]
        print(f"ECB+ dev: {len(files)} texts (+2 seeds); one run {seconds:.0f} s, story B³ F1 {one_f1:.3f}")
        print(f"{'':<30}" + "".join(f"{f'K = {k}':>14}" for k in args.runs))
        results = {}
        for k in args.runs:
            database, seconds = build(corpus, batches(files, k, args.seed), Path(tmp) / f"k{k}")
            results[k] = compare(one, read(database), gold) | {"seconds": round(seconds)}
        failed = False
        for name in results[args.runs[0]]:
            cells = []
            for k in args.runs:
                value = results[k][name]
                cells.append(f"{value:>14.3f}" if isinstance(value, float) else f"{value!s:>14}")
            print(f"{name:<30}" + "".join(cells))
        for k in args.runs:
            ok_f1 = results[k]["story F1"] >= one_f1 - TARGET_F1_DROP
            ok_agree = min(results[k]["story agreement"], results[k]["entity agreement"]) >= TARGET_AGREEMENT
            failed |= not (ok_f1 and ok_agree)
            print(
                f"K = {k}: story F1 >= one run - {TARGET_F1_DROP}: {'met' if ok_f1 else 'MISSED'}; "
                f"agreement >= {TARGET_AGREEMENT}: {'met' if ok_agree else 'MISSED'}"
            )
        if not args.no_cost:
            size, into_big, into_empty = small_run_cost(Path(tmp) / "cost")
            ok_cost = into_big <= 2 * into_empty + 5
            failed |= not ok_cost
            print(
                f"one new article: into {size} articles {into_big:.1f} s, into an empty warehouse "
                f"{into_empty:.1f} s (median of {COST_REPEATS}); target <= 2x + 5 s: "
                f"{'met' if ok_cost else 'MISSED'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    sys.exit(main())
