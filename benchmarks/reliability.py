"""How long the warehouse is unavailable to readers, and what the safety checks cost.

DuckDB lets no process open the file (even read-only) while a writer holds it, so the figures that
matter are: how long a run's load holds the file (the longest a `newsflow query` waits), how long a
query actually waited while runs were loading in another process, and what the accounting check,
the fsyncs and a requeue add. Synthetic runs of N articles with 10 mentions and 3 sentences each.

    /work/main/.venv/bin/python benchmarks/reliability.py [--articles 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms import accounting  # noqa: E402
from warehouse import lake, loader  # noqa: E402
from warehouse.lock import writer_lock  # noqa: E402

NOW = pd.Timestamp("2026-06-01T12:00:00", tz="UTC")


def frames(run: int, n: int) -> dict[str, pd.DataFrame]:
    ids = [f"r{run}a{i}" for i in range(n)]
    body = "Officials in Kabul said on Monday that talks with Moscow would resume next month. " * 8
    documents = pd.DataFrame(
        {
            "doc_id": ids,
            "source_uri": [f"file:///inbox/{a}.txt" for a in ids],
            "media_type": "text",
            "size_bytes": len(body),
            "fetched_at": NOW,
            "run_id": f"run{run}",
            "status": ["quarantined" if i % 50 == 0 else "loaded" for i in range(n)],
            "reason": ["empty: no content" if i % 50 == 0 else None for i in range(n)],
            "article_count": 1,
        }
    )
    articles = pd.DataFrame(
        {"article_id": ids, "doc_id": ids, "body": body, "word_count": 112, "run_id": f"run{run}"}
    )
    mentions = pd.DataFrame(
        {
            "article_id": [a for a in ids for _ in range(10)],
            "start": [k * 20 for _ in ids for k in range(10)],
            "end": [k * 20 + 5 for _ in ids for k in range(10)],
            "text": "Kabul",
            "label": "GPE",
            "entity_id": "e1",
            "sentence_index": 0,
        }
    )
    sentences = pd.DataFrame(
        {
            "article_id": [a for a in ids for _ in range(3)],
            "sentence_index": [k for _ in ids for k in range(3)],
            "start": 0,
            "end": 10,
        }
    )
    return {"raw_documents": documents, "articles": articles, "mentions": mentions, "sentences": sentences}


def run_row(run: int, documents: pd.DataFrame) -> dict:
    counts = accounting.counts(documents, 0)
    return {
        "run_id": f"run{run}",
        "started_at": NOW.to_pydatetime(),
        "status": "completed",
        "counts": json.dumps(counts),
    }


QUERIER = """
import sys, time
sys.path.insert(0, {root!r})
from warehouse.loader import open_with_retry
waits = []
deadline = time.monotonic() + {seconds}
while time.monotonic() < deadline:
    t = time.monotonic()
    con = open_with_retry(__import__("pathlib").Path({db!r}), read_only=True, timeout_seconds=60)
    waits.append(time.monotonic() - t)
    con.execute("select count(*) from articles").fetchone()
    con.close()
    time.sleep(0.01)
print(len(waits), max(waits), sorted(waits)[len(waits) // 2])
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsflow-bench-"))
    database, lake_dir = work / "news.duckdb", work / "lake"
    loader.connect(database).close()
    runs = [frames(r, args.articles) for r in range(args.runs)]

    write_s, hold_s, check_s = [], [], []
    querier = None
    for r, tables in enumerate(runs):
        start = time.perf_counter()
        files = lake.write_run(tables, lake_dir, f"run{r}", NOW.date())
        write_s.append(time.perf_counter() - start)
        if querier is None:  # readers hammer the file from another process while the loads run
            querier = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    QUERIER.format(root=str(ROOT), db=str(database), seconds=4 * args.runs),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            time.sleep(2)
        with writer_lock(work / ".writer.lock", 60):
            start = time.perf_counter()
            con = loader.connect(database)  # the file is held from here ...
            loader.load_run(con, files, run_row(r, tables["raw_documents"]))
            con.close()  # ... to here
            hold_s.append(time.perf_counter() - start)
        con = loader.connect(database, read_only=True)
        start = time.perf_counter()
        for _ in range(20):
            loader.check_run_rows(con, run_row(r, tables["raw_documents"]))
        check_s.append((time.perf_counter() - start) / 20)
        con.close()
        time.sleep(1)
    queries, max_wait, median_wait = querier.communicate(timeout=120)[0].split()

    from newsflow.requeue import requeue_quarantined

    con = loader.connect(database)
    start = time.perf_counter()
    moved = requeue_quarantined(con, "empty", NOW)
    requeue_s = time.perf_counter() - start
    con.close()

    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    rows_per_run = sum(len(f) for f in runs[0].values())
    print(f"synthetic runs: {args.runs} x {args.articles} articles ({rows_per_run} rows per run)\n")
    print(f"{'measure':58} {'newsflow':>12} {'bound':>10}")
    print(f"{'Parquet write + fsync + publish per run (s)':58} {mean(write_s):12.3f} {'-':>10}")
    print(f"{'DuckDB file held for writing per load (s)':58} {mean(hold_s):12.3f} {'-':>10}")
    print(f"{'queries answered while the loads ran':58} {int(queries):12d} {'-':>10}")
    print(f"{'longest wait of a query for the file (s)':58} {float(max_wait):12.3f} {'60 (--wait)':>10}")
    print(f"{'median wait of a query (s)':58} {float(median_wait):12.4f} {'-':>10}")
    print(
        f"{'accounting check against the warehouse per run (ms)':58} {mean(check_s) * 1000:12.2f} {'-':>10}"
    )
    print(
        f"{'requeue of ' + str(len(moved)) + ' quarantined items, one transaction (s)':58} {requeue_s:12.3f} {'-':>10}"
    )
    print("\nNo published reference exists for these figures; the bound is the query's default wait.")


if __name__ == "__main__":
    main()
