"""`python -m runtime.prefect_server_child UVICORN_ARGS...`: uvicorn that ends with its parent."""

from __future__ import annotations

import sys

from runtime.parent_watch import exit_with_parent


def main() -> None:
    exit_with_parent()
    from uvicorn.main import main as uvicorn

    uvicorn(sys.argv[1:], prog_name="uvicorn")


if __name__ == "__main__":
    main()
