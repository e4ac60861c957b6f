"""Parsing ahead of the flow: the parse step takes the result only for exactly the same items."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from flows import tasks
from runtime import parse_ahead
from runtime.settings import load_settings
from tests.conftest import SAMPLE_INBOX
from transforms.parsing import parse_documents
from warehouse.state import read_state


@pytest.fixture
def settings(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / "empty.txt").write_text("   \n", encoding="utf-8")  # a reject travels with the result
    return load_settings(inbox=[str(inbox)], data_dir=str(tmp_path / "data"))


def _filed(settings) -> list:
    return sorted(settings.parse_ahead_dir.glob("*.pickle"))


def _parse_step(settings):
    state = read_state(settings.database_path)
    raw, skipped = tasks.discover_inputs.fn(settings, state, pd.Timestamp.now(tz="UTC"))
    return tasks.parse_documents.fn(raw, skipped, settings, state, "run"), raw


def test_parse_step_takes_the_result_parsed_ahead(settings, monkeypatch):
    parse_ahead.parse_inbox_ahead(settings)
    assert len(_filed(settings)) == 1
    monkeypatch.setattr(parse_ahead, "parse_in_workers", lambda *a, **k: pytest.fail("parsed twice"))
    (intake, _), raw = _parse_step(settings)
    assert not _filed(settings)  # taken once, then gone
    fresh = parse_documents(raw[["doc_id", "source_uri", "content"]], parse_ahead.parse_limits(settings))
    added = ["duplicate_of", "ner_model", "ner_skip_reason"]  # by the parse step after parsing
    pd.testing.assert_frame_equal(intake.articles.drop(columns=added), fresh.articles)
    pd.testing.assert_frame_equal(intake.parse_rejects, fresh.rejects)
    assert intake.media_types == fresh.media_types and len(fresh.rejects) == 1 and intake.repeats.empty


def test_changed_inbox_is_parsed_again(settings):
    parse_ahead.parse_inbox_ahead(settings)
    inbox = settings.inbox[0]
    (inbox / "late.txt").write_text("Late story\n\nBERLIN (Reuters) - Talks resumed on Tuesday.\n")
    (intake, _), raw = _parse_step(settings)
    late = raw.loc[raw["source_uri"].str.endswith("late.txt"), "doc_id"].item()
    assert len(raw) == 4 and late in set(intake.articles["doc_id"])


def test_other_limits_are_parsed_again(settings):
    parse_ahead.parse_inbox_ahead(settings)
    filed = _filed(settings)
    small = settings.model_copy(update={"max_html_depth": settings.max_html_depth - 1})
    (intake, _), _ = _parse_step(small)
    assert _filed(settings) == filed and len(intake.articles) == 2


def test_a_damaged_file_is_parsed_again(settings):
    parse_ahead.parse_inbox_ahead(settings)
    (filed,) = _filed(settings)
    filed.write_bytes(b"not a pickle")
    (intake, _), _ = _parse_step(settings)
    assert len(intake.articles) == 2


def test_nothing_new_parses_nothing_ahead(tmp_path):
    (tmp_path / "inbox").mkdir()
    settings = load_settings(inbox=[str(tmp_path / "inbox")], data_dir=str(tmp_path / "data"))
    parse_ahead.parse_inbox_ahead(settings)
    assert not _filed(settings)
