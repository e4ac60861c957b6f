"""Golden pages for HTML metadata: title without site furniture, authors (JSON-LD persons, graph
references, agencies, the visible byline in several languages, not the site), publication and
modification times with their offset, and where each field came from.

The pages under tests/golden/metadata (HTML, and page-text dumps as `.txt`) are crafted after real
publishers' markup; `expected.json`
holds what each must give (reviewed by hand, not regenerated).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from transforms.parsing import parse_document
from transforms.parsing.html_metadata import parse_iso_time

PAGES = Path(__file__).resolve().parents[1] / "golden" / "metadata"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


def _iso(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).isoformat()


def test_every_page_has_an_expectation():
    pages = [p.name for p in PAGES.iterdir() if p.suffix in (".html", ".txt")]
    assert sorted(pages) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_golden(name):
    _, articles, _ = parse_document((PAGES / name).read_bytes(), name)
    article = articles[0]
    got = {
        "title": article["title"],
        "byline": list(article["byline"]),
        "published_at": _iso(article["published_at"]),
        "published_tz": article["published_tz"],
        "updated_at": _iso(article["updated_at"]),
        "metadata_sources": article["metadata_sources"],
    }
    assert got == EXPECTED[name]


@pytest.mark.parametrize(
    ("written", "utc", "zone"),
    [
        ("2024-05-03T14:05:00+05:30", "2024-05-03T08:35:00+00:00", "+05:30"),
        ("2024-05-03T14:05:00Z", "2024-05-03T14:05:00+00:00", "UTC"),
        ("2024-05-03T14:05:00-0400", "2024-05-03T18:05:00+00:00", "-0400"),
        # Naive: read as UTC, the zone left unknown (never guessed from the reader's clock).
        ("2026-05-13 15:44", "2026-05-13T15:44:00+00:00", None),
        ("2026-05-13T15:44:00", "2026-05-13T15:44:00+00:00", None),
        # Unix time in seconds or milliseconds.
        ("1750680000", "2025-06-23T12:00:00+00:00", "UTC"),
        ("1750680000000", "2025-06-23T12:00:00+00:00", "UTC"),
    ],
)
def test_machine_readable_times_naive_and_aware(written, utc, zone):
    stamp, written_zone = parse_iso_time(written)
    assert stamp.tzinfo is not None
    assert stamp.isoformat() == utc
    assert written_zone == zone


def test_ten_digits_that_are_no_unix_time_of_this_century_are_not_read_as_one():
    # a date and hour without separators would be a Unix time of 2034
    assert parse_iso_time("2025061714") is None


@pytest.mark.parametrize(
    ("utc_reading", "language", "expected"),
    [
        # A visible time without a zone is local: German summer (+02:00) and winter (+01:00) time.
        ("2023-04-28T19:09:00+00:00", "de", ("2023-04-28T17:09:00+00:00", "Europe/Berlin")),
        ("2024-11-05T15:36:00+00:00", "de", ("2024-11-05T14:36:00+00:00", "Europe/Berlin")),
        ("2024-04-30T16:48:00+00:00", "tr", ("2024-04-30T13:48:00+00:00", "Europe/Istanbul")),
        # English and Spanish are written in many zones; a date alone has no local hour.
        ("2024-04-28T10:00:00+00:00", "en", None),
        ("2024-04-28T10:00:00+00:00", "es", None),
        ("2024-04-28T00:00:00+00:00", "de", None),
        ("2024-04-28T10:00:00+00:00", None, None),
    ],
)
def test_visible_time_in_the_language_zone(utc_reading, language, expected):
    from transforms.local_zones import as_local

    got = as_local(pd.Timestamp(utc_reading), language)
    assert (got and (got[0].isoformat(), got[1])) == expected
