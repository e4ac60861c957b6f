"""From a grammar match to a TIMEX3 type and value: one small function per rule.

Relative expressions resolve against the article's reference day (anchor =
"publication" or "estimated"); anaphoric ones ("the next day", "a year
earlier") against the last date resolved in the narrative (anchor = "timex").
Without a reference day, values stay underspecified (XXXX-WXX-4) and the
anchor is "unresolved"; a value fully given by its own text is "absolute".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from transforms.temporal import vocab
from transforms.temporal.anchor import Anchor, Tense, tense
from transforms.temporal.find import Candidate
from transforms.temporal.normalise import (
    duration_value,
    month_value,
    quarter_of,
    shift,
    value_at,
    week_value,
)


@dataclass(frozen=True, slots=True)
class Resolved:
    type: str
    value: str
    anchor: str
    narrative: bool = True  # False: a comparison ("a year earlier") that must not move the narrative date


@dataclass
class Context:
    body: str
    cand: Candidate
    anchor: Anchor
    near_day: tuple[date, str] | None = None  # an adjacent date for a clock time ("4 July at 00:21")

    @property
    def ref(self) -> date | None:
        return self.anchor.ref

    def tense(self) -> Tense:
        return tense(self.body, self.cand.start, self.cand.end)

    def before(self, n: int = 14) -> str:
        return self.body[max(0, self.cand.start - n) : self.cand.start]

    def after(self, n: int = 14) -> str:
        return self.body[self.cand.end : self.cand.end + n]


Handler = Callable[[dict, Context], Resolved | None]
UNRESOLVED = "unresolved"
ABSOLUTE = "absolute"
TIMEX = "timex"


# --- word values -----------------------------------------------------------------------------------------
def month_number(text: str) -> int:
    word = text.rstrip(".")
    return int(vocab.lookup("month", word) or vocab.lookup("month_abbr", word) or 0)


def weekday_number(text: str) -> int:
    word = text.rstrip(".")
    return int(vocab.lookup("weekday", word) or vocab.lookup("weekday_abbr", word) or 0)


def day_number(text: str) -> int:
    spelled = vocab.lookup("day_ordinal", text.replace("-", " ")) or vocab.lookup("day_ordinal", text)
    return int(spelled) if spelled else int(re.sub(r"\D", "", text))


_TENS = {w: int(v) for w, v in vocab.table()["number"].items() if v.isdigit()}


def number(text: str | None) -> float | None:
    """Digits, number words ("twenty-four", "a couple of", "two and a half"); None for vague amounts."""
    if text is None:
        return None
    t = " ".join(text.lower().replace(",", "").split())
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    elif t.endswith(" 1/2"):
        t, half = t[:-4], 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t) + half
    value = vocab.lookup("number", t)
    if value is not None:
        return None if value == "X" else float(value) + half
    parts = re.split(r"[\s-]+", t)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _TENS:
        return float(_TENS[parts[0]] + _TENS[parts[1]]) + half
    return None


def unit_code(text: str) -> str:
    t = text.lower()
    for word in (
        t,
        t[:-1],
        t[:-3] + "y" if t.endswith("ies") else t,
        "millennium" if t == "millennia" else t,
    ):
        code = vocab.lookup("unit", word)
        if code:
            return code
    raise ValueError(text)


# --- calendar choices ------------------------------------------------------------------------------------
def infer_year(ref: date, month: int, day: int | None, when: Tense, slack: float = 2) -> int:
    """The year of a month (or month-day) without one.

    The nearest occurrence, unless the tense points the other way by more than
    `slack` months: past reporting looks back ("in November", said in July =
    last year), future forward. The slack keeps "Dec. 7" in a November story
    this year whatever its clause says.
    """

    def months_ahead(year: int) -> float:
        return (year - ref.year) * 12 + (month - ref.month) + ((day or ref.day) - ref.day) / 31

    year = min((ref.year - 1, ref.year, ref.year + 1), key=lambda y: abs(months_ahead(y)))
    if when == "past" and months_ahead(year) > slack:
        return year - 1
    if when == "future" and months_ahead(year) < -slack:
        return year + 1
    return year


def weekday_date(ref: date, weekday: int, rel: str, when: Tense) -> date:
    """News convention: a bare weekday is the most recent one on or before the reference day,
    the next one on or after it in future context; last/next are strict."""
    diff_back = (ref.isoweekday() - weekday) % 7
    diff_fwd = (weekday - ref.isoweekday()) % 7
    if rel in {"last", "past", "this past"}:
        return ref - timedelta(days=diff_back or 7)
    if rel in {"next", "coming", "this coming"}:
        return ref + timedelta(days=diff_fwd or 7)
    if rel == "this":
        return ref + timedelta(days=weekday - ref.isoweekday())
    if when == "future":
        return ref + timedelta(days=diff_fwd)
    return ref - timedelta(days=diff_back)


def _rel(groups: dict, key: str = "rel") -> str:
    return " ".join((groups.get(key) or "").lower().split())


def _relative(ctx: Context, make: Callable[[date], str], underspecified: str, typ: str = "DATE") -> Resolved:
    if ctx.ref is None:
        return Resolved(typ, underspecified, UNRESOLVED)
    return Resolved(typ, make(ctx.ref), ctx.anchor.label)


def _anaphoric(ctx: Context, make: Callable[[date], str], underspecified: str, typ: str = "DATE") -> Resolved:
    """Against the last date of the narrative, else the reference day."""
    if ctx.anchor.last is not None:
        return Resolved(typ, make(ctx.anchor.last[0]), TIMEX)
    return _relative(ctx, make, underspecified, typ)


def _year(text: str, ref: date | None = None) -> int:
    digits = re.sub(r"\D", "", text)
    if len(digits) == 2:  # '98, FY25: the century that keeps it near the reference
        pivot = (ref.year if ref else 2000) % 100 + 10
        return (2000 if int(digits) <= pivot else 1900) + int(digits)
    return int(digits)


# --- rules ------------------------------------------------------------------------------------------------
def full_date(g: dict, ctx: Context) -> Resolved | None:
    d = date(_year(g["year"], ctx.ref), month_number(g["month"]), day_number(g["day"]))
    return Resolved("DATE", d.isoformat(), ABSOLUTE)


def iso_date(g: dict, ctx: Context) -> Resolved | None:
    day = date(int(g["year"]), int(g["month"]), int(g["day"])).isoformat()
    if g.get("hh"):  # an ISO 8601 timestamp: its clock time as written
        return Resolved("TIME", f"{day}T{g['hh']}:{g['mm']}", ABSOLUTE)
    return Resolved("DATE", day, ABSOLUTE)


def numeric_date(g: dict, ctx: Context) -> Resolved | None:
    # Month first (US wire convention) unless the first number cannot be a month.
    a, b = int(g["a"]), int(g["b"])
    month, day = (b, a) if a > 12 else (a, b)
    d = date(_year(g["year"], ctx.ref), month, day)
    return Resolved("DATE", d.isoformat(), ABSOLUTE)


def month_day(g: dict, ctx: Context) -> Resolved | None:
    month, day = month_number(g["month"]), day_number(g["day"])
    date(2000, month, day)  # raises on 31 April
    if ctx.ref is None:
        return Resolved("DATE", f"XXXX-{month:02d}-{day:02d}", UNRESOLVED)
    if g.get("yrel"):  # "1 January next year"
        year = ctx.ref.year + {"this": 0, "last": -1, "next": 1}[_rel(g, "yrel")]
    else:
        year = infer_year(ctx.ref, month, day, ctx.tense())
    if month == 2 and day == 29 and year % 4:
        return None
    return Resolved("DATE", date(year, month, day).isoformat(), ctx.anchor.label)


def month_year(g: dict, ctx: Context) -> Resolved | None:
    return Resolved("DATE", month_value(_year(g["year"]), month_number(g["month"])), ABSOLUTE)


_MONTH_CONTEXT = re.compile(
    r"(?i:\b(?:in|since|until|till|by|of|from|through|to|before|after|during|between|and|or|early|late|"
    r"mid|last|next|this|end|each|every)\s*-?\s*)$"
)
_AMBIGUOUS_MONTHS = {"may", "march", "august"}
_DEADLINE_BEFORE = re.compile(r"(?i:\b(?:until|till|through|by|before|effective|starting|beginning)\s+)$")


def month_rel(g: dict, ctx: Context) -> Resolved | None:
    month = month_number(g["month"])
    rel = _rel(g)
    if not rel and not g.get("mod"):
        # "May" the verb, "April Smith" the person: a bare month needs a preposition before it.
        prep = _MONTH_CONTEXT.search(ctx.before(16))
        if g["month"].lower() in _AMBIGUOUS_MONTHS and not prep:
            return None
        if not prep and re.match(r"\s+[A-Z][a-z]", ctx.after(3)):
            return None

    def make(ref: date) -> str:
        if g.get("yrel"):  # "June last year"
            year = ref.year + {"this": 0, "last": -1, "next": 1}[_rel(g, "yrel")]
        elif rel in {"last", "past", "this past"}:
            year = ref.year - 1 if month >= ref.month else ref.year
        elif rel in {"next", "coming", "this coming"}:
            year = ref.year + 1 if month <= ref.month else ref.year
        elif rel == "this":
            year = ref.year
        else:
            # A month told in the past tense that begins over a month ahead is last year's ("changed its
            # fiscal year in December", said in October), unless it is a deadline ("until December").
            deadline = _DEADLINE_BEFORE.search(ctx.before(16))
            year = infer_year(ref, month, None, ctx.tense(), slack=2 if deadline else 1)
        return month_value(year, month)

    return _relative(ctx, make, f"XXXX-{month:02d}")


def clock_time(g: dict, ctx: Context) -> Resolved | None:
    if g.get("noon"):
        word = g["noon"].lower()
        hh, mm = (24, 0) if word == "midnight" else (12, 0)
    elif g.get("hhmm"):
        hh, mm = int(g["hhmm"][:2]), int(g["hhmm"][2:])
    elif g.get("h24") is not None:
        hh, mm = int(g["h24"]), int(g["mi24"])
    else:
        hh, mm = int(g["h"]), int(g.get("mi") or 0)
        pm = g["ap"].lower().startswith("p")
        hh = (hh % 12) + (12 if pm else 0)
    clock = f"T{hh:02d}:{mm:02d}"
    day_text = g.get("pre") or g.get("sfx")
    day = resolve_text(day_text, ctx) if day_text else None
    day_part = re.match(r"\d{4}-\d\d-\d\d|XXXX-XX-XX|XXXX-WXX-\d", day.value) if day else None
    if day is not None and day_part:
        return Resolved("TIME", day_part[0] + clock, day.anchor)
    if ctx.near_day is not None:
        return Resolved("TIME", ctx.near_day[0].isoformat() + clock, ctx.near_day[1])
    return _relative(ctx, lambda ref: ref.isoformat() + clock, "XXXX-XX-XX" + clock, "TIME")


_DECADE_WORDS = {
    w: i
    for i, w in enumerate(
        ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"],
        start=2,
    )
}


def decade(g: dict, ctx: Context) -> Resolved | None:
    # TimeML 1.2.1 writes a decade as its first three digits: "the 1990s" -> 199.
    if g.get("dec"):
        return Resolved("DATE", g["dec"][:3], ABSOLUTE)
    if g.get("decw"):
        return Resolved("DATE", f"19{_DECADE_WORDS[g['decw'].lower()]}", ABSOLUTE)
    tens = int(g["dec2"][0])
    ref_year = ctx.ref.year if ctx.ref else 2000
    century = 20 if 2000 + tens * 10 <= ref_year else 19
    return Resolved("DATE", f"{century}{tens}", ABSOLUTE)


def century(g: dict, ctx: Context) -> Resolved | None:
    n = int(g["cent"])
    return Resolved("DATE", f"{n - 1:02d}", ABSOLUTE) if 1 <= n <= 21 else None


_ORDINAL = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
}


def quarter(g: dict, ctx: Context) -> Resolved | None:
    q = int(g["qq"][1]) if g.get("qq") else int(g["qq2"][1]) if g.get("qq2") else _ORDINAL[g["q"].lower()]
    explicit = g.get("year1") or g.get("year2") or g.get("year3") or g.get("year4") or g.get("yy")
    if explicit:
        return Resolved("DATE", f"{_year(explicit, ctx.ref):04d}-Q{q}", ABSOLUTE)
    if g.get("ago"):  # "the year-ago third quarter": a comparison, a year before the one being reported
        found = quarter({**g, "ago": None}, ctx)
        if found is None or not found.value[:4].isdigit():
            return found
        return Resolved("DATE", f"{int(found.value[:4]) - 1:04d}-Q{q}", found.anchor, narrative=False)
    rel, yrel = _rel(g), _rel(g, "yrel")
    fiscal = "fiscal" in ctx.body[ctx.cand.start : ctx.cand.end].lower()
    if g.get("q") and not (rel or yrel or fiscal or _calendar_context(ctx)):
        return None  # "trailed in the fourth quarter": a quarter of a game

    def make(ref: date) -> str:
        ref_q = quarter_of(ref)
        if yrel:
            year = ref.year + {"this": 0, "last": -1, "next": 1}[yrel]
        elif rel in {"last", "previous", "past", "latest"}:
            year = ref.year - 1 if q >= ref_q else ref.year
        elif rel == "next":
            year = ref.year + 1 if q <= ref_q else ref.year
        elif rel in {"this", "current", "same"}:
            year = ref.year
        else:
            # Quarters are named within the reference year (results for the first quarter, outlook for
            # the fourth), except one not yet begun in past-tense reporting, or one long over in future
            # context (the quarter just ended is still the one being reported).
            when, ref_q = ctx.tense(), quarter_of(ref)
            year = ref.year - (q > ref_q and when == "past") + (q < ref_q - 1 and when == "future")
        return f"{year:04d}-Q{q}"

    return _relative(ctx, make, f"XXXX-Q{q}")


_PERIOD_CONTEXT = re.compile(
    r"(?i:\b(?:" + "|".join(sorted(vocab.words("period_context"), key=len, reverse=True)) + r")\b|\d%|[$€£])"
)


def _calendar_context(ctx: Context, reach: int = 200) -> bool:
    """Business or calendar words around a bare quarter or half: "sales in the fourth quarter"."""
    return bool(_PERIOD_CONTEXT.search(ctx.body, max(0, ctx.cand.start - reach), ctx.cand.end + reach))


def half(g: dict, ctx: Context) -> Resolved | None:
    h = 1 if (g.get("h") or g["hb"]).lower() in {"first", "1st"} else 2
    if g.get("year"):
        return Resolved("DATE", f"{int(g['year']):04d}-H{h}", ABSOLUTE)
    if g.get("hb"):
        if not _calendar_context(ctx):
            return None  # "scored in the first half": a half of a game
        # "the first half": of the year the narrative is in, else of the reference year
        # (the one just ended when a second half is reported before it began).
        if ctx.anchor.last is not None:
            return Resolved("DATE", f"{ctx.anchor.last[0].year:04d}-H{h}", TIMEX)
        back = h == 2 and ctx.ref is not None and ctx.ref.month <= 6 and ctx.tense() == "past"
        return _relative(ctx, lambda ref: f"{ref.year - back:04d}-H{h}", f"XXXX-H{h}")
    offset = {"this": 0, "the": 0, "last": -1, "next": 1}[_rel(g)]
    return _relative(ctx, lambda ref: f"{ref.year + offset:04d}-H{h}", f"XXXX-H{h}")


def year_end(g: dict, ctx: Context) -> Resolved | None:
    """ "year-end", "the end of the year", "the start of this month": the unit they sit in (TimeML puts
    the part in `mod`, START/END, and keeps the value of the whole unit)."""
    if g.get("year"):
        return Resolved("DATE", f"{int(g['year']):04d}", ABSOLUTE)
    if g.get("ye"):
        # "since year-end" looks back to the last one; otherwise the coming one ("by year-end").
        back = bool(re.search(r"(?i:\bsince\s+(?:the\s+)?)$", ctx.before(12)))
        return _relative(ctx, lambda ref: f"{ref.year - back:04d}", "XXXX")
    if g.get("inthe"):  # "earlier in the year": the unit the narrative is in
        code = unit_code(g["unit2"])
        return _anaphoric(ctx, lambda d: value_at(d, code), _UNDERSPECIFIED[code])
    code = unit_code(g["unit"])
    return _relative(ctx, lambda ref: value_at(ref, code), _UNDERSPECIFIED[code])


_SEASONS = ["SP", "SU", "FA", "WI"]  # in the order of a season year: winter Y runs Dec Y to Feb Y+1


def _season_index(d: date) -> tuple[int, int]:
    """(year the season is named by, index in _SEASONS); Jan/Feb belong to the previous year's winter."""
    index = ((d.month - 3) % 12) // 3
    return (d.year - 1 if d.month <= 2 else d.year), index


def _season_shift(ahead: int, when: Tense) -> int:
    """Years to add to the reference's season year: the nearest occurrence of the season ("the spring"
    said in February is the coming one), then the other way if the tense says so."""
    shift = 0
    if ahead > 2:
        shift, ahead = -1, ahead - 4
    elif ahead < -2:
        shift, ahead = 1, ahead + 4
    if when == "future" and ahead < 0:
        shift += 1
    elif when == "past" and ahead > 0:
        shift -= 1
    return shift


def season(g: dict, ctx: Context) -> Resolved | None:
    code = vocab.lookup("season", g["season"])
    det = _rel(g, "det")
    if g.get("year") or g.get("syear"):
        year = int(g["year"]) if g.get("year") else _spelled_year_number(g["syear"])
        return Resolved("DATE", f"{year:04d}-{code}", ABSOLUTE)
    word = g["season"].lower()
    if g["season"][0].isupper() and re.match(r"\s+[A-Z]", ctx.after(3)):
        return None  # "the Summer Olympics", "Spring Street": part of a name
    if word in {"fall", "spring"} and ((not det and not g.get("mod")) or re.match(r"\s+of\b", ctx.after(4))):
        return None  # the verb, the noun ("the fall of Kabul")
    target = _SEASONS.index(code)
    if det == "that":  # "that summer": the one of the year the story is in
        return _anaphoric(ctx, lambda d: f"{d.year:04d}-{code}", f"XXXX-{code}")

    def make(ref: date) -> str:
        year, now = _season_index(ref)
        if det in {"last", "past", "this past"}:
            year -= target >= now
        elif det in {"next", "coming", "this coming"}:
            year += target <= now
        elif det != "this":
            year += _season_shift(target - now, ctx.tense())
        return f"{year:04d}-{code}"

    return _relative(ctx, make, f"XXXX-{code}")


_COUNT_NOUN = re.compile(
    r"\s+(?:" + "|".join(sorted(vocab.words("count_noun"), key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def year(g: dict, ctx: Context) -> Resolved | None:
    if _COUNT_NOUN.match(ctx.after(16)):
        return None  # "2020 votes": a count
    return Resolved("DATE", f"{_year(g['year']):04d}", ABSOLUTE)


_SPLIT_CONTEXT = re.compile(
    r"(?i:\b(?:" + "|".join(sorted(vocab.words("split_year_context"), key=len, reverse=True)) + r")\b)"
)


def split_year(g: dict, ctx: Context) -> Resolved | None:
    """ "fiscal 2008-09", "the 2008-09 season": one year across two, named by the year it ends in as
    fiscal years are (FY2009); any other span ("the 1990-91 recession", "1990-95") by its first year."""
    first, second = int(g["y1"]), int(g["y2"])
    around = ctx.before(12) + ctx.body[ctx.cand.start : ctx.cand.end] + ctx.after(16)
    one_year = second == (first + 1) % 100 and _SPLIT_CONTEXT.search(around)
    return Resolved("DATE", f"{first + 1 if one_year else first:04d}", ABSOLUTE)


def fiscal_year(g: dict, ctx: Context) -> Resolved | None:
    return Resolved("DATE", f"{_year(g['yy'], ctx.ref):04d}", ABSOLUTE)


def spelled_year(g: dict, ctx: Context) -> Resolved | None:
    value = _spelled_year_number(g["sy"])
    if g.get("month"):
        return Resolved("DATE", month_value(value, month_number(g["month"])), ABSOLUTE)
    return Resolved("DATE", f"{value:04d}", ABSOLUTE)


def _spelled_year_number(text: str) -> int:
    """ "nineteen ninety-six" -> 1996, "two thousand and one" -> 2001."""
    words = re.split(r"[\s-]+", " ".join(text.lower().split()).replace("the year ", ""))
    words = [w for w in words if w not in {"and", "the", "year"}]
    if words[:2] == ["two", "thousand"]:
        value = 2000 + int(sum(_TENS.get(w, 0) for w in words[2:]))
    else:
        head = _TENS[words[0]] * 100
        rest = [w for w in words[1:] if w != "oh"]
        value = head if rest == ["hundred"] else head + int(sum(_TENS.get(w, 0) for w in rest))
    return value


_POD = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "overnight": "NI",
}


def _with_pod(day: Callable[[date], date], pod: str | None) -> tuple[str, Callable[[date], str]]:
    if pod:
        return "TIME", lambda ref: day(ref).isoformat() + "T" + _POD[pod.lower()]
    return "DATE", lambda ref: day(ref).isoformat()


def deictic_day(g: dict, ctx: Context) -> Resolved | None:
    offset = int(vocab.lookup("deictic_day", g["dd"]) or 0)
    typ, make = _with_pod(lambda ref: ref + timedelta(days=offset), g.get("pod"))
    pod = f"T{_POD[g['pod'].lower()]}" if g.get("pod") else ""
    return _relative(ctx, make, "XXXX-XX-XX" + pod, typ)


def pod_of(g: dict, ctx: Context) -> Resolved | None:
    """ "the night of June 3": that part of the named day."""
    day = resolve_text(g["day"], ctx)
    if day is None or not re.fullmatch(r"\d{4}-\d\d-\d\d|XXXX-[\dX]{2}-\d\d|XXXX-WXX-\d", day.value):
        return None
    return Resolved("TIME", f"{day.value}T{_POD[g['pod'].lower()]}", day.anchor)


def week_of(g: dict, ctx: Context) -> Resolved | None:
    """ "the week of March 9": the ISO week holding that day (its weekend for "the weekend of")."""
    day = resolve_text(g["day"], ctx)
    if day is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", day.value):
        return None
    week = week_value(date.fromisoformat(day.value))
    return Resolved("DATE", week + ("-WE" if g["unit"].lower() == "weekend" else ""), day.anchor)


def nth_day(g: dict, ctx: Context) -> Resolved | None:
    """ "the third day of talks": the day being told, else the reference day."""
    last = ctx.anchor.last
    if last is not None and last[1] == "D":
        return Resolved("DATE", last[0].isoformat(), TIMEX, narrative=False)
    return _relative(ctx, lambda ref: ref.isoformat(), "XXXX-XX-XX")


def tonight(g: dict, ctx: Context) -> Resolved | None:
    # "overnight" in a report is the night before it; "tonight" the coming one.
    back = g["pod"].lower() == "overnight" and ctx.tense() != "future"
    last = ctx.anchor.last
    if back and last is not None and last[1] == "D":  # the night before the day being told
        return Resolved("TIME", (last[0] - timedelta(days=1)).isoformat() + "TNI", TIMEX)
    return _relative(
        ctx, lambda ref: (ref - timedelta(days=back)).isoformat() + "TNI", "XXXX-XX-XXTNI", "TIME"
    )


def pod_day(g: dict, ctx: Context) -> Resolved | None:
    """ "mid-afternoon yesterday", "late evening": a part of the named day, else of the narrative day."""
    code = _POD[g["pod"].lower()]
    if g.get("day"):
        day = resolve_text(g["day"], ctx)
        if day is None or not re.match(r"\d{4}-\d\d-\d\d$|XXXX-", day.value):
            return None
        return Resolved("TIME", f"{day.value}T{code}", day.anchor)
    last = ctx.anchor.last
    if last is not None and last[1] == "D":
        return Resolved("TIME", f"{last[0].isoformat()}T{code}", TIMEX)
    return _relative(ctx, lambda ref: f"{ref.isoformat()}T{code}", f"XXXX-XX-XXT{code}", "TIME")


def pod_rel(g: dict, ctx: Context) -> Resolved | None:
    pod, rel = g["pod"].lower(), _rel(g)
    code = _POD[pod]
    if rel == "that":
        return _anaphoric(ctx, lambda d: d.isoformat() + "T" + code, "XXXX-XX-XXT" + code, "TIME")
    offset = -1 if rel == "last" else 0
    return _relative(
        ctx, lambda ref: (ref + timedelta(days=offset)).isoformat() + "T" + code, "XXXX-XX-XXT" + code, "TIME"
    )


def weekday(g: dict, ctx: Context) -> Resolved | None:
    wd, rel = weekday_number(g["wd"]), _rel(g)
    when = ctx.tense() if not rel else "none"
    typ, make = _with_pod(lambda ref: weekday_date(ref, wd, rel, when), g.get("pod"))
    pod = f"T{_POD[g['pod'].lower()]}" if g.get("pod") else ""
    return _relative(ctx, make, f"XXXX-WXX-{wd}" + pod, typ)


_ANAPHORIC_OFFSET = {
    "the next": 1,
    "the following": 1,
    "the previous": -1,
    "the preceding": -1,
    "the prior": -1,
    "the same": 0,
    "that": 0,
}


def anaphoric(g: dict, ctx: Context) -> Resolved | None:
    if g.get("wd"):
        return _anaphoric_weekday(weekday_number(g["wd"]), _ANAPHORIC_OFFSET[_rel(g)], ctx)
    offset, unit = _ANAPHORIC_OFFSET[_rel(g)], g["unit"].lower()
    if unit in _POD:
        code = _POD[unit]
        return _anaphoric(
            ctx, lambda d: (d + timedelta(days=offset)).isoformat() + "T" + code, "XXXX-XX-XXT" + code, "TIME"
        )
    if unit == "weekend":
        return _anaphoric(ctx, lambda d: week_value(shift(d, "W", offset)) + "-WE", "XXXX-WXX-WE")
    code = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}[unit]
    return _anaphoric(ctx, lambda d: value_at(shift(d, code, offset), code), _UNDERSPECIFIED[code])


def _anaphoric_weekday(wd: int, offset: int, ctx: Context) -> Resolved:
    """ "the previous Friday": the one before the narrative date; "the following Monday" the one after."""

    def make(d: date) -> str:
        if offset < 0:
            return (d - timedelta(days=(d.isoweekday() - wd) % 7 or 7)).isoformat()
        if offset > 0:
            return (d + timedelta(days=(wd - d.isoweekday()) % 7 or 7)).isoformat()
        return (d + timedelta(days=wd - d.isoweekday())).isoformat()

    return _anaphoric(ctx, make, f"XXXX-WXX-{wd}")


_UNDERSPECIFIED = {
    "D": "XXXX-XX-XX",
    "W": "XXXX-WXX",
    "M": "XXXX-XX",
    "Q": "XXXX-QX",
    "Y": "XXXX",
    "DE": "XXX",
    "CE": "XX",
}
_BACK = {"last", "the last", "past", "the past", "previous", "the previous", "the latest", "the most recent"}
_AHEAD = {"next", "coming", "the coming"}


def unit_rel(g: dict, ctx: Context) -> Resolved | None:
    rel, unit = _rel(g), g["unit"].lower()
    if rel in {"past", "the coming"} and not g.get("mod"):
        # "over the past week" is a stretch of time, "last week" a calendar week.
        code = unit_code(unit)
        return Resolved(
            "DURATION", duration_value(3 if code == "Q" else 1, "M" if code == "Q" else code), ABSOLUTE
        )
    offset = -1 if rel in _BACK else 1 if rel in _AHEAD else 0
    if unit == "weekend":
        return _relative(ctx, lambda ref: week_value(shift(ref, "W", offset)) + "-WE", "XXXX-WXX-WE")
    code = unit_code(unit)
    return _relative(ctx, lambda ref: value_at(shift(ref, code, offset), code), _UNDERSPECIFIED[code])


def ago(g: dict, ctx: Context) -> Resolved | None:
    direction = " ".join(g["dir"].lower().split())
    forward = direction in {"later", "from now", "hence"}
    n = number(g.get("n")) if g.get("n") else None
    code = unit_code(g["unit"])
    if n is None or n != int(n) or code in {"H", "MIN", "S", "2W", "ML"}:
        if code in {"H", "MIN", "S"} and n is not None:
            return None
        return _relative(
            ctx, lambda ref: "FUTURE_REF" if forward else "PAST_REF", "FUTURE_REF" if forward else "PAST_REF"
        )
    steps = int(n) if forward else -int(n)

    def make(d: date) -> str:
        return value_at(shift(d, code, steps), code)

    quarter = _context_quarter(ctx)
    if code == "Y" and steps == -1 and _period_context(ctx):
        return _year_before_period(ctx)
    if code == "Y" and quarter is not None:
        # "profit rose in the third quarter from a year ago": the same quarter, a year back.
        return Resolved("DATE", value_at(shift(quarter, "Y", steps), "Q"), TIMEX, narrative=False)
    found = (
        _anaphoric(ctx, make, _UNDERSPECIFIED[code])
        if direction in {"earlier", "later"}
        else _relative(ctx, make, _UNDERSPECIFIED[code])
    )
    if code in {"Y", "Q"}:  # "a year earlier" compares; the narrative stays where it was
        return Resolved(found.type, found.value, found.anchor, narrative=False)
    return found


# Characters: a quarter named this close is what "a year ago" compares with, even after other dates
# ("the quarter ended Sept. 30 ... from $2 million a year ago").
_QUARTER_CONTEXT = 1000


def _context_quarter(ctx: Context) -> date | None:
    quarter = ctx.anchor.quarter
    if _period_context(ctx):
        return None
    if quarter is not None and ctx.cand.start - quarter[1] <= _QUARTER_CONTEXT:
        return quarter[0]
    return None


def _year_before_period(ctx: Context) -> Resolved:
    """The year before the one being reported: that of the reported quarter, else of the last one ended."""
    if ctx.anchor.quarter is not None:
        return Resolved("DATE", f"{ctx.anchor.quarter[0].year - 1:04d}", TIMEX, narrative=False)
    found = _relative(ctx, lambda ref: value_at(shift(shift(ref, "Q", -1), "Y", -1), "Y"), "XXXX")
    return Resolved(found.type, found.value, found.anchor, narrative=False)


def _period_context(ctx: Context) -> bool:
    """A longer period ("for the nine months") named since the last quarter: comparisons are with it."""
    end, quarter = ctx.anchor.period_end, ctx.anchor.quarter
    if end < 0 or ctx.cand.start - end > _QUARTER_CONTEXT:
        return False
    return quarter is None or end > quarter[1]


def quarter_ref(g: dict, ctx: Context) -> Resolved | None:
    """Earnings-report quarters: "the quarter", "the latest quarter", "the year-earlier period"."""
    which = _rel(g, "which")
    ago = g.get("ago") or g.get("ago2") or g.get("ago3")
    if g.get("year"):
        # "the 1988 period": that year's version of the quarter being reported, else the year.
        context = _context_quarter(ctx)
        if context is None:
            return Resolved("DATE", f"{int(g['year']):04d}", ABSOLUTE)
        return Resolved("DATE", f"{int(g['year']):04d}-Q{quarter_of(context)}", TIMEX, narrative=False)
    if (g.get("noun") or "").lower() == "period" and not (which or ago):
        return None  # "the period": too vague alone
    if not (ago or which in {"fiscal", "latest", "most recent"} or _calendar_context(ctx)):
        return None  # "a late rally in the quarter": a quarter of a game
    if which == "current":
        return _relative(ctx, lambda ref: value_at(ref, "Q"), "XXXX-QX")
    if ago and _period_context(ctx):  # "for the nine months ... the year-earlier results": the year before
        return _year_before_period(ctx)
    context = _context_quarter(ctx)
    back = -1 if ago else 0
    if context is not None:
        return Resolved("DATE", value_at(shift(context, "Y", back), "Q"), TIMEX, narrative=not back)
    # No quarter in the narrative: the last completed one, the one being reported.
    found = _relative(ctx, lambda ref: value_at(shift(shift(ref, "Q", -1), "Y", back), "Q"), "XXXX-QX")
    return Resolved(found.type, found.value, found.anchor, narrative=not back)


_ADJECTIVE_USE = re.compile(
    r"\s+(?!(?:in|on|at|by|for|from|to|and|or|but|since|until|with|as|the|a|an|than|through|over|during|"
    r"basis|since|after|before|is|are|was|were|until)\b)[a-z]"
)


def set_(g: dict, ctx: Context) -> Resolved | None:
    if g.get("adv"):
        if _ADJECTIVE_USE.match(ctx.after(24)):
            return None  # "quarterly dividend", "daily newspaper": a property of the noun, not a time
        return Resolved("SET", vocab.lookup("set_adverb", g["adv"]) or "P1D", ABSOLUTE)
    if g.get("wd") or g.get("wds"):
        pod = f"T{_POD[g['pods'].lower()[:-1]]}" if g.get("pods") else ""  # "Tuesday nights"
        return Resolved("SET", f"XXXX-WXX-{weekday_number(g.get('wd') or g['wds'])}{pod}", ABSOLUTE)
    if g.get("month"):
        return Resolved("SET", f"XXXX-{month_number(g['month']):02d}", ABSOLUTE)
    if g.get("season"):
        return Resolved("SET", f"XXXX-{vocab.lookup('season', g['season'])}", ABSOLUTE)
    if g.get("pod"):
        return Resolved("SET", f"XXXX-XX-XXT{_POD[g['pod'].lower()]}", ABSOLUTE)
    every = 2 if "other" in ctx.body[ctx.cand.start : ctx.cand.end].lower() else 1
    return Resolved("SET", duration_value(every, unit_code(g["unit"])), ABSOLUTE)


_IN_FUTURE = re.compile(r"(?i:\bin)\s+$")


def _in_future(n: float | None, code: str, ctx: Context) -> Resolved | None:
    """ "will be redeemed in five years": the point that far ahead (TimeML DATE), not a length of time."""
    if n is None or n != int(n) or code not in {"D", "W", "M", "Y"} or ctx.tense() != "future":
        return None
    return _relative(ctx, lambda ref: value_at(shift(ref, code, int(n)), code), _UNDERSPECIFIED[code])


_MODAL_BEFORE = re.compile(r"(?i:\b(?:will|would|could|might|may|can|should|must)\s+)$")
_AGE = re.compile(r"[\s-]+(?i:old|of\s+age)\b")


def duration(g: dict, ctx: Context) -> Resolved | None:
    code = unit_code(g["unit"])
    raw = g.get("n") or "several"  # "for years": an unknown amount
    n = number(raw)
    if raw.lower() in {"a", "an"} and code == "S" and not re.match(r"\s*[.,;:!?)]", ctx.after(2)):
        return None  # "a second term": the ordinal, not the unit
    if n is None and vocab.lookup("number", raw) != "X":
        return None  # a number the tables cannot read
    if n is not None and 1000 <= n <= 2100 and n == int(n) and not re.search(r"\d-", raw + ctx.after(1)):
        return None  # "the 1988 quarter": a year, not an amount
    if code == "Q" and n is not None and not g.get("rel") and re.match(r"\s+of\b", ctx.after(4)):
        return None  # "three-quarters of the vote", "a quarter of the staff": a fraction
    if _IN_FUTURE.search(ctx.before(4)) and not (g.get("rel") or g.get("n2")):
        found = _in_future(n, code, ctx)
        if found is not None:
            return found
    if raw.lower() == "one" and code == "D" and not g.get("rel") and _MODAL_BEFORE.search(ctx.before(12)):
        return _relative(ctx, lambda ref: "FUTURE_REF", "FUTURE_REF")  # "will one day be": some day
    if _AGE.match(ctx.after(12)):
        return None  # "52 years old": an age, not a time of events
    if n is not None and g.get("half"):
        n += 0.5  # "a minute and a half"
    if code in {"DE", "CE"} and n is not None:  # "two decades" = P20Y: ISO 8601 knows no decade unit
        n, code = n * (10 if code == "DE" else 100), "Y"
    if code == "ML":
        return Resolved(
            "DURATION", duration_value(None, code) if n is None else f"P{int(n * 1000)}Y", ABSOLUTE
        )
    if code == "Q" and n is not None:  # ISO 8601 durations have no quarter unit
        return Resolved("DURATION", duration_value(n * 3, "M"), ABSOLUTE)
    return Resolved("DURATION", duration_value(n, code), ABSOLUTE)


def vague_duration(g: dict, ctx: Context) -> Resolved | None:
    return Resolved("DURATION", vocab.lookup("vague_duration", g["vague"]) or "PXX", ABSOLUTE)


def ref_unit(g: dict, ctx: Context) -> Resolved | None:
    rel = _rel(g)
    unit = vocab.lookup("ref_unit_duration", g["unit"].lower().rstrip("s"))
    if unit and rel in {"recent", "ahead"} and " and " not in g["unit"] + ctx.after(5):
        return Resolved("DURATION", f"PX{unit}", ABSOLUTE)  # "recent months", "the weeks ahead"
    value = "FUTURE_REF" if rel in {"coming", "the coming", "future", "ahead", "to come"} else "PAST_REF"
    return _relative(ctx, lambda ref: value, value)


_AMOUNT_AFTER = re.compile(
    r"\s+(?:\d|(?i:one|two|three|four|five|six|seven|eight|nine|ten|few|several|many)\b)"
)


_AS_SOON_AS = re.compile(r"(?i:\bas)\s+$")


def ref_word(g: dict, ctx: Context) -> Resolved | None:
    word = g["ref"]
    if word.lower() in {"earlier", "later"}:
        value = "PAST_REF" if word.lower() == "earlier" else "FUTURE_REF"
    else:
        value = vocab.lookup("ref_word", word) or "PRESENT_REF"
    if word.lower() == "the past" and _AMOUNT_AFTER.match(ctx.after(16)):
        return None  # "the past three summers": the amount belongs to another expression
    if word.lower() == "soon" and re.match(r"\s+(?:after|afterwards|thereafter)\b", ctx.after(16)):
        return None
    if word.lower() == "soon" and _AS_SOON_AS.search(ctx.before(4)) and re.match(r"\s+as\b", ctx.after(4)):
        return None  # "as soon as trading opened": a conjunction, which TimeML leaves to the SIGNAL tag
    return _relative(ctx, lambda ref: value, value)


HANDLERS: dict[str, Handler] = {
    "date_mdy": full_date,
    "date_dmy": full_date,
    "date_iso": iso_date,
    "date_numeric": numeric_date,
    "month_day": month_day,
    "day_month": month_day,
    "month_year": month_year,
    "time": clock_time,
    "decade": decade,
    "century": century,
    "quarter": quarter,
    "half": half,
    "season": season,
    "year": year,
    "split_year": split_year,
    "year_fy": fiscal_year,
    "month_rel": month_rel,
    "deictic_day": deictic_day,
    "tonight": tonight,
    "nth_day": nth_day,
    "week_of": week_of,
    "pod_of": pod_of,
    "pod_rel": pod_rel,
    "weekday": weekday,
    "anaphoric": anaphoric,
    "unit_rel": unit_rel,
    "ago": ago,
    "quarter_ref": quarter_ref,
    "set": set_,
    "duration": duration,
    "ref_unit": ref_unit,
    "vague_duration": vague_duration,
    "year_ended": lambda g, ctx: Resolved("DURATION", "P1Y", ABSOLUTE),
    "year_end": year_end,
    "pod_day": pod_day,
    "unit_phrase": lambda g, ctx: _unit_phrase(g, ctx),
    "ref": ref_word,
    "spelled_year": spelled_year,
}


# A capitalised unit inside a relative phrase makes it a title: ABC's "This Week", "Good Morning America".
_TITLE_UNIT = re.compile(r"\s(?:Week|Weekend|Month|Year|Day|Morning|Afternoon|Evening|Night|Quarter)\b")
_TITLE_RULES = {"unit_rel", "pod_rel", "anaphoric", "deictic_day", "weekday", "unit_phrase"}


def resolve(cand: Candidate, ctx: Context) -> Resolved | None:
    """The TIMEX3 reading of one candidate, or None when the rule's guards reject it."""
    handler = HANDLERS.get(cand.rule)
    if handler is None:
        return None
    if cand.rule in _TITLE_RULES:
        text = ctx.body[cand.start : cand.end]
        if _TITLE_UNIT.search(text) and not text.isupper():
            return None
    try:
        return handler(cand.groups, ctx)
    except (ValueError, KeyError, OverflowError, IndexError):
        return None  # an impossible date (31 April), a word outside the tables


def _unit_phrase(g: dict, ctx: Context) -> Resolved | None:
    from transforms.temporal.spans import unit_phrase  # spans builds on this module

    return unit_phrase(g, ctx)


def resolve_text(text: str, ctx: Context) -> Resolved | None:
    """Resolve a day reference inside a larger match ("noon Thursday") with the article's context."""
    from transforms.temporal.find import find_candidates

    found = find_candidates(text)
    if not found:
        return None
    inner = Candidate(ctx.cand.start, ctx.cand.end, found[0].rule, found[0].groups)
    return resolve(inner, Context(ctx.body, inner, ctx.anchor))
