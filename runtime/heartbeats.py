"""Flow-run heartbeats whose end does not wait for the heartbeat thread's sleep.

A flow run against a long-lived Prefect server sends heartbeats from a daemon thread (Prefect's
`flow_engine._send_heartbeats`), which the server's automations use to find a run whose process
died. The thread sleeps in one-second steps between heartbeats and checks its stop event only
between steps; on exit, the synchronous engine joins it, so every run's end waited for up to a
second (half on average) after its last step — the run's process, and the runner's slot for the
next run, were held that long. Prefect's asynchronous engine already leaves the thread to end by
itself (`join_on_exit=False`); `heartbeats_without_end_wait` makes the synchronous engine do the
same. The thread stops sending at once (the stop event is checked before every heartbeat), the
heartbeats themselves are unchanged, and it ends within a second on its own — a daemon thread,
which never holds up the process's exit.

A narrow patch of one private Prefect function: it applies only when that function still takes
`join_on_exit` (tested), and otherwise leaves Prefect as it is.
"""

from __future__ import annotations

import functools
import inspect
import logging

_PATCHED = "_newsflow_no_end_wait"


def heartbeats_without_end_wait() -> bool:
    """Make this process's synchronous flow runs end without joining the heartbeat thread; False
    (nothing changed) where Prefect's heartbeat function is not the one this was written for."""
    import prefect.flow_engine as engine

    original = getattr(engine, "_send_heartbeats", None)
    if original is None:
        return False
    if getattr(original, _PATCHED, False):
        return True
    try:
        takes_join = "join_on_exit" in inspect.signature(original).parameters
    except (TypeError, ValueError):
        takes_join = False
    if not takes_join:
        logging.getLogger(__name__).debug("Prefect's heartbeats changed: left as they are")
        return False

    @functools.wraps(original)
    def send_heartbeats(flow_engine, join_on_exit: bool = True):
        return original(flow_engine, join_on_exit=False)

    setattr(send_heartbeats, _PATCHED, True)
    engine._send_heartbeats = send_heartbeats
    return True
