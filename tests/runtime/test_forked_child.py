"""A worker forked while another thread holds a logging lock still runs what it is given.

Workers are forked from the flow process while its other threads log; the fuzz run hung when a
worker's first log record waited on such a lock. Here a thread holds the lock of a root handler
across the fork, deterministically, and the worker must log and return anyway.
"""

import logging
import threading
import warnings
from concurrent.futures import TimeoutError as FutureTimeout

import pytest

from runtime.workers import can_fork_workers, worker_pool


class _HandlerWithOwnLock(logging.Handler):
    """Like a console handler: a lock of its own, which the fork does not reset."""

    def __init__(self) -> None:
        super().__init__()
        self.busy = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self.busy:
            pass


def _log_and_warn(value: int) -> int:
    logging.getLogger("some.parser").warning("odd markup in item %d", value)
    warnings.warn(f"odd markup in item {value}", stacklevel=1)
    return value * 2


@pytest.mark.skipif(not can_fork_workers(2), reason="needs fork and two processes")
def test_a_worker_logs_although_a_lock_of_the_parent_was_held_at_the_fork():
    handler = _HandlerWithOwnLock()
    root = logging.getLogger()
    root.addHandler(handler)
    logging.captureWarnings(True)  # as Great Expectations sets it on import
    held, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with handler.busy:
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold_the_lock, daemon=True)
    holder.start()
    held.wait(10)
    try:
        with worker_pool(2) as pool:
            futures = [pool.submit(_log_and_warn, k) for k in range(4)]
            try:
                results = [f.result(timeout=60) for f in futures]
            except FutureTimeout:
                for process in pool._processes.values():  # let the pool shut down, then fail
                    process.kill()
                pytest.fail("a forked worker hung on a logging lock inherited from its parent")
    finally:
        release.set()
        holder.join(10)
        root.removeHandler(handler)
        logging.captureWarnings(False)
    assert results == [0, 2, 4, 6]
