"""One writer at a time: an advisory lock file beside the DuckDB database."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseLocked(RuntimeError):
    pass


@contextmanager
def writer_lock(path: Path, timeout_seconds: float, poll_seconds: float = 0.5) -> Iterator[None]:
    """Hold the writer lock for the duration of the block; wait up to `timeout_seconds` for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    deadline = time.monotonic() + timeout_seconds
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise WarehouseLocked(
                        f"warehouse {path.parent} is being written by {holder}; gave up after {timeout_seconds:.0f}s"
                    ) from None
                time.sleep(poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()
