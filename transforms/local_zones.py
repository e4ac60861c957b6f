"""The local zone of a page-text time that writes none, by the page's language.

A page shows its times in its readers' local time and rarely names the zone ("28.04.2023, 19:09
Uhr"). Read as UTC, such a time is off by the zone's offset; for a language written almost all in
one zone (`patterns/language_zones.tsv`) the time is read in that zone, daylight saving included.
Languages spread over many zones (English, Spanish, ...) keep the UTC reading with the zone unknown.
Times without an hour (a date alone) are left as they are: their midnight is no local time.
(HTML pages keep reading such times with the offset of their machine-readable times, else as UTC:
the language's zone gained nothing there.)
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

_TABLE = Path(__file__).with_name("parsing") / "patterns" / "language_zones.tsv"


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    with _TABLE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return {row["language"]: row["zone"] for row in csv.DictReader(lines, delimiter="\t")}


def language_zone(language: str | None) -> str | None:
    """The IANA zone of a language's news, or None when the language has no single zone."""
    return _zones().get((language or "").lower())


def as_local(utc: pd.Timestamp, language: str | None) -> tuple[pd.Timestamp, str | None] | None:
    """A time read as UTC for want of a zone, re-read as the language's local time: (UTC, zone name),
    or None when the language has no single zone or the time is a date alone (midnight exactly)."""
    zone = language_zone(language)
    wall = utc.tz_convert("UTC").tz_localize(None)
    if zone is None or wall == wall.normalize():
        return None
    local = wall.tz_localize(ZoneInfo(zone), ambiguous=True, nonexistent="shift_forward")
    return local.tz_convert("UTC").as_unit("us"), zone
