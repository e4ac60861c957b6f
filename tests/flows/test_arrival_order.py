"""The seeds in the orders a scheduled user gets them: together, the dated one first, the undated
one first. The undated article (no written time) takes its story's estimate from the dated one,
also when it was loaded runs before: the run that brings the dated one revises it."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.ingest import ingest
from tests.conftest import SAMPLE_INBOX
from warehouse.lake_current import current_rows

UNDATED, DATED = "000_89779fb7a3461cee.txt", "001_221771e9a0a30a7f.txt"


UNRELATED = "Lima's council said on Monday that the city's new bus line would open in the spring.\n"


def _run_in_order(tmp_path, batches: list[list[str]]) -> dict:
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    revised = []
    for batch in batches:
        for name in batch:
            if name == "unrelated.txt":
                (inbox / name).write_text(UNRELATED, encoding="utf-8")
            else:
                shutil.copy(SAMPLE_INBOX / name, inbox / name)
        summary = ingest(inbox=[str(inbox)], data_dir=str(data))
        revised.append(summary["counts"].get("articles_revised", 0))
    con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
    try:
        name_of = dict(
            con.execute(
                "SELECT a.article_id, regexp_extract(r.source_uri, '[^/]+$') FROM articles a "
                "JOIN raw_documents r USING (doc_id)"
            ).fetchall()
        )

        def rows(sql: str) -> list[tuple]:
            return sorted(tuple(name_of.get(v, v) for v in row) for row in con.execute(sql).fetchall())

        return {
            "revised per run": revised,
            "lake differs from the warehouse in": _lake_differences(con, data / "lake"),
            "articles": rows(
                "SELECT article_id, published_at, published_at_source, published_at_estimated_from FROM articles"
            ),
            "timexes": rows('SELECT article_id, start, "end", text, type, value, anchor FROM timexes'),
            "stories": len({s for (s,) in con.execute("SELECT story_id FROM articles").fetchall()}),
            "discrepancies": rows("SELECT article_a, article_b, kind, value_a, value_b FROM discrepancies"),
        }
    finally:
        con.close()


_COMPARED = {
    "articles": [
        "article_id",
        "published_at",
        "published_at_source",
        "published_at_estimated_from",
        "story_id",
    ],
    "timexes": ["article_id", "start", "end", "value", "anchor"],
    "discrepancies": ["story_id", "article_a", "article_b", "kind", "value_a", "value_b"],
    "stories": ["story_id", "article_count", "first_published"],
    "entities": ["entity_id", "canonical_name", "type"],
    "mentions": ["article_id", "start", "end", "entity_id"],
}


def _lake_differences(con, lake_dir) -> list[str]:
    """Tables whose current rows read from the Parquet files alone differ from DuckDB's."""

    def rows(frame) -> list[tuple]:
        return sorted(
            tuple(str(v) if v == v else "nan" for v in row) for row in frame.itertuples(index=False)
        )

    differing = []
    for table, columns in _COMPARED.items():
        quoted = ", ".join(f'"{c}"' for c in columns)
        in_lake = current_rows(con, table, lake_dir)
        stored = con.execute(f"SELECT {quoted} FROM {table}").df()
        if rows(in_lake[columns] if not in_lake.empty else stored.iloc[:0]) != rows(stored):
            differing.append(table)
    return differing


@pytest.fixture(scope="module")
def together(tmp_path_factory):
    return _run_in_order(tmp_path_factory.mktemp("together"), [[DATED, UNDATED]])


def _tables(warehouse: dict) -> dict:
    assert warehouse["lake differs from the warehouse in"] == []
    return {
        k: v
        for k, v in warehouse.items()
        if k not in ("revised per run", "lake differs from the warehouse in")
    }


def test_together_the_undated_article_takes_its_storys_estimate(together):
    (undated, undated_at, source, peer), (dated, dated_at, dated_source, _) = together["articles"]
    assert (dated, undated) == (DATED, UNDATED) and dated_source == "text"
    assert (undated_at, source, peer) == (dated_at, "estimated", DATED)
    thursday = [t for t in together["timexes"] if t[0] == UNDATED and t[3] == "Thursday"]
    assert thursday and all(t[5] == "2025-07-03" and t[6] == "estimated" for t in thursday)
    assert together["stories"] == 1 and together["discrepancies"]


def test_the_dated_article_first_gives_the_same_warehouse(together, tmp_path):
    later = _run_in_order(tmp_path, [[DATED], [UNDATED]])
    assert _tables(later) == _tables(together)
    # the new undated article is estimated as it loads; the dated one, alone so far, joins its story
    assert later["revised per run"] == [0, 1]


def test_the_undated_article_first_gives_the_same_warehouse(together, tmp_path):
    """The run that brings the dated article revises the undated one loaded before: its estimated
    publication time, its 'Thursday' resolved against it, and the story's discrepancies."""
    later = _run_in_order(tmp_path, [[UNDATED], [DATED], ["unrelated.txt"]])
    unrelated = [a for a in later["articles"] if a[0] not in (DATED, UNDATED)]
    assert len(unrelated) == 1
    later["articles"].remove(unrelated[0])
    later["timexes"] = [t for t in later["timexes"] if t[0] != unrelated[0][0]]
    later["stories"] -= 1
    assert _tables(later) == _tables(together)
    assert later["revised per run"] == [0, 1, 0]  # once, when the estimate changes; not again


@pytest.mark.slow
def test_runs_that_merge_and_split_stories_keep_the_lake_and_every_id(tmp_path):
    """Drifting reports of three events, in runs whose later articles merge and split the stories
    earlier runs built: the stories are those of one run, every story id ever written resolves
    (a current story, or a redirect to one), and the lake's current rows are DuckDB's."""
    import numpy as np

    from tests.transforms.test_stories import chain_articles

    articles = chain_articles(5)
    rng = np.random.default_rng(5)
    cuts = np.sort(rng.choice(np.arange(1, len(articles)), size=int(rng.integers(3, 9)), replace=False))
    batches = np.split(rng.permutation(len(articles)), cuts)

    def run(name: str, parts: list) -> tuple[set, duckdb.DuckDBPyConnection]:
        inbox, data = tmp_path / name / "inbox", tmp_path / name / "data"
        inbox.mkdir(parents=True)
        for part in parts:
            for row in articles.iloc[part].itertuples():
                (inbox / f"{row.article_id}.txt").write_text(row.body + "\n", encoding="utf-8")
            ingest(inbox=[str(inbox)], data_dir=str(data))
        con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
        groups = con.execute(
            "SELECT list(regexp_extract(r.source_uri, '[^/]+$') ORDER BY r.source_uri) FROM articles a "
            "JOIN raw_documents r USING (doc_id) GROUP BY a.story_id"
        ).fetchall()
        return {tuple(g) for (g,) in groups}, con

    one, one_con = run("one", [np.arange(len(articles))])
    one_con.close()
    many, con = run("many", batches)
    try:
        assert many == one
        assert _lake_differences(con, tmp_path / "many" / "data" / "lake") == []
        redirects = dict(con.execute("SELECT story_id, redirect_to FROM story_redirects").fetchall())
        current = {s for (s,) in con.execute("SELECT story_id FROM stories").fetchall()}
        in_lake = {
            s
            for (s,) in con.execute(
                "SELECT DISTINCT story_id FROM read_parquet(?)",
                [str(tmp_path / "many" / "data" / "lake" / "articles" / "*" / "*.parquet")],
            ).fetchall()
        }
        assert redirects, "the runs merged no story"
        assert not current & set(redirects) and set(redirects.values()) <= current
        assert in_lake <= current | set(redirects)  # every id ever written resolves
        ledger = con.execute("SELECT sum(stories_merged), sum(articles_regrouped) FROM run_ledger").fetchone()
        assert ledger[0] >= 1 and ledger[1] >= 1
    finally:
        con.close()


@pytest.mark.slow
def test_a_warehouse_from_before_story_roles_and_linking_columns_takes_new_runs(tmp_path):
    """A warehouse written before articles.story_role, mentions.article_name / entity_type /
    country_code and the redirect tables: the next run adds them in place, links its mentions
    against the registry as before (the stored ones cannot be linked again) and groups stories
    with the roles the stored sizes imply."""
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    shutil.copy(SAMPLE_INBOX / UNDATED, inbox / UNDATED)
    ingest(inbox=[str(inbox)], data_dir=str(data))
    con = duckdb.connect(str(data / "news.duckdb"))
    try:
        for column in ("article_name", "entity_type", "country_code"):
            con.execute(f"ALTER TABLE mentions DROP COLUMN {column}")
        con.execute("ALTER TABLE articles DROP COLUMN story_role")
        con.execute("DROP TABLE story_redirects")
        con.execute("DROP TABLE entity_redirects")
        entities_before = {e for (e,) in con.execute("SELECT entity_id FROM entities").fetchall()}
    finally:
        con.close()
    shutil.copy(SAMPLE_INBOX / DATED, inbox / DATED)
    summary = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert summary["status"] == "completed" and summary["counts"]["loaded"] == 1
    con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(DISTINCT story_id) FROM articles").fetchone()[0] == 1
        roles = con.execute("SELECT story_role FROM articles ORDER BY story_role").fetchall()
        assert roles == [("core",), ("core",)]  # the stored article, alone so far, written again
        assert con.execute("SELECT count(*) FROM entity_redirects").fetchone()[0] == 0
        kept = {e for (e,) in con.execute("SELECT DISTINCT entity_id FROM mentions").fetchall()}
        assert entities_before <= {e for (e,) in con.execute("SELECT entity_id FROM entities").fetchall()}
        assert kept <= {e for (e,) in con.execute("SELECT entity_id FROM entities").fetchall()}
    finally:
        con.close()
