"""TimeML/TempEval-3 conventions for news text (reference: Thursday 3 July 2025, third quarter)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.transforms.test_temporal_rules import only, timexes


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # halves, year ends, parts of a unit: the value of the whole unit (TimeML keeps START/END in `mod`)
        ("Sales rose in the first half.", ("the first half", "DATE", "2025-H1")),
        ("Sales rose in the last half of 2024.", ("the last half of 2024", "DATE", "2024-H2")),
        ("The deal should close by year-end.", ("year-end", "DATE", "2025")),
        ("Shares are up 8% since year-end.", ("year-end", "DATE", "2024")),
        ("The cut comes by the end of the year.", ("the end of the year", "DATE", "2025")),
        ("Troops arrive by the end of the month.", ("the end of the month", "DATE", "2025-07")),
        ("Prices rose in the mid-1990s.", ("the mid-1990s", "DATE", "199")),
        # vague and hedged amounts of time
        ("Talks will take some time.", ("some time", "DURATION", "PXX")),
        ("He has waited for a while.", ("a while", "DURATION", "PXX")),
        ("He said it would take weeks or months.", ("weeks or months", "DURATION", "PXW")),
        ("It went on for a year or so.", ("a year or so", "DURATION", "P1Y")),
        ("Fighting eased in recent months.", ("recent months", "DURATION", "PXM")),
        ("Prices may rise in the weeks ahead.", ("the weeks ahead", "DURATION", "PXW")),
        ("Profits rose for the past five years.", ("the past five years", "DURATION", "P5Y")),
        ("It lasted two decades.", ("two decades", "DURATION", "P20Y")),
        ("The attack came hours after the vote.", ("hours", "DURATION", "PTXH")),
        ("Days before the election, he resigned.", ("Days", "DURATION", "PXD")),
        ("Talks could take weeks.", ("weeks", "DURATION", "PXW")),
        ("The strike lasted months.", ("months", "DURATION", "PXM")),
        # an unknown number of big units keeps its scale with TimeML's letters
        ("Losses mounted for several quarters.", ("several quarters", "DURATION", "PXQ")),
        ("Earnings slid in recent quarters.", ("recent quarters", "DURATION", "PXQ")),
        ("The custom has lasted for centuries.", ("centuries", "DURATION", "PXC")),
        ("It lasted a minute and a half.", ("a minute and a half", "DURATION", "PT1M30S")),
        ("We met a week or so ago.", ("a week or so ago", "DATE", "2025-W26")),
        # reference words
        ("Rates will stay low in the near term.", ("the near term", "DATE", "FUTURE_REF")),
        ("More recently, prices fell.", ("More recently", "DATE", "PAST_REF")),
        ("At this crucial moment, talks matter.", ("this crucial moment", "DATE", "PRESENT_REF")),
        # fiscal and calendar quarters, within the reference year
        ("Results for the current fiscal year will be weak.", ("the current fiscal year", "DATE", "2025")),
        ("Results for the current quarter will be weak.", ("the current quarter", "DATE", "2025-Q3")),
        ("Profit rose in the fiscal first quarter.", ("the fiscal first quarter", "DATE", "2025-Q1")),
        ("Sales in the fourth quarter were weak.", ("the fourth quarter", "DATE", "2024-Q4")),
        ("The company expects a loss in the fourth quarter.", ("the fourth quarter", "DATE", "2025-Q4")),
        ("Sales will recover in the first quarter.", ("the first quarter", "DATE", "2026-Q1")),
        # parts of a day
        (
            "Trading was halted at mid-afternoon yesterday.",
            ("mid-afternoon yesterday", "TIME", "2025-07-02TAF"),
        ),
        ("The minister will speak Monday night.", ("Monday night", "TIME", "2025-07-07TNI")),
        ("He died late Tuesday.", ("late Tuesday", "DATE", "2025-07-01")),
        # a scheduling word after a determiner is a noun, and says nothing of the tense
        ("The protest came after the vote on Sunday night.", ("Sunday night", "TIME", "2025-06-29TNI")),
        ("The party's meeting on Monday ended early.", ("Monday", "DATE", "2025-06-30")),
        ("The parliament votes on Sunday.", ("Sunday", "DATE", "2025-07-06")),
        # a plan seen from the past is a past date
        ("The offer had been scheduled to expire Friday.", ("Friday", "DATE", "2025-06-27")),
        (
            "The offensive began as previously planned Saturday night.",
            ("Saturday night", "TIME", "2025-06-28TNI"),
        ),
        ("The shares are to resume trading Tuesday.", ("Tuesday", "DATE", "2025-07-08")),
    ],
)
def test_guideline_case(body, expected):
    assert only(body) == expected


def test_anaphoric_weekday_counts_from_the_narrative_date():
    found = timexes("The strike ended on 10 March 2025. It had begun the previous Friday.")
    assert ("the previous Friday", "DATE", "2025-03-07") in found


def test_year_period_takes_the_reported_quarter():
    found = timexes("Profit rose in the second quarter, against a loss in the 2024 period.")
    assert ("the 2024 period", "DATE", "2024-Q2") in found
    assert ("the 1988 period", "DATE", "1988") in timexes("Sales fell from the 1988 period.")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Three days later, the index was down 6%.", ("Three days", "DURATION", "P3D")),
        ("A few days later he resigned.", ("A few days", "DURATION", "PXD")),
        ("An hour earlier, troops had crossed.", ("An hour", "DURATION", "PT1H")),
    ],
)
def test_short_amount_before_later_is_a_duration(body, expected):
    assert only(body) == expected


def test_as_soon_as_is_a_conjunction():
    assert timexes("Holders may sell as soon as trading opens.") == []
    assert only("Talks will resume soon.") == ("soon", "DATE", "FUTURE_REF")
    assert only("He wants it as soon as possible.") == ("as soon as possible", "DATE", "FUTURE_REF")


def test_year_earlier_stays_a_date():
    assert ("a year earlier", "DATE", "2024") in timexes("Profit rose from a year earlier.")


def test_later_after_an_amount_is_no_future_cue():
    found = timexes("Three days later, as of Friday's close, the index was down 6%.")
    assert ("Friday", "DATE", "2025-06-27") in [(t, ty, v) for t, ty, v in found if t == "Friday"]


@pytest.mark.parametrize(
    "body",
    [
        "It happens once in a while.",
        "It will happen some time next year.",
        "The first half of the match was dull.",
    ],
)
def test_vague_phrases_left_alone(body):
    assert all(t not in {"a while", "some time", "the first half"} for t, _, _ in timexes(body))


def test_year_ago_quarters_compare_with_the_reported_quarter():
    body = (
        "Acme posted a 20% gain in second-quarter net income. Net rose to $9 million for the quarter ended "
        "June 30, from $7 million a year ago. Sales were flat in the year-earlier quarter. "
        "Results for the year-ago second quarter were restated. The corresponding period last year was weak."
    )
    found = {text: value for text, _, value in timexes(body)}
    assert found["second-quarter"] == "2025-Q2"
    assert found["a year ago"] == "2024-Q2"
    assert found["the year-earlier quarter"] == "2024-Q2"
    assert found["the year-ago second quarter"] == "2024-Q2"
    assert found["The corresponding period last year"] == "2024-Q2"


def test_year_ago_after_a_longer_period_compares_years():
    body = (
        "Acme's second-quarter profit rose to $9 million from $7 million a year ago. "
        "For the six months, profit was $15 million, compared with $12 million a year earlier. "
        "The year-earlier results included a one-time gain."
    )
    found = [(text, value) for text, _, value in timexes(body)]
    assert ("a year ago", "2024-Q2") in found
    assert ("a year earlier", "2024") in found
    assert ("year-earlier", "2024") in found


def test_round_up_switches_between_fiscal_and_calendar_quarters():
    body = (
        "Acme earned $5 million in its fiscal first quarter. Separately, Bolt Corp. said third-quarter "
        "profit rose to $3 million from $2 million a year earlier. In the latest period, sales rose 4%."
    )
    found = {text: value for text, _, value in timexes(body)}
    assert found["a year earlier"] == "2024-Q3"
    assert found["the latest period"] == "2025-Q3"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Output rose 5% in a year.", ("a year", "DURATION", "P1Y")),
        ("He left two days a week ago.", ("a week ago", "DATE", "2025-W26")),
        ("Profit was $5 million a year earlier.", ("a year earlier", "DATE", "2024")),
    ],
)
def test_rates_need_an_amount_right_before(body, expected):
    assert expected in timexes(body)


def test_coordinated_weekdays_share_the_part_of_day():
    found = timexes("The bus runs Friday and Saturday nights.")
    assert found == [("Friday", "SET", "XXXX-WXX-5TNI"), ("Saturday nights", "SET", "XXXX-WXX-6TNI")]


def test_nth_day_of_an_event_is_the_day_told():
    assert ("the fifth day", "DATE", "2025-07-03") in timexes(
        "Miners marched on the fifth day of their strike."
    )
    found = timexes("Talks resumed Tuesday, the 3rd straight day of negotiations.")
    assert ("the 3rd straight day", "DATE", "2025-07-01") in found


def test_one_day_after_a_modal_is_some_day():
    assert ("one day", "DATE", "FUTURE_REF") in timexes("The city could one day host the games.")
    assert ("one day", "DURATION", "P1D") in timexes("The fair lasted one day.")


def test_year_earlier_stretch_is_one_duration():
    found = timexes("Net for the year-ago six months included a gain.")
    assert found == [("the year-ago six months", "DURATION", "P6M")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The bonds will be repaid in five years.", ("five years", "DATE", "2030")),
        ("Polls will open in about two weeks.", ("about two weeks", "DATE", "2025-W29")),
        ("The bridge was built in two years.", ("two years", "DURATION", "P2Y")),
        ("Talks will run for three weeks.", ("three weeks", "DURATION", "P3W")),
    ],
)
def test_in_an_amount_ahead_is_a_date(body, expected):
    assert only(body) == expected


def test_season_without_tense_is_the_nearest_one():
    february = pd.Timestamp("2026-02-06T12:00Z")  # still winter 2025
    assert timexes("Factories may slow in the spring.", february) == [("the spring", "DATE", "2026-SP")]
    assert timexes("Factories slowed in the spring.", february) == [("the spring", "DATE", "2025-SP")]


def test_clock_time_finds_its_day_past_a_parenthetical():
    found = timexes("The raid began at 3 a.m. local time (0000 GMT) on Sunday.")
    assert found == [
        ("3 a.m. local time", "TIME", "2025-06-29T03:00"),
        ("0000 GMT", "TIME", "2025-06-29T00:00"),
        ("Sunday", "DATE", "2025-06-29"),
    ]


def test_year_to_a_month_is_a_reporting_year():
    found = timexes("Sales fell 3% in the year to March.")
    assert found == [("the year", "DURATION", "P1Y"), ("March", "DATE", "2025-03")]


def test_that_season_is_of_the_narrative_year():
    found = timexes("The war ended in 1945. That summer, troops came home.")
    assert ("That summer", "DATE", "1945-SU") in found


def test_comparisons_do_not_move_the_narrative():
    body = "Profit rose in 2024 from a year earlier. A year earlier the firm had lost money."
    values = [value for _, _, value in timexes(body)]
    assert values == ["2024", "2023", "2023"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The talks began in June last year.", ("June last year", "DATE", "2024-06")),
        ("Prices peaked in January this year.", ("January this year", "DATE", "2025-01")),
        ("The thrift was examined earlier in the year.", ("earlier in the year", "DATE", "2025")),
        ("Results for the latest fiscal year were weak.", ("the latest fiscal year", "DATE", "2024")),
        ("The plan was shelved until a later date.", ("a later date", "DATE", "FUTURE_REF")),
        ("Stocks fell for eight trading days.", ("eight trading days", "DURATION", "P8D")),
        ("He will stay at least 20 more years.", ("at least 20 more years", "DURATION", "P20Y")),
        ("Net income for the year ended March 31 rose.", ("the year", "DURATION", "P1Y")),
    ],
)
def test_more_guideline_cases(body, expected):
    assert expected in timexes(body)


@pytest.mark.parametrize(
    "body",
    [
        'Baker said on ABC\'s "This Week" that talks would go on.',
        "About three-quarters of the members voted for it.",
        "More than a quarter of the staff left.",
        "Mr. Reupke, 52 years old, resigned.",
    ],
)
def test_names_fractions_and_ages_are_not_timexes(body):
    texts = [t for t, _, _ in timexes(body)]
    assert not any(w in " ".join(texts) for w in ("This Week", "quarter", "52 years"))


def test_unit_phrases_take_the_narrative_unit():
    body = "Shares fell on 14 March 2025. For the week, the index lost 2%. In the morning, traders sold."
    found = {text: value for text, _, value in timexes(body)}
    assert found["the week"] == "2025-W11"
    assert found["the morning"] == "2025-03-14TMO"
    assert ("the full year", "DATE", "2025") in timexes("It expects a loss for the full year.")


@pytest.mark.parametrize("body", ["At the end of the day, it is about money.", "Back in the day we walked."])
def test_day_idioms_are_not_timexes(body):
    assert "the day" not in [t for t, _, _ in timexes(body)]


def test_overnight_is_the_night_before_the_narrative_day():
    found = timexes("Shares closed lower on 14 March 2025, hit by overnight losses in New York.")
    assert ("overnight", "TIME", "2025-03-13TNI") in found


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The rally is set for 10:30 a.m. ET on Saturday.", ("10:30 a.m. ET", "TIME", "2025-07-05T10:30")),
        (
            "A truce took effect at 6 a.m. local time on Tuesday.",
            ("6 a.m. local time", "TIME", "2025-07-01T06:00"),
        ),
        ("Updated 2025-07-03T18:51:00Z by staff.", ("2025-07-03T18:51:00Z", "TIME", "2025-07-03T18:51")),
        ("The 2020s began badly.", ("The 2020s", "DATE", "202")),
        ("The law takes effect on 1 January next year.", ("1 January next year", "DATE", "2026-01-01")),
        ("The meeting is scheduled for Sept. 12-14.", ("Sept. 12", "DATE", "2025-09-12")),
    ],
)
def test_modern_news_formats(body, expected):
    assert expected in timexes(body)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("We vote this coming Sunday, March eighth.", ("Sunday, March eighth", "DATE", "2026-03-08")),
        ("The show airs Tuesday nights.", ("Tuesday nights", "SET", "XXXX-WXX-2TNI")),
        (
            "It was cold in the winter of nineteen ninety-four.",
            ("the winter of nineteen ninety-four", "DATE", "1994-WI"),
        ),
    ],
)
def test_transcript_forms(body, expected):
    assert expected in timexes(body)


def test_spacy_bare_units_are_vague_durations():
    from transforms.temporal import extract_timexes

    body = "Talks dragged on for days."
    start = body.index("days")
    spans = pd.DataFrame(
        [("a", start, start + 4, "days", "DATE", 0)],
        columns=["article_id", "start", "end", "text", "label", "sentence_index"],
    )
    articles = pd.DataFrame(
        {"article_id": ["a"], "body": [body], "published_at": [pd.Timestamp("2025-07-03T00:00Z")]}
    )
    out = extract_timexes(articles, spans)
    assert list(zip(out["text"], out["type"], out["value"], strict=True)) == [("days", "DURATION", "PXD")]


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("The 23-year marriage ended.", "23-year"),
        ("Shares rose after the third-quarter results.", "third-quarter"),
        ("Sales fell in the third quarter.", "the third quarter"),
    ],
)
def test_article_of_an_adjectival_timex_stays_with_the_noun(body, text):
    assert text in [t for t, _, _ in timexes(body)]


@pytest.mark.parametrize(
    "body",
    [
        "The Lakers trailed by ten in the fourth quarter but won.",
        "Messi scored in the first half.",
        "They led after the quarter ended with a dunk.",
    ],
)
def test_quarters_and_halves_of_games_are_not_dates(body):
    assert timexes(body) == []


def test_quarters_and_halves_of_the_calendar_are_dates():
    assert ("the fourth quarter", "DATE", "2024-Q4") in timexes("Sales rose in the fourth quarter.")
    assert ("the first half", "DATE", "2025-H1") in timexes("Profit fell in the first half.")


@pytest.mark.parametrize(
    "body",
    ["Will Smith said the Summer Olympics open in Paris.", "He won 2020 votes in the district."],
)
def test_names_and_counts_are_not_dates(body):
    assert timexes(body) == []


def test_a_year_before_a_noun_is_still_a_year():
    assert ("2020", "DATE", "2020") in timexes("In 2020 prices rose.")
