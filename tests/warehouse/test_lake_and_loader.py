import duckdb
import pandas as pd
import pytest

from warehouse import lake, loader

NOW = pd.Timestamp("2026-01-02T03:04:05", tz="UTC")


def _articles(ids):
    return pd.DataFrame(
        {
            "article_id": ids,
            "doc_id": ["d"] * len(ids),
            "body": ["text"] * len(ids),
            "byline": [["A. Writer"]] * len(ids),
            "published_at": [NOW] * len(ids),
            "word_count": [1] * len(ids),
        }
    )


def _run_row(run_id):
    return {"run_id": run_id, "started_at": NOW.to_pydatetime(), "status": "completed", "counts": "{}"}


def test_write_publishes_files_and_load_is_idempotent(tmp_path):
    files = lake.write_run({"articles": _articles(["a", "b"])}, tmp_path / "lake", "r1", NOW.date())
    assert files["articles"].name == "r1.parquet"
    assert files["articles"].parent.name == "ingest_date=2026-01-02"
    assert not any((tmp_path / "lake" / "_staging").iterdir())
    con = loader.connect(tmp_path / "w.duckdb")
    loader.load_run(con, files, _run_row("r1"))
    loader.load_run(con, files, _run_row("r1"))  # replaying a run changes nothing
    assert con.execute("select count(*) from articles").fetchone()[0] == 2
    assert con.execute("select byline from articles where article_id = 'a'").fetchone()[0] == ["A. Writer"]
    assert con.execute("select count(*) from runs").fetchone()[0] == 1


def test_failed_load_leaves_the_warehouse_as_it_was(tmp_path):
    con = loader.connect(tmp_path / "w.duckdb")
    good = lake.write_run({"articles": _articles(["a"])}, tmp_path / "lake", "r1", NOW.date())
    loader.load_run(con, good, _run_row("r1"))
    broken = lake.write_run({"articles": _articles(["b"])}, tmp_path / "lake", "r2", NOW.date())
    broken["mentions"] = tmp_path / "missing.parquet"  # fails after articles were inserted
    with pytest.raises(duckdb.Error):
        loader.load_run(con, broken, _run_row("r2"))
    assert con.execute("select list(article_id order by article_id) from articles").fetchone()[0] == ["a"]
    assert con.execute("select count(*) from runs").fetchone()[0] == 1


def test_uncommitted_run_files_are_discarded(tmp_path):
    lake.write_run({"articles": _articles(["a"])}, tmp_path / "lake", "kept", NOW.date())
    lake.write_run({"articles": _articles(["b"])}, tmp_path / "lake", "crashed", NOW.date())
    (tmp_path / "lake" / "_staging" / "half").mkdir(parents=True)
    removed = lake.discard_uncommitted(tmp_path / "lake", {"kept"})
    assert len(removed) == 2
    assert [p.stem for p in (tmp_path / "lake").glob("*/*/*.parquet")] == ["kept"]


def test_views_are_created_from_sql_files(tmp_path):
    con = loader.connect(tmp_path / "w.duckdb")
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert {"story_discrepancies", "entity_co_mentions", "article_calendar", "story_overview"} <= views


def test_a_warehouse_from_before_city_coordinates_gains_the_columns(tmp_path):
    database = tmp_path / "old.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            "CREATE TABLE entities (entity_id VARCHAR PRIMARY KEY, canonical_name VARCHAR NOT NULL, type VARCHAR,"
            " aliases VARCHAR[], country_code VARCHAR, mention_count BIGINT, article_count BIGINT)"
        )
        con.execute("INSERT INTO entities VALUES ('e1', 'Moscow', 'GPE', [], NULL, 1, 1)")
    con = loader.connect(database)
    try:
        columns = [row[0] for row in con.execute("DESCRIBE entities").fetchall()]
        assert {"latitude", "longitude"} <= set(columns)
        assert con.execute("SELECT canonical_name, latitude FROM entities").fetchall() == [("Moscow", None)]
    finally:
        con.close()


def test_a_new_database_appears_whole_and_leftovers_of_dead_creators_go(tmp_path):
    dead = tmp_path / ".news.duckdb.999999999.creating"
    dead.write_bytes(b"\0" * 5000)  # what a creator killed mid-write leaves: no DuckDB can open it
    (tmp_path / ".news.duckdb.999999999.creating.wal").write_bytes(b"\0")
    con = loader.connect(tmp_path / "news.duckdb")
    try:
        assert con.execute("SELECT count(*) FROM entities").fetchone() == (0,)
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.duckdb"]


def test_creating_never_replaces_a_database_another_process_made(tmp_path):
    database = tmp_path / "news.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("CREATE TABLE mine AS SELECT 42 AS answer")
    loader._create(database)  # lost the race: the other file stays
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT answer FROM mine").fetchone() == (42,)


def test_a_warehouse_from_before_language_routing_gains_the_columns_and_the_view(tmp_path):
    database = tmp_path / "old.duckdb"
    loader.connect(database).close()
    with duckdb.connect(str(database)) as con:  # the table as it was: views on it go first
        for (view,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall():
            con.execute(f"DROP VIEW {view}")
        con.execute("ALTER TABLE articles DROP COLUMN ner_model")
        con.execute("ALTER TABLE articles DROP COLUMN ner_skip_reason")
        con.execute(
            "INSERT INTO articles (article_id, doc_id, language, body, word_count) "
            "VALUES ('a1', 'd1', 'en', 'Moscow said.', 2)"
        )
    con = loader.connect(database)
    try:
        columns = [row[0] for row in con.execute("DESCRIBE articles").fetchall()]
        assert {"ner_model", "ner_skip_reason"} <= set(columns)
        assert con.execute(
            "SELECT language, analysed, skip_reason, articles FROM language_coverage"
        ).fetchall() == [("en", False, "not recorded", 1)]
    finally:
        con.close()


def test_a_warehouse_from_before_metadata_sources_gains_the_column(tmp_path):
    database = tmp_path / "old.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            "CREATE TABLE articles (article_id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, item_index INTEGER,"
            " source_format VARCHAR, outlet VARCHAR, url VARCHAR, title VARCHAR, byline VARCHAR[],"
            " published_at TIMESTAMPTZ, published_tz VARCHAR, updated_at TIMESTAMPTZ, published_at_source VARCHAR,"
            " published_at_estimated_from VARCHAR, dateline VARCHAR, language VARCHAR, body VARCHAR,"
            " word_count INTEGER, content_hash VARCHAR, duplicate_of VARCHAR, story_id VARCHAR, run_id VARCHAR)"
        )
        con.execute("INSERT INTO articles (article_id, doc_id, title) VALUES ('a1', 'd1', 'Old title')")
    con = loader.connect(database)
    try:
        columns = [row[0] for row in con.execute("DESCRIBE articles").fetchall()]
        assert "metadata_sources" in columns
        assert con.execute("SELECT title, metadata_sources FROM articles").fetchall() == [("Old title", None)]
    finally:
        con.close()
