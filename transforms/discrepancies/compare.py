"""What two aligned sentences assert: dates, numbers and names, and where they conflict.

A conflict needs a value on each side that the other side lacks, of the same kind and
granularity (a month against a month, a count of people against a count of people).
A value only one side states is not a conflict: it is a fact only one outlet reports.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_DATE_VALUE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$|^\d{4}-W\d{2}$")
_NUMBER_RE = re.compile(
    r"(?<![\w.,:/])(?<![:/]\s)(?<!\d\s)(?P<cur>[$€£¥]\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>million|billion|thousand|hundred|m|bn|k)\b)?"
    r"(?![\d.,]*\s?[:/]\s?\d)(?!\s\d)"  # not a clock time, numeric date or phone number
    # a unit written against the number ("24km") or after it; "square"/"cubic" take the next word too
    r"(?:(?P<attached>km|kg|mph|cm|mm|ft|lbs?)\b|[\s-]+(?P<unit>(?:square|cubic)[\s-][a-z]+|per[\s-]cent\b|[a-z%]+))?",
    re.IGNORECASE,
)
# A date stamped on the page (by-line, "Updated …", headline line) dates the article, not the event.
_STAMP_BEFORE_RE = re.compile(
    r"(?:published|updated|posted|modified|last updated|filed)\W{0,3}\s*(?:\w+,?\s*)?$", re.I
)
_CLOCK_AFTER_RE = re.compile(r"^\W{0,4}(?:at\s+)?\d{1,2}[:.]\d\d\b")
_CONTENT_RE = re.compile(r"(?<![\w’'-])[a-z][^\W\d_]{3,}")  # lower-case words: what happened, not who
_CALENDAR_WORDS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "today",
        "yesterday",
    ]
)
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_WORD_NUMBER_RE = re.compile(rf"\b(?P<num>{'|'.join(_WORD_NUMBERS)})[\s-]+(?P<unit>[a-z]+)", re.IGNORECASE)
_SCALES = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3, "k": 1e3, "hundred": 1e2}
# Words after a number that do not name what is counted ("three other rifles", "13 at").
_NOT_UNITS = ENGLISH_STOP_WORDS | {"percent"}
_ATTACHED_UNITS = frozenset({"km", "kg", "mph", "cm", "mm", "ft", "lb", "lbs"})
_UNIT_ALIASES = {"percent": "%", "per cent": "%", "pc": "%"}


@dataclass(frozen=True)
class Value:
    text: str  # as written
    key: str  # what it is a value of: date granularity, unit of a number
    norm: str  # comparable normal form


def date_values(timexes: list[tuple[str, str]]) -> list[Value]:
    """(text, TIMEX3 value) of DATE timexes -> values keyed by granularity.

    A value is cut to the granularity its text states ("2010" is a year even when resolved
    to a day), so that two outlets are compared on what they wrote.
    """
    out = []
    for text, value in timexes:
        if isinstance(value, str) and _DATE_VALUE_RE.match(value):
            value = _stated(text or "", value)
            key = "week" if "W" in value else ("year", "month", "day")[value.count("-")]
            out.append(Value(text, key, value))
    return out


_MONTH_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_DAY_RE = re.compile(r"(?<![\d])(?:[0-3]?\d)(?:st|nd|rd|th)?(?![\d])")


def _stated(text: str, value: str) -> str:
    if "W" in value or not re.search(r"\d{4}", text):
        return value  # relative or week dates: the resolver's granularity stands
    if not _MONTH_RE.search(text) and not re.search(r"\d{1,2}\s?[/.-]\s?\d{1,2}", text):
        return value[:4]
    if not _DAY_RE.search(re.sub(r"\d{4}", "", text)):
        return value[:7]
    return value


def number_values(text: str, masked: list[tuple[int, int]]) -> list[Value]:
    """Numbers and counted units in text, skipping the spans in masked (dates, names)."""
    out = []
    for match in _NUMBER_RE.finditer(text):
        if _inside(match.start(), match.end("num"), masked) or re.match(r"0\d", match.group("num")):
            continue
        number = float(match.group("num").replace(",", ""))
        scale = (match.group("scale") or "").lower()
        number *= _SCALES.get(scale, 1.0)
        unit = _unit(match.group("unit") or match.group("attached"), match.group("cur"))
        if not scale and not unit and 1900 <= number <= 2100 and "." not in match.group("num"):
            continue  # a bare year is a date, compared as one when the temporal step found it
        out.append(Value(match.group(0).strip(), unit, f"{number:g}"))
    for match in _WORD_NUMBER_RE.finditer(text):
        if not _inside(match.start(), match.end(), masked):
            value = _WORD_NUMBERS[match.group("num").lower()]
            out.append(Value(match.group(0), _unit(match.group("unit")), f"{value:g}"))
    return out


def _unit(word: str | None, currency: str | None = None) -> str:
    """What a number counts: a currency, a percentage, or the content word after it."""
    if currency:
        return currency.strip()
    if not word:
        return ""
    word = re.sub(r"[\s-]+", " ", word.lower()) if word.startswith(("per", "Per")) else word.lower()
    if word in _UNIT_ALIASES or word == "%":
        return "%"
    if word in _ATTACHED_UNITS:
        return word
    if word in _NOT_UNITS or len(word) < 3:
        return ""
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def conflicts(values_a: list[Value], values_b: list[Value], loose: bool) -> list[tuple[Value, Value]]:
    """Pairs of differing values of one key that each side states and the other lacks.

    loose: numbers without a shared unit may still conflict when exactly one is left on each side.
    """
    norms_a = {v.norm for v in values_a}
    norms_b = {v.norm for v in values_b}
    only_a = [v for v in values_a if v.norm not in norms_b and not _covered(v, values_b)]
    only_b = [v for v in values_b if v.norm not in norms_a and not _covered(v, values_a)]
    pairs = []
    used_b: set[int] = set()
    for a in only_a:
        for index, b in enumerate(only_b):
            if index not in used_b and a.key == b.key and (a.key or loose):
                pairs.append((a, b))
                used_b.add(index)
                break
    if (
        loose
        and not pairs
        and len(only_a) == 1
        and len(only_b) == 1
        and not (only_a[0].key and only_b[0].key)
    ):
        pairs.append((only_a[0], only_b[0]))
    return pairs


def is_page_stamp(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a publication stamp: "Updated: May 2, 2013", "May 2, 2013 12:50 PM"."""
    return bool(_STAMP_BEFORE_RE.search(text[max(0, start - 30) : start])) or bool(
        _CLOCK_AFTER_RE.match(text[end : end + 15])
    )


_RANGE_AFTER_RE = re.compile(r"^\s?[-–/]\s?(?:\d{2}|\d{4})\b")


def is_range_start(text: str, end: int) -> bool:
    """Whether a date ending at `end` opens a range the temporal step read as one year ("2008-09 season").

    Its value then states less than the text does: comparing it would set a season against a year.
    """
    return bool(_RANGE_AFTER_RE.match(text[end : end + 8]))


def range_value(text: str, start: int, end: int, value: str) -> Value | None:
    """A year range ("2008-09") as one value keyed "range": compared with ranges only."""
    match = _RANGE_AFTER_RE.match(text[end : end + 8])
    if not match or not isinstance(value, str) or not re.match(r"\d{4}", value):
        return None
    last = re.search(r"\d+$", match.group(0)).group(0)
    last = value[:2] + last if len(last) == 2 else last
    return Value(text[start : end + match.end()], "range", f"{value[:4]}/{last}")


def share_content(text_a: str, text_b: str) -> bool:
    """Whether two sentences share a content word (5-letter prefix, so "labelled" meets "label")."""
    return bool(_content_stems(text_a) & _content_stems(text_b))


def _content_stems(text: str) -> set[str]:
    words = _CONTENT_RE.findall(text)
    return {w[:5] for w in words if w not in ENGLISH_STOP_WORDS and w not in _CALENDAR_WORDS}


def _covered(value: Value, others: list[Value]) -> bool:
    """A coarser date that contains a finer one on the other side ("2025" vs "2025-04") agrees."""
    return any(o.norm.startswith(value.norm + "-") or value.norm.startswith(o.norm + "-") for o in others)


def name_conflicts(names_a: set[str], names_b: set[str]) -> list[tuple[str, str]]:
    """Person names that look like one person written two ways (a shared token, the rest differs)."""
    only_a = [a for a in names_a if not any(_same_person(a, b) for b in names_b)]
    only_b = [b for b in names_b if not any(_same_person(a, b) for a in names_a)]
    pairs = []
    for a in only_a:
        for b in only_b:
            tokens_a, tokens_b = _name_tokens(a), _name_tokens(b)
            if len(tokens_a) > 1 and len(tokens_b) > 1 and tokens_a & tokens_b and fuzz.ratio(a, b) >= 60:
                pairs.append((a, b))
    return pairs


def _same_person(a: str, b: str) -> bool:
    """One name's words contain the other's ("Robert J. Pickell" / "Robert J Pickell", "Pickell")."""
    tokens_a, tokens_b = _name_tokens(a), _name_tokens(b)
    return tokens_a <= tokens_b or tokens_b <= tokens_a


def same_speaker(id_a: str | None, name_a: str | None, id_b: str | None, name_b: str | None) -> bool:
    """Speakers agree on entity id, or on a name one of which contains the other ("Zhirnov")."""
    if id_a and id_b and id_a == id_b:
        return True
    if not name_a or not name_b or name_a[:1].islower() or name_b[:1].islower():
        return True  # an unknown or generic speaker ("officials", "he") contradicts nobody
    a, b = _name_tokens(name_a), _name_tokens(name_b)
    return bool(a) and bool(b) and (a <= b or b <= a or fuzz.token_set_ratio(name_a, name_b) >= 90)


def names_speaker(text: str, name: str | None) -> bool:
    """Whether text names this speaker: every capitalised word of the name, or a person's surname.

    A parenthesised qualifier ("Ministry of Foreign Affairs (Afghanistan)") is the registry's,
    not the text's, and is left out.
    """
    if not name or not text:
        return False
    words = re.findall(r"\w+", re.sub(r"\([^)]*\)", " ", name))
    capitalised = [w for w in words if w[:1].isupper() and len(w) > 2]
    if not capitalised:
        return False
    present = set(re.findall(r"\w+", text))
    person_like = 2 <= len(words) <= 3 and len(capitalised) == len(words)
    return all(w in present for w in capitalised) or (person_like and capitalised[-1] in present)


@functools.lru_cache(maxsize=65_536)  # the same few names are compared for every pair of a story
def _name_tokens(name: str) -> frozenset[str]:
    return frozenset(t for t in re.findall(r"\w+", name.lower()) if t not in {"the", "of", "s"})
