"""How often each input has been in a run that failed: after `max_input_failures` it is poison.

Item isolation (`transforms.isolation`) keeps one bad item from failing a run; this ledger is the
backstop for what it cannot catch — a failure only a combination of items reproduces, a crash
or a kill in the middle of a run. Without it an input that breaks every run would stop the
schedule for good, because a failed run loads nothing and the input stays new.

The ledger is a small JSON file beside the warehouse (`<data>/input_failures.json`), written
atomically; it is operational state, not warehouse data, so a run that fails because the
database is unusable can still record its failure. Per input (doc_id + source_uri):
`failures`, `last_error`, and `pending` (the run now processing it). A run marks its inputs
pending when it starts; a run that commits removes them; a run that fails clears `pending` and,
unless the failure was the environment's (disk, locks, memory, an interrupt), counts one failure
for each. A run that died without either (killed, crashed) is counted by the next run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from transforms.isolation import is_environment_error
from transforms.safe_text import safe_text
from warehouse.loader import WarehouseBusy
from warehouse.lock import WarehouseLocked

DIED = "the run ended without finishing (killed or crashed)"
# Not an input's fault either: another process holds the warehouse, or the user stopped the run.
_NOT_BLAMED = (WarehouseLocked, WarehouseBusy, duckdb.IOException, KeyboardInterrupt)


def _key(doc_id: str, source_uri: str) -> str:
    return f"{doc_id} {source_uri}"


def blamed(error: BaseException) -> bool:
    """Whether a run that failed with `error` counts against its inputs."""
    return not is_environment_error(error) and not isinstance(error, _NOT_BLAMED)


class InputFailures:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict] = self._read()

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}  # an unreadable ledger must not block runs: it only counts failures
        return data if isinstance(data, dict) else {}

    def _write(self) -> None:
        if not self.entries:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".json.partial")
        partial.write_text(json.dumps(self.entries, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, self.path)

    def poisoned(self, max_failures: int) -> dict[tuple[str, str], str]:
        """{(doc_id, source_uri): detail} of the inputs that failed `max_failures` runs or more."""
        return {
            (e["doc_id"], e["source_uri"]): f"failed {e['failures']} runs; last error: {e.get('last_error')}"
            for e in self.entries.values()
            if e.get("failures", 0) >= max_failures
        }

    def begin(self, inputs: Iterable[tuple[str, str]], run_id: str) -> None:
        """Count the runs that died with their inputs pending, then mark this run's inputs."""
        for entry in self.entries.values():
            if entry.get("pending"):
                entry["failures"] = entry.get("failures", 0) + 1
                entry["last_error"] = DIED
                entry["pending"] = None
        for doc_id, source_uri in inputs:
            entry = self.entries.setdefault(
                _key(doc_id, source_uri), {"doc_id": doc_id, "source_uri": source_uri, "failures": 0}
            )
            entry["pending"] = run_id
        self._write()

    @contextmanager
    def attempt(self, inputs: Iterable[tuple[str, str]], run_id: str) -> Iterator[None]:
        """`begin`, then `committed` when the block ends normally or `failed` when it raises."""
        self.begin(inputs, run_id)
        try:
            yield
        except BaseException as exc:
            self.failed(run_id, exc)
            raise
        self.committed(run_id)

    def committed(self, run_id: str) -> None:
        """The run's inputs are in the warehouse now (loaded, duplicate or quarantined)."""
        self.entries = {k: e for k, e in self.entries.items() if e.get("pending") != run_id}
        self._write()

    def failed(self, run_id: str, error: BaseException) -> bool:
        """Record the run's failure; True when it was counted against its inputs."""
        blame = blamed(error)
        for entry in self.entries.values():
            if entry.get("pending") != run_id:
                continue
            entry["pending"] = None
            if blame:
                entry["failures"] = entry.get("failures", 0) + 1
                entry["last_error"] = safe_text(f"{type(error).__name__}: {error}"[:300])[0]
        self.entries = {k: e for k, e in self.entries.items() if e.get("failures", 0) > 0}
        self._write()
        return blame
