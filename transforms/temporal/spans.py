"""spaCy DATE/TIME spans the grammar missed.

Phrases like "the year" or "the weekend" are temporal only sometimes, so the
grammar leaves them out; when spaCy's NER also calls them DATE they are taken,
with the value of the calendar unit around the reference (or narrative) date.
Any other span the grammar cannot read is dropped: an expression without a
value helps no consumer of the table.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from transforms.temporal.context import ABSOLUTE, TIMEX, Context, Resolved, unit_code
from transforms.temporal.normalise import duration_value, value_at, week_value

_UNIT_PHRASE = re.compile(
    r"(?i:the\s+(?:(?P<which>full|fiscal|current|entire|whole|same)\s+)?"
    r"(?P<unit>year|month|week|weekend|day|morning|afternoon|evening|night))"
)
_BARE_UNITS = re.compile(
    r"(?i:(?:the\s+)?(?:(?:early|first|last|final|later|past)\s+)?"
    r"(?P<units>seconds|minutes|hours|days|weeks|months|years|decades|centuries))"
)
_POSSESSIVE = re.compile(r"(?:'s|’s)$")
_UNIT_CODE = {"year": "Y", "month": "M", "week": "W", "day": "D"}
_UNDERSPECIFIED = {
    "year": "XXXX",
    "month": "XXXX-XX",
    "week": "XXXX-WXX",
    "weekend": "XXXX-WXX-WE",
    "day": "XXXX-XX-XX",
}
_POD_CODE = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
# Whole-unit readers of the reference period: "for the full year" is this year whatever the narrative says.
_OF_REFERENCE = {"full", "fiscal", "current", "entire", "whole"}


def resolve_span(ctx: Context) -> Resolved | None:
    text = _POSSESSIVE.sub("", ctx.body[ctx.cand.start : ctx.cand.end])
    m = _UNIT_PHRASE.fullmatch(text)
    if m is not None:
        return unit_phrase(m.groupdict(), ctx)
    m = _BARE_UNITS.fullmatch(text)
    if m is not None:  # "days", "the early years": spaCy agrees it is time, of unknown length
        return Resolved("DURATION", duration_value(None, unit_code(m["units"])), ABSOLUTE)
    return None


def unit_phrase(g: dict, ctx: Context) -> Resolved | None:
    """ "the year", "the week", "the morning": the unit the narrative is in, else the one of the reference."""
    unit, which = g["unit"].lower(), (g.get("which") or "").lower()
    last = ctx.anchor.last
    if unit in _POD_CODE:
        code = _POD_CODE[unit]
        if last is not None and last[1] == "D":
            return Resolved("TIME", f"{last[0].isoformat()}T{code}", TIMEX, narrative=False)
        if ctx.ref is None:
            return Resolved("TIME", f"XXXX-XX-XXT{code}", "unresolved")
        return Resolved("TIME", f"{ctx.ref.isoformat()}T{code}", ctx.anchor.label)
    if last is not None and unit != "weekend" and which not in _OF_REFERENCE:
        # Derived from the narrative date: it must not coarsen it ("the week" after a day).
        return Resolved("DATE", value_at(last[0], _UNIT_CODE[unit]), TIMEX, narrative=False)
    if ctx.ref is None:
        return Resolved("DATE", _UNDERSPECIFIED[unit], "unresolved")
    if unit == "weekend":
        return Resolved("DATE", _weekend(ctx.ref, ctx.tense() == "future"), ctx.anchor.label)
    return Resolved("DATE", value_at(ctx.ref, _UNIT_CODE[unit]), ctx.anchor.label)


def _weekend(ref: date, future: bool) -> str:
    """The weekend just past (or under way); the coming one in future context."""
    if future or ref.isoweekday() >= 6:
        return week_value(ref) + "-WE"
    return week_value(ref - timedelta(days=7)) + "-WE"
