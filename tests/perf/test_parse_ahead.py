"""Parsing ahead of the flow: the parse step takes the result only for exactly the same items."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from flows import ingest
from newsflow.settings import load_settings
from tests.conftest import SAMPLE_INBOX
from transforms.parsing import parse_documents
from warehouse.state import read_state


@pytest.fixture
def settings(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / "empty.txt").write_text("   \n", encoding="utf-8")  # a reject travels with the result
    ingest._PARSED_AHEAD.clear()
    yield load_settings(inbox=[str(inbox)], data_dir=str(tmp_path / "data"))
    ingest._PARSED_AHEAD.clear()


def _parse_step(settings):
    state = read_state(settings.database_path)
    raw, _ = ingest.discover_inputs.fn(settings, state, pd.Timestamp.now(tz="UTC"))
    return ingest.parse_raw.fn(raw, settings, state), raw


def test_parse_step_takes_the_result_parsed_ahead(settings, monkeypatch):
    ingest.parse_ahead(settings)
    assert len(ingest._PARSED_AHEAD) == 1
    ahead = next(iter(ingest._PARSED_AHEAD.values()))
    monkeypatch.setattr(ingest, "parse_in_workers", lambda *a, **k: pytest.fail("parsed twice"))
    (parsed, repeats, _), raw = _parse_step(settings)
    assert parsed is ahead and not ingest._PARSED_AHEAD  # taken once, then gone
    fresh = parse_documents(raw[["doc_id", "source_uri", "content"]], ingest._limits(settings))
    pd.testing.assert_frame_equal(parsed.articles.drop(columns="duplicate_of"), fresh.articles)
    pd.testing.assert_frame_equal(parsed.rejects, fresh.rejects)
    assert parsed.media_types == fresh.media_types and len(fresh.rejects) == 1 and repeats.empty


def test_changed_inbox_is_parsed_again(settings):
    ingest.parse_ahead(settings)
    inbox = settings.inbox[0]
    (inbox / "late.txt").write_text("Late story\n\nBERLIN (Reuters) - Talks resumed on Tuesday.\n")
    (parsed, _, _), raw = _parse_step(settings)
    late = raw.loc[raw["source_uri"].str.endswith("late.txt"), "doc_id"].item()
    assert len(raw) == 4 and late in set(parsed.articles["doc_id"])


def test_other_limits_are_parsed_again(settings):
    ingest.parse_ahead(settings)
    small = settings.model_copy(update={"max_html_depth": settings.max_html_depth - 1})
    key = next(iter(ingest._PARSED_AHEAD))
    (parsed, _, _), _ = _parse_step(small)
    assert key in ingest._PARSED_AHEAD and len(parsed.articles) == 2


def test_nothing_new_parses_nothing_ahead(tmp_path):
    ingest._PARSED_AHEAD.clear()
    (tmp_path / "inbox").mkdir()
    ingest.parse_ahead(load_settings(inbox=[str(tmp_path / "inbox")], data_dir=str(tmp_path / "data")))
    assert not ingest._PARSED_AHEAD
