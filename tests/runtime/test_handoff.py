"""`newsflow run` hands its run to a serving process only when that process is alive, on the same
Prefect API, and would load the run with the run's own settings."""

from __future__ import annotations

import json
import os
import signal

import pytest

from runtime import handoff
from runtime.settings import load_settings

API = "http://127.0.0.1:1/api"


@pytest.fixture
def noted(monkeypatch, tmp_path):
    monkeypatch.setattr(handoff.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setenv("PREFECT_API_URL", API)
    previous = signal.getsignal(signal.SIGUSR2)
    polls = []
    settings = load_settings(data_dir=tmp_path / "serve-data")
    assert handoff.announce(API, "deployment-1", settings, lambda: polls.append(1))
    yield polls
    signal.signal(signal.SIGUSR2, previous)


def test_a_live_serving_process_with_the_same_settings_takes_the_run(noted, tmp_path):
    # Another data directory and inbox are the run's parameters, not a reason to run alone.
    note = handoff.serving_note(load_settings(data_dir=tmp_path / "other", inbox=[str(tmp_path)]))
    assert note is not None and note["deployment_id"] == "deployment-1" and note["pid"] == os.getpid()
    os.kill(os.getpid(), signal.SIGUSR2)  # what hand_off sends: the serving process polls at once
    assert noted == [1]


def test_other_settings_another_api_or_a_dead_process_run_alone(noted, monkeypatch, tmp_path):
    assert handoff.serving_note(load_settings(spacy_model="other_model")) is None
    assert handoff.serving_note(load_settings(batch_size=3)) is None
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:2/api")
    assert handoff.serving_note(load_settings()) is None
    monkeypatch.delenv("PREFECT_API_URL")
    assert handoff.serving_note(load_settings()) is None  # no server named: its own temporary one
    monkeypatch.setenv("PREFECT_API_URL", API)
    path = handoff.note_path(API)
    note = json.loads(path.read_text())
    path.write_text(json.dumps({**note, "pid": 2**22 + 12345}))  # no such process
    assert handoff.serving_note(load_settings()) is None
