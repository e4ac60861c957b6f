"""No text breaks extract_timexes, and every row points at its own text."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.temporal import extract_timexes, find, value_interval

TEMPORAL_WORDS = st.sampled_from(
    [
        "on",
        "Thursday",
        "May",
        "March",
        "4",
        "July",
        "2025",
        "the",
        "1990s",
        "'90s",
        "last",
        "next",
        "year",
        "three",
        "years",
        "ago",
        "every",
        "week",
        "daily",
        "3",
        "p.m.",
        "00:21",
        "IST",
        "Q3",
        "summer",
        "now",
        "recent",
        "earlier",
        "this",
        "-",
        ",",
        ".",
        "\n",
        "twenty-four",
        "hour",
        "16-hour",
        "from",
        "to",
        "31",
        "February",
        "29",
        "fall",
        "of",
        "nineteen",
        "ninety-six",
        "’s",
        "'s",
        "quarter",
        "third",
        "a",
        "day",
        "half",
        "year-end",
        "effective",
        "or so",
        "while",
        "nights",
        "eighth",
        "previous",
        "moment",
        "2025-07-03T18:51Z",
        "ET",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(TEMPORAL_WORDS, max_size=40).map(" ".join))
PUBLISHED = st.one_of(
    st.none(), st.datetimes(min_value=pd.Timestamp("1900-01-01"), max_value=pd.Timestamp("2100-01-01"))
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=TEXTS, published=PUBLISHED, kind=st.sampled_from([None, "publication", "estimated", "odd"]))
def test_never_raises_and_offsets_are_exact(body, published, kind):
    published_at = pd.NaT if published is None else pd.Timestamp(published, tz="UTC")
    articles = pd.DataFrame(
        {"article_id": ["x"], "body": [body], "published_at": [published_at], "anchor_kind": [kind]}
    )
    out = extract_timexes(articles, pd.DataFrame())
    previous_end = 0
    for row in out.itertuples():
        assert 0 <= row.start < row.end <= len(body)
        assert body[row.start : row.end] == row.text
        assert row.start >= previous_end  # no overlaps, text order
        previous_end = row.end
        assert row.type in {"DATE", "TIME", "DURATION", "SET"}
        assert row.anchor in {"publication", "absolute", "timex", "estimated", "unresolved"}
        assert isinstance(row.value, str) and row.value
        if row.begin_date is not None:
            assert row.begin_date <= row.end_date
            assert (row.begin_date, row.end_date) == value_interval(row.value)


@settings(max_examples=100, deadline=None)
@given(body=TEXTS, spans=st.lists(st.tuples(st.integers(-5, 400), st.integers(-5, 400)), max_size=5))
def test_arbitrary_spacy_spans_never_break_offsets(body, spans):
    frame = pd.DataFrame(
        [("x", a, b, "", "DATE", 0) for a, b in spans],
        columns=["article_id", "start", "end", "text", "label", "sentence_index"],
    )
    articles = pd.DataFrame(
        {"article_id": ["x"], "body": [body], "published_at": [pd.Timestamp("2025-07-03T00:00Z")]}
    )
    out = extract_timexes(articles, frame)
    for row in out.itertuples():
        assert body[row.start : row.end] == row.text and row.end > row.start


def test_odd_inputs():
    articles = pd.DataFrame(
        {"article_id": ["a", "b", "c"], "body": [None, "", "x" * 10], "published_at": [pd.NaT] * 3}
    )
    out = extract_timexes(articles, pd.DataFrame())
    assert out.empty and list(out.columns) == [
        "article_id",
        "start",
        "end",
        "text",
        "type",
        "value",
        "begin_date",
        "end_date",
        "anchor",
    ]
    empty = extract_timexes(articles.iloc[:0], pd.DataFrame())
    assert empty.empty


def _full_scan(body: str) -> list[tuple[int, int, str]]:
    """Every rule over the whole body, no gates: what the gated scan must reproduce."""
    found = []
    for priority, name, pattern, _ in find.compiled_rules():
        for m in pattern.finditer(body):
            start, end = m.span("x") if "x" in pattern.groupindex else m.span()
            start, end = find._trim(body, start, end)
            start = find._adjectival(body, start, end)
            if end > start:
                found.append((start, end, priority, name, m.groupdict()))
    return [(c.start, c.end, c.rule) for c in find._settle(found)]


GATE_WORDS = st.sampled_from(
    [
        "year-end",
        "year-earlier",
        "'80s",
        "1990s",
        "Mondays",
        "quarterly",
        "three-quarters",
        "FY89",
        "mid-afternoon",
        "year's",
        "two thousand",
        "from now",
        "the year ended",
        "Q3",
        "4/7/2025",
    ]
)


@settings(max_examples=150, deadline=None)
@given(body=st.lists(st.one_of(TEMPORAL_WORDS, GATE_WORDS), max_size=40).map(" ".join))
def test_gated_scan_equals_full_scan(body):
    assert [(c.start, c.end, c.rule) for c in find.find_candidates(body)] == _full_scan(body)


def test_gated_scan_equals_full_scan_on_timebank(shared_data):
    from benchmarks.timeml import read_corpus

    for doc in read_corpus(shared_data / "timeml-dev")[:60]:
        assert [(c.start, c.end, c.rule) for c in find.find_candidates(doc.text)] == _full_scan(doc.text)
