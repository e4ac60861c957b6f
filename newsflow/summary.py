"""Terminal output: the run summary and query results as tables."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table


def print_summary(summary: dict, console: Console | None = None) -> None:
    console = console or Console()
    counts = summary.get("counts", {})
    table = Table(title=f"newsflow run {summary['run_id']} — {summary['status']}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, value in counts.items():
        table.add_row(name, str(value))
    for name, value in summary.get("rows", {}).items():
        table.add_row(f"rows loaded: {name}", str(value))
    for reason, value in summary.get("quarantine_reasons", {}).items():
        table.add_row(f"quarantined: {reason}", str(value))
    console.print(table)
    if summary["status"] == "nothing-new":
        console.print("Nothing new in the inbox: the warehouse is unchanged.")
    console.print(f"DuckDB warehouse: {summary['database']}")
    console.print(f"Parquet lake:     {summary['lake']}")
    if summary.get("docs"):
        console.print(f"Data Docs:        {summary['docs']}")
    console.print('Try: newsflow query "select title, published_at from articles"')


def print_frame(frame: pd.DataFrame, console: Console | None = None) -> None:
    console = console or Console(width=200)
    table = Table(show_header=True)
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    console.print(table)
    console.print(f"({len(frame)} rows)")


def _cell(value: object) -> str:
    """Render one value; lists and arrays (DuckDB LIST columns) as comma-separated items."""
    if value is None:
        return ""
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)
