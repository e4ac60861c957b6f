"""Publication times an HTML page shows outside its meta tags: microdata, `<time>`, visible text.

Machine-readable values (`itemprop="datePublished"` on any element, `<time datetime>`) are read as
written. A time in the visible text ("Veröffentlicht am 13. Mai 2026 um 15:44") rarely names its
zone: it is the page's local time, so it takes the offset the page writes in its machine-readable
times when there is one, and is read as UTC (zone unknown) when there is none.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone
from functools import lru_cache

import lxml.html
import pandas as pd

from transforms.page_metadata import load_table, parse_written_time

_PUBLISHED_PROPS = ("datePublished", "dateCreated")
# Elements whose class marks a date or time; the text must be short (a date line, not a paragraph).
_DATE_CLASS = (
    "//*[not(self::script or self::style or self::head or self::meta)]"
    "[contains(translate(@class,'DATE','date'),'date') or contains(translate(@class,'TIME','time'),'time')"
    " or contains(translate(@class,'PUBLISH','publish'),'publish')]"
)
# An hour ("15:44", "06h00", "19.51"), not a piece of a date ("24.04.2023").
_CLOCK = re.compile(r"(?<![\d.:])\d{1,2}(?:[:h]|\.(?!\d{2}\.))\d{2}(?![\d.])")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def microdata_time(tree: lxml.html.HtmlElement, modified: bool = False) -> str | None:
    """`itemprop="datePublished"` (or dateModified) on an element other than <meta>."""
    props = ("dateModified",) if modified else _PUBLISHED_PROPS
    for el in tree.xpath("|".join(f"//*[@itemprop='{p}']" for p in props)):
        if el.tag == "meta":
            continue  # meta tags are read with the others
        value = el.get("datetime") or el.get("content") or el.text_content()
        if value and value.strip():
            return value.strip()
    return None


def time_element(tree: lxml.html.HtmlElement) -> str | None:
    """`<time datetime>`: one marked as the publication time (pubdate, a class naming it) first."""
    times = tree.xpath("//time[@datetime]")
    for el in times:
        marks = f"{el.get('class') or ''} {el.get('itemprop') or ''} {'pubdate' if 'pubdate' in el.attrib else ''}"
        if re.search(r"publish|pubdate|created", marks, re.I):
            return el.get("datetime")
    return times[0].get("datetime") if times else None


def page_offset(zones: list[str | None]) -> timezone | None:
    """The first numeric offset among the zones the page writes ("+02:00")."""
    for zone in zones:
        match = _OFFSET.match(zone or "")
        if match:
            sign = -1 if match.group(1) == "-" else 1
            return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    return None


@lru_cache(maxsize=1)
def _updated_words() -> re.Pattern[str]:
    words = sorted({row["word"] for row in load_table("time_labels")}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})", re.I)


def _read(text: str, language: str | None) -> tuple[pd.Timestamp, str | None] | None:
    """(UTC as if the text were UTC, written zone) of a date line with its hour; dateparser's search
    for the page's language when the English/numeric reader finds nothing."""
    written = parse_written_time(text, language)
    if written is not None:
        return written.utc, written.zone
    if not language or language == "en":
        return None
    try:
        from dateparser.search import search_dates

        found = search_dates(text, languages=[language], settings={"PREFER_DAY_OF_MONTH": "first"})
    except Exception:  # dateparser raises assorted errors on odd input: no time here
        return None
    for part, value in found or []:
        if _CLOCK.search(part):
            if value.tzinfo is not None:
                return pd.Timestamp(value).tz_convert("UTC").as_unit("us"), value.tzname()
            return pd.Timestamp(value, tz="UTC").as_unit("us"), None
    return None


def visible_time(
    tree: lxml.html.HtmlElement, language: str | None, offset: timezone | None, tries: int = 6
) -> tuple[pd.Timestamp, str | None] | None:
    """A publication time with its hour from an element marked as a date, in the page's local time."""
    for el in tree.xpath(_DATE_CLASS):
        text = " ".join(el.text_content().split())
        if not text or len(text) > 80 or not _CLOCK.search(text) or _updated_words().search(text):
            continue
        tries -= 1
        read = _read(text, language)
        if read is not None and 1990 <= read[0].year <= 2200:
            utc, zone = read
            if zone is None and offset is not None:
                # Read as UTC for want of a zone: the page's local time is that minus its offset.
                local = utc.tz_localize(None).to_pydatetime().replace(tzinfo=offset)
                return pd.Timestamp(local).tz_convert("UTC").as_unit("us"), _zone_name(offset)
            return utc, zone
        if tries <= 0:
            break
    return None


def _zone_name(offset: timezone) -> str:
    minutes = int(offset.utcoffset(None).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
