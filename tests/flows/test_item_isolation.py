"""One poisoned item never stops a run: text repaired where it enters, a step's failure for one
article quarantines that article, and an input that keeps failing runs ends as `poison`."""

import json
import shutil

import duckdb
import pytest

import expectations.runner
import transforms.enrich
import transforms.link
import transforms.tables
import warehouse.lake
from flows.ingest import ingest
from tests.conftest import SAMPLE_INBOX

MARKER = "Zyxwv"  # a word only the hostile article holds
HOSTILE = (
    f"Police in Lyon said on Tuesday that {MARKER} Quentin, a local baker, had been arrested after a "
    "fire at a warehouse near the river. The mayor thanked the fire brigade.\n"
)


@pytest.fixture()
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, folder)
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    return folder


def _rows(data, sql):
    con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _status(data):
    rows = _rows(data, "select regexp_extract(source_uri, '[^/]+$'), status, reason from raw_documents")
    return {name: (status, reason) for name, status, reason in rows}


def _holds_marker(frame) -> bool:
    return "body" in frame and frame["body"].str.contains(MARKER).any()


def _raising_for_marker(real, error: Exception):
    """`real`, raising `error` whenever its first argument (a frame) holds the hostile article."""

    def wrapper(frame, *args, **kwargs):
        if _holds_marker(frame):
            raise error
        return real(frame, *args, **kwargs)

    return wrapper


def test_a_lone_surrogate_in_a_json_export_beside_good_files(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, folder)
    (folder / "export.json").write_bytes(
        b'{"title": "Lone \\ud800 surrogate", "body": "' + HOSTILE.strip().encode() + b'"}'
    )
    data = tmp_path / "data"
    result = ingest(inbox=[str(folder)], data_dir=str(data))
    assert result["status"] == "completed"
    assert result["counts"]["loaded"] == 3
    assert _rows(data, "select title from articles where title like 'Lone%'") == [("Lone \ufffd surrogate",)]
    assert _rows(data, 'select "table", field, repair, count from text_repairs') == [
        ("articles", "record", "surrogate", 1)
    ]


def test_an_article_enrich_raises_for_is_quarantined_and_the_rest_loads(inbox, tmp_path, monkeypatch):
    failing = _raising_for_marker(transforms.enrich.after_ner, ValueError("cannot enrich this one"))
    monkeypatch.setattr(transforms.enrich, "after_ner", failing)  # forked workers inherit it
    data = tmp_path / "data"
    result = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert result["counts"] | {"articles": 0} == {
        "discovered": 3,
        "loaded": 2,
        "duplicate": 0,
        "quarantined": 1,
        "unchanged_skipped": 0,
        "articles": 0,
    }
    status, reason = _status(data)["hostile.txt"]
    assert status == "quarantined" and reason == "enrich_failed: ValueError: cannot enrich this one"
    assert _rows(data, "select count(*) from articles") == [(2,)]
    assert _rows(data, "select count(*) from stories where article_count = 2") == [(1,)]
    assert ("articles", "enrich_failed: ValueError: cannot enrich this one") in _rows(
        data, 'select "table", reason from quarantine'
    )


def test_an_article_link_raises_for_is_quarantined_and_the_rest_loads(inbox, tmp_path, monkeypatch):
    failing = _raising_for_marker(transforms.link.assign_stories, KeyError("no story for this one"))
    monkeypatch.setattr(transforms.link, "assign_stories", failing)
    data = tmp_path / "data"
    result = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert (result["counts"]["loaded"], result["counts"]["quarantined"]) == (2, 1)
    assert _status(data)["hostile.txt"] == ("quarantined", "link_failed: KeyError: 'no story for this one'")
    assert _rows(data, "select count(*) from story_discrepancies") == [(2,)]  # the seeds' story is whole


def test_a_row_the_validator_raises_for_is_quarantined(inbox, tmp_path, monkeypatch):
    real = expectations.runner.Validator._validate

    def _validate(self, table, frame, **context):
        if table == "articles" and _holds_marker(frame):
            raise TypeError("suite cannot evaluate this row")
        return real(self, table, frame, **context)

    monkeypatch.setattr(expectations.runner.Validator, "_validate", _validate)
    data = tmp_path / "data"
    result = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert (result["counts"]["loaded"], result["counts"]["quarantined"]) == (2, 1)
    reasons = [r for (r,) in _rows(data, "select reason from quarantine where \"table\" = 'articles'")]
    assert reasons == ["validate_failed: TypeError: suite cannot evaluate this row"]
    assert _rows(data, "select count(*) from mentions m join articles a using (article_id)") == _rows(
        data, "select count(*) from mentions"
    )  # the rejected article's mentions followed it into quarantine


def test_an_input_that_keeps_failing_runs_ends_as_poison(inbox, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSFLOW_MAX_INPUT_FAILURES", "2")
    # Outside every isolated step: the run fails.
    failing = _raising_for_marker(transforms.tables.article_rows, RuntimeError("not isolated"))
    monkeypatch.setattr(transforms.tables, "article_rows", failing)
    data = tmp_path / "data"
    ledger = data / "input_failures.json"
    for failures in (1, 2):
        with pytest.raises(RuntimeError, match="not isolated"):
            ingest(inbox=[str(inbox)], data_dir=str(data))
        entries = json.loads(ledger.read_text())
        assert sorted(e["failures"] for e in entries.values()) == [failures] * 3
        assert not (data / "news.duckdb").exists() or _rows(data, "select count(*) from articles") == [(0,)]
    (inbox / "late.txt").write_text("Kabul said on Friday that flights to Moscow would resume.\n", "utf-8")
    result = ingest(inbox=[str(inbox)], data_dir=str(data))
    assert result["counts"]["discovered"] == 4 and result["counts"]["quarantined"] == 3
    status = _status(data)
    assert status["late.txt"] == ("loaded", None)
    assert status["hostile.txt"][0] == "quarantined"
    assert status["hostile.txt"][1].startswith(
        "poison: failed 2 runs; last error: RuntimeError: not isolated"
    )
    assert not ledger.exists()  # every input is accounted for in the warehouse now


def test_a_failure_of_the_environment_is_not_counted_against_the_inputs(inbox, tmp_path, monkeypatch):
    def write_run(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(warehouse.lake, "write_run", write_run)
    data = tmp_path / "data"
    with pytest.raises(OSError, match="No space left"):
        ingest(inbox=[str(inbox)], data_dir=str(data))
    assert not (data / "input_failures.json").exists()
