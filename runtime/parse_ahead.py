"""The inbox parsed ahead of the flow, while the Prefect server starts, handed over as a file.

Parsing is a pure function of the items' bytes (doc_id is their hash), their source URIs and the
limits, so a result is filed under a digest of exactly those; the flow's parse step takes it
only when asked to parse the same items with the same limits, else it parses for itself. A file,
not module state: whoever parsed ahead (the CLI's process, a served deployment) and the flow that
takes it need share nothing but the data directory.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import secrets
from pathlib import Path

import pandas as pd

from runtime.settings import Settings
from runtime.workers import parse_in_workers
from transforms.parsing import ParseLimits, ParseResult

_SUFFIX = ".pickle"


class ParsedAhead:
    """Parse results filed under a folder of the data directory, each taken at most once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def store(self, readable: pd.DataFrame, limits: ParseLimits, result: ParseResult) -> Path:
        """File `result` for these items; earlier results are dropped (only the latest can match)."""
        self.clear()
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self._path(readable, limits)
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
        with partial.open("wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)  # a reader sees the whole result or none
        return target

    def clear(self) -> None:
        for old in self.directory.glob(f"*{_SUFFIX}"):
            old.unlink(missing_ok=True)

    def take(self, readable: pd.DataFrame, limits: ParseLimits) -> ParseResult | None:
        """The result filed for exactly these items and limits, removed as it is taken; else None."""
        path = self._path(readable, limits)
        try:
            with path.open("rb") as source:
                result = pickle.load(source)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # not there, or written by another version: parse again
        path.unlink(missing_ok=True)
        return result if isinstance(result, ParseResult) else None

    def _path(self, readable: pd.DataFrame, limits: ParseLimits) -> Path:
        key = repr((limits, list(zip(readable["doc_id"], readable["source_uri"], strict=True))))
        return self.directory / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}{_SUFFIX}"


def parse(readable: pd.DataFrame, limits: ParseLimits, processes: int, ahead: ParsedAhead) -> ParseResult:
    """The parse of these items: the one filed ahead of the run if it matches, else made now."""
    parsed = ahead.take(readable, limits)
    if parsed is None:
        parsed = parse_in_workers(readable[["doc_id", "source_uri", "content"]], limits, processes)
    return parsed


def parse_limits(settings: Settings) -> ParseLimits:
    return ParseLimits(
        max_bytes=settings.max_file_bytes,
        max_decompressed_bytes=settings.max_decompressed_bytes,
        max_html_depth=settings.max_html_depth,
        max_feed_entries=settings.max_feed_entries,
    )


def parse_inbox_ahead(settings: Settings) -> None:
    """Parse the new inbox items (in worker processes) and file the result for the flow.

    Best effort and without the writer lock: the flow takes the result only if it is then asked
    to parse exactly the same items.
    """
    from transforms.accounting import readable_items, split_repeated_bytes
    from transforms.discover import discover_inbox
    from warehouse.state import read_state

    state = read_state(settings.database_path, with_articles=False)
    raw, _ = discover_inbox(
        settings.inbox, settings.max_file_bytes, state.seen_inputs, pd.Timestamp.now(tz="UTC")
    )
    readable = readable_items(split_repeated_bytes(raw, state.known_doc_ids)[0])
    ahead = ParsedAhead(settings.parse_ahead_dir)
    if readable.empty:
        ahead.clear()
        return
    limits = parse_limits(settings)
    ahead.store(
        readable,
        limits,
        parse_in_workers(readable[["doc_id", "source_uri", "content"]], limits, settings.n_process),
    )
