"""The temporary Prefect server of a lone run: up on loopback, stopped after, gone with a killed run."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from runtime.prefect_server import TemporaryServer

ROOT = Path(__file__).resolve().parents[2]


def test_server_comes_up_on_loopback_and_stops(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    (tmp_path / "prefect").mkdir()
    server = TemporaryServer().start()
    try:
        server.wait_until_healthy(120)
        assert server.api_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{server.api_url}/health", timeout=5) as answer:
            assert answer.status == 200
        process = server.process
    finally:
        server.stop()
    assert process.poll() is not None and server.process is None


def test_server_ends_with_a_killed_run(tmp_path):
    (tmp_path / "prefect").mkdir()
    code = (
        "import os\nfrom runtime.prefect_server import TemporaryServer\n"
        "server = TemporaryServer().start()\nserver.wait_until_healthy(120)\n"
        "print(server.process.pid, flush=True)\nos._exit(0)\n"  # dies without stopping it
    )
    env = {"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
    )
    status = Path(f"/proc/{int(out.stdout.split()[-1])}/status")
    deadline = time.monotonic() + 15
    while status.exists() and "zombie" not in status.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not status.exists() or "zombie" in status.read_text()
