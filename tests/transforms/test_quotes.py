"""Quotes: seeds, crafted patterns, and offsets on arbitrary text."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transforms._standins import seed_bundle
from transforms.quotes import QUOTE_COLUMNS, extract_quotes


def _one(body: str, mentions: list[tuple[str, str]] = ()) -> pd.DataFrame:
    """Quotes of one article whose mentions are the first occurrence of each (text, label)."""
    rows = []
    for text, label in mentions:
        start = body.index(text)
        rows.append(("a", start, start + len(text), text, label, f"id:{text}", text, 0))
    frame = pd.DataFrame(
        rows,
        columns=[
            "article_id",
            "start",
            "end",
            "text",
            "label",
            "entity_id",
            "canonical_name",
            "sentence_index",
        ],
    )
    articles = pd.DataFrame({"article_id": ["a"], "body": [body]})
    return extract_quotes(
        articles, frame, pd.DataFrame(columns=["article_id", "sentence_index", "start", "end"])
    )


@pytest.fixture(scope="module")
def seed_quotes() -> pd.DataFrame:
    bundle = seed_bundle()
    quotes = extract_quotes(bundle["articles"], bundle["mentions"], bundle["sentences"])
    ids = bundle["articles"]["article_id"].tolist()
    return quotes.assign(seed=quotes["article_id"].map({ids[0]: 0, ids[1]: 1}))


def _speaker_of(quotes: pd.DataFrame, seed: int, fragment: str) -> str:
    rows = quotes[(quotes["seed"] == seed) & quotes["text"].str.contains(fragment, regex=False)]
    assert len(rows) == 1, (fragment, rows)
    return rows["speaker_text"].iloc[0]


def test_seed_quotes_have_exact_offsets_and_columns(seed_quotes):
    bodies = dict(
        zip(seed_bundle()["articles"]["article_id"], seed_bundle()["articles"]["body"], strict=True)
    )
    assert list(seed_quotes.columns[:7]) == QUOTE_COLUMNS
    for row in seed_quotes.itertuples():
        assert bodies[row.article_id][row.start : row.end] == row.text


def _ministry(speaker: str, country: str) -> bool:
    """The registry names a foreign ministry "Ministry of Foreign Affairs (Russia)"; the text may not."""
    return "Foreign" in speaker and "Minist" in speaker and country[:4] in speaker


def test_seed_speakers(seed_quotes):
    assert _ministry(_speaker_of(seed_quotes, 0, "historic step"), "Afghanistan")
    assert "Zhirnov" in _speaker_of(seed_quotes, 1, "historic step")
    assert _ministry(_speaker_of(seed_quotes, 0, "opens the door"), "Russia")
    assert "Zhirnov" in _speaker_of(seed_quotes, 0, "sincere striving")
    assert "Muttaqi" in _speaker_of(seed_quotes, 0, "good example")
    assert "Muttaqi" in _speaker_of(seed_quotes, 1, "new phase")


def test_the_ministry_resolves_to_the_preceding_ministry(seed_quotes):
    assert _ministry(_speaker_of(seed_quotes, 1, "act of recognition"), "Russia")
    cue = seed_quotes.loc[seed_quotes["text"].str.contains("act of recognition"), "cue"].iloc[0]
    assert cue == "note"


def test_reported_speech_clause(seed_quotes):
    assert _ministry(_speaker_of(seed_quotes, 1, "formal recognition would boost"), "Russia")


def test_split_quote_both_parts_attributed():
    body = "Jane Smith spoke on Monday. “We will rebuild,” she said, “and we will do it together.”"
    quotes = _one(body, [("Jane Smith", "PERSON")])
    assert quotes["text"].tolist() == ["We will rebuild", "and we will do it together."]
    assert quotes["speaker_text"].tolist() == ["Jane Smith", "Jane Smith"]
    assert quotes["speaker_entity_id"].tolist() == ["id:Jane Smith", "id:Jane Smith"]


def test_straight_quotes_multi_sentence_and_said_after_name():
    body = 'The storm hit at dawn. "It was terrible. We lost everything," said Tom Brown, a farmer.'
    quotes = _one(body, [("Tom Brown", "PERSON")])
    assert quotes["text"].tolist() == ["It was terrible. We lost everything"]
    assert quotes["speaker_text"].iloc[0] == "Tom Brown" and quotes["cue"].iloc[0] == "say"


def test_scare_quote_without_speaker_is_dropped_but_label_quote_kept():
    body = 'The so-called "peace plan" failed. Acme Corp described it as a "bold move".'
    quotes = _one(body, [("Acme Corp", "ORG")])
    assert quotes["text"].tolist() == ["bold move"]
    assert quotes["cue"].tolist() == ["describe"]


def test_quote_closing_a_sentence_is_not_attributed_to_the_next():
    body = "Acme Corp called it a “historic step.” The Mayor Ann Lee also said it is “a good day for us.”"
    quotes = _one(body, [("Acme Corp", "ORG"), ("Ann Lee", "PERSON")])
    assert quotes["speaker_text"].tolist() == ["Acme Corp", "Ann Lee"]


def test_unattributed_long_quote_is_kept_without_speaker():
    quotes = _one("Posters read “we want our jobs back right now” across the city.")
    assert quotes["speaker_text"].isna().all() and quotes["cue"].isna().all()
    assert len(quotes) == 1


def test_empty_and_missing_inputs():
    assert _one("").empty
    articles = pd.DataFrame({"article_id": ["a", "b"], "body": [None, "“Unbalanced quote here"]})
    assert extract_quotes(articles, pd.DataFrame(), pd.DataFrame()).empty


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*'ab X.,“”"«»\n', "said ", "he ", "the ministry ", "that "])).map("".join))
def test_arbitrary_text_offsets(body):
    quotes = _one(body)
    for row in quotes.itertuples():
        assert 0 <= row.start < row.end <= len(body)
        assert body[row.start : row.end] == row.text


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_any_unicode_text(body):
    for row in _one(body).itertuples():
        assert body[row.start : row.end] == row.text


def test_pronoun_resolves_to_nearest_person_and_told_cue():
    body = (
        "The minister Maria Lopez arrived late. Reporters waited outside the building for hours.\n\n"
        "She told reporters: “We have nothing to hide from anyone here.”"
    )
    quotes = _one(body, [("Maria Lopez", "PERSON")])
    assert quotes["speaker_text"].tolist() == ["Maria Lopez"]
    assert quotes["cue"].tolist() == ["tell"]


def test_angle_quotes_and_generic_speaker_kept_unresolved():
    body = "«The bridge will reopen next month after repairs,» officials said."
    quotes = _one(body)
    assert quotes["text"].tolist() == ["The bridge will reopen next month after repairs"]
    assert quotes["speaker_text"].tolist() == ["officials"]
    assert quotes["speaker_entity_id"].isna().all()


def test_mentions_without_entity_ids_still_name_the_speaker():
    body = "“Prices will fall soon,” Ann Lee said."
    mentions = pd.DataFrame(
        {
            "article_id": ["a"],
            "start": [body.index("Ann")],
            "end": [body.index(" said")],
            "text": ["Ann Lee"],
            "label": ["PERSON"],
            "sentence_index": [0],
        }
    )
    articles = pd.DataFrame({"article_id": ["a"], "body": [body]})
    quotes = extract_quotes(
        articles, mentions, pd.DataFrame(columns=["article_id", "sentence_index", "start", "end"])
    )
    assert quotes["speaker_text"].tolist() == ["Ann Lee"] and quotes["speaker_entity_id"].isna().all()
