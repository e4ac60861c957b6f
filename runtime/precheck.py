"""Is there anything new to ingest? Answered without starting the orchestrator.

A scheduled or repeated `newsflow run` over an unchanged inbox should cost a
directory walk and a hash per file, not a Prefect start-up and a model load.
"""

from __future__ import annotations

from runtime.settings import Settings
from transforms.discover import iter_files, read_item
from warehouse.state import read_seen_inputs


def count_new_inputs(settings: Settings) -> tuple[int, int]:
    """(new items, unchanged items) under the inbox; feeds always count as possibly new."""
    seen = read_seen_inputs(settings.database_path)
    new = unchanged = 0
    for path in iter_files(settings.inbox):
        item = read_item(path, settings.max_file_bytes)
        if (item.doc_id, item.source_uri) in seen:
            unchanged += 1
        else:
            new += 1
    return new + len(settings.feeds), unchanged
