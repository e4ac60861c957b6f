"""The Parquet lake: one file per table and run, partitioned by ingest date.

Layout: `<lake>/<table>/ingest_date=YYYY-MM-DD/<run_id>.parquet`. A run's files
are written under `<lake>/_staging/<run_id>/` first and moved into place only
when all are complete; files of a run that never reached the warehouse are
removed by `discard_uncommitted` at the start of the next run.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.schemas import TABLES

STAGING = "_staging"
# Run ids are made by the flow (timestamp + random hex); anything else never becomes a file name.
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


class UnsafePath(ValueError):
    """A table name or run id that could leave the lake directory."""


def _checked_name(table: str, run_id: str) -> None:
    if table not in TABLES:
        raise UnsafePath(f"unknown table {table!r}")
    if not _RUN_ID.fullmatch(run_id) or ".." in run_id:
        raise UnsafePath(f"run id {run_id!r} is not a safe file name")


def _inside(root: Path, path: Path) -> Path:
    """`path` resolved, and proven to stay under `root` (no symlink or '..' escapes)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise UnsafePath(f"{path} resolves outside {root}")
    return resolved


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """Cast a frame to the table's schema (missing columns become nulls, extra ones are dropped)."""
    schema = TABLES[table]
    columns = {}
    for fld in schema:
        if fld.name in frame.columns:
            columns[fld.name] = _to_array(frame[fld.name], fld.type)
        else:
            columns[fld.name] = pa.nulls(len(frame), type=fld.type)
    return pa.table(columns, schema=schema)


def _to_array(values: pd.Series, arrow_type: pa.DataType) -> pa.Array:
    # Most columns already have the right type (pandas `str`, int64): hand them to Arrow whole, which
    # is ~10x faster than cleaning value by value; mixed object columns fall back to `_clean`.
    if pa.types.is_string(arrow_type) or pa.types.is_integer(arrow_type):
        try:
            return pa.array(values, type=arrow_type, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            pass
    return pa.array(_clean(values, arrow_type), type=arrow_type, from_pandas=True)


def _clean(values: pd.Series, arrow_type: pa.DataType) -> list | pd.Series:
    """Normalise missing values so that pyarrow accepts object columns of mixed None/NaN/NaT."""
    if pa.types.is_list(arrow_type):
        return [None if not isinstance(v, list | tuple) and _missing(v) else list(v) for v in values]
    if pa.types.is_timestamp(arrow_type):
        return pd.to_datetime(values, utc=True)
    if pa.types.is_date(arrow_type):
        return [None if _missing(v) else pd.Timestamp(v).date() for v in values]
    if pa.types.is_string(arrow_type):
        return [None if _missing(v) else str(v) for v in values]
    if pa.types.is_binary(arrow_type):
        return [None if _missing(v) else bytes(v) for v in values]
    if pa.types.is_integer(arrow_type):
        return [None if _missing(v) else int(v) for v in values]
    return values


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def write_run(
    frames: dict[str, pd.DataFrame], lake_dir: Path, run_id: str, ingest_date: date
) -> dict[str, Path]:
    """Write every non-empty frame of a run and publish the files together; returns final paths."""
    for table in frames:
        _checked_name(table, run_id)
    lake_dir.mkdir(parents=True, exist_ok=True)
    staging = _inside(lake_dir, lake_dir / STAGING / run_id)
    staging.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    for table, frame in frames.items():
        if frame is None or frame.empty:
            continue
        path = staging / f"{table}.parquet"
        pq.write_table(to_arrow(table, frame), path, compression="zstd")
        _fsync(path)  # the bytes are on disk before the rename makes them visible
        staged[table] = path
    final: dict[str, Path] = {}
    for table, path in staged.items():
        partition = f"ingest_date={ingest_date.isoformat()}"
        target = _inside(lake_dir, lake_dir / table / partition / f"{run_id}.parquet")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)  # atomic within one file system
        final[table] = target
    for folder in {p.parent for p in final.values()}:
        _fsync(folder)  # and so are the renames
    shutil.rmtree(staging, ignore_errors=True)
    return final


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def run_files(lake_dir: Path, run_id: str) -> dict[str, Path]:
    """The published files of one run, by table."""
    return {p.parent.parent.name: p for p in lake_dir.glob(f"*/ingest_date=*/{run_id}.parquet")}


def discard_uncommitted(lake_dir: Path, committed_run_ids: set[str]) -> list[Path]:
    """Remove staging folders and published files of runs the warehouse never committed."""
    removed: list[Path] = []
    staging = lake_dir / STAGING
    if staging.exists():
        for path in staging.iterdir():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for path in lake_dir.glob("*/ingest_date=*/*.parquet"):
        if path.stem not in committed_run_ids:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
