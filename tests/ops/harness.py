"""A real Prefect server and headless Chromium for the end-to-end tests; both always stopped."""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from runtime.prefect_server import wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any Prefect API/profile of the developer, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    # The operations tests exercise the Prefect writer slot, which is opt-in.
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", NEWSFLOW_WRITER_SLOT="true", **extra)
    return env


@contextmanager
def prefect_server(home: Path, startup_timeout: float = 150) -> Iterator[str]:
    """`prefect server start` on a free loopback port with its own PREFECT_HOME; yields the API URL."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=clean_env(PREFECT_HOME=str(home), PREFECT_UI_API_URL=api),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stopping it stops its children too
    )
    try:
        _wait_healthy(api, proc, startup_timeout, home / "server.log")
        yield api
    finally:
        stop(proc)
        log.close()


def _wait_healthy(api: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    try:
        wait_until_healthy(api, proc, timeout)
    except (RuntimeError, TimeoutError) as exc:
        raise RuntimeError(f"{exc}:\n{log.read_text()[-3000:]}") from exc


def stop(proc: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM the process group we started, then SIGKILL what is left."""
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # children left behind by the group leader
    proc.wait(grace)


def find_chromium(install: bool = True) -> str | None:
    """A Chromium binary; runs scripts/install-test-deps.sh once when none is found."""
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    if install:
        subprocess.run(["bash", str(ROOT / "scripts" / "install-test-deps.sh")], timeout=900, check=False)
        return find_chromium(install=False)
    return None


def page_text(browser: str, url: str, budget_ms: int = 15000, screenshot: Path | None = None) -> str:
    """The visible text of `url` after headless Chromium ran its scripts for `budget_ms` of virtual time."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        flags = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--run-all-compositor-stages-before-draw",
            f"--virtual-time-budget={budget_ms}",
            "--window-size=1400,1600",
        ]
        if screenshot is not None:
            subprocess.run([*flags, f"--screenshot={screenshot}", url], capture_output=True, timeout=120)
        dom = subprocess.run(
            [*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
        ).stdout
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.DOTALL | re.IGNORECASE)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


SCENARIO_MARK = "SCENARIO-RESULT "


def run_scenario(api: str, name: str, *args: str, timeout: float = 600) -> dict:
    """Run `tests.ops.scenarios.<name>(*args)` in a fresh interpreter against `api`; its JSON result."""
    import json

    code = (
        "import json, sys\n"
        "from tests.ops import scenarios\n"
        f"result = scenarios.{name}(*sys.argv[1:])\n"
        f"print({SCENARIO_MARK!r} + json.dumps(result, default=str), flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=clean_env(PREFECT_API_URL=api, PYTHONPATH=str(ROOT), PREFECT_LOGGING_LEVEL="WARNING"),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(SCENARIO_MARK)]
    assert done.returncode == 0 and lines, (
        f"scenario {name} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    )
    return json.loads(lines[-1].removeprefix(SCENARIO_MARK))
