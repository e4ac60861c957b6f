"""A `newsflow run` handed to a warm `newsflow serve` on the same machine and Prefect server.

A lone `newsflow run` pays seconds of start-up before its first article: Prefect, Great
Expectations, scikit-learn, spaCy and the model imported and loaded in its own process. When
`PREFECT_API_URL` names a server on which this machine's `newsflow serve` is serving the `ingest`
deployment, that process has all of it loaded already (`runtime.warm_runs`); the run is then
created as a run of that deployment, with this command's inbox, feeds and data directory as its
parameters, and the serving process is told to pick it up at once instead of at its next poll.
The run is an ordinary flow run of the deployment: its states, logs and artifacts are on the
server as for any served run, and the command waits for its end and prints its summary.

The serving side (`announce`) leaves a note under the system's temporary folder, one per API URL:
its process id, deployment id and the settings its runs load with, and listens for SIGUSR2 (poll
now). The command side (`hand_off`) takes that path only when the note's process is alive and its
settings are the command's own (model, batches, workers, limits); otherwise it runs the flow itself.
No Prefect import on the command side: a few HTTP requests to the API.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import json
import os
import signal
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from runtime.settings import Settings

POLL_NOW = getattr(signal, "SIGUSR2", None)
_PER_RUN = {"data_dir", "inbox", "feeds", "schedule_cron"}  # the run's parameters, or the serve's own
_FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


class HandOffFailed(RuntimeError):
    """The handed-off run ended in another state than Completed."""


def note_path(api_url: str) -> Path:
    digest = hashlib.sha256(api_url.rstrip("/").encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "newsflow-serve" / f"{digest}.json"


def _run_settings(settings: Settings) -> dict[str, Any]:
    """The settings a served run loads from the serving process's environment (all but its
    parameters): a hand-off needs them equal to the command's own."""
    return {name: str(value) for name, value in settings.model_dump().items() if name not in _PER_RUN}


# ---------------------------------------------------------------- the serving side


def announce(api_url: str, deployment_id: str, settings: Settings, poll_now: Callable[[], None]) -> bool:
    """Note this serving process for `hand_off`, and call `poll_now` on SIGUSR2 (in the main
    thread, between its event loop's waits). False where signals are not available."""
    if POLL_NOW is None:
        return False
    signal.signal(POLL_NOW, lambda *_: poll_now())
    path = note_path(api_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    note = {"pid": os.getpid(), "api_url": api_url, "deployment_id": deployment_id, **_run_settings(settings)}
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(note), encoding="utf-8")
    partial.replace(path)

    def withdraw() -> None:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()

    atexit.register(withdraw)
    return True


# ---------------------------------------------------------------- the command side


def serving_note(settings: Settings) -> dict[str, Any] | None:
    """The note of a live `newsflow serve` on PREFECT_API_URL whose runs load as this run would."""
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url or POLL_NOW is None:
        return None
    try:
        note = json.loads(note_path(api_url).read_text(encoding="utf-8"))
        os.kill(int(note["pid"]), 0)  # alive (and ours to signal)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(note.get(k) != v for k, v in _run_settings(settings).items()):
        return None
    return note


def hand_off(note: dict[str, Any], parameters: dict[str, Any], timeout: float = 3600) -> tuple[str, dict]:
    """Create a run of the served deployment with `parameters`, have the serving process start it
    now, wait for its end: (flow run id, its final state as the API gives it). Raises OSError only
    when the run could not be created (the caller then runs the flow itself); HandOffFailed when it
    did not end in time."""
    api = note["api_url"].rstrip("/")
    flow_run = _request(
        f"{api}/deployments/{note['deployment_id']}/create_flow_run", {"parameters": parameters}
    )
    flow_run_id = flow_run["id"]
    with contextlib.suppress(OSError):  # else it picks the run up at its next poll
        os.kill(int(note["pid"]), POLL_NOW)
    started = time.monotonic()
    deadline, pause = started + timeout, 0.05  # a local API: asking often costs little
    while True:
        with contextlib.suppress(OSError):
            state = _request(f"{api}/flow_runs/{flow_run_id}").get("state") or {}
            if state.get("type") in _FINAL:
                return flow_run_id, state
        if time.monotonic() > deadline:
            raise HandOffFailed(
                f"flow run {flow_run_id} of the served deployment did not end within {timeout:.0f} s"
            )
        time.sleep(pause)
        pause = min(pause * 1.5, 0.1 if time.monotonic() < started + 60 else 1.0)


def _request(url: str, body: dict | None = None) -> dict:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if key := os.environ.get("PREFECT_API_KEY"):
        headers["Authorization"] = f"Bearer {key}"
    elif auth := os.environ.get("PREFECT_API_AUTH_STRING"):
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, headers=headers, method="GET" if body is None else "POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as exc:  # an answer, but not the one expected
        raise OSError(f"{url}: HTTP {exc.code}") from exc
