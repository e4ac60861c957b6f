"""Overlap the fixed start-up costs of a run.

A temporary Prefect server takes 10–20 s to come up (in its own process);
loading the spaCy model and importing Great Expectations take several seconds
more. Started together, the run waits for the slowest of them instead of their
sum. The model stays cached in this process, so the flow's enrich tasks find it
loaded. The inbox is parsed meanwhile (in worker processes), and the flow's
parse step takes that result instead of parsing again.
"""

from __future__ import annotations

import logging
import os
import threading

from newsflow.settings import Settings


def warm_up(settings: Settings) -> None:
    server_thread = None
    if not os.environ.get("PREFECT_API_URL"):
        from prefect.server.api.server import SubprocessASGIServer

        # The same singleton instance the Prefect client would start on first use.
        server_thread = threading.Thread(
            target=SubprocessASGIServer().start, name="prefect-server", daemon=True
        )
        server_thread.start()
    if settings.task_runner == "thread":
        from transforms.nlp import load_pipeline

        load_pipeline(settings.spacy_model)
    import great_expectations  # noqa: F401  (slow import, needed by the validate step)

    # Then the inbox, in worker processes (started earlier, they only slowed the imports down).
    _parse_ahead(settings)
    if server_thread is not None:
        server_thread.join()


def _parse_ahead(settings: Settings) -> None:
    from flows.ingest import parse_ahead

    try:
        parse_ahead(settings)
    except Exception as exc:  # only a head start: the flow parses, and reports, for itself
        logging.getLogger(__name__).debug("parsing ahead skipped: %s", exc)
