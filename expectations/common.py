"""Building blocks shared by the per-table suites, and derived check columns.

Checks that need another table (offsets inside the article body) are computed
as boolean columns (`check_*`) before validation, so that GX reports them row
by row like any other expectation and the failing rows can be quarantined.
"""

from __future__ import annotations

import pandas as pd

from transforms.plausible import plausible_time  # noqa: F401  (the suites' rule, shared with link)

# TIMEX3 values newsflow emits: calendar dates/weeks/seasons/quarters with optional
# time, durations, and the reference tokens.
# (Non-capturing groups: pandas warns about capturing groups in str.contains.)
TIMEX3_VALUE = (
    r"^(?:PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|P(?:T?[0-9X.]+(?:Y|M|W|D|H|S|DE|CE|ML|Q|L|E|MO|AF|EV|NI|WE))+"
    r"|T[0-9X]{2}(?::[0-9X]{2})?|T(?:MO|AF|EV|NI|DT)"
    r"|[0-9X]{2,4}(?:-(?:W[0-9X]{1,2}(?:-(?:[1-7X]|WE))?|[0-9X]{1,2}(?:-[0-9X]{1,2})?|Q[1-4X]|H[12X]"
    r"|SU|SP|FA|WI|WE))?"
    r"(?:T(?:[0-9X]{2}(?::[0-9X]{2}(?::[0-9X]{2})?)?|MO|AF|EV|NI|DT))?)$"
)
ISO3 = r"^[A-Z]{3}$"
SHA256 = r"^[0-9a-f]{64}$"
HEX_ID = r"^[0-9a-f]{8,64}$"
ENTITY_LABELS = [
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "MISC",
]
# Mentions also refer back to a named entity without naming it.
MENTION_LABELS = [
    *ENTITY_LABELS,
    "PRON",  # a pronoun standing for a named person
    "NOMINAL",  # a description ("the actress") of a named entity
]
TIMEX_TYPES = ["DATE", "TIME", "DURATION", "SET"]
ANCHORS = ["publication", "absolute", "timex", "estimated", "unresolved"]


def gx():
    """Import GX lazily: it costs seconds, and only the validate step needs it."""
    import great_expectations as gx_module

    return gx_module


def gxe():
    import great_expectations.expectations as gxe_module

    return gxe_module


def offsets_match_body(frame: pd.DataFrame, bodies: dict[str, str]) -> pd.Series:
    """True where 0 <= start < end <= len(body) and body[start:end] == text."""
    out = []
    for article_id, start, end, text in zip(
        frame["article_id"], frame["start"], frame["end"], frame["text"], strict=True
    ):
        body = bodies.get(article_id)
        ok = (
            body is not None
            and pd.notna(start)
            and pd.notna(end)
            and 0 <= int(start) < int(end) <= len(body)
            and body[int(start) : int(end)] == text
        )
        out.append(bool(ok))
    return pd.Series(out, index=frame.index, dtype=bool)


def redirect_suite(key: str) -> tuple:
    """(derive, expectations) of a redirect table: each `key` that went away points once at another."""

    def derive(frame, **_: object):
        return frame.assign(check_points_elsewhere=(frame[key] != frame["redirect_to"]).astype(bool))

    def expectations() -> list:
        e = gxe()
        return [
            e.ExpectTableColumnsToMatchSet(column_set=[key, "redirect_to", "run_id"], exact_match=False),
            e.ExpectColumnValuesToNotBeNull(column=key),
            e.ExpectColumnValuesToBeUnique(column=key),
            e.ExpectColumnValuesToNotBeNull(column="redirect_to"),
            e.ExpectColumnValuesToBeInSet(column="check_points_elsewhere", value_set=[True]),
        ]

    return derive, expectations
