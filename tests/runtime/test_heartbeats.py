"""Served runs keep their flow-run heartbeats, and their end does not wait for the thread's sleep."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import prefect.flow_engine as engine
import pytest

from runtime.heartbeats import heartbeats_without_end_wait


class FakeEngine:
    """What `_send_heartbeats` asks of a flow-run engine."""

    heartbeat_seconds = 30
    flow_run = SimpleNamespace(state=None)
    logger = SimpleNamespace(debug=lambda *a, **k: None)

    def __init__(self) -> None:
        self.sent = threading.Event()
        self.count = 0

    def _build_heartbeat_event_template(self):
        return {}, []

    def _emit_flow_run_heartbeat(self, resource, related) -> None:
        self.count += 1
        self.sent.set()


@pytest.fixture
def restored():
    original = engine._send_heartbeats
    yield original
    engine._send_heartbeats = original


def heartbeat_threads() -> list[threading.Thread]:
    return [
        t for t in threading.enumerate() if t.daemon and "heartbeat_loop" in repr(getattr(t, "_args", ""))
    ]


def test_heartbeats_are_sent_and_the_end_does_not_wait_for_the_sleep(restored):
    assert heartbeats_without_end_wait()
    assert heartbeats_without_end_wait()  # a second call changes nothing
    fake = FakeEngine()
    with engine._send_heartbeats(fake):
        assert fake.sent.wait(5)  # the first heartbeat goes out at once
        assert heartbeat_threads()
        time.sleep(0.3)  # the thread is now in its one-second sleep
        leaving = time.perf_counter()
    assert time.perf_counter() - leaving < 0.2  # Prefect's join waited up to 1 s here
    deadline = time.monotonic() + 3
    while heartbeat_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not heartbeat_threads()  # ends by itself, within a second
    assert fake.count == 1  # and sends nothing after the run's end


def test_an_unknown_heartbeat_function_is_left_alone(restored):
    def _send_heartbeats(flow_engine):  # a Prefect whose function no longer takes join_on_exit
        raise AssertionError("not called")

    engine._send_heartbeats = _send_heartbeats
    assert not heartbeats_without_end_wait()
    assert engine._send_heartbeats is _send_heartbeats
