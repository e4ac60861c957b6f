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

from transforms.temporal.normalise import value_at, week_value
from transforms.temporal.resolve import TIMEX, Context, Resolved

_UNIT_PHRASE = re.compile(
    r"(?i:the\s+(?:(?P<which>full|fiscal|current|entire|whole|same)\s+)?(?P<unit>year|month|week|weekend|day))"
)
_POSSESSIVE = re.compile(r"(?:'s|’s)$")


def resolve_span(ctx: Context) -> Resolved | None:
    text = _POSSESSIVE.sub("", ctx.body[ctx.cand.start : ctx.cand.end])
    m = _UNIT_PHRASE.fullmatch(text)
    if m is None:
        return None
    unit = m["unit"].lower()
    last = ctx.anchor.last
    if last is not None and unit != "weekend":
        # "the day", "the year": the one the narrative is in.
        code = {"year": "Y", "month": "M", "week": "W", "day": "D"}[unit]
        return Resolved("DATE", value_at(last[0], code), TIMEX)
    if ctx.ref is None:
        return Resolved("DATE", {"weekend": "XXXX-WXX-WE", "year": "XXXX"}.get(unit, "XXXX-XX"), "unresolved")
    if unit == "weekend":
        return Resolved("DATE", _weekend(ctx.ref, ctx.tense() == "future"), ctx.anchor.label)
    code = {"year": "Y", "month": "M", "week": "W", "day": "D"}[unit]
    return Resolved("DATE", value_at(ctx.ref, code), ctx.anchor.label)


def _weekend(ref: date, future: bool) -> str:
    """The weekend just past (or under way); the coming one in future context."""
    if future or ref.isoweekday() >= 6:
        return week_value(ref) + "-WE"
    return week_value(ref - timedelta(days=7)) + "-WE"
