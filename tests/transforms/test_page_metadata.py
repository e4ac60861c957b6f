"""Metadata written in page text: times with written zones, bylines, titles by shape, datelines, outlet."""

from __future__ import annotations

import pandas as pd
import pytest

from transforms.page_metadata import (
    detect_language,
    extract_page_metadata,
    find_dateline,
    find_outlet,
    find_title,
    is_title_shaped,
    parse_byline,
    parse_written_time,
)


@pytest.mark.parametrize(
    ("line", "label", "utc", "zone"),
    [
        ("Published 4 July 2025 at 00:21 IST", "published", "2025-07-03T18:51Z", "IST"),
        ("Updated 4 July 2025 at 00:43 IST", "updated", "2025-07-03T19:13Z", "IST"),
        ("Last updated: July 3, 2025 2:51 PM EDT", "updated", "2025-07-03T18:51Z", "EDT"),
        ("Thu 3 Jul 2025 19.51 BST", "published", "2025-07-03T18:51Z", "BST"),
        ("Posted on 03 Jul 2025, 20:51 CEST", "published", "2025-07-03T18:51Z", "CEST"),
        ("July 3, 2025 23:51 PKT", "published", "2025-07-03T18:51Z", "PKT"),
        ("Published: 2025-07-03 21:51 GMT+3", "published", "2025-07-03T18:51Z", "GMT+3"),
        ("Published: 2025-07-04 00:21 +05:30", "published", "2025-07-03T18:51Z", "+05:30"),
        ("Jan 15, 2025 9:00 AM ET", "published", "2025-01-15T14:00Z", "ET"),
        ("Jul 15, 2025 9:00 AM ET", "published", "2025-07-15T13:00Z", "ET"),
        ("Published 3 July 2025 18:51", "published", "2025-07-03T18:51Z", None),
        ("2025-07-03T18:51:00Z", "published", "2025-07-03T18:51Z", "UTC"),
        ("Updated 2:51 PM EDT, Thu July 3, 2025", "updated", "2025-07-03T18:51Z", "EDT"),
        ("Jul 04, 2025 12:21 AM IST", "published", "2025-07-03T18:51Z", "IST"),
        ("04/07/2025 00:21 IST", "published", "2025-07-03T18:51Z", "IST"),
        ("July 3, 2025, 2:51 p.m. ET", "published", "2025-07-03T18:51Z", "ET"),
    ],
)
def test_written_times_convert_to_utc_and_keep_the_zone(line, label, utc, zone):
    written = parse_written_time(line)
    assert written is not None
    assert (written.label, written.utc, written.zone) == (label, pd.Timestamp(utc), zone)


@pytest.mark.parametrize(
    "line",
    [
        "The vote was held on 4 July 2025 and the results were announced at 00:21 in the capital city after"
        " a long count that lasted through most of the night and into the next morning.",
        "Share this article",
        "IST",
    ],
)
def test_not_a_time_line(line):
    assert parse_written_time(line) is None


@pytest.mark.parametrize(
    ("line", "language", "utc"),
    [
        # The day's dot ("28. April 2023"), spaced numeric dates, month names of the page's language;
        # read as UTC here (the language's zone is applied when the page's times are assigned).
        ("28. April 2023, 19:50 Uhr", "de", "2023-04-28T19:50Z"),
        ("06. 01. 2026, 14:59 Uhr", "de", "2026-01-06T14:59Z"),
        ("12. MÄR 2025 18:03", "de", "2025-03-12T18:03Z"),
        ("4 Febbraio 2025 - 14:41", "it", "2025-02-04T14:41Z"),
        ("Publié le 22 novembre 2024 à 07:22", "fr", "2024-11-22T07:22Z"),
        ("12 de marzo de 2025, 18:03", "es", "2025-03-12T18:03Z"),
        # Year first, as East Asian pages write it, after a label ("입력": posted).
        ("입력 2026.07.12 22:09", "ko", "2026-07-12T22:09Z"),
        ("2025/01/13 20:01", "ja", "2025-01-13T20:01Z"),
    ],
)
def test_written_times_in_the_page_language(line, language, utc):
    written = parse_written_time(line, language)
    assert written is not None and written.utc == pd.Timestamp(utc)


def test_month_names_of_other_languages_need_the_page_language():
    # An English page: "Febbraio" is no month, and dateutil must not guess a date around it.
    assert parse_written_time("4 Febbraio 2025 - 14:41", "en") is None


@pytest.mark.parametrize(
    ("lines", "utc"),
    [
        # The date on one line, its hour alone on the next (German summer time: +02:00).
        (["05. Juni 2024", "15:36 Uhr", "3 Min"], "2024-06-05T13:36Z"),
        # A date alone gives way to the same day's time with its hour further down.
        (["28.04.2023", "Kolumne", "28.04.2023, 19:09"], "2023-04-28T17:09Z"),
        # A date alone stays the date when no hour of that day is written.
        (["28.04.2023", "27.04.2023, 19:09"], "2023-04-28T00:00Z"),
    ],
)
def test_page_times_prefer_the_hour(lines, utc):
    meta = extract_page_metadata(lines, set(), "de")
    assert meta.published_at == pd.Timestamp(utc)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Reported by: Bhawana Gariya", ["Bhawana Gariya"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By JANE DOE, Reuters", ["JANE DOE", "Reuters"]),
        ("BY JANE DOE AND JOHN ROE", ["JANE DOE", "JOHN ROE"]),
        ("Written by Ana María López | Updated 3 July 2025", ["Ana María López"]),
        ("By the time the vote came, most members had left.", None),
        ("Bystanders watched the fire", None),
    ],
)
def test_bylines(line, names):
    assert parse_byline(line) == names


@pytest.mark.parametrize(
    ("line", "language", "names"),
    [
        # The byline words of the page's language (patterns/bylines.tsv), names joined in it too.
        ("Von Hannah Ritzmann, Redakteurin für Finanzen", "de", ["Hannah Ritzmann"]),
        (
            "von Sebastian Kohler, Andreas Gandzior und Philipp Siebert",
            "de",
            ["Sebastian Kohler", "Andreas Gandzior", "Philipp Siebert"],
        ),
        ("di Marco Pizzorno", "it", ["Marco Pizzorno"]),
        ("Par Jean Dupont et Marie Curie", "fr", ["Jean Dupont", "Marie Curie"]),
        # A sentence opening with the same word is no byline; other languages' words do not count.
        ("Von den Banken des Landes kamen am Montag keine neuen Zahlen zu den Zinsen", "de", None),
        ("von Hannah Ritzmann", "en", None),
        ("Volontär (Sport)", "de", None),
    ],
)
def test_bylines_in_the_page_language(line, language, names):
    assert parse_byline(line, language) == names


@pytest.mark.parametrize(
    ("lines", "language", "names"),
    [
        # The byline word on a line of its own, the names on the next one.
        (["By", "Victoria O’Regan", "3 May 2025"], "en", ["Victoria O’Regan"]),
        (["Author of the article:", "Joseph Brean"], "en", ["Joseph Brean"]),
        (["di", "Viviana Mazza e Marco Pizzorno"], "it", ["Viviana Mazza", "Marco Pizzorno"]),
        # What follows the word is no list of names: no byline.
        (["By", "the time the council met, most members had left"], "en", []),
        (["di", "Viviana Mazza"], "en", []),
    ],
)
def test_byline_label_on_its_own_line(lines, language, names):
    assert extract_page_metadata(lines, set(), language).byline == names


def test_titles_by_shape():
    assert is_title_shaped(
        "Russia Becomes First Country to Officially Recognize Taliban Government in Afghanistan"
    )
    assert is_title_shaped("Taliban welcomes move, calls it a big moment")
    assert not is_title_shaped(
        "Russia has become the first country to officially recognise the Taliban government in Afghanistan."
    )
    assert not is_title_shaped("Home")
    assert not is_title_shaped("https://example.com/a/long/link/to/something")


@pytest.mark.parametrize(
    ("line", "place"),
    [
        (
            "Moscow: In a significant diplomatic move, Russia has officially accepted the credentials.",
            "Moscow",
        ),
        (
            "NEW DELHI (Reuters) - India said on Thursday it would raise tariffs on imported steel.",
            "New Delhi",
        ),
        (
            "WASHINGTON, July 3 — The Senate passed the bill late on Thursday after a long debate.",
            "Washington",
        ),
        ("Earlier, Russia had labelled the Taliban as a terrorist organisation before April.", None),
        ("Update: the story has been changed to include a statement from the ministry.", None),
    ],
)
def test_datelines(line, place):
    assert find_dateline(line) == place


def test_no_time_means_unknown_never_now():
    lines = ["Some headline about a vote in the city", "", "The council voted on the plan. " * 5]
    meta = extract_page_metadata(lines, set())
    assert meta.published_at is None and meta.published_at_source == "unknown"
    assert find_title(lines, 2, set()) == 0


def test_title_is_the_headline_nearest_above_the_text():
    lines = ["Home > World > Europe", "Bridge to close for two weeks", "By Ann Lee", "Body text. " * 10]
    assert find_title(lines, 3, {2}) == 1
    assert find_title(["A B C D", "Rain falls on the plain"], 1, set()) == 1


def test_outlet_named_in_furniture():
    assert find_outlet(["© 2025 Republic World. All rights reserved."]) == "Republic World"
    assert find_outlet(["Copyright 2025 Riverside Gazette Ltd"]) == "Riverside Gazette Ltd"
    assert find_outlet(["Share", "Follow"]) is None


def test_language():
    assert (
        detect_language("The government said on Thursday that it would not change the law for now.") == "en"
    )
    assert (
        detect_language("Die Regierung hat am Donnerstag gesagt, dass sie das Gesetz nicht ändern wird.")
        == "de"
    )
    assert detect_language("Правительство объявило в четверг о новом законе, который вступит в силу") == "ru"
    assert detect_language("12 34 56") is None


def test_labels_glued_to_the_previous_time():
    lines = ["July 3, 2025 6:51 PM GMT+1Updated July 3, 2025 8:00 PM GMT+1", "Body text goes here. " * 5]
    meta = extract_page_metadata(lines, set())
    assert meta.published_at == pd.Timestamp("2025-07-03T17:51Z") and meta.published_tz == "GMT+1"
    assert meta.updated_at == pd.Timestamp("2025-07-03T19:00Z")


def test_outlet_in_byline_is_not_an_author():
    lines = ["Headline about the vote in town", "By Jane Doe, Reuters", "Body text goes here. " * 5]
    meta = extract_page_metadata(lines, set())
    assert meta.byline == ["Jane Doe"] and meta.outlet == "Reuters"


def test_byline_and_time_on_one_line():
    lines = [
        "Headline about the vote in town",
        "By Tess Bonn - 11/19/19 06:56 AM EST",
        "Body text here. " * 6,
    ]
    meta = extract_page_metadata(lines, set())
    assert meta.byline == ["Tess Bonn"]
    assert meta.published_at == pd.Timestamp("2019-11-19T11:56Z") and meta.published_tz == "EST"
    assert 1 in meta.consumed


def test_time_found_near_the_text_after_a_long_header():
    from transforms.parsing.text_dump import parse_text_dump

    para = "The council approved the plan on Monday after a long debate about schools, roads and parks."
    teaser = (
        "Another story about something else entirely that happened in the region last week, officials said."
    )
    header = ["Home", "News", teaser, *[f"Menu item {i}" for i in range(12)], "Posted: 18 Nov 2019 8:11 pm"]
    article = parse_text_dump(
        "\n".join([*header, "Council approves plan", para, para.replace("Monday", "Tuesday")])
    )[0]
    assert article["published_at"] == pd.Timestamp("2019-11-18T20:11Z")
    assert "Posted" not in article["body"]


def test_agency_in_a_plain_wire_text_is_the_outlet():
    from transforms.parsing.text_dump import parse_text_dump

    text = "NEW DELHI (Reuters) - India said on Thursday it would raise tariffs on imported steel.\n"
    article = parse_text_dump(text)[0]
    assert (article["body"], article["dateline"], article["outlet"]) == (text, "New Delhi", "Reuters")
    text = "WASHINGTON (AP) — The Senate passed the bill late on Thursday after a long debate."
    assert parse_text_dump(text)[0]["outlet"] == "Associated Press"
