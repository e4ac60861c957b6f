"""A child process that must not outlive the run that started it."""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent() -> None:
    """Exit this process once its parent is gone (a thread polls the parent pid every second).

    Polled rather than PR_SET_PDEATHSIG, which fires when the forking *thread* ends.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
