"""From a grammar match to a TIMEX3 type and value: the table of rules, one small function each
(`dates`, `durations`, `spans`), and the guards every rule passes through."""

from __future__ import annotations

import re
from dataclasses import replace

from transforms.temporal import dates, durations
from transforms.temporal.context import ABSOLUTE, Context, Handler, Resolved
from transforms.temporal.find import Candidate
from transforms.temporal.spans import unit_phrase

HANDLERS: dict[str, Handler] = {
    "date_mdy": dates.full_date,
    "date_dmy": dates.full_date,
    "date_iso": dates.iso_date,
    "date_numeric": dates.numeric_date,
    "month_day": dates.month_day,
    "day_month": dates.month_day,
    "month_year": dates.month_year,
    "time": dates.clock_time,
    "decade": dates.decade,
    "century": dates.century,
    "quarter": dates.quarter,
    "half": dates.half,
    "season": dates.season,
    "year": dates.year,
    "split_year": dates.split_year,
    "year_fy": dates.fiscal_year,
    "month_rel": dates.month_rel,
    "deictic_day": dates.deictic_day,
    "tonight": dates.tonight,
    "nth_day": dates.nth_day,
    "week_of": dates.week_of,
    "pod_of": dates.pod_of,
    "pod_rel": dates.pod_rel,
    "weekday": dates.weekday,
    "anaphoric": dates.anaphoric,
    "unit_rel": dates.unit_rel,
    "ago": dates.ago,
    "quarter_ref": dates.quarter_ref,
    "set": durations.set_,
    "duration": durations.duration,
    "ref_unit": dates.ref_unit,
    "vague_duration": durations.vague_duration,
    "year_ended": lambda g, ctx: Resolved("DURATION", "P1Y", ABSOLUTE),
    "year_end": dates.year_end,
    "pod_day": dates.pod_day,
    "unit_phrase": unit_phrase,
    "ref": dates.ref_word,
    "spelled_year": dates.spelled_year,
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
    if ctx.dispatch is None:  # the rules read days inside their matches through this table
        ctx = replace(ctx, dispatch=resolve)
    try:
        return handler(cand.groups, ctx)
    except (ValueError, KeyError, OverflowError, IndexError):
        return None  # an impossible date (31 April), a word outside the tables
