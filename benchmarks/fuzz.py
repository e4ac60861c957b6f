"""Fuzz run: thousands of generated hostile items through `newsflow run`, in batches beside good articles.

Each batch is one scheduled run into the same data directory (one long-lived Prefect server, as a
served deployment has): `--items` hostile items from `benchmarks/_hostile.py` (every format, hostile
file names) over `--runs` runs, each run also adding `--good` plain news articles. Prints what was
generated, the runs that exited non-zero (target 0), the items the warehouse does not account for
(target 0: every input is a `raw_documents` row, loaded, duplicate or quarantined), the good articles
not loaded (target 0) and the peak memory of a run.

    .venv/bin/python benchmarks/fuzz.py [--items 2000] [--runs 8] [--good 5] [--seed 22]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._hostile import NEWS, HostileGenerator, write_items  # noqa: E402
from tests.reliability import harness  # noqa: E402

TARGETS = {"runs exited non-zero": 0, "items unaccounted for": 0, "good articles not loaded": 0}
_PLACES = ["Lyon", "Kabul", "Lima", "Oslo", "Accra", "Hanoi", "Quito", "Perth", "Riga", "Dakar", "Cork"]


def good_article(index: int) -> str:
    """A plain news text unlike every other one (so none is a near-duplicate of another)."""
    place = _PLACES[index % len(_PLACES)]
    words = " ".join(f"w{index}x{k}" for k in range(12))
    return (
        f"Officials in {place} said on Monday that inquiry number {index} into the {words} affair "
        f"would report in the spring. {NEWS[index % len(NEWS)]} The council of {place} met on Friday.\n"
    )


def accounted(database: Path) -> tuple[set[str], dict[str, int]]:
    """(file names the warehouse holds a raw_documents row for, rows by status)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = {
            uri.rsplit("/", 1)[-1]
            for (uri,) in con.execute("select source_uri from raw_documents").fetchall()
        }
        by_status = dict(con.execute("select status, count(*) from raw_documents group by 1").fetchall())
        return names, by_status
    finally:
        con.close()


def fuzz(items: int, runs: int, good: int, seed: int, work: Path) -> dict[str, int | float]:
    from urllib.parse import quote_from_bytes

    generator = HostileGenerator(seed)
    generated = list(generator.items(items))
    inbox, data = work / "inbox", work / "data"
    per_run = -(-items // runs)
    figures: dict[str, int | float] = {"items generated": items, "runs": runs, "runs exited non-zero": 0}
    expected: set[str] = set()
    good_names: set[str] = set()
    peak = 0
    started = time.monotonic()
    with harness.prefect_server(work / "prefect") as api_url:
        env = harness.run_env(
            api_url, work / "prefect", NEWSFLOW_DATA_DIR=str(data), NEWSFLOW_MAX_FILE_BYTES="5000000"
        )
        for run in range(runs):
            batch = generated[run * per_run : (run + 1) * per_run]
            write_items(inbox, batch)
            for item in batch:
                expected.add(quote_from_bytes(item.name, safe="/"))  # as a file URI spells the name
            for k in range(good):
                name = f"good-{run:03d}-{k}.txt"
                (inbox / name).write_text(good_article(run * good + k), encoding="utf-8")
                expected.add(name)
                good_names.add(name)
            child = harness.start_run([str(inbox)], env, measure_memory=True)
            code = child.finish(900)  # a run here takes about 30 s
            peak = max(peak, child.peak_rss)
            if code != 0:
                figures["runs exited non-zero"] += 1
                print(f"run {run} exited {code}:\n{child.output()[-3000:]}", file=sys.stderr)
            print(f"run {run + 1}/{runs}: {len(batch)} hostile + {good} good items, exit {code}", flush=True)
    names, by_status = accounted(data / "news.duckdb")
    figures["items unaccounted for"] = len(expected - names)
    con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
    try:
        loaded = {
            uri.rsplit("/", 1)[-1]
            for (uri,) in con.execute(
                "select source_uri from raw_documents where status = 'loaded'"
            ).fetchall()
        }
        repairs = con.execute("select count(*) from text_repairs").fetchone()[0]
    finally:
        con.close()
    figures["good articles not loaded"] = len(good_names - loaded)
    figures.update({f"raw_documents {k}": v for k, v in sorted(by_status.items())})
    figures["text repairs recorded"] = repairs
    figures["peak RSS of a run (MiB)"] = round(peak / 2**20)
    figures["seconds"] = round(time.monotonic() - started, 1)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--good", type=int, default=5, help="good articles added to each run")
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsflow-fuzz-") as tmp:
        figures = fuzz(args.items, args.runs, args.good, args.seed, Path(tmp))
    width = max(map(len, figures))
    failed = False
    for name, value in figures.items():
        verdict = ""
        if name in TARGETS:
            ok = value <= TARGETS[name]
            failed |= not ok
            verdict = f"   target {TARGETS[name]}  {'ok' if ok else 'MISSED'}"
        print(f"{name:<{width}}  {value:>8}{verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    sys.exit(main())
