"""Run artifacts: the markdown summary reads well; the tables show what this run changed."""

import duckdb

from flows.artifacts import DISCREPANCIES_KEY, QUARANTINE_KEY, STORIES_KEY, run_tables, summary_markdown
from tests.ops.warehouse_fixture import build_warehouse

SUMMARY = {
    "run_id": "20250701T000000-abc123",
    "status": "completed",
    "counts": {"quarantined": 2, "discovered": 6, "loaded": 3, "duplicate": 1, "unchanged_skipped": 0},
    "rows": {"articles": 3},
    "quarantine_reasons": {"empty": 1, "expect_column_values_to_not_be_null(value)": 1},
    "validation": {
        "articles": {"rows": 3, "failed": {}},
        "timexes": {"rows": 10, "failed": {"expect_column_values_to_not_be_null(value)": 1}},
    },
    "database": "/d/news.duckdb",
    "lake": "/d/lake",
    "docs": "/d/docs/index.html",
}


def test_summary_names_inputs_reasons_validation_and_data_docs():
    text = summary_markdown(SUMMARY)
    assert text.startswith("# newsflow run `20250701T000000-abc123` — completed")
    assert "1 expectation(s) failed in timexes" in text
    # Inputs in reading order, whatever order the counts came in.
    assert text.index("| discovered |") < text.index("| loaded |") < text.index("| quarantined |")
    assert "`expect_column_values_to_not_be_null(value)` (1)" in text
    assert "[/d/docs/index.html](file:///d/docs/index.html)" in text


def test_summary_of_a_run_with_nothing_new():
    text = summary_markdown(
        {"run_id": "r", "status": "nothing-new", "counts": {"discovered": 0}, "database": "x", "lake": "y"}
    )
    assert "warehouse is unchanged" in text and "Validation" not in text


def test_run_tables_tell_new_from_grown_stories_and_keep_only_this_runs_discrepancies(tmp_path):
    database = build_warehouse(tmp_path / "news.duckdb")
    con = duckdb.connect(str(database), read_only=True)
    first, second = run_tables(con, "r1"), run_tables(con, "r2")
    con.close()
    assert first[STORIES_KEY][["story_id", "change", "added"]].values.tolist() == [["s1", "new", 2]]
    assert second[STORIES_KEY][["story_id", "change", "title"]].values.tolist() == [
        ["s2", "new", "(untitled)"]
    ]
    assert len(first[DISCREPANCIES_KEY]) == 1 and second[DISCREPANCIES_KEY].empty


def test_quarantined_rows_name_their_input_and_expectation(tmp_path):
    database = build_warehouse(tmp_path / "news.duckdb")
    con = duckdb.connect(str(database), read_only=True)
    first, second = run_tables(con, "r1")[QUARANTINE_KEY], run_tables(con, "r2")[QUARANTINE_KEY]
    con.close()
    assert first[["input", "table", "reason"]].values.tolist() == [
        ["https://beta.example/b", "mentions", "expect_column_values_to_be_between(start)"]
    ]
    assert second[["input", "table", "reason"]].values.tolist() == [
        ["/inbox/gamma-notes.txt", "raw_documents", "empty"]
    ]
