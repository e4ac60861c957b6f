"""Helpers for the subprocess tests: a corpus from the development data, `newsflow run` as a child
process (its own session, so a kill takes the whole process group), and table snapshots."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from defusedxml import ElementTree

from warehouse.loader import LOAD_ORDER

ROOT = Path(__file__).resolve().parents[2]

# Columns that differ between two runs over the same inputs by design.
VOLATILE = {"run_id", "fetched_at", "quarantined_at", "started_at", "finished_at", "prefect_flow_run_id"}
SNAPSHOT_TABLES = [*LOAD_ORDER, "runs"]  # every table a run writes
_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "'s", "n't", "''", "%"}


def ecbplus_text(path: Path, max_sentences: int) -> str:
    """Detokenised text of one ECB+ document: a sentence per line (good enough for a test corpus)."""
    sentences: dict[int, list[str]] = {}
    for token in ElementTree.parse(path).getroot().iter("token"):
        sentences.setdefault(int(token.get("sentence")), []).append(token.text or "")
    lines = []
    for index in sorted(sentences)[:max_sentences]:
        words: list[str] = []
        for word in sentences[index]:
            if words and (word in _NO_SPACE_BEFORE or words[-1] in {"(", "``"}):
                words[-1] += word
            else:
                words.append(word)
        lines.append(" ".join(words).replace("``", '"').replace("''", '"'))
    return "\n\n".join(lines) + "\n"


def build_corpus(shared_data: Path, dest: Path, count: int = 210, max_sentences: int = 4) -> Path:
    """`count` short .txt articles from ECB+ (several outlets per event, so stories form)."""
    dest.mkdir(parents=True, exist_ok=True)
    files = sorted((shared_data / "ecbplus-dev").glob("*/*.xml"), key=lambda p: (p.parent.name, p.name))
    written = 0
    for path in files:
        text = ecbplus_text(path, max_sentences)
        if len(text.split()) < 20:
            continue
        (dest / f"{path.stem}.txt").write_text(text, encoding="utf-8")
        written += 1
        if written == count:
            break
    assert written == count, f"only {written} usable ECB+ documents"
    return dest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def prefect_server(home: Path) -> Iterator[str]:
    """One local Prefect API shared by every child run (saves a server start per run)."""
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((home / "server.log").read_text(errors="replace")[-2000:]) from None
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(20)
        log.close()


def run_env(api_url: str | None, prefect_home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSFLOW_", "PREFECT_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="INFO",  # the flow's step markers are how the tests follow a run
        PYTHONUNBUFFERED="1",
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def _resident(process) -> int:
    """Memory of one process, shared pages counted in proportion (PSS): the run forks workers that
    share the model and inputs copy-on-write, and summing their RSS would count those pages again
    for every worker. RSS where PSS is not available."""
    info = process.memory_full_info()
    return getattr(info, "pss", info.rss)


class RunHung(AssertionError):
    """A child run that did not end in time; the message holds its stacks."""

    def __init__(self, output: str, timeout: float) -> None:
        super().__init__(f"run still going after {timeout:.0f}s; its output and stacks:\n{output[-20000:]}")


@dataclass
class Child:
    """A `newsflow run` child process whose output lines are collected with their time offsets."""

    proc: subprocess.Popen
    started: float
    lines: list[tuple[float, str]] = field(default_factory=list)
    peak_rss: int = 0
    matched: str = ""  # the line that `wait_for` last matched

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append((time.monotonic() - self.started, line.rstrip("\n")))

    def _sample_memory(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.proc.pid)
            while self.proc.poll() is None:
                total = 0
                for p in [root, *root.children(recursive=True)]:
                    with suppress(psutil.Error):
                        total += _resident(p)
                self.peak_rss = max(self.peak_rss, total)
                time.sleep(0.05)
        except psutil.Error:
            pass

    def wait_for(self, marker: str, timeout: float) -> float | None:
        """Seconds since start when a line containing `marker` appeared; None if the run ended first."""
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            while seen < len(self.lines):
                offset, line = self.lines[seen]
                seen += 1
                if marker in line:
                    self.matched = line
                    return offset
            if self.proc.poll() is not None and seen >= len(self.lines):
                time.sleep(0.2)  # let the reader thread drain
                if seen >= len(self.lines):
                    return None
            time.sleep(0.005)
        raise TimeoutError(f"no {marker!r} within {timeout}s:\n" + self.output()[-3000:])

    def kill(self) -> None:
        """SIGKILL to the whole process group: the run and anything it started."""
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(60)

    def finish(self, timeout: float) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise RunHung(self.stacks_and_kill(), timeout) from None
        time.sleep(0.1)
        return code

    def stacks_and_kill(self) -> str:
        """The output so far with every thread's stack of the run and its workers (the CLI dumps
        them on SIGUSR1), then SIGKILL to the group."""
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGUSR1)
        time.sleep(3)
        self.kill()
        time.sleep(0.2)  # let the reader thread drain
        return self.output()

    def output(self) -> str:
        return "\n".join(line for _, line in self.lines)


def start_run(args: list[str], env: dict[str, str], measure_memory: bool = False) -> Child:
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsflow.cli", "run", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    child = Child(proc, time.monotonic())
    threading.Thread(target=child._read, daemon=True).start()
    if measure_memory:
        threading.Thread(target=child._sample_memory, daemon=True).start()
    return child


def run_to_completion(args: list[str], env: dict[str, str], timeout: float = 600) -> Child:
    child = start_run(args, env)
    code = child.finish(timeout)
    assert code == 0, child.output()[-4000:]
    return child


def snapshot(database: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the columns that name the run or its time."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        out = {}
        for table in SNAPSHOT_TABLES:
            columns = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if c not in VOLATILE
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            out[table] = sorted(
                con.execute(f"SELECT {select} FROM {table}").fetchall(), key=lambda r: repr(r)
            )
        return out
    finally:
        con.close()


def lake_state(data: Path) -> dict[str, int]:
    """What a killed run left behind: staging folders, published files, committed runs."""
    lake = data / "lake"
    staging = lake / "_staging"
    database = data / "news.duckdb"
    runs = 0
    if database.exists():
        con = duckdb.connect(str(database), read_only=True)
        try:
            runs = con.execute("SELECT count(*) FROM runs").fetchone()[0]
        except duckdb.Error:
            runs = 0
        finally:
            con.close()
    return {
        "staging": len(list(staging.iterdir())) if staging.exists() else 0,
        "published": len(list(lake.glob("*/ingest_date=*/*.parquet"))),
        "committed_runs": runs,
    }
