"""TIMEX3 values: calendar arithmetic, value strings and the interval a value covers.

dateutil's relativedelta does the month arithmetic; ISO weeks come from the
standard library. What is ours is the TIMEX3 spelling of each granularity.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

# Meteorological seasons (northern hemisphere): whole months, so that a season
# never splits a month-granular date that falls inside it.
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def day_value(d: date) -> str:
    return d.isoformat()


def week_value(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def shift(d: date, unit: str, n: int) -> date:
    """`d` moved by `n` units (D, W, M, Q, Y, DE, CE); month ends clamp (Jan 31 + 1M = Feb 28)."""
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}
    if unit == "D":
        return d + timedelta(days=n)
    if unit == "W":
        return d + timedelta(weeks=n)
    return d + relativedelta(months=months[unit] * n)


def value_at(d: date, unit: str) -> str:
    """The TIMEX3 value of the `unit`-sized calendar period containing `d`."""
    if unit == "D":
        return day_value(d)
    if unit == "W":
        return week_value(d)
    if unit == "M":
        return month_value(d.year, d.month)
    if unit == "Q":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if unit == "Y":
        return f"{d.year:04d}"
    if unit == "DE":
        return f"{d.year // 10:03d}"
    if unit == "CE":
        return f"{d.year // 100:02d}"
    raise ValueError(unit)


_LOWER_UNIT = {
    "Y": ("M", 12),
    "M": ("D", 30),
    "W": ("D", 7),
    "D": ("H", 24),
    "H": ("MIN", 60),
    "MIN": ("S", 60),
}
_TIME_UNITS = {"H": "H", "MIN": "M", "S": "S"}
# An unknown number of quarters, decades, centuries or millennia cannot be written in ISO 8601 units (PXY
# would lose the scale), so TimeML's extra letters carry it: PXQ, PXE, PXC, PXL, as TimeBank annotates them.
_VAGUE_LETTER = {"Q": "Q", "DE": "E", "CE": "C", "ML": "L"}


def duration_value(n: float | None, unit: str) -> str:
    """P-notation for `n` units (unit codes as in vocab.tsv); None is an unknown amount (PXY).

    A fractional amount spills into the next smaller unit: 2.5 years = P2Y6M.
    """
    if unit == "2W":  # fortnight
        n, unit = (None if n is None else n * 2), "W"
    if n is None:
        return f"PTX{_TIME_UNITS[unit]}" if unit in _TIME_UNITS else f"PX{_VAGUE_LETTER.get(unit, unit)}"
    whole = int(n)
    parts = [(whole, unit)] if whole else []
    fraction = n - whole
    if fraction:
        if unit not in _LOWER_UNIT:
            return f"P{n:g}{unit}"
        sub, factor = _LOWER_UNIT[unit]
        parts.append((round(fraction * factor), sub))
    if not parts:
        parts = [(0, unit)]
    date_part = "".join(f"{a}{u}" for a, u in parts if u not in _TIME_UNITS)
    time_part = "".join(f"{a}{_TIME_UNITS[u]}" for a, u in parts if u in _TIME_UNITS)
    return "P" + date_part + (f"T{time_part}" if time_part else "")


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_WEEKDAY = re.compile(r"^(\d{4})-W(\d{2})-([1-7])(?:T.*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})X?$")
_CENTURY = re.compile(r"^(\d{2})(?:XX)?$")


def value_interval(value: str | None) -> tuple[date | None, date | None]:
    """First and last day covered by a TIMEX3 date/time value; (None, None) when it has none.

    Underspecified (XXXX-...), reference (PAST_REF) and duration (P...) values cover no interval.
    """
    if not value:
        return None, None
    try:
        return _interval(value)
    except (ValueError, OverflowError):
        return None, None


def _interval(value: str) -> tuple[date | None, date | None]:
    if m := _DAY.match(value):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    if m := _WEEKDAY.match(value):
        d = date.fromisocalendar(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    if m := _WEEK.match(value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        first = monday + timedelta(days=5) if m[3] else monday
        return first, monday + timedelta(days=6)
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if m := _QUARTER.match(value):
        year, q = int(m[1]), int(m[2])
        last = 3 * q
        return date(year, last - 2, 1), date(year, last, calendar.monthrange(year, last)[1])
    if m := _HALF.match(value):
        year, h = int(m[1]), int(m[2])
        return (date(year, 1, 1), date(year, 6, 30)) if h == 1 else (date(year, 7, 1), date(year, 12, 31))
    if m := _SEASON.match(value):
        year = int(m[1])
        first, last = SEASON_MONTHS[m[2]]
        end_year = year + 1 if last < first else year
        return date(year, first, 1), date(end_year, last, calendar.monthrange(end_year, last)[1])
    if m := _YEAR.match(value):
        year = int(m[1])
        return date(year, 1, 1), date(year, 12, 31)
    if m := _DECADE.match(value):
        year = int(m[1]) * 10
        return date(max(year, 1), 1, 1), date(year + 9, 12, 31)
    if m := _CENTURY.match(value):
        year = int(m[1]) * 100
        return date(max(year, 1), 1, 1), date(year + 99, 12, 31)
    return None, None
