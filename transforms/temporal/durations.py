"""Rules that read a length of time (DURATION: "three years", "for weeks") or a recurrence
(SET: "every Tuesday", "quarterly")."""

from __future__ import annotations

import re

from transforms.temporal import vocab
from transforms.temporal.context import (
    ABSOLUTE,
    POD,
    UNDERSPECIFIED,
    Context,
    Resolved,
    against_ref,
    month_number,
    number,
    unit_code,
    weekday_number,
)
from transforms.temporal.normalise import duration_value, shift, value_at

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
        pod = f"T{POD[g['pods'].lower()[:-1]]}" if g.get("pods") else ""  # "Tuesday nights"
        return Resolved("SET", f"XXXX-WXX-{weekday_number(g.get('wd') or g['wds'])}{pod}", ABSOLUTE)
    if g.get("month"):
        return Resolved("SET", f"XXXX-{month_number(g['month']):02d}", ABSOLUTE)
    if g.get("season"):
        return Resolved("SET", f"XXXX-{vocab.lookup('season', g['season'])}", ABSOLUTE)
    if g.get("pod"):
        return Resolved("SET", f"XXXX-XX-XXT{POD[g['pod'].lower()]}", ABSOLUTE)
    every = 2 if "other" in ctx.body[ctx.cand.start : ctx.cand.end].lower() else 1
    return Resolved("SET", duration_value(every, unit_code(g["unit"])), ABSOLUTE)


_IN_FUTURE = re.compile(r"(?i:\bin)\s+$")


def _in_future(n: float | None, code: str, ctx: Context) -> Resolved | None:
    """ "will be redeemed in five years": the point that far ahead (TimeML DATE), not a length of time."""
    if n is None or n != int(n) or code not in {"D", "W", "M", "Y"} or ctx.tense() != "future":
        return None
    return against_ref(ctx, lambda ref: value_at(shift(ref, code, int(n)), code), UNDERSPECIFIED[code])


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
        return against_ref(ctx, lambda ref: "FUTURE_REF", "FUTURE_REF")  # "will one day be": some day
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
