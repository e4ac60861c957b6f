"""`python -m newsflow.prefect_server_child PARENT_PID UVICORN_ARGS...`: uvicorn that ends with its parent."""

from __future__ import annotations

import os
import sys
import threading
import time


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def main() -> None:
    parent = int(sys.argv[1])
    threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()
    from uvicorn.main import main as uvicorn

    uvicorn(sys.argv[2:], prog_name="uvicorn")


if __name__ == "__main__":
    main()
