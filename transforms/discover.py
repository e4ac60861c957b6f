"""Discover raw items: files under the inbox paths (and fetched feed bodies) → raw documents.

Items whose (bytes, source) pair the warehouse already holds are skipped here,
before any parsing, so a run over an unchanged inbox costs a directory walk and
a hash per file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from transforms.ids import stable_id
from transforms.safe_text import safe_text

RAW_COLUMNS = [
    "doc_id",
    "source_uri",
    "size_bytes",
    "content",
    "fetched_at",
    "precheck_reason",
    "precheck_detail",
    "repairs",  # (field, repair, count) of what `transforms.safe_text` changed in source_uri
]
_CHUNK = 1 << 20


@dataclass(frozen=True)
class RawItem:
    doc_id: str
    source_uri: str
    size_bytes: int
    content: bytes | None  # None when the item was rejected before reading it whole
    precheck_reason: str | None = None
    precheck_detail: str | None = None


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Regular files under the given files or folders, in a stable order; hidden files skipped."""
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in relative.parts):
                    yield child


def read_item(path: Path, max_bytes: int) -> RawItem:
    """Read and hash one file; an oversized file is hashed in chunks but not kept in memory."""
    uri = path.resolve().as_uri()
    try:
        size = path.stat().st_size
        if size > max_bytes:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
            return RawItem(
                digest.hexdigest(), uri, size, None, "too_large", f"{size} bytes > limit {max_bytes}"
            )
        data = path.read_bytes()
    except OSError as exc:
        # No bytes to hash: the id is derived from the location instead, still stable.
        return RawItem(
            stable_id("unreadable", uri, length=64), uri, 0, None, "unreadable", exc.strerror or str(exc)
        )
    return RawItem(hashlib.sha256(data).hexdigest(), uri, len(data), data)


def item_from_bytes(data: bytes, source_uri: str) -> RawItem:
    return RawItem(hashlib.sha256(data).hexdigest(), source_uri, len(data), data)


def discover(
    items: Iterable[RawItem],
    seen_inputs: set[tuple[str, str]],
    fetched_at: pd.Timestamp,
) -> tuple[pd.DataFrame, int]:
    """New raw documents as a frame, and how many known items were skipped."""
    rows = []
    skipped = 0
    for item in items:
        # A file's URI is percent-encoded already; a feed URL from the settings may not be.
        uri, changes = safe_text(item.source_uri)
        if (item.doc_id, uri) in seen_inputs:
            skipped += 1
            continue
        rows.append(
            (
                item.doc_id,
                uri,
                item.size_bytes,
                item.content,
                fetched_at,
                item.precheck_reason,
                item.precheck_detail,
                [("source_uri", kind, count) for kind, count in sorted(changes.items())],
            )
        )
    return pd.DataFrame(rows, columns=RAW_COLUMNS), skipped


def discover_inbox(
    inbox: Iterable[Path], max_bytes: int, seen_inputs: set[tuple[str, str]], fetched_at: pd.Timestamp
) -> tuple[pd.DataFrame, int]:
    """`discover` over the files under the inbox folders and files."""
    items = (read_item(path, max_bytes) for path in iter_files(inbox))
    raw, skipped = discover(items, seen_inputs, fetched_at)
    # The same file reached twice (a folder and a file inside it) is one input, counted once.
    repeated = raw.duplicated(["doc_id", "source_uri"])
    return raw[~repeated].reset_index(drop=True), skipped + int(repeated.sum())
