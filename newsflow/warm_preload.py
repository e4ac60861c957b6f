"""What the served deployment's fork server loads once, before any flow run is forked from it.

Imported by multiprocessing's fork server (`runtime.warm_runs`): the modules a run imports, the
spaCy model, and the reference tables the transforms build on first use — filled by extracting
one short article (parse, NER, dates, entities, quotes), so each run starts warm. A failure here
only costs speed: the runs import and load what they need themselves.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import tempfile
from pathlib import Path

_ARTICLE = (
    "WASHINGTON, July 3, 2025 — Secretary of State Marco Rubio met Foreign Minister Sergey Lavrov "
    "in Geneva on Thursday, the State Department said. “We spoke for two hours,” Rubio told "
    "reporters. Russia recognized the Taliban government in Kabul earlier this week.\n"
)


def warm() -> None:
    import flows.ingest  # Prefect, pandas, the transforms
    import flows.tasks  # noqa: F401
    from expectations.common import gx, gxe
    from expectations.runner import Validator  # noqa: F401
    from newsflow.extract import extract_files
    from runtime.settings import load_settings
    from warehouse import report  # noqa: F401

    gx(), gxe()  # Great Expectations' slow imports
    with contextlib.suppress(ImportError):  # the report's charts (optional)
        import altair  # noqa: F401
    settings = load_settings(data_dir=None)
    if settings.task_runner != "thread":  # the model is loaded by the Dask workers instead
        return
    with tempfile.TemporaryDirectory(prefix="newsflow-warm-") as folder:
        path = Path(folder) / "warm.txt"
        path.write_text(_ARTICLE, encoding="utf-8")
        list(extract_files([path], settings, None))


try:
    from runtime.heartbeats import heartbeats_without_end_wait

    heartbeats_without_end_wait()  # the forked runs keep their heartbeats, their end does not wait
    warm()
except Exception:  # only a head start
    logging.getLogger(__name__).warning("warming the flow-run processes failed", exc_info=True)
# What is loaded now lives as long as the fork server: the runs' garbage collections need not
# walk it (nor copy every page of it by touching its objects).
gc.freeze()
