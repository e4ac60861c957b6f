"""Metadata written in page text: headline, byline, published/updated times, dateline, outlet, language.

Works on the lines of a page-text dump. Times keep the zone as written (`published_tz`) and are
converted to UTC; a time that writes none is read in its language's zone where the language has one
(`local_zones`), else as UTC with the zone unknown. A document without any written time gets NaT and
`published_at_source="unknown"`, never a file time or the current time.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from transforms.local_zones import as_local

# Versioned pattern tables (rules that differ by outlet or language are data, not code).
PATTERNS_DIR = Path(__file__).with_name("parsing") / "patterns"


@cache
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of `parsing/patterns/<name>.tsv` as dicts; lines starting with `#` are comments."""
    with (PATTERNS_DIR / f"{name}.tsv").open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    # "28. April 2023" and "06. 01. 2026": the day's dot of German, Nordic, Polish, ... dates.
    rf"|\d{{1,2}}\.\s+{_MONTHS},?\s+\d{{4}}|\d{{1,2}}\.\s\d{{1,2}}\.\s\d{{4}}"
    # "2025.05.15 20:00", "2025/01/13": year first, as East Asian pages write it.
    r"|\d{4}[./]\d{1,2}[./]\d{1,2})\b",
    re.I,
)
# A day, a month's name in any language and a year ("4 febbraio 2025", "12. MÄR 2025", "12 de marzo
# de 2025"): read by dateparser in the page's language (dateutil would skip the word it does not know).
_WORD_DATE = re.compile(r"\b\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?\d{4}\b")
_ENGLISH_MONTH = re.compile(rf"\b{_MONTHS}(?!\w)", re.I)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?", re.I)
_LABEL = re.compile(
    r"^\W*(?P<label>(?:last\s+|first\s+)?(?:updated|modified|published|posted|released|date|dated|created)"
    r"(?:\s+(?:on|at))?)\s*:?\s*",
    re.I,
)
_NUMERIC_ZONE = re.compile(r"(?:\b(?:UTC|GMT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?(?!\d)|\b(?:UTC|GMT)\b")
# Pages glue labels to the text before them ("6:51 PM GMT+1Updated 2 hours ago").
_GLUED_LABEL = re.compile(r"(?<=\S)(?=(?:Updated|Published|Posted|Last updated|Modified)\b)")
_BYLINE = re.compile(
    r"^\W*(?:(?:reported|written|posted|compiled|story|text)\s+by|by|author|authors|reporter|byline|words by)"
    r"\s*[:\-–]?\s+(?P<names>.+)$",
    re.I,
)
_DATELINE = re.compile(
    r"^(?P<place>(?:[A-Z][A-Za-z'’.-]+|[A-Z]{2,}[A-Z'’.-]*)"
    r"(?:[ -](?:[A-Z][A-Za-z'’.-]+|[A-Z]{2,}|de|la|el)){0,3})"
    r"(?:,\s*(?:[A-Z][A-Za-z.]+\.?\s+\d{1,2}|[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?))?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&-]{1,30})\))?\s*(?::|—|–|--| - )\s*\S"
)
_NOT_PLACES = frozenset(
    [
        "update",
        "updated",
        "note",
        "editor",
        "editors",
        "watch",
        "photo",
        "video",
        "read",
        "also",
        "breaking",
        "live",
        "exclusive",
        "analysis",
        "opinion",
        "warning",
        "correction",
        "q",
        "a",
        "question",
        "answer",
        "summary",
        "source",
        "sources",
        "image",
        "caption",
        "related",
    ]
)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*(?:[-–]\s*\d{4})?\s*)?(?P<name>[^|.,©]{2,60})", re.I
)
_WORD = re.compile(r"\w+", re.U)
_DOTTED_TIME = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})(?![\d.])")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?…:;]['\"’”)]*$")


@dataclass
class PageMetadata:
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    published_at: pd.Timestamp | None = None
    published_tz: str | None = None
    updated_at: pd.Timestamp | None = None
    published_at_source: str = "unknown"
    dateline: str | None = None
    outlet: str | None = None
    language: str | None = None
    consumed: set[int] = field(default_factory=set)  # line indexes that are metadata, not body
    anchor: int | None = None  # last metadata line of the header: the article starts after it


# ---------------------------------------------------------------------------------------------- times


@lru_cache(maxsize=1)
def _zones() -> tuple[dict[str, tuple[object, bool]], re.Pattern[str]]:
    """Abbreviation -> (tzinfo, dayfirst), and one regex matching any abbreviation as a word."""
    table: dict[str, tuple[object, bool]] = {}
    for row in load_table("timezones"):
        offset = row["offset"]
        if "/" in offset:
            tz: object = ZoneInfo(offset)
        else:
            sign = -1 if offset.startswith("-") else 1
            hours, minutes = offset[1:].split(":")
            tz = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
        table[row["abbr"].upper()] = (tz, row["dayfirst"] == "1")
    names = "|".join(sorted(map(re.escape, table), key=len, reverse=True))
    return table, re.compile(rf"(?<![\w+-])({names})(?![\w])")


def zone_tzinfos() -> dict[str, object]:
    """The zone table as dateutil `tzinfos` (abbreviation -> tzinfo)."""
    return {abbr: tz for abbr, (tz, _) in _zones()[0].items()}


@dataclass(frozen=True)
class WrittenTime:
    label: str  # published / updated
    utc: pd.Timestamp
    zone: str | None


def parse_written_time(line: str, language: str | None = None) -> WrittenTime | None:
    """A publication/update time written on one line ("Updated 4 July 2025 at 00:21 IST") or None."""
    foreign = bool(language and language != "en" and _WORD_DATE.search(line))
    if len(line) > 160 or not (_DATE.search(line) or foreign):
        return None
    label_match = _LABEL.match(line)
    label = (
        "updated"
        if label_match and re.search(r"updat|modif", label_match.group("label"), re.I)
        else "published"
    )
    rest = line[label_match.end() :] if label_match else line
    if language and language != "en":  # "Veröffentlicht am 28. April ...": the date without its label
        rest = re.sub(r"^[^\W\d_][^\d]*?\s(?=\d)", "", rest)
    zone_text, tz, dayfirst, rest = _split_zone(rest)
    value = _parse_datetime(rest, dayfirst, language)
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz or UTC)  # no written zone: read as UTC (zone stays None)
    zone_text = "UTC" if zone_text == "Z" else zone_text  # ISO's Zulu suffix
    return WrittenTime(label, pd.Timestamp(value).tz_convert("UTC").as_unit("us"), zone_text)


def _split_zone(text: str) -> tuple[str | None, object | None, bool, str]:
    """The zone written after the time (abbreviation or numeric offset), removed from the text."""
    table, abbr_re = _zones()
    time_match = _TIME.search(text)
    tail_start = time_match.end() if time_match else 0
    tail = text[tail_start:]
    numeric = _NUMERIC_ZONE.search(tail)
    abbr = abbr_re.search(tail) if time_match else None
    if abbr and (not numeric or abbr.start() <= numeric.start()) and abbr.group(1) not in {"UTC", "GMT"}:
        tz, dayfirst = table[abbr.group(1)]
        return (
            abbr.group(1),
            tz,
            dayfirst,
            text[: tail_start + abbr.start()] + text[tail_start + abbr.end() :],
        )
    if numeric and (time_match or numeric.group(0).upper() in {"UTC", "GMT"}):
        written = numeric.group(0).strip()
        if numeric.group(1):
            sign = -1 if numeric.group(1) == "-" else 1
            delta = timedelta(hours=int(numeric.group(2)), minutes=int(numeric.group(3) or 0))
            if delta > timedelta(hours=14):
                return None, None, True, text
            tz = timezone(sign * delta)
        else:
            tz = UTC
        cut = text[: tail_start + numeric.start()] + text[tail_start + numeric.end() :]
        return written, tz, True, cut
    return None, None, True, text


def _parse_datetime(text: str, dayfirst: bool, language: str | None = None) -> datetime | None:
    """dateutil for English and ISO forms; dateparser (multilingual) only as a fallback for a page in
    another language, restricted to that language: searching all its locales costs seconds."""
    from dateutil import parser as du

    text = re.sub(r"\b(?:at|on|um|à|a las)\b|[|•·,]", " ", text, flags=re.I).strip()
    text = _DOTTED_TIME.sub(r"\1:\2", text)  # "19.51" (British style) is a time, not a number
    if language and language != "en" and _WORD_DATE.search(text) and not _ENGLISH_MONTH.search(text):
        return _dateparser(re.sub(r"\b(?:uhr|h|kl)\b\.?", " ", text, flags=re.I), language)
    default = datetime(1, 1, 1)
    iso = bool(re.search(r"\b\d{4}[-./]\d{1,2}[-./]\d{1,2}(?!\d)", text))  # year first: never day-first
    try:
        value = du.parse(text, fuzzy=True, dayfirst=dayfirst and not iso, yearfirst=iso, default=default)
        if value.year > 1:
            return value
    except (ValueError, OverflowError, TypeError):
        pass
    if not language or language == "en":
        return None
    return _dateparser(text, language)


def _dateparser(text: str, language: str) -> datetime | None:
    try:
        import dateparser

        settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]}
        return dateparser.parse(text, languages=[language], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; the line simply has no time
        return None


# ---------------------------------------------------------------------------------------------- names


def parse_byline(line: str, language: str | None = None) -> list[str] | None:
    """Author names from a byline line ("By A and B", "Reported by: A"; in the page's language the
    words of `patterns/bylines.tsv`: "von A und B"), or None if it is not one."""
    if len(line) > 200:
        return None
    match = _BYLINE.match(line.strip())
    opening, joins = _byline_words(language)
    looks_like_name = _looks_like_name
    if not match and opening is not None:
        match = opening.match(line.strip())
        # Words like "von", "di", "par" open sentences too: only a short line of names is a byline,
        # and each name capitalised word for word ("Redakteurin für Finanzen" is a role).
        if match and len(_WORD.findall(match.group("names"))) > 8:
            match = None
        looks_like_name = is_person_name
    if not match:
        return None
    names = match.group("names")
    names = re.split(r"\s[|•·]\s|\s+[-–—]\s+|\bupdated\b|\bpublished\b", names, maxsplit=1, flags=re.I)[0]
    parts = [p.strip(" .,;:") for p in re.split(rf",|\b(?:{joins})\b|&|;|\s/\s", names, flags=re.I)]
    people = [p for p in parts if p and looks_like_name(p)]
    return people or None


@lru_cache(maxsize=32)
def _byline_words(language: str | None) -> tuple[re.Pattern[str] | None, str]:
    """(a line opening with a byline word of the language, its words joining names) from
    `patterns/bylines.tsv`; English alone is read by `_BYLINE`."""
    rows = [r for r in load_table("bylines") if r["language"] == (language or "en")]
    joins = sorted({"and", *(r["word"] for r in rows if r["kind"] == "and")}, key=len, reverse=True)
    intro = sorted({r["word"] for r in rows if r["kind"] == "intro"}, key=len, reverse=True)
    if not intro or language in (None, "en"):
        return None, "|".join(map(re.escape, joins))
    words = "|".join(map(re.escape, intro))
    opening = re.compile(rf"^\W*(?:{words})\b\s*[:\-–]?\s+(?P<names>\S.*)$", re.I)
    return opening, "|".join(map(re.escape, joins))


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or (_SENTENCE_END.search(text) and not text.endswith(".")):
        return False
    return sum(w[:1].isupper() for w in words) >= max(1, len(words) - 1)


def split_authors(value: object) -> list[str]:
    """Authors from metadata values: a string ("A, B and C"), a list, or dicts with `name`."""
    items = value if isinstance(value, list | tuple) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name")
        if not isinstance(item, str):
            continue
        item = re.sub(r"^\s*by\s+", "", item, flags=re.I)
        for part in re.split(r";|,|\band\b|&|\|", item):
            part = part.strip(" .")
            if part and len(part) <= 80 and part not in names:
                names.append(part)
    return names


# ---------------------------------------------------------------------------------------------- lines


def is_title_shaped(line: str) -> bool:
    """A headline: 3-30 words, at most 250 characters, not ending like a sentence, not a list or a URL."""
    text = line.strip()
    words = _WORD.findall(text)
    if not 3 <= len(words) <= 30 or len(text) > 250 or "://" in text:
        return False
    if text.endswith((".", ";", ",", ":")) and not text.endswith(("...", "…")):
        return False
    return text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"“‘'"


def find_dateline(line: str) -> str | None:
    """The place a story was filed from, written at the start of its first paragraph ("Moscow: ...")."""
    match = _DATELINE.match(line.strip())
    if not match:
        return None
    place = match.group("place").strip(" -")
    if place.lower() in _NOT_PLACES or len(place) > 40 or len(line) < 40:
        return None
    return place.title() if place.isupper() else place


def dateline_agency(line: str) -> str | None:
    """The news agency credited in a dateline ("NEW DELHI (Reuters) - ...")."""
    match = _DATELINE.match(line.strip())
    if not match or not match.group("agency") or find_dateline(line) is None:
        return None
    agency = match.group("agency").strip()
    return find_outlet([agency]) or agency


@lru_cache(maxsize=1)
def _outlet_pattern() -> tuple[tuple[str, ...], re.Pattern[str]]:
    """All outlet regexes as one alternation (one search per text), group k = outlet k."""
    rows = load_table("outlets")
    names = tuple(row["outlet"] for row in rows)
    return names, re.compile("|".join(f"(?P<o{k}>{row['regex']})" for k, row in enumerate(rows)), re.I)


def find_outlet(texts: list[str]) -> str | None:
    """An outlet named in the given texts (furniture, copyright lines, URLs) by the outlet table."""
    names, pattern = _outlet_pattern()
    texts = [text for text in texts if len(text) <= 300]  # outlets are named in short furniture lines
    for text in texts:
        match = pattern.search(text)
        if match:
            return names[int(match.lastgroup[1:])]
    for text in texts:
        match = _COPYRIGHT.search(text)
        if match:
            name = re.sub(r"\s+", " ", match.group("name")).strip(" -–")
            name = re.split(r"\ball rights\b", name, flags=re.I)[0].strip(" -–")
            if 2 <= len(name) <= 50 and name[:1].isupper():
                return name
    return None


# ---------------------------------------------------------------------------------------------- language


@lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    """jusText's stop-word lists for the languages in `patterns/languages.tsv`."""
    import justext

    return {row["code"]: frozenset(justext.get_stoplist(row["stoplist"])) for row in load_table("languages")}


_SCRIPTS = (
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code by stop-word share (jusText lists), scripts first for non-Latin writing."""
    sample = text[:20_000]
    letters = len(_LETTER.findall(sample))
    if letters < 20:
        return None
    for code, script in (("ja", _SCRIPTS[4][1]), *_SCRIPTS):
        if len(script.findall(sample)) > 0.3 * letters:
            return code
    counts = Counter(w.lower() for w in _WORD.findall(sample))
    total = sum(counts.values())
    if not total:
        return None
    hits = dict.fromkeys(_distinctive(), 0)
    languages_of = _languages_of_word()
    for word, n in counts.items():  # one pass over the words, not one per language
        for code in languages_of.get(word, ()):
            hits[code] += n
    best, best_share = None, 0.0
    for code, n in hits.items():
        if n / total > best_share:
            best, best_share = code, n / total
    return best if best_share >= 0.08 else None


@lru_cache(maxsize=1)
def _languages_of_word() -> dict[str, tuple[str, ...]]:
    """Stop word -> the languages whose distinctive list holds it."""
    index: dict[str, list[str]] = {}
    for code, stops in _distinctive().items():
        for word in stops:
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


@lru_cache(maxsize=1)
def _distinctive() -> dict[str, frozenset[str]]:
    """Stop lists for language identification: some of jusText's large lists (Finnish, Polish, ...)
    were built from web text and contain common English words, so English words are taken out of
    every other language's list."""
    lists = _stoplists()
    english = lists["en"]
    return {code: stops if code == "en" else stops - english for code, stops in lists.items()}


def stoplist(language: str | None) -> frozenset[str]:
    return _stoplists().get(language or "en", _stoplists()["en"])


# ---------------------------------------------------------------------------------------------- page


def extract_page_metadata(lines: list[str], skip: set[int], language: str | None = None) -> PageMetadata:
    """Metadata lines of a page-text dump; `skip` are lines already known as furniture.

    Times and bylines are looked for in the header (before the first long paragraph, plus a few lines)
    and the footer (the last lines), where pages put them. The title is found once the main text
    is known (`find_title`).
    """
    meta = PageMetadata()
    candidates = [i for i, line in enumerate(lines) if i not in skip and line.strip()]
    first_para = next((i for i in candidates if _is_paragraph(lines[i])), None)
    header_end = first_para if first_para is not None else (candidates[0] if candidates else 0)
    zone = [i for i in candidates if i <= header_end + 6] + [i for i in candidates[-6:] if i > header_end + 6]
    times: list[WrittenTime] = []
    time_lines: list[int] = []
    for k, i in enumerate(zone):
        found, is_metadata = _read_line(lines[i], language, meta)
        if len(found) == 1 and k + 1 < len(zone):  # "05. November 2024" then "15:36 Uhr"
            found = [_with_clock(found[0], lines[zone[k + 1]])]
        times.extend(found)
        time_lines.extend([i] * len(found))
        if is_metadata:
            meta.consumed.add(i)
    _assign_times(meta, times, language)
    if not meta.byline:
        _label_byline(meta, lines, zone, language)
    if not meta.byline:
        _bare_byline(meta, lines, candidates, time_lines)
    header = [i for i in meta.consumed if i <= header_end + 6]
    meta.anchor = max(header) if header else None
    return meta


_CAPWORD = r"[A-Z][\w'’.-]+"
_BARE_NAME = re.compile(
    rf"^(?P<names>{_CAPWORD}(?: {_CAPWORD}){{1,3}}(?:(?:,| and) {_CAPWORD}(?: {_CAPWORD}){{1,3}})*)"
    rf"(?: in {_CAPWORD}(?: {_CAPWORD})?)?$"
)


def _label_byline(meta: PageMetadata, lines: list[str], indexes: list[int], language: str | None) -> None:
    """A byline word on a line of its own ("By", "di", "Author of the article:") and the names on
    the next line, as pages that style the label apart write it."""

    labels = _byline_labels(language)
    for k, i in enumerate(indexes[:-1]):
        if lines[i].strip().rstrip(":").strip().casefold() not in labels:
            continue
        j = indexes[k + 1]
        _, joins = _byline_words(language)
        parts = [p.strip(" .,;:") for p in re.split(rf",|\b(?:{joins})\b|&|;", lines[j].strip(), flags=re.I)]
        names = [p for p in parts if p]
        if names and all(is_person_name(n) for n in names) and not find_outlet(names):
            meta.byline = names
            meta.consumed.update((i, j))
            return


@lru_cache(maxsize=32)
def _byline_labels(language: str | None) -> frozenset[str]:
    """The byline words of English and of the page's language (`patterns/bylines.tsv`), casefolded."""
    rows = load_table("bylines")
    return frozenset(
        r["word"].casefold() for r in rows if r["kind"] == "intro" and r["language"] in ("en", language)
    )


def _bare_byline(meta: PageMetadata, lines: list[str], candidates: list[int], time_lines: list[int]) -> None:
    """Bylines without "By" ("Andrew Roth in Moscow") sit right next to the time line."""
    position = {line: k for k, line in enumerate(candidates)}
    for t in time_lines:
        k = position.get(t)
        if k is None:
            continue
        for j in (
            candidates[k - 1] if k > 0 else None,
            candidates[k + 1] if k + 1 < len(candidates) else None,
        ):
            if j is None or j in meta.consumed:
                continue
            match = _BARE_NAME.match(lines[j].strip())
            if match and not find_outlet([match.group("names")]):
                meta.byline = [n.strip() for n in re.split(r",| and ", match.group("names")) if n.strip()]
                meta.consumed.add(j)
                return


_BREADCRUMB = re.compile(r"\s(?:>|»|›|/|\|)\s")


def find_title(
    lines: list[str], first_body: int, skip: set[int], anchor: int | None = None, reach: int = 15
) -> int | None:
    """Index of the headline among the lines just above the text (and the first text line itself).

    Candidates are scored: shared content words with the opening of the text (a headline announces
    its lead; a menu item or a teaser does not), headline shape, nearness, and being above the
    byline/time lines (`anchor`); date lines, bylines ("Name, Role"), breadcrumbs and button labels
    score low.
    """
    lead = _content_words(" ".join(lines[i] for i in range(first_body, min(first_body + 6, len(lines)))))
    above = [i for i in range(first_body - 1, -1, -1) if lines[i].strip() and i not in skip][:reach]
    best, best_score = None, 0.6
    for distance, i in enumerate([first_body, *above]):
        text = lines[i].strip()
        if not is_title_shaped(text) or _is_paragraph(text) or _BREADCRUMB.search(text):
            continue
        words = _content_words(text)
        opening = lead
        if i == first_body:  # the first text line as headline: compare it with what follows it
            opening = _content_words(" ".join(lines[j] for j in range(i + 1, min(i + 7, len(lines)))))
        score = 3.0 * (len(words & opening) / len(words) if words else 0.0)
        score += 1.0 if 5 <= len(_WORD.findall(text)) <= 25 else 0.0
        score -= 0.08 * distance
        if anchor is not None and i < anchor:
            score += 0.5
        if _TIME.search(text) or _DATE.search(text):
            score -= 2.0
        if _ROLE_LINE.search(text) or _UI_WORDS.search(text):
            score -= 2.0
        if score > best_score:
            best, best_score = i, score
    return best


_ROLE_LINE = re.compile(
    r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3}\s*(?:,|@|\s[-–|]\s)"  # "Tom Krisher, AP Auto Writer"
    r"|^(?:posted|written|updated|published)\b",
    re.I,
)
_UI_WORDS = re.compile(
    r"\b(?:click|copy|copied|share|email|e-mail|url|subscribe|newsletter|sign in|log in)\b", re.I
)


def _content_words(text: str) -> set[str]:
    """Lower-case words of 3+ letters that are not English stop words (enough for overlap tests)."""
    stops = _stoplists()["en"]
    return {w for w in (m.lower() for m in _WORD.findall(text)) if len(w) > 2 and w not in stops}


def _read_line(line: str, language: str | None, meta: PageMetadata) -> tuple[list[WrittenTime], bool]:
    """Times of one line and whether the whole line is metadata; names found go into `meta.byline`."""
    segments = [s for s in re.split(r"\s[|•·]\s", _GLUED_LABEL.sub(" | ", line.strip())) if s.strip()]
    times: list[WrittenTime] = []
    found_any, all_meta = False, True
    for segment in segments:
        names = parse_byline(segment, language)
        written = parse_written_time(segment, language) if _is_short(segment, 16) else None
        if names:  # "By Tess Bonn - 11/19/19 06:56 AM EST" carries both
            for name in names:  # "By Jane Doe, Reuters": the outlet is not an author
                outlet = find_outlet([name])
                if outlet:
                    meta.outlet = meta.outlet or outlet
                elif name not in meta.byline and not _DATE.search(name):
                    meta.byline.append(name)
            found_any = True
        if written is not None:
            times.append(written)
            found_any = True
        elif not names and not _is_short(segment, 4):
            all_meta = False
    return times, found_any and all_meta


def times_near(lines: list[str], indexes: list[int], language: str | None, meta: PageMetadata) -> None:
    """Second look for publication times, on lines around the main text once it is known
    (pages whose header is long, or starts with teasers, put them out of the first look's reach)."""
    found: list[WrittenTime] = []
    for i in indexes:
        if lines[i].strip() and _DATE.search(lines[i]):
            byline = list(meta.byline)
            times, is_metadata = _read_line(lines[i], language, meta)
            meta.byline = byline or meta.byline  # names near the text count only when none was found
            if times and is_metadata:
                found.extend(times)
                meta.consumed.add(i)
    _assign_times(meta, found, language)


_CLOCK_LINE = re.compile(r"^(\d{1,2})[:.](\d{2})(?:\s*(?:uhr|h|kl\.?))?$", re.I)


def _is_date_only(written: WrittenTime) -> bool:
    return written.zone is None and written.utc == written.utc.normalize()


def _with_clock(written: WrittenTime, next_line: str) -> WrittenTime:
    """A date alone whose hour stands on the next line on its own ("15:36 Uhr") takes that hour."""
    match = _CLOCK_LINE.match(next_line.strip())
    if not match or not _is_date_only(written) or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return written
    hour, minute = int(match.group(1)), int(match.group(2))
    return WrittenTime(written.label, written.utc + pd.Timedelta(hours=hour, minutes=minute), None)


def _assign_times(meta: PageMetadata, times: list[WrittenTime], language: str | None) -> None:
    published = _with_hours_first([t for t in times if t.label == "published"])
    updated = [t for t in times if t.label == "updated"]
    first = published[0] if published else (updated[0] if updated else None)
    if first is None:
        return
    meta.published_at, meta.published_tz, meta.published_at_source = (*_local(first, language), "text")
    if updated:
        meta.updated_at = max(_local(t, language)[0] for t in updated)


def _with_hours_first(times: list[WrittenTime]) -> list[WrittenTime]:
    """The times in page order, except that a date alone gives way to a time with its hour on the same
    day (pages write the day in one place and the day with its hour in another)."""
    if not times or not _is_date_only(times[0]):
        return times
    day = times[0].utc.normalize()
    timed = [
        t
        for t in times
        if not _is_date_only(t) and t.utc.tz_localize(None).normalize() == day.tz_localize(None)
    ]
    return timed + [t for t in times if t not in timed] if timed else times


def _local(written: WrittenTime, language: str | None) -> tuple[pd.Timestamp, str | None]:
    """(UTC, zone) of a time; one that names no zone is the page's local time, by its language."""
    if written.zone is None:
        return as_local(written.utc, language) or (written.utc, None)
    return written.utc, written.zone


def _is_paragraph(line: str) -> bool:
    """A body paragraph: long and sentence-like (a headline or a menu item is neither)."""
    text = line.strip()
    return len(_WORD.findall(text)) >= 15 and bool(re.search(r"[.!?…]['\"’”)]*(\s|$)", text))


def _is_short(text: str, max_words: int) -> bool:
    return len(_WORD.findall(text)) <= max_words


# ------------------------------------------------------------------------------------------ names

_NAME_PARTICLES = frozenset(
    [
        "von",
        "van",
        "der",
        "den",
        "de",
        "da",
        "di",
        "del",
        "la",
        "le",
        "du",
        "bin",
        "al",
        "el",
        "ten",
        "ter",
        "y",
        "e",
    ]
)
LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")


def is_person_name(name: str) -> bool:
    """A person's name as bylines write it: 1-5 words, capitalised (particles aside), no digits;
    names in scripts without case (Korean, Japanese, ...) up to 12 characters."""
    if not name or any(ch.isdigit() for ch in name) or "@" in name or "://" in name:
        return False
    words = name.split()
    if not LATIN_LETTER.search(name):
        return 1 <= len(words) <= 4 and len(name) <= 12
    if not 1 <= len(words) <= 5:
        return False
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)
