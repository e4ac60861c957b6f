"""Everything a standalone run does before its flow starts, and the overlap of those costs.

`prepare_prefect` gives Prefect its environment (home under the data directory, quiet logs);
`start_standalone` also starts a temporary Prefect server when no API is given (see
`runtime.prefect_server`) and passes the CLI's overrides on to the flow, which reads its settings
itself. `warm_up` then loads what the run needs while that server comes up — the spaCy model
(cached in this process, so the flow's enrich finds it loaded), Great Expectations' slow import,
the inbox parsed in worker processes and filed for the flow (`runtime.parse_ahead`) — so the run
waits for the slowest of these instead of their sum.
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path

from runtime.prefect_server import TemporaryServer
from runtime.settings import Settings


def prepare_prefect(data_dir: Path) -> None:
    # Prefect reads its own environment; keep its home under the data directory
    # and give the temporary server time to start on a slow machine.
    home = Path(os.environ.setdefault("PREFECT_HOME", str((data_dir / "prefect").resolve())))
    home.mkdir(parents=True, exist_ok=True)  # Prefect does not create missing parents
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def start_standalone(settings: Settings) -> TemporaryServer | None:
    """Prefect's environment, and a temporary server unless PREFECT_API_URL names one.

    Called before Prefect is imported, which then uses the server. It stops at exit, after Prefect
    has sent its last logs and events (exit handlers run in reverse order of registration).
    """
    prepare_prefect(settings.data_dir)
    os.environ.update(
        {  # the run's overrides reach the flow, which loads its settings itself, through the environment
            "NEWSFLOW_SPACY_MODEL": settings.spacy_model,
            "NEWSFLOW_BATCH_SIZE": str(settings.batch_size),
            "NEWSFLOW_N_PROCESS": str(settings.n_process),
        }
    )
    if os.environ.get("PREFECT_API_URL"):
        return None
    server = TemporaryServer().start()
    os.environ["PREFECT_API_URL"] = server.api_url
    return server


def warm_up(settings: Settings, server: TemporaryServer | None = None) -> None:
    """Load what the run needs while `server` (already started) comes up; return once it is up."""
    if settings.task_runner == "thread":
        from transforms.nlp import load_pipeline

        load_pipeline(settings.spacy_model)
    import great_expectations  # noqa: F401  (slow import, needed by the validate step)

    # Then the inbox, in worker processes (started earlier, they only slowed the imports down).
    _parse_ahead(settings)
    # What is loaded by now lives as long as the run: its garbage collections, and those of the
    # workers it forks, need not walk it (nor copy, in the workers, every page they touch).
    gc.freeze()
    if server is not None:
        server.wait_until_healthy(
            float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120"))
        )


def _parse_ahead(settings: Settings) -> None:
    from runtime.parse_ahead import parse_inbox_ahead

    try:
        parse_inbox_ahead(settings)
    except Exception as exc:  # only a head start: the flow parses, and reports, for itself
        logging.getLogger(__name__).debug("parsing ahead skipped: %s", exc)
