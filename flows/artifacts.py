"""Prefect artifacts of a run: the summary, top entities, stories, discrepancies and the report link.

Keys are stable so the UI's Artifacts page keeps one history per kind across runs.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pandas as pd
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

SUMMARY_KEY = "ingest-run-summary"
ENTITIES_KEY = "top-entities"
STORIES_KEY = "run-stories"
DISCREPANCIES_KEY = "run-discrepancies"
QUARANTINE_KEY = "run-quarantine"
REPORT_KEY = "newsflow-report"
ARTIFACT_KEYS = (SUMMARY_KEY, ENTITIES_KEY, STORIES_KEY, DISCREPANCIES_KEY, QUARANTINE_KEY, REPORT_KEY)

# The order a reader wants the input counts in; unknown keys follow.
_COUNT_ORDER = ("discovered", "unchanged_skipped", "loaded", "duplicate", "quarantined", "articles")


def summary_markdown(summary: dict) -> str:
    """The run summary as markdown: inputs, outcome per table, quarantine reasons, where the data is."""
    counts = summary.get("counts", {})
    validation = summary.get("validation", {})
    failed = {t: o["failed"] for t, o in validation.items() if o.get("failed")}
    lines = [f"# newsflow run `{summary['run_id']}` — {summary['status']}", ""]
    if summary["status"] == "nothing-new":
        lines += ["Nothing new in the inbox: the warehouse is unchanged.", ""]
    if validation:
        verdict = (
            "all expectations passed"
            if not failed
            else f"{sum(len(f) for f in failed.values())} expectation(s) failed in {', '.join(failed)}"
            " — failing rows were quarantined"
        )
        lines += [f"**Validation:** {verdict}.", ""]
    ordered = [k for k in _COUNT_ORDER if k in counts] + [k for k in counts if k not in _COUNT_ORDER]
    lines += ["## Inputs", "", "| inputs | count |", "|---|---:|"]
    lines += [f"| {name.replace('_', ' ')} | {counts[name]} |" for name in ordered]
    if summary.get("quarantine_reasons"):
        lines += ["", "## Quarantined, by reason", "", "| reason | rows |", "|---|---:|"]
        lines += [f"| `{_cell(reason)}` | {n} |" for reason, n in summary["quarantine_reasons"].items()]
    if validation:
        lines += [
            "",
            "## Validation",
            "",
            "| table | rows | failed expectations (failing rows) |",
            "|---|---:|---|",
        ]
        for table, outcome in validation.items():
            failures = (
                ", ".join(f"`{k}` ({v if v >= 0 else 'whole table'})" for k, v in outcome["failed"].items())
                or "none"
            )
            lines.append(f"| {table} | {outcome['rows']} | {failures} |")
    if summary.get("rows"):
        lines += ["", "## Rows loaded", "", "| table | rows |", "|---|---:|"]
        lines += [f"| {t} | {n} |" for t, n in summary["rows"].items()]
    lines += [
        "",
        "## Where the data is",
        "",
        f"- DuckDB: `{summary['database']}`",
        f"- Lake: `{summary['lake']}`",
    ]
    if summary.get("docs"):
        docs = Path(summary["docs"]).resolve()
        lines.append(f"- Data Docs: [{docs}]({docs.as_uri()})")
    return "\n".join(lines)


def publish_summary(summary: dict) -> None:
    create_markdown_artifact(
        key=SUMMARY_KEY, markdown=summary_markdown(summary), description="newsflow ingest run summary"
    )


def run_tables(con: duckdb.DuckDBPyConnection, run_id: str, top: int = 20) -> dict[str, pd.DataFrame]:
    """Top entities overall, stories new or grown in `run_id`, and the discrepancies it found."""
    entities = con.execute(
        "SELECT canonical_name, type, country_code, mention_count, article_count FROM entities "
        "ORDER BY mention_count DESC NULLS LAST, canonical_name LIMIT ?",
        [top],
    ).df()
    stories = con.execute(
        """SELECT s.story_id, coalesce(s.title, '(untitled)') AS title,
                  CASE WHEN count(*) FILTER (WHERE a.run_id <> ?) = 0 THEN 'new' ELSE 'grown' END AS change,
                  count(*) FILTER (WHERE a.run_id = ?) AS added, count(*) AS articles,
                  array_to_string(s.outlets, ', ') AS outlets
           FROM stories AS s JOIN articles AS a ON a.story_id = s.story_id AND a.duplicate_of IS NULL
           WHERE s.story_id IN (SELECT story_id FROM articles WHERE run_id = ?)
           GROUP BY s.story_id, s.title, s.outlets ORDER BY articles DESC, added DESC, title""",
        [run_id, run_id, run_id],
    ).df()
    discrepancies = con.execute(
        """SELECT d.kind, coalesce(s.title, '(untitled)') AS story, a.outlet AS outlet_a, d.value_a,
                  b.outlet AS outlet_b, d.value_b, round(d.score, 3) AS score, d.sentence_a, d.sentence_b
           FROM discrepancies AS d LEFT JOIN stories AS s USING (story_id)
           LEFT JOIN articles AS a ON a.article_id = d.article_a
           LEFT JOIN articles AS b ON b.article_id = d.article_b
           WHERE a.run_id = ? OR b.run_id = ? ORDER BY d.score DESC NULLS LAST LIMIT 200""",
        [run_id, run_id],
    ).df()
    # Which input each quarantined row came from, and which expectation (or parse check) it failed.
    quarantine = con.execute(
        """WITH docs AS (SELECT doc_id, any_value(source_uri) AS source_uri FROM raw_documents GROUP BY 1),
                q AS (SELECT *, coalesce(try(json_extract_string(payload, '$.article_id')),
                                         split_part(key, '|', 1)) AS article_key,
                             try(json_extract_string(payload, '$.doc_id')) AS payload_doc
                      FROM quarantine WHERE run_id = ?)
           SELECT coalesce(d1.source_uri, d2.source_uri, d3.source_uri) AS input, q."table", q.reason, q.key,
                  left(q.payload, 160) AS detail
           FROM q LEFT JOIN docs AS d1 ON q."table" = 'raw_documents' AND d1.doc_id = q.key
           LEFT JOIN articles AS a ON a.article_id = q.article_key
           LEFT JOIN docs AS d2 ON d2.doc_id = a.doc_id
           LEFT JOIN docs AS d3 ON d3.doc_id = q.payload_doc
           ORDER BY input NULLS LAST, q."table", q.reason, q.key LIMIT 200""",
        [run_id],
    ).df()
    return {
        ENTITIES_KEY: entities,
        STORIES_KEY: stories,
        DISCREPANCIES_KEY: discrepancies,
        QUARANTINE_KEY: quarantine,
    }


def publish_tables(database: Path, run_id: str) -> None:
    """Top entities, the stories touched by this run and the discrepancies found.

    Called once the run is committed: a failure here is logged and never fails the run (whose
    data is loaded), so a failed run always means nothing was loaded."""
    try:
        con = duckdb.connect(str(database), read_only=True)
        try:
            frames = run_tables(con, run_id)
        finally:
            con.close()
    except Exception:
        logging.getLogger(__name__).warning(
            "could not read run %s's tables for its artifacts", run_id, exc_info=True
        )
        return
    descriptions = {
        ENTITIES_KEY: "Most mentioned entities in the warehouse",
        STORIES_KEY: f"Stories new or grown in run {run_id}",
        DISCREPANCIES_KEY: f"Cross-source discrepancies found in run {run_id}",
        QUARANTINE_KEY: f"Rows quarantined in run {run_id}: input, table and failed expectation",
    }
    for key, frame in frames.items():
        create_table_artifact(key=key, table=_records(frame), description=descriptions[key])


def publish_report(database: Path, output: Path) -> Path | None:
    """Rewrite the HTML report and link it from the run; a report failure never fails the run."""
    try:
        from warehouse.report import write_report

        path = write_report(database, output).resolve()
    except Exception:  # the data is loaded by now: a broken chart must not turn the run red
        logging.getLogger(__name__).warning("could not write the report to %s", output, exc_info=True)
        return None
    create_link_artifact(
        key=REPORT_KEY,
        link=path.as_uri(),
        link_text=f"newsflow report ({path})",
        description="Entity mentions over time, stories by outlet and discrepancies (self-contained HTML)",
    )
    return path


def _records(frame: pd.DataFrame) -> list[dict]:
    # Artifacts are JSON: every value as text, missing ones as None.
    return [{k: _cell(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _cell(value: object) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value).replace("|", "\\|") if isinstance(value, str) else str(value)
