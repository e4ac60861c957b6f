"""What a rule reads and returns: the article's context of a match, the resolved reading, and the
word values and reference-day arithmetic every rule shares.

Relative expressions resolve against the article's reference day (anchor = "publication" or
"estimated"); anaphoric ones ("the next day", "a year earlier") against the last date resolved in
the narrative (anchor = "timex"). Without a reference day, values stay underspecified
(XXXX-WXX-4) and the anchor is "unresolved"; a value fully given by its own text is "absolute".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from transforms.temporal import vocab
from transforms.temporal.anchor import Anchor, Tense, tense
from transforms.temporal.find import Candidate, find_candidates


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
    # The rule table (`resolve.resolve`), set by it: a rule reads a day inside its own match with it.
    dispatch: Callable[[Candidate, Context], Resolved | None] | None = None

    @property
    def ref(self) -> date | None:
        return self.anchor.ref

    def tense(self) -> Tense:
        return tense(self.body, self.cand.start, self.cand.end)

    def before(self, n: int = 14) -> str:
        return self.body[max(0, self.cand.start - n) : self.cand.start]

    def after(self, n: int = 14) -> str:
        return self.body[self.cand.end : self.cand.end + n]

    def resolve_inner(self, text: str) -> Resolved | None:
        """A day reference inside a larger match ("noon Thursday"), resolved with this article's context."""
        found = find_candidates(text)
        if not found or self.dispatch is None:
            return None
        inner = Candidate(self.cand.start, self.cand.end, found[0].rule, found[0].groups)
        return self.dispatch(inner, Context(self.body, inner, self.anchor, dispatch=self.dispatch))


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


TENS = {w: int(v) for w, v in vocab.table()["number"].items() if v.isdigit()}


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
    if len(parts) == 2 and parts[0] in TENS and parts[1] in TENS:
        return float(TENS[parts[0]] + TENS[parts[1]]) + half
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


def rel_words(groups: dict, key: str = "rel") -> str:
    return " ".join((groups.get(key) or "").lower().split())


def against_ref(
    ctx: Context, make: Callable[[date], str], underspecified: str, typ: str = "DATE"
) -> Resolved:
    if ctx.ref is None:
        return Resolved(typ, underspecified, UNRESOLVED)
    return Resolved(typ, make(ctx.ref), ctx.anchor.label)


def against_narrative(
    ctx: Context, make: Callable[[date], str], underspecified: str, typ: str = "DATE"
) -> Resolved:
    """Against the last date of the narrative, else the reference day."""
    if ctx.anchor.last is not None:
        return Resolved(typ, make(ctx.anchor.last[0]), TIMEX)
    return against_ref(ctx, make, underspecified, typ)


def year_number(text: str, ref: date | None = None) -> int:
    digits = re.sub(r"\D", "", text)
    if len(digits) == 2:  # '98, FY25: the century that keeps it near the reference
        pivot = (ref.year if ref else 2000) % 100 + 10
        return (2000 if int(digits) <= pivot else 1900) + int(digits)
    return int(digits)


POD = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "overnight": "NI",
}

UNDERSPECIFIED = {
    "D": "XXXX-XX-XX",
    "W": "XXXX-WXX",
    "M": "XXXX-XX",
    "Q": "XXXX-QX",
    "Y": "XXXX",
    "DE": "XXX",
    "CE": "XX",
}
