"""A small hand-made warehouse for report and artifact tests (no NLP, no Prefect)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse import loader

NASTY_TITLE = 'Talks </script><script>alert("x")</script> & <b>more</b>'


def build_warehouse(database: Path) -> Path:
    """Two runs, three outlets, one story shared by two outlets, one discrepancy, one undated article."""
    con = loader.connect(database)
    day1, day2 = pd.Timestamp("2025-07-01 09:00", tz="UTC"), pd.Timestamp("2025-07-02 10:00", tz="UTC")
    try:
        con.execute(
            """INSERT INTO raw_documents (doc_id, source_uri, media_type, size_bytes, fetched_at, run_id,
               status, article_count) VALUES
               ('d1', 'https://www.alpha.example/a', 'html', 10, ?, 'r1', 'loaded', 1),
               ('d2', 'https://beta.example/b', 'html', 10, ?, 'r1', 'loaded', 1),
               ('d3', '/inbox/gamma-notes.txt', 'text', 10, ?, 'r2', 'loaded', 1)""",
            [day1, day1, day2],
        )
        con.execute(
            """INSERT INTO articles (article_id, doc_id, item_index, outlet, title, published_at, body,
               story_id, run_id) VALUES
               ('a1', 'd1', 0, 'Alpha News', ?, ?, 'Kabul and Moscow met.', 's1', 'r1'),
               ('a2', 'd2', 0, NULL, 'Moscow talks', ?, 'Moscow met Kabul on Friday.', 's1', 'r1'),
               ('a3', 'd3', 0, NULL, NULL, NULL, 'Kabul alone.', 's2', 'r2')""",
            [NASTY_TITLE, day1, day2],
        )
        con.execute(
            """INSERT INTO entities (entity_id, canonical_name, type, mention_count, article_count) VALUES
               ('e1', 'Kabul', 'GPE', 3, 3), ('e2', 'Moscow', 'GPE', 2, 2)"""
        )
        con.execute(
            """INSERT INTO mentions (article_id, "start", "end", text, label, entity_id, sentence_index) VALUES
               ('a1', 0, 5, 'Kabul', 'GPE', 'e1', 0), ('a1', 10, 16, 'Moscow', 'GPE', 'e2', 0),
               ('a2', 0, 6, 'Moscow', 'GPE', 'e2', 0), ('a2', 11, 16, 'Kabul', 'GPE', 'e1', 0),
               ('a3', 0, 5, 'Kabul', 'GPE', 'e1', 0)"""
        )
        con.execute(
            """INSERT INTO stories (story_id, title, first_published, article_count, outlets) VALUES
               ('s1', ?, ?, 2, ['Alpha News', 'beta.example']), ('s2', NULL, NULL, 1, [])""",
            [NASTY_TITLE, day1],
        )
        con.execute(
            """INSERT INTO discrepancies (story_id, article_a, article_b, kind, sentence_a, sentence_b,
               value_a, value_b, score) VALUES
               ('s1', 'a1', 'a2', 'date', 'They met on Thursday.', 'They met on Friday </script>.',
                'Thursday', 'Friday', 0.9)"""
        )
        con.execute(
            """INSERT INTO quarantine (run_id, "table", key, reason, payload, quarantined_at) VALUES
               ('r1', 'mentions', 'a2|0|6', 'expect_column_values_to_be_between(start)', '{"x": 1}', ?),
               ('r2', 'raw_documents', 'd3', 'empty', 'empty file', ?)""",
            [day1, day2],
        )
        con.execute(
            """INSERT INTO runs (run_id, started_at, finished_at, status, counts, validation) VALUES
               ('r1', ?, ?, 'completed', '{}', '{}'), ('r2', ?, ?, 'completed', '{}', '{}')""",
            [day1, day1, day2, day2],
        )
    finally:
        con.close()
    return database
