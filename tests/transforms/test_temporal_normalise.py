"""TIMEX3 value arithmetic: intervals, durations, week numbers, year inference."""

from __future__ import annotations

from datetime import date

import pytest

from transforms.temporal import duration_value, value_interval, week_value
from transforms.temporal.anchor import article_anchor, tense
from transforms.temporal.context import infer_year, number, weekday_date


@pytest.mark.parametrize(
    ("value", "begin", "end"),
    [
        ("2025-07-03", date(2025, 7, 3), date(2025, 7, 3)),
        ("2025-07-03T15:00", date(2025, 7, 3), date(2025, 7, 3)),
        ("2025-W27", date(2025, 6, 30), date(2025, 7, 6)),
        ("2025-W27-WE", date(2025, 7, 5), date(2025, 7, 6)),
        ("2025-04", date(2025, 4, 1), date(2025, 4, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025-H1", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025-SU", date(2025, 6, 1), date(2025, 8, 31)),
        ("2024-WI", date(2024, 12, 1), date(2025, 2, 28)),
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
        ("199", date(1990, 1, 1), date(1999, 12, 31)),
        ("199X", date(1990, 1, 1), date(1999, 12, 31)),
        ("19", date(1900, 1, 1), date(1999, 12, 31)),
    ],
)
def test_value_interval(value, begin, end):
    assert value_interval(value) == (begin, end)


@pytest.mark.parametrize(
    "value", ["XXXX-04", "XXXX-WXX-4", "PAST_REF", "PRESENT_REF", "P3Y", "", None, "2025-13", "2025-02-30"]
)
def test_value_interval_none(value):
    assert value_interval(value) == (None, None)


@pytest.mark.parametrize(
    ("n", "unit", "value"),
    [
        (3, "Y", "P3Y"),
        (2, "W", "P2W"),
        (16, "H", "PT16H"),
        (90, "MIN", "PT90M"),
        (None, "Y", "PXY"),
        (None, "H", "PTXH"),
        (None, "Q", "PXQ"),
        (None, "DE", "PXE"),
        (None, "CE", "PXC"),
        (None, "ML", "PXL"),
        (2.5, "Y", "P2Y6M"),
        (1.5, "H", "PT1H30M"),
        (1, "2W", "P2W"),
        (0.5, "D", "PT12H"),
    ],
)
def test_duration_value(n, unit, value):
    assert duration_value(n, unit) == value


def test_iso_week_across_year_end():
    assert week_value(date(2024, 12, 30)) == "2025-W01"
    assert week_value(date(2021, 1, 3)) == "2020-W53"


@pytest.mark.parametrize(
    ("month", "day", "when", "year"),
    [
        (4, None, "past", 2025),
        (11, None, "past", 2024),  # "in November", said in July: last year's
        (11, None, "future", 2025),
        (1, None, "none", 2025),
        (12, 7, "none", 2025),
    ],
)
def test_infer_year(month, day, when, year):
    assert infer_year(date(2025, 7, 3), month, day, when) == year


def test_infer_year_crosses_new_year():
    assert infer_year(date(2025, 12, 20), 1, 5, "future") == 2026
    assert infer_year(date(2026, 1, 5), 12, 28, "past") == 2025


@pytest.mark.parametrize(
    ("weekday", "rel", "when", "expected"),
    [
        (4, "", "past", date(2025, 7, 3)),  # a bare Thursday on a Thursday is that day
        (4, "", "future", date(2025, 7, 3)),
        (1, "", "past", date(2025, 6, 30)),
        (1, "", "future", date(2025, 7, 7)),
        (4, "last", "none", date(2025, 6, 26)),
        (4, "next", "none", date(2025, 7, 10)),
        (5, "this", "none", date(2025, 7, 4)),
    ],
)
def test_weekday_date(weekday, rel, when, expected):
    assert weekday_date(date(2025, 7, 3), weekday, rel, when) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("three", 3),
        ("twenty-four", 24),
        ("twenty four", 24),
        ("2 1/2", 2.5),
        ("two and a half", 2.5),
        ("a couple of", 2),
        ("1,000", 1000),
        ("several", None),
        ("a few", None),
    ],
)
def test_number(text, value):
    assert number(text) == value


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        ("The minister resigned on Monday.", "Monday", "past"),
        ("The minister will resign on Monday.", "Monday", "future"),
        ("He said he will resign on Monday.", "Monday", "future"),
        ("The company announced Friday that holders would get cash.", "Friday", "past"),
        ("Monday is a holiday.", "Monday", "none"),
    ],
)
def test_tense(sentence, word, expected):
    start = sentence.index(word)
    assert tense(sentence, start, start + len(word)) == expected


def test_article_anchor():
    import pandas as pd

    assert article_anchor(pd.Timestamp("2025-07-03T23:30Z")).ref == date(2025, 7, 3)
    assert article_anchor(pd.Timestamp("2025-07-03T23:30-05:00")).ref == date(2025, 7, 4)  # UTC day
    assert article_anchor(pd.NaT).ref is None
    assert article_anchor(None).ref is None
    assert article_anchor("not a time").ref is None
    assert article_anchor(pd.Timestamp("2025-07-03"), "estimated").label == "estimated"


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        ("Mr. Smith, 52, will succeed Daniel P. Davison Feb. 1 as chairman.", "Feb. 1", "future"),
        ("The mission will be named for a flight in December.", "December", "future"),
        ("Flights will double by August, in markets untouched by the crisis.", "August", "future"),
        ("The split would be paid on a still unspecified date in January.", "January", "future"),
        ("He would have resigned in January.", "January", "past"),
        ("The offer had been scheduled to expire Friday.", "Friday", "past"),
        # a past verb before an infinitive dates the agreement, not the act the date belongs to
        ("The firm agreed to sell its mill in October.", "October", "none"),
        ("Its shares rose to $5 in October.", "October", "past"),
        # a scheduled event in the present tense
        ("The two leaders meet separately Monday.", "Monday", "future"),
        ("The trial opens on Tuesday, officials said.", "Tuesday", "future"),
        ("The trial opened on Tuesday.", "Tuesday", "past"),
    ],
)
def test_tense_cues_in_context(sentence, word, expected):
    start = sentence.index(word)
    assert tense(sentence, start, start + len(word)) == expected


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        ("He was named chairman, effective Feb. 1.", "Feb. 1", "future"),
        ("The bank has extended loans through January.", "January", "past"),  # the clause verb decides
        ("Loans run through January.", "January", "future"),
        ("Reports had been filed by Wednesday.", "Wednesday", "past"),
    ],
)
def test_deadlines_and_starts(sentence, word, expected):
    start = sentence.index(word)
    assert tense(sentence, start, start + len(word)) == expected
