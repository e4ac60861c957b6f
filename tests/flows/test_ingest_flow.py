"""The whole flow on the bundled sample and on inboxes built to break it."""

import json
import shutil

import duckdb
import pytest

from flows.ingest import ingest
from newsflow.cli import main
from tests.conftest import SAMPLE_INBOX

TABLES = [
    "raw_documents",
    "articles",
    "entities",
    "mentions",
    "timexes",
    "quotes",
    "stories",
    "quarantine",
    "runs",
]


def _counts(database):
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def _ids(database):
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {
            "articles": con.execute("select list(article_id order by article_id) from articles").fetchone()[
                0
            ],
            "entities": con.execute("select list(entity_id order by entity_id) from entities").fetchone()[0],
        }
    finally:
        con.close()


@pytest.fixture()
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, folder)
    return folder


def test_sample_loads_and_a_second_run_changes_nothing(inbox, tmp_path, capsys):
    data = tmp_path / "data"
    first = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert first["status"] == "completed"
    assert first["counts"]["discovered"] == 2
    assert first["counts"]["loaded"] == 2
    database = data / "news.duckdb"
    counts = _counts(database)
    assert counts["articles"] == 2
    assert counts["mentions"] > 20
    assert counts["entities"] > 10
    assert counts["runs"] == 1
    ids = _ids(database)
    assert (data / "docs" / "index.html").exists()
    assert list((data / "lake" / "articles").glob("ingest_date=*/*.parquet"))

    con = duckdb.connect(str(database), read_only=True)
    dated = con.execute(
        "select strftime(published_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ'), published_tz, dateline "
        "from articles where published_at_source <> 'estimated'"
    ).fetchall()
    # The article without a written time takes the time of its story's dated one, marked estimated.
    undated = con.execute(
        "select a.published_at = b.published_at, b.published_at_source from articles a "
        "join articles b on b.article_id = a.published_at_estimated_from where a.published_at_source = 'estimated'"
    ).fetchall()
    furniture = con.execute(
        "select count(*) from articles where regexp_matches(body, 'Advertisement|Follow:|ALSO READ|Image: X')"
    ).fetchone()[0]
    stories = con.execute("select count(*), max(article_count) from stories").fetchone()
    conflicts = con.execute("select kind, value_a, value_b from story_discrepancies order by kind").fetchall()
    thursday = con.execute("select value, anchor from timexes where text = 'Thursday'").fetchall()
    sources = con.execute(
        "select json_extract_string(metadata_sources, '$.title'), json_extract_string(metadata_sources,"
        " '$.published_at') from articles where published_at_source <> 'estimated'"
    ).fetchall()
    con.close()
    assert stories == (1, 2)
    kinds = {kind: {a, b} for kind, a, b in conflicts}
    assert set(kinds) == {"attribution", "date"}
    assert kinds["attribution"] == {"Dmitry Zhirnov", "Ministry of Foreign Affairs (Afghanistan)"}
    assert thursday == [("2025-07-03", "estimated")]
    assert dated == [("2025-07-03T18:51:00Z", "IST", "Moscow")]
    assert undated == [(True, "text")]
    assert sources == [("text", "text")]  # a page-text dump's title and time come from its lines
    assert furniture == 0

    assert (
        main(["query", "select count(*) as n from articles", "--format", "json", "--data-dir", str(data)])
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [{"n": 2}]

    second = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert second["status"] == "nothing-new"
    assert _counts(database) == counts
    assert _ids(database) == ids


def test_adding_one_file_processes_only_that_file(inbox, tmp_path):
    data = tmp_path / "data"
    ingest(inbox=[str(inbox)], data_dir=str(data))
    (inbox / "new.txt").write_text(
        "Moscow said on Friday that talks with Kabul would continue next month.\n", encoding="utf-8"
    )
    result = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert result["counts"]["discovered"] == 1
    assert result["counts"]["unchanged_skipped"] == 2
    assert _counts(data / "news.duckdb")["articles"] == 3


def test_an_inbox_without_any_publication_time(tmp_path):
    """No article to lend an anchor: dates are still found, relative ones stay unresolved."""
    folder = tmp_path / "undated"
    folder.mkdir()
    (folder / "a.txt").write_text("Moscow said on Friday that talks would resume in March 2026.\n", "utf-8")
    (folder / "b.txt").write_text("Kabul welcomed the talks, which resume in March 2026.\n", "utf-8")
    result = ingest(inbox=[str(folder)], data_dir=str(tmp_path / "data"))
    assert result["counts"]["loaded"] == 2
    con = duckdb.connect(str(tmp_path / "data" / "news.duckdb"), read_only=True)
    try:
        rows = set(con.execute("select text, value, anchor from timexes").fetchall())
    finally:
        con.close()
    assert ("March 2026", "2026-03", "absolute") in rows
    assert any(text == "Friday" and anchor == "unresolved" for text, _, anchor in rows)


def test_broken_inputs_are_quarantined_and_the_run_succeeds(inbox, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSFLOW_MAX_FILE_BYTES", "100000")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (inbox / "huge.txt").write_bytes(b"word " * 40000)
    (inbox / "copy.txt").write_bytes((SAMPLE_INBOX / "000_89779fb7a3461cee.txt").read_bytes())
    data = tmp_path / "data"
    result = ingest(inbox=[str(inbox)], data_dir=str(data))
    counts = result["counts"]
    assert counts["discovered"] == 6
    assert counts["loaded"] + counts["duplicate"] + counts["quarantined"] == counts["discovered"]
    assert counts["loaded"] == 2
    assert counts["duplicate"] == 1
    con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
    rows = con.execute(
        "select regexp_extract(source_uri, '[^/]+$'), status, reason from raw_documents order by 1"
    ).fetchall()
    by_name = {name: (status, reason) for name, status, reason in rows}
    assert by_name["empty.txt"][0] == "quarantined" and by_name["empty.txt"][1].startswith("empty")
    assert by_name["binary.bin"][0] == "quarantined"
    assert by_name["huge.txt"][0] == "quarantined"
    assert by_name["copy.txt"][0] == "duplicate"
    reasons = {by_name[n][1].split(":")[0] for n in ("empty.txt", "binary.bin", "huge.txt")}
    assert len(reasons) == 3, reasons
    quarantined = con.execute("select count(*) from quarantine where \"table\" = 'raw_documents'").fetchone()[
        0
    ]
    assert quarantined == 3


def test_feed_urls_are_polled_and_a_dead_feed_is_quarantined(inbox, tmp_path):
    import http.server
    import threading
    from functools import partial

    site = tmp_path / "site"
    site.mkdir()
    (site / "rss.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Flooding closes roads in Lyon</title><link>http://127.0.0.1/a1</link>"
        "<pubDate>Thu, 03 Jul 2025 10:00:00 GMT</pubDate><description>Police in Lyon said on Tuesday "
        "that heavy rain had closed three roads near the river.</description></item></channel></rss>",
        encoding="utf-8",
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        result = ingest(
            inbox=[str(inbox)], feeds=[f"{base}/rss.xml", f"{base}/gone.xml"], data_dir=str(tmp_path / "data")
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result["counts"]["discovered"] == 4
    assert result["counts"]["loaded"] == 3
    assert any(reason.startswith("fetch_failed") for reason in result["quarantine_reasons"])
