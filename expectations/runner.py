"""Validate a run's tables with their GX suites and split off the rows that fail.

Row-level failures (an expectation that names the failing rows) send those rows
to quarantine with the expectation as the reason; a table-level failure (wrong
columns, say) is reported so that the run fails before anything is loaded.
Data Docs are rebuilt under the docs folder after every validation.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from expectations import (
    articles,
    discrepancies,
    entities,
    entity_redirects,
    mentions,
    quarantine,
    quotes,
    raw_documents,
    stories,
    story_redirects,
    text_repairs,
    timexes,
)
from expectations.common import gx
from transforms.isolation import isolate
from transforms.safe_text import safe_text
from warehouse.lake import to_arrow
from warehouse.schemas import PRIMARY_KEYS

SUITES: dict[str, ModuleType] = {
    m.TABLE: m
    for m in (
        raw_documents,
        articles,
        entities,
        entity_redirects,
        mentions,
        timexes,
        quotes,
        stories,
        story_redirects,
        discrepancies,
        quarantine,
        text_repairs,
    )
}
ROW = "_row"
_PAYLOAD_FIELD_CHARS = 400


@dataclass
class TableOutcome:
    table: str
    rows: int
    success: bool
    failed: dict[str, int] = field(default_factory=dict)  # expectation -> failing rows (-1: table level)

    @property
    def table_level_failures(self) -> list[str]:
        return [name for name, count in self.failed.items() if count < 0]


@dataclass
class ValidationReport:
    """A run's tables after validation: the passing rows, and the rejected ones as quarantine records."""

    passed: dict[str, pd.DataFrame]
    rejects: list[pd.DataFrame]  # per table: table, key, reason, payload, row (position in its frame)
    outcomes: dict[str, TableOutcome]
    docs_index: Path | None = None

    @property
    def table_failures(self) -> dict[str, list[str]]:
        return {t: o.table_level_failures for t, o in self.outcomes.items() if o.table_level_failures}

    def add(self, other: ValidationReport) -> None:
        """Take in the report of more tables; outcomes stay in the order of the suites."""
        self.passed.update(other.passed)
        self.rejects.extend(other.rejects)
        merged = {**self.outcomes, **other.outcomes}
        self.outcomes = {t: merged[t] for t in SUITES if t in merged}


class Validator:
    """One GX context per run; `validate` may be called for several tables in turn."""

    def __init__(self, docs_dir: Path | None) -> None:
        module = gx()
        # GX configures its loggers on import; quieten them afterwards.
        for name in ("great_expectations", "great_expectations.data_context.types.base"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self._gx = module
        self._context = module.get_context(mode="ephemeral")
        self._context.variables.progress_bars = {"globally": False}
        # An ephemeral context comes with a site of its own in a new temporary folder: built
        # beside ours it doubled the docs time and left a folder behind on every run.
        for site in list(self._context.list_data_docs_sites()):
            self._context.delete_data_docs_site(site)
        self._docs_dir = docs_dir.resolve() if docs_dir is not None else None
        if docs_dir is not None:
            docs_dir.mkdir(parents=True, exist_ok=True)
            self._context.add_data_docs_site(
                site_name="newsflow",
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(docs_dir.resolve()),  # GX requires an absolute path
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
        self._source = self._context.data_sources.add_pandas("newsflow")
        self._definitions: dict[str, object] = {}

    def validate(
        self, table: str, frame: pd.DataFrame, **context: object
    ) -> tuple[pd.DataFrame, pd.DataFrame, TableOutcome]:
        """(passing rows, rejected rows as quarantine records, outcome) for one table.

        Rows the suite cannot even evaluate (it raises for them) and rows the table's storage
        schema cannot hold are rejected too, each with the step and error class as the reason.
        """
        frame = frame.reset_index(drop=True)

        def run(rows: list[int]) -> tuple[pd.DataFrame, pd.DataFrame, TableOutcome]:
            part = frame if len(rows) == len(frame) else frame.iloc[rows].reset_index(drop=True)
            return self._validate(table, part, **context)

        (passed, rejects, outcome), unvalidated = isolate(list(range(len(frame))), run, "validate")
        passed, unstorable = _storable(table, passed)
        extra = [_reject_records(table, frame, sorted(unvalidated), {r: [v] for r, v in unvalidated.items()})]
        extra.append(
            _reject_records(table, passed, sorted(unstorable), {r: [v] for r, v in unstorable.items()})
        )
        if unstorable:
            passed = passed.drop(index=sorted(unstorable)).reset_index(drop=True)
        found = [r for r in (rejects, *extra) if not r.empty]
        return passed, (pd.concat(found, ignore_index=True) if found else rejects), outcome

    def _validate(
        self, table: str, frame: pd.DataFrame, **context: object
    ) -> tuple[pd.DataFrame, pd.DataFrame, TableOutcome]:
        suite_module = SUITES[table]
        checked = frame.reset_index(drop=True)
        derive = getattr(suite_module, "derive", None)
        if derive is not None and not checked.empty:
            checked = derive(checked, **context)
        checked = checked.assign(**{ROW: range(len(checked))})
        if checked.empty:
            return frame.iloc[0:0], _no_rejects(), TableOutcome(table, 0, True)

        definition, batch = self._definition(table), {"dataframe": _gx_safe(checked)}
        # Pass or fail first (half the cost of listing failing rows, which most runs do not have);
        # the rows are asked for only of a table that failed.
        result = definition.run(batch_parameters=batch, result_format={"result_format": "BOOLEAN_ONLY"})
        if not result.success:
            result = definition.run(
                batch_parameters=batch,
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW]},
            )
        failing_rows: dict[int, list[str]] = {}
        outcome = TableOutcome(table, len(checked), bool(result.success))
        for item in result.results:
            if item.success:
                continue
            name = _expectation_name(item.expectation_config)
            indexes = item.result.get("unexpected_index_list")
            if indexes is None:
                outcome.failed[name] = -1
                continue
            rows = {int(i[ROW]) if isinstance(i, dict) else int(i) for i in indexes}
            outcome.failed[name] = len(rows)
            for row in rows:
                failing_rows.setdefault(row, []).append(name)
        bad = sorted(failing_rows)
        original = frame.reset_index(drop=True)
        rejects = _reject_records(table, original, bad, failing_rows)
        passed = original.drop(index=bad) if bad else original
        return passed.reset_index(drop=True), rejects, outcome

    def _definition(self, table: str):  # -> great_expectations.ValidationDefinition
        """The table's suite, asset and validation definition, made once per context: the batch
        is the dataframe passed to each run. Expectations go in with the suite (adding them one
        by one saved the suite to its store after each)."""
        if table not in self._definitions:
            suite = self._context.suites.add_or_update(
                self._gx.ExpectationSuite(name=table, expectations=list(SUITES[table].expectations()))
            )
            batch_definition = self._source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(
                "run"
            )
            self._definitions[table] = self._context.validation_definitions.add_or_update(
                self._gx.ValidationDefinition(name=table, data=batch_definition, suite=suite)
            )
        return self._definitions[table]

    def validate_tables(
        self,
        frames: dict[str, pd.DataFrame],
        now: pd.Timestamp,
        log: logging.Logger | logging.LoggerAdapter | None = None,
        known_bodies: dict[str, str] | None = None,
    ) -> ValidationReport:
        """Every frame through its table's suite, in the order of `SUITES` (articles before their
        children, which follow a rejected article into quarantine); frames of tables without a
        suite pass as they are. `known_bodies`: the bodies of known articles whose child rows the
        run writes again (mentions linked to another entity)."""
        articles = frames.get("articles")
        bodies = dict(known_bodies or {})
        if articles is not None:
            bodies |= dict(zip(articles["article_id"], articles["body"], strict=True))
        report = ValidationReport({}, [], {})
        for table in SUITES:
            frame = frames.get(table)
            if frame is None:
                continue
            (log or logging.getLogger(__name__)).info("validating %s: %d rows", table, len(frame))
            good, bad, outcome = self.validate(table, frame, bodies=bodies, now=now)
            report.passed[table], report.outcomes[table] = good, outcome
            if not bad.empty:
                report.rejects.append(bad)
        report.passed |= {table: frame for table, frame in frames.items() if table not in SUITES}
        return report

    def build_docs(self, report: ValidationReport | None = None, when: str = "every-run") -> Path | None:
        """The Data Docs index, rebuilt unless `when` is "on-failure", `report` failed no expectation
        and a site exists already: a clean run would add nothing to look at, and the rebuild is a
        sizeable part of a small run."""
        if self._docs_dir is None:
            return None
        index = self._docs_dir / "index.html"
        clean = report is not None and not any(o.failed for o in report.outcomes.values())
        if not (when == "on-failure" and clean and index.exists()):
            self._context.build_data_docs()
        return index if index.exists() else None


def _storable(table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, str]]:
    """(frame, {row: reason} of the rows the table's Arrow schema cannot hold)."""
    if frame.empty:
        return frame, {}
    _, failures = isolate(list(range(len(frame))), lambda rows: to_arrow(table, frame.iloc[rows]), "cast")
    return frame, failures


def _expectation_name(config: object) -> str:
    kwargs = getattr(config, "kwargs", {}) or {}
    target = kwargs.get("column") or ",".join(kwargs.get("column_list", []) or [])
    return f"{config.type}({target})" if target else str(config.type)


def _gx_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """GX's pandas engine hashes values for some metrics; lists and bytes become strings."""
    out = frame.copy()
    for column in out.columns:
        sample = out[column].dropna()
        if not sample.empty and isinstance(sample.iloc[0], list | tuple | bytes | dict):
            out[column] = out[column].map(lambda v: None if v is None else repr(v))
    return out


def _no_rejects() -> pd.DataFrame:
    return pd.DataFrame(columns=["table", "key", "reason", "payload", "row"])


def _reject_records(
    table: str, frame: pd.DataFrame, rows: list[int], reasons: dict[int, list[str]]
) -> pd.DataFrame:
    if not rows:
        return _no_rejects()
    key_columns = [c for c in PRIMARY_KEYS[table] if c in frame.columns]
    records = []
    for row in rows:
        values = frame.iloc[row]
        key = "|".join(str(values[c]) for c in key_columns) or str(row)
        records.append(
            {
                "table": table,
                "key": key,
                "reason": "; ".join(sorted(reasons[row])),
                "payload": payload(values),
                "row": row,
            }
        )
    return pd.DataFrame(records)


def payload(values: pd.Series) -> str:
    """A JSON copy of a row for the quarantine table, long fields shortened."""
    out = {}
    for name, value in values.items():
        if isinstance(value, bytes):
            value = f"<{len(value)} bytes>"
        elif isinstance(value, list | tuple | np.ndarray):  # list columns (byline) as DuckDB returns them
            value = [str(v) for v in value]
        elif value is None or (not isinstance(value, str) and pd.isna(value)):
            value = None
        elif not isinstance(value, str | int | float | bool):
            value = str(value)
        if isinstance(value, str) and len(value) > _PAYLOAD_FIELD_CHARS:
            value = value[:_PAYLOAD_FIELD_CHARS] + "…"
        out[str(name)] = value
    return safe_text(json.dumps(out, ensure_ascii=False, default=str))[0]
