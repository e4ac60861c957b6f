"""Rules that read a date or a time: calendar dates, clock times, weekdays, parts of the day,
months, quarters, seasons, years, and references relative to the publication day or the narrative."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from transforms.temporal import vocab
from transforms.temporal.anchor import Tense
from transforms.temporal.context import (
    ABSOLUTE,
    POD,
    TENS,
    TIMEX,
    UNDERSPECIFIED,
    UNRESOLVED,
    Context,
    Resolved,
    against_narrative,
    against_ref,
    day_number,
    infer_year,
    month_number,
    number,
    rel_words,
    unit_code,
    weekday_date,
    weekday_number,
    year_number,
)
from transforms.temporal.normalise import duration_value, month_value, quarter_of, shift, value_at, week_value


def full_date(g: dict, ctx: Context) -> Resolved | None:
    d = date(year_number(g["year"], ctx.ref), month_number(g["month"]), day_number(g["day"]))
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
    d = date(year_number(g["year"], ctx.ref), month, day)
    return Resolved("DATE", d.isoformat(), ABSOLUTE)


def month_day(g: dict, ctx: Context) -> Resolved | None:
    month, day = month_number(g["month"]), day_number(g["day"])
    date(2000, month, day)  # raises on 31 April
    if ctx.ref is None:
        return Resolved("DATE", f"XXXX-{month:02d}-{day:02d}", UNRESOLVED)
    if g.get("yrel"):  # "1 January next year"
        year = ctx.ref.year + {"this": 0, "last": -1, "next": 1}[rel_words(g, "yrel")]
    else:
        year = infer_year(ctx.ref, month, day, ctx.tense())
    if month == 2 and day == 29 and year % 4:
        return None
    return Resolved("DATE", date(year, month, day).isoformat(), ctx.anchor.label)


def month_year(g: dict, ctx: Context) -> Resolved | None:
    return Resolved("DATE", month_value(year_number(g["year"]), month_number(g["month"])), ABSOLUTE)


_MONTH_CONTEXT = re.compile(
    r"(?i:\b(?:in|since|until|till|by|of|from|through|to|before|after|during|between|and|or|early|late|"
    r"mid|last|next|this|end|each|every)\s*-?\s*)$"
)
_AMBIGUOUS_MONTHS = {"may", "march", "august"}
_DEADLINE_BEFORE = re.compile(r"(?i:\b(?:until|till|through|by|before|effective|starting|beginning)\s+)$")


def month_rel(g: dict, ctx: Context) -> Resolved | None:
    month = month_number(g["month"])
    rel = rel_words(g)
    if not rel and not g.get("mod"):
        # "May" the verb, "April Smith" the person: a bare month needs a preposition before it.
        prep = _MONTH_CONTEXT.search(ctx.before(16))
        if g["month"].lower() in _AMBIGUOUS_MONTHS and not prep:
            return None
        if not prep and re.match(r"\s+[A-Z][a-z]", ctx.after(3)):
            return None

    def make(ref: date) -> str:
        if g.get("yrel"):  # "June last year"
            year = ref.year + {"this": 0, "last": -1, "next": 1}[rel_words(g, "yrel")]
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

    return against_ref(ctx, make, f"XXXX-{month:02d}")


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
    day = ctx.resolve_inner(day_text) if day_text else None
    day_part = re.match(r"\d{4}-\d\d-\d\d|XXXX-XX-XX|XXXX-WXX-\d", day.value) if day else None
    if day is not None and day_part:
        return Resolved("TIME", day_part[0] + clock, day.anchor)
    if ctx.near_day is not None:
        return Resolved("TIME", ctx.near_day[0].isoformat() + clock, ctx.near_day[1])
    return against_ref(ctx, lambda ref: ref.isoformat() + clock, "XXXX-XX-XX" + clock, "TIME")


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
        return Resolved("DATE", f"{year_number(explicit, ctx.ref):04d}-Q{q}", ABSOLUTE)
    if g.get("ago"):  # "the year-ago third quarter": a comparison, a year before the one being reported
        found = quarter({**g, "ago": None}, ctx)
        if found is None or not found.value[:4].isdigit():
            return found
        return Resolved("DATE", f"{int(found.value[:4]) - 1:04d}-Q{q}", found.anchor, narrative=False)
    rel, yrel = rel_words(g), rel_words(g, "yrel")
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

    return against_ref(ctx, make, f"XXXX-Q{q}")


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
        return against_ref(ctx, lambda ref: f"{ref.year - back:04d}-H{h}", f"XXXX-H{h}")
    offset = {"this": 0, "the": 0, "last": -1, "next": 1}[rel_words(g)]
    return against_ref(ctx, lambda ref: f"{ref.year + offset:04d}-H{h}", f"XXXX-H{h}")


def year_end(g: dict, ctx: Context) -> Resolved | None:
    """ "year-end", "the end of the year", "the start of this month": the unit they sit in (TimeML puts
    the part in `mod`, START/END, and keeps the value of the whole unit)."""
    if g.get("year"):
        return Resolved("DATE", f"{int(g['year']):04d}", ABSOLUTE)
    if g.get("ye"):
        # "since year-end" looks back to the last one; otherwise the coming one ("by year-end").
        back = bool(re.search(r"(?i:\bsince\s+(?:the\s+)?)$", ctx.before(12)))
        return against_ref(ctx, lambda ref: f"{ref.year - back:04d}", "XXXX")
    if g.get("inthe"):  # "earlier in the year": the unit the narrative is in
        code = unit_code(g["unit2"])
        return against_narrative(ctx, lambda d: value_at(d, code), UNDERSPECIFIED[code])
    code = unit_code(g["unit"])
    return against_ref(ctx, lambda ref: value_at(ref, code), UNDERSPECIFIED[code])


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
    det = rel_words(g, "det")
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
        return against_narrative(ctx, lambda d: f"{d.year:04d}-{code}", f"XXXX-{code}")

    def make(ref: date) -> str:
        year, now = _season_index(ref)
        if det in {"last", "past", "this past"}:
            year -= target >= now
        elif det in {"next", "coming", "this coming"}:
            year += target <= now
        elif det != "this":
            year += _season_shift(target - now, ctx.tense())
        return f"{year:04d}-{code}"

    return against_ref(ctx, make, f"XXXX-{code}")


_COUNT_NOUN = re.compile(
    r"\s+(?:" + "|".join(sorted(vocab.words("count_noun"), key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def year(g: dict, ctx: Context) -> Resolved | None:
    if _COUNT_NOUN.match(ctx.after(16)):
        return None  # "2020 votes": a count
    return Resolved("DATE", f"{year_number(g['year']):04d}", ABSOLUTE)


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
    return Resolved("DATE", f"{year_number(g['yy'], ctx.ref):04d}", ABSOLUTE)


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
        value = 2000 + int(sum(TENS.get(w, 0) for w in words[2:]))
    else:
        head = TENS[words[0]] * 100
        rest = [w for w in words[1:] if w != "oh"]
        value = head if rest == ["hundred"] else head + int(sum(TENS.get(w, 0) for w in rest))
    return value


def _with_pod(day: Callable[[date], date], pod: str | None) -> tuple[str, Callable[[date], str]]:
    if pod:
        return "TIME", lambda ref: day(ref).isoformat() + "T" + POD[pod.lower()]
    return "DATE", lambda ref: day(ref).isoformat()


def deictic_day(g: dict, ctx: Context) -> Resolved | None:
    offset = int(vocab.lookup("deictic_day", g["dd"]) or 0)
    typ, make = _with_pod(lambda ref: ref + timedelta(days=offset), g.get("pod"))
    pod = f"T{POD[g['pod'].lower()]}" if g.get("pod") else ""
    return against_ref(ctx, make, "XXXX-XX-XX" + pod, typ)


def pod_of(g: dict, ctx: Context) -> Resolved | None:
    """ "the night of June 3": that part of the named day."""
    day = ctx.resolve_inner(g["day"])
    if day is None or not re.fullmatch(r"\d{4}-\d\d-\d\d|XXXX-[\dX]{2}-\d\d|XXXX-WXX-\d", day.value):
        return None
    return Resolved("TIME", f"{day.value}T{POD[g['pod'].lower()]}", day.anchor)


def week_of(g: dict, ctx: Context) -> Resolved | None:
    """ "the week of March 9": the ISO week holding that day (its weekend for "the weekend of")."""
    day = ctx.resolve_inner(g["day"])
    if day is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", day.value):
        return None
    week = week_value(date.fromisoformat(day.value))
    return Resolved("DATE", week + ("-WE" if g["unit"].lower() == "weekend" else ""), day.anchor)


def nth_day(g: dict, ctx: Context) -> Resolved | None:
    """ "the third day of talks": the day being told, else the reference day."""
    last = ctx.anchor.last
    if last is not None and last[1] == "D":
        return Resolved("DATE", last[0].isoformat(), TIMEX, narrative=False)
    return against_ref(ctx, lambda ref: ref.isoformat(), "XXXX-XX-XX")


def tonight(g: dict, ctx: Context) -> Resolved | None:
    # "overnight" in a report is the night before it; "tonight" the coming one.
    back = g["pod"].lower() == "overnight" and ctx.tense() != "future"
    last = ctx.anchor.last
    if back and last is not None and last[1] == "D":  # the night before the day being told
        return Resolved("TIME", (last[0] - timedelta(days=1)).isoformat() + "TNI", TIMEX)
    return against_ref(
        ctx, lambda ref: (ref - timedelta(days=back)).isoformat() + "TNI", "XXXX-XX-XXTNI", "TIME"
    )


def pod_day(g: dict, ctx: Context) -> Resolved | None:
    """ "mid-afternoon yesterday", "late evening": a part of the named day, else of the narrative day."""
    code = POD[g["pod"].lower()]
    if g.get("day"):
        day = ctx.resolve_inner(g["day"])
        if day is None or not re.match(r"\d{4}-\d\d-\d\d$|XXXX-", day.value):
            return None
        return Resolved("TIME", f"{day.value}T{code}", day.anchor)
    last = ctx.anchor.last
    if last is not None and last[1] == "D":
        return Resolved("TIME", f"{last[0].isoformat()}T{code}", TIMEX)
    return against_ref(ctx, lambda ref: f"{ref.isoformat()}T{code}", f"XXXX-XX-XXT{code}", "TIME")


def pod_rel(g: dict, ctx: Context) -> Resolved | None:
    pod, rel = g["pod"].lower(), rel_words(g)
    code = POD[pod]
    if rel == "that":
        return against_narrative(ctx, lambda d: d.isoformat() + "T" + code, "XXXX-XX-XXT" + code, "TIME")
    offset = -1 if rel == "last" else 0
    return against_ref(
        ctx, lambda ref: (ref + timedelta(days=offset)).isoformat() + "T" + code, "XXXX-XX-XXT" + code, "TIME"
    )


def weekday(g: dict, ctx: Context) -> Resolved | None:
    wd, rel = weekday_number(g["wd"]), rel_words(g)
    when = ctx.tense() if not rel else "none"
    typ, make = _with_pod(lambda ref: weekday_date(ref, wd, rel, when), g.get("pod"))
    pod = f"T{POD[g['pod'].lower()]}" if g.get("pod") else ""
    return against_ref(ctx, make, f"XXXX-WXX-{wd}" + pod, typ)


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
        return _anaphoric_weekday(weekday_number(g["wd"]), _ANAPHORIC_OFFSET[rel_words(g)], ctx)
    offset, unit = _ANAPHORIC_OFFSET[rel_words(g)], g["unit"].lower()
    if unit in POD:
        code = POD[unit]
        return against_narrative(
            ctx, lambda d: (d + timedelta(days=offset)).isoformat() + "T" + code, "XXXX-XX-XXT" + code, "TIME"
        )
    if unit == "weekend":
        return against_narrative(ctx, lambda d: week_value(shift(d, "W", offset)) + "-WE", "XXXX-WXX-WE")
    code = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}[unit]
    return against_narrative(ctx, lambda d: value_at(shift(d, code, offset), code), UNDERSPECIFIED[code])


def _anaphoric_weekday(wd: int, offset: int, ctx: Context) -> Resolved:
    """ "the previous Friday": the one before the narrative date; "the following Monday" the one after."""

    def make(d: date) -> str:
        if offset < 0:
            return (d - timedelta(days=(d.isoweekday() - wd) % 7 or 7)).isoformat()
        if offset > 0:
            return (d + timedelta(days=(wd - d.isoweekday()) % 7 or 7)).isoformat()
        return (d + timedelta(days=wd - d.isoweekday())).isoformat()

    return against_narrative(ctx, make, f"XXXX-WXX-{wd}")


_BACK = {"last", "the last", "past", "the past", "previous", "the previous", "the latest", "the most recent"}
_AHEAD = {"next", "coming", "the coming"}


def unit_rel(g: dict, ctx: Context) -> Resolved | None:
    rel, unit = rel_words(g), g["unit"].lower()
    if rel in {"past", "the coming"} and not g.get("mod"):
        # "over the past week" is a stretch of time, "last week" a calendar week.
        code = unit_code(unit)
        return Resolved(
            "DURATION", duration_value(3 if code == "Q" else 1, "M" if code == "Q" else code), ABSOLUTE
        )
    offset = -1 if rel in _BACK else 1 if rel in _AHEAD else 0
    if unit == "weekend":
        return against_ref(ctx, lambda ref: week_value(shift(ref, "W", offset)) + "-WE", "XXXX-WXX-WE")
    code = unit_code(unit)
    return against_ref(ctx, lambda ref: value_at(shift(ref, code, offset), code), UNDERSPECIFIED[code])


def ago(g: dict, ctx: Context) -> Resolved | None:
    direction = " ".join(g["dir"].lower().split())
    forward = direction in {"later", "from now", "hence"}
    n = number(g.get("n")) if g.get("n") else None
    code = unit_code(g["unit"])
    if n is None or n != int(n) or code in {"H", "MIN", "S", "2W", "ML"}:
        if code in {"H", "MIN", "S"} and n is not None:
            return None
        return against_ref(
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
        against_narrative(ctx, make, UNDERSPECIFIED[code])
        if direction in {"earlier", "later"}
        else against_ref(ctx, make, UNDERSPECIFIED[code])
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
    found = against_ref(ctx, lambda ref: value_at(shift(shift(ref, "Q", -1), "Y", -1), "Y"), "XXXX")
    return Resolved(found.type, found.value, found.anchor, narrative=False)


def _period_context(ctx: Context) -> bool:
    """A longer period ("for the nine months") named since the last quarter: comparisons are with it."""
    end, quarter = ctx.anchor.period_end, ctx.anchor.quarter
    if end < 0 or ctx.cand.start - end > _QUARTER_CONTEXT:
        return False
    return quarter is None or end > quarter[1]


def quarter_ref(g: dict, ctx: Context) -> Resolved | None:
    """Earnings-report quarters: "the quarter", "the latest quarter", "the year-earlier period"."""
    which = rel_words(g, "which")
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
        return against_ref(ctx, lambda ref: value_at(ref, "Q"), "XXXX-QX")
    if ago and _period_context(ctx):  # "for the nine months ... the year-earlier results": the year before
        return _year_before_period(ctx)
    context = _context_quarter(ctx)
    back = -1 if ago else 0
    if context is not None:
        return Resolved("DATE", value_at(shift(context, "Y", back), "Q"), TIMEX, narrative=not back)
    # No quarter in the narrative: the last completed one, the one being reported.
    found = against_ref(ctx, lambda ref: value_at(shift(shift(ref, "Q", -1), "Y", back), "Q"), "XXXX-QX")
    return Resolved(found.type, found.value, found.anchor, narrative=not back)


def ref_unit(g: dict, ctx: Context) -> Resolved | None:
    rel = rel_words(g)
    unit = vocab.lookup("ref_unit_duration", g["unit"].lower().rstrip("s"))
    if unit and rel in {"recent", "ahead"} and " and " not in g["unit"] + ctx.after(5):
        return Resolved("DURATION", f"PX{unit}", ABSOLUTE)  # "recent months", "the weeks ahead"
    value = "FUTURE_REF" if rel in {"coming", "the coming", "future", "ahead", "to come"} else "PAST_REF"
    return against_ref(ctx, lambda ref: value, value)


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
    return against_ref(ctx, lambda ref: value, value)
