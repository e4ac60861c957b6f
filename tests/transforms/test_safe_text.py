"""The one rule for entering text: what it repairs, what it leaves alone, and that it is recorded."""

import json

import pandas as pd
import pytest

from transforms.parsing import parse_documents
from transforms.safe_text import safe_char_refs, safe_record, safe_text
from warehouse.lake import to_arrow

NEWS = "Police in Lyon said on Tuesday that two men had been arrested after a fire at a warehouse."


@pytest.mark.parametrize(
    ("text", "expected", "changes"),
    [
        ("Lone \ud800 surrogate", "Lone \ufffd surrogate", {"surrogate": 1}),
        ("paired \ud83d\ude00", "paired \U0001f600", {"surrogate": 2}),
        ("reversed \udc00\ud800", "reversed \ufffd\ufffd", {"surrogate": 2}),
        ("it\x92s", "it\u2019s", {"c1_control": 1}),  # cp1252 read as Latin-1
        ("gap \x81 here", "gap  here", {"c1_control": 1}),  # undefined in cp1252: removed
        ("nul\x00 bell\x07 del\x7f", "nul bell del", {"control": 3}),
        ("\ufeffbom", "bom", {"control": 1}),
        ("non \ufffe\uffff chars", "non  chars", {"noncharacter": 2}),
    ],
)
def test_unsafe_characters_are_repaired_and_counted(text, expected, changes):
    assert safe_text(text) == (expected, changes)
    expected.encode("utf-8")  # what pyarrow, DuckDB and JSON need


@pytest.mark.parametrize(
    "text", ["", "plain text", "tab\tline\nreturn\r\nform\x0cfeed", "Кабул 喀布尔 🇦🇫", "e\u0301"]
)
def test_safe_text_is_left_as_it_is(text):
    fixed, changes = safe_text(text)
    assert fixed is text and changes == {}


def test_records_repair_every_text_field_including_lists():
    record = {"title": "A \ud800", "byline": ["B\x00", "C"], "body": "fine", "item_index": 3}
    repairs = safe_record(record)
    assert record == {"title": "A \ufffd", "byline": ["B", "C"], "body": "fine", "item_index": 3}
    assert repairs == [("title", "surrogate", 1), ("byline", "control", 1)]


def test_character_references_to_impossible_code_points_become_replacement_characters():
    markup = b"<t>a &#xD800; b &#0; c &#x110000; d &#65; e &#x1F600; f &#xFFFF;</t>"
    assert safe_char_refs(markup) == b"<t>a &#xFFFD; b &#xFFFD; c &#xFFFD; d &#65; e &#x1F600; f &#xFFFD;</t>"


def _parse(*contents: bytes):
    raw = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(contents))],
            "source_uri": [f"file:///in/{i}" for i in range(len(contents))],
            "content": list(contents),
        }
    )
    return parse_documents(raw)


def test_a_json_record_with_a_lone_surrogate_escape_loads_repaired():
    # Valid JSON that exporters write: the escape decodes to a code point UTF-8 cannot hold.
    content = b'{"title": "Lone \\ud800 surrogate", "body": "' + NEWS.encode() + b'"}'
    result = _parse(content, NEWS.encode())
    assert len(result.articles) == 2 and result.rejects.empty
    assert result.articles.loc[0, "title"] == "Lone \ufffd surrogate"
    assert result.repairs[["field", "repair", "count"]].values.tolist() == [["record", "surrogate", 1]]
    to_arrow("articles", result.articles)  # the frame the flow builds and the lake holds


def test_control_characters_of_a_page_text_are_removed_and_recorded_as_content():
    result = _parse((NEWS + "\x01\x02 More text follows here.").encode())
    body = result.articles.loc[0, "body"]
    assert "\x01" not in body and "More text follows here." in body
    assert result.repairs[["field", "repair", "count"]].values.tolist() == [["content", "control", 2]]


def test_one_bad_feed_entry_does_not_take_the_feed_with_it():
    entries = "".join(
        f"<item><title>{title}</title><link>https://example.org/{i}</link>"
        f"<description>{NEWS} Entry {i}.</description><pubDate>{date}</pubDate></item>"
        for i, (title, date) in enumerate(
            [("A &#xD800; ref", "Thu, 03 Jul 2025 18:51:00 GMT"), ("Fine", "Thu, 03 Jul 2025 18:51:00 GMT")]
        )
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{entries}</channel></rss>'
    result = _parse(feed.encode())
    assert result.articles["title"].tolist() == ["A \ufffd ref", "Fine"]


def test_a_record_whose_parser_raises_is_one_reject_the_others_load():
    good = {"title": "Good", "body": NEWS}
    records = [good, {"title": "Odd", "body": NEWS + " Other.", "published_at": {"\ud800": [1e308]}}]
    result = _parse(json.dumps(records).encode())
    assert "Good" in result.articles["title"].tolist()
    assert len(result.articles) + len(result.rejects) == 2
