"""Warm flow-run processes for the served deployment: imports and the model paid once.

Prefect's runner starts every flow run of a served flow in a new process (`run_flow_in_subprocess`,
multiprocessing's "spawn"): each scheduled run imported Prefect, pandas, spaCy and Great
Expectations again and loaded the model again, seconds of a run that has one article to do.
Here the runs come from multiprocessing's fork server instead: one process, started with the
runner, imports all of that once and loads the model (`newsflow.warm_preload`); each flow run is
forked from it. A run is still a process of its own — its states, logs, cancellation and crash
handling are Prefect's, unchanged — it only starts with everything in memory (copy-on-write).
The fork server is single-threaded when it forks, so no lock is inherited held.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
from types import ModuleType
from typing import Any

PRELOAD = "newsflow.warm_preload"  # a module name: the CLI layer may import the flow


class _ForkServerMultiprocessing:
    """`multiprocessing` as `prefect.flow_engine` sees it: the context it asks for is the fork server's."""

    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self._context = context

    def get_context(self, method: str | None = None) -> multiprocessing.context.BaseContext:
        return self._context

    def __getattr__(self, name: str) -> Any:
        return getattr(multiprocessing, name)


def use_warm_processes(spacy_model: str) -> bool:
    """Start flow runs of this process's runner from a warm fork server; False where there is none.

    Call before the runner starts: the fork server starts now and warms up while the runner
    registers the deployment. It inherits this environment (PREFECT_*, NEWSFLOW_*), and each run
    still gets the runner's environment for its flow run."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    import prefect.flow_engine

    os.environ["NEWSFLOW_SPACY_MODEL"] = spacy_model  # the model the fork server loads
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    engine: ModuleType = prefect.flow_engine
    # Prefect's runner starts a served flow's runs through `run_flow_in_subprocess`, which asks
    # this module attribute for its "spawn" context; nothing else in that module uses it.
    engine.multiprocessing = _ForkServerMultiprocessing(context)  # type: ignore[assignment]
    multiprocessing.forkserver.ensure_running()
    return True
