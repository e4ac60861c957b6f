"""Overlap the fixed start-up costs of a run.

A temporary Prefect server takes several seconds to come up (in its own process,
see `newsflow.prefect_server`); loading the spaCy model and importing Great
Expectations take several seconds more. Done meanwhile, the run waits for the
slowest of them instead of their sum. The model stays cached in this process,
so the flow's enrich tasks find it loaded. The inbox is parsed meanwhile (in
worker processes), and the flow's parse step takes that result instead of
parsing again.
"""

from __future__ import annotations

import logging
import os

from newsflow.prefect_server import TemporaryServer
from newsflow.settings import Settings


def warm_up(settings: Settings, server: TemporaryServer | None = None) -> None:
    """Load what the run needs while `server` (already started) comes up; return once it is up."""
    if settings.task_runner == "thread":
        from transforms.nlp import load_pipeline

        load_pipeline(settings.spacy_model)
    import great_expectations  # noqa: F401  (slow import, needed by the validate step)

    # Then the inbox, in worker processes (started earlier, they only slowed the imports down).
    _parse_ahead(settings)
    if server is not None:
        server.wait_until_healthy(
            float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120"))
        )


def _parse_ahead(settings: Settings) -> None:
    from flows.ingest import parse_ahead

    try:
        parse_ahead(settings)
    except Exception as exc:  # only a head start: the flow parses, and reports, for itself
        logging.getLogger(__name__).debug("parsing ahead skipped: %s", exc)
