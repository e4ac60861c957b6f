"""Property tests: no exception on arbitrary input, and bodies are clean text."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.transforms.test_parsing_helpers import raw_frame
from transforms.dedup import content_hash, find_duplicates, signatures
from transforms.page_metadata import find_dateline, parse_byline, parse_written_time
from transforms.parsing import parse_documents
from transforms.parsing.text_dump import parse_text_dump

LINES = st.lists(
    st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "Advertisement",
                "Published 4 July 2025 at 00:21 IST",
                "By Jane Doe",
                "ALSO READ: Something else",
                "Caption | Image: X",
                "Moscow: Russia said on Thursday it had recognised the government in Kabul, officials said.",
                "",
            ]
        ),
    ),
    max_size=30,
)
NAMES = st.sampled_from(["a.txt", "a.html", "a.json", "a.jsonl", "a.rss", "a.atom", "a.warc", "a"])
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=2000), NAMES)
def test_parse_documents_never_raises_on_bytes(content, name):
    result = parse_documents(raw_frame({name: content}))
    assert len(result.articles) + len(result.rejects) >= 1
    assert "parser_error" not in set(result.rejects["reason"])  # every failure has a precise reason
    assert set(result.articles["doc_id"]) | set(result.rejects["doc_id"]) == set(
        raw_frame({name: content})["doc_id"]
    )


@FAST
@given(LINES)
def test_page_dump_bodies_are_made_of_input_lines(lines):
    text = "\n".join(lines)
    article = parse_text_dump(text)[0]
    body = article["body"]
    assert isinstance(body, str)
    if body and body != text:  # a page dump: every body line is a line of the input, in order
        source = iter(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        for line in body.split("\n"):
            assert any(line == candidate for candidate in source)
    ts = article["published_at"]
    assert ts is None or (isinstance(ts, pd.Timestamp) and str(ts.tz) == "UTC")


@FAST
@given(st.text(max_size=300))
def test_line_parsers_never_raise(text):
    parse_written_time(text)
    parse_byline(text)
    find_dateline(text)


@FAST
@given(st.lists(st.text(max_size=200), min_size=1, max_size=8))
def test_duplicates_point_to_earlier_articles(bodies):
    frame = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(len(bodies))],
            "body": bodies,
            "url": None,
            "content_hash": [content_hash(b) for b in bodies],
        }
    )
    dup = find_duplicates(frame, signatures(frame.iloc[:0]))
    for position, first in enumerate(dup):
        assert first is None or int(first[1:]) < position


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = st.sampled_from(
    ["title", "body", "text", "url", "publishedAt", "author", "source", "date", "content"]
)


@FAST
@given(st.lists(st.dictionaries(FIELDS, JSON_VALUES, max_size=6), min_size=1, max_size=5))
def test_json_records_of_any_shape_end_as_articles_or_rejects(records):
    import json

    content = "\n".join(json.dumps(r) for r in records).encode()
    result = parse_documents(raw_frame({"x.jsonl": content}))
    indexes = set(result.articles["item_index"]) | set(result.rejects["item_index"])
    assert indexes == set(range(len(records))) or (-1 in indexes and result.articles.empty)
    assert "parser_error" not in set(result.rejects["reason"])
