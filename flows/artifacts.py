"""Prefect artifacts of a run: the summary, top entities, stories and discrepancies."""

from __future__ import annotations

from pathlib import Path

import duckdb
from prefect.artifacts import create_markdown_artifact, create_table_artifact


def summary_markdown(summary: dict) -> str:
    counts = summary.get("counts", {})
    lines = [
        f"# newsflow run `{summary['run_id']}` — {summary['status']}",
        "",
        "| inputs | count |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in counts.items()],
    ]
    if summary.get("quarantine_reasons"):
        lines += ["", "## Quarantined, by reason", "", "| reason | rows |", "|---|---|"]
        lines += [f"| {reason} | {n} |" for reason, n in summary["quarantine_reasons"].items()]
    if summary.get("validation"):
        lines += ["", "## Validation", "", "| table | rows | failed expectations |", "|---|---|---|"]
        for table, outcome in summary["validation"].items():
            failed = (
                ", ".join(f"{k} ({v if v >= 0 else 'table'})" for k, v in outcome["failed"].items()) or "none"
            )
            lines.append(f"| {table} | {outcome['rows']} | {failed} |")
    if summary.get("rows"):
        lines += ["", "## Rows loaded", "", "| table | rows |", "|---|---|"]
        lines += [f"| {t} | {n} |" for t, n in summary["rows"].items()]
    lines += ["", f"DuckDB: `{summary['database']}`  ", f"Lake: `{summary['lake']}`  "]
    if summary.get("docs"):
        lines.append(f"Data Docs: [{summary['docs']}](file://{summary['docs']})")
    return "\n".join(lines)


def publish_summary(summary: dict) -> None:
    create_markdown_artifact(
        key="ingest-run-summary",
        markdown=summary_markdown(summary),
        description="newsflow ingest run summary",
    )


def publish_tables(database: Path, run_id: str) -> None:
    """Top entities, the stories touched by this run and the discrepancies found."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        entities = con.execute(
            "SELECT canonical_name, type, country_code, mention_count, article_count FROM entities "
            "ORDER BY mention_count DESC NULLS LAST, canonical_name LIMIT 20"
        ).df()
        stories = con.execute(
            "SELECT s.story_id, s.title, s.article_count, array_to_string(s.outlets, ', ') AS outlets "
            "FROM stories s WHERE s.story_id IN (SELECT story_id FROM articles WHERE run_id = ?) "
            "ORDER BY s.article_count DESC",
            [run_id],
        ).df()
        discrepancies = con.execute(
            "SELECT kind, outlet_a, value_a, outlet_b, value_b, score, sentence_a, sentence_b "
            "FROM story_discrepancies WHERE story_id IN (SELECT story_id FROM articles WHERE run_id = ?)",
            [run_id],
        ).df()
    finally:
        con.close()
    create_table_artifact(key="top-entities", table=_records(entities), description="Most mentioned entities")
    create_table_artifact(
        key="run-stories", table=_records(stories), description="Stories new or grown in this run"
    )
    create_table_artifact(
        key="run-discrepancies", table=_records(discrepancies), description="Cross-source discrepancies found"
    )


def _records(frame) -> list[dict]:
    return [{k: (None if v is None else str(v)) for k, v in row.items()} for row in frame.to_dict("records")]
