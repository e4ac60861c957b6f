"""The temporary Prefect API server of a lone `newsflow run`, started before Prefect is imported.

Without PREFECT_API_URL, Prefect starts this same server (uvicorn on Prefect's app factory, UI off)
on first use — but only after importing its whole server package in the run's own process,
about 2 s spent before the server process even exists. Started here first, the server's imports
run on another core while the run imports the flow, loads the model and parses. The server also
exits when the run's process dies, where Prefect's would be left running.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class TemporaryServer:
    """One Prefect API server on a free loopback port, for the life of this process."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> TemporaryServer:
        # The environment Prefect gives its own temporary server: no UI, marked ephemeral.
        env = {
            **os.environ,
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
        }
        spec = importlib.util.find_spec("prefect")
        app_dir = Path(next(iter(spec.submodule_search_locations))).parent  # without importing prefect
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "runtime.prefect_server_child",
                "--app-dir",
                str(app_dir),
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
        )
        atexit.register(self.stop)  # registered before Prefect's own exit handlers, so it runs after them
        return self

    def wait_until_healthy(self, timeout: float) -> None:
        if self.process is None:
            raise RuntimeError("the temporary Prefect server was not started")
        wait_until_healthy(self.api_url, self.process, timeout)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_healthy(api_url: str, process: subprocess.Popen, timeout: float) -> None:
    """Return once the server of `process` answers its health check; raise if it exits or is late."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Prefect server exited ({process.returncode}) before it was up")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"the Prefect server at {api_url} was not up after {timeout:.0f} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
