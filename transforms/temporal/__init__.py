"""Temporal expressions: find every date, time, duration and set in a body and give it a TIMEX3 value.

extract_timexes(articles, spans) -> TIMEXES frame   (the step's contract, docs/modules.md)
timex_candidates(articles, spans) -> article_id, candidates (found, not yet resolved)
value_interval(value) -> (begin_date, end_date)     (the days a TIMEX3 value covers)
duration_value(n, unit) -> "P3Y"                    (P-notation)
"""

from transforms.temporal.extract import COLUMNS, extract_timexes, timex_candidates
from transforms.temporal.normalise import duration_value, value_interval, week_value

__all__ = ["COLUMNS", "duration_value", "extract_timexes", "timex_candidates", "value_interval", "week_value"]
