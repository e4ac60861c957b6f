import tempfile

import pandas as pd
import pytest

from expectations.runner import ValidationReport, Validator

NOW = pd.Timestamp("2026-01-01", tz="UTC")


@pytest.fixture(scope="module")
def validator(tmp_path_factory):
    return Validator(tmp_path_factory.mktemp("docs"))


def test_rows_with_bad_offsets_are_quarantined_with_the_expectation(validator):
    bodies = {"a1": "Russia and the Taliban"}
    mentions = pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a1"],
            "start": [0, 15, 5],
            "end": [6, 22, 40],
            "text": ["Russia", "Taliban", "nonsense"],
            "label": ["GPE", "ORG", "ORG"],
            "entity_id": ["e1", "e2", "e3"],
            "sentence_index": [0, 0, 0],
        }
    )
    passed, rejects, outcome = validator.validate("mentions", mentions, bodies=bodies, now=NOW)
    assert passed["text"].tolist() == ["Russia", "Taliban"]
    assert rejects["key"].tolist() == ["a1|5|40"]
    assert "check_offsets_match_body" in rejects["reason"].iloc[0]
    assert not outcome.table_level_failures


def test_bad_timex_values_and_labels_are_named(validator):
    bodies = {"a": "In April 2025 and Thursday"}
    timexes = pd.DataFrame(
        {
            "article_id": ["a", "a"],
            "start": [3, 18],
            "end": [13, 26],
            "text": ["April 2025", "Thursday"],
            "type": ["DATE", "WEEKDAY"],
            "value": ["2025-04", "next thursday"],
            "begin_date": [None, None],
            "end_date": [None, None],
            "anchor": ["absolute", "publication"],
        }
    )
    passed, rejects, _ = validator.validate("timexes", timexes, bodies=bodies, now=NOW)
    assert passed["text"].tolist() == ["April 2025"]
    reason = rejects["reason"].iloc[0]
    assert "expect_column_values_to_match_regex(value)" in reason
    assert "expect_column_values_to_be_in_set(type)" in reason


def test_missing_columns_fail_at_table_level(validator):
    frame = pd.DataFrame({"entity_id": ["e1"], "type": ["PERSON"]})
    _, _, outcome = validator.validate("entities", frame, now=NOW)
    assert any("expect_table_columns_to_match_set" in f for f in outcome.table_level_failures)


def test_implausible_publication_time_is_rejected(validator):
    articles = pd.DataFrame(
        {
            "article_id": ["ok", "future", "ancient"],
            "doc_id": ["d"] * 3,
            "title": ["t"] * 3,
            "published_at": pd.to_datetime(
                ["2025-07-03T18:51Z", "9999-01-01T00:00Z", "0001-01-01T00:00Z"],
                utc=True,
                format="ISO8601",
                errors="coerce",
            ),
            "updated_at": [pd.NaT] * 3,
            "published_at_source": ["text"] * 3,
            "body": ["some words"] * 3,
            "word_count": [2] * 3,
            "language": ["en"] * 3,
        }
    )
    passed, rejects, _ = validator.validate("articles", articles, now=NOW)
    assert passed["article_id"].tolist() == ["ok"]
    assert set(rejects["key"]) == {"future", "ancient"}


def test_data_docs_are_built_only_in_the_docs_folder(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where GX's own default site would go
    validator = Validator(tmp_path / "docs")
    bodies = {"a1": "Russia and the Taliban"}
    mentions = _one_mention()
    validator.validate("mentions", mentions, bodies=bodies, now=NOW)
    index = validator.build_docs()
    assert index == (tmp_path / "docs" / "index.html").resolve()
    assert not list(scratch.rglob("index.html"))


def test_data_docs_are_rebuilt_on_failure_only_when_asked_so(tmp_path):
    validator = Validator(tmp_path / "docs")
    mentions = _one_mention()
    bodies = {"a1": "Russia and the Taliban"}

    def report(frame: pd.DataFrame) -> ValidationReport:
        *_, outcome = validator.validate("mentions", frame, bodies=bodies, now=NOW)
        return ValidationReport({}, [], {"mentions": outcome})

    clean, failing = report(mentions), report(mentions.assign(end=[99]))
    assert not clean.outcomes["mentions"].failed and failing.outcomes["mentions"].failed
    index = validator.build_docs(clean, "on-failure")  # none yet: built
    assert index is not None and index.exists()
    built = index.stat().st_mtime_ns
    assert validator.build_docs(clean, "on-failure") == index  # a clean run keeps the site
    assert index.stat().st_mtime_ns == built
    validator.build_docs(failing, "on-failure")
    assert index.stat().st_mtime_ns != built


def _one_mention() -> pd.DataFrame:
    """A valid mentions row: "Russia" at the start of article a1's body."""
    return pd.DataFrame(
        {
            "article_id": ["a1"],
            "start": [0],
            "end": [6],
            "text": ["Russia"],
            "label": ["GPE"],
            "entity_id": ["e1"],
            "sentence_index": [0],
        }
    )
