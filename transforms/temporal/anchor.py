"""Reference time and tense: what a relative expression is resolved against.

The pipeline runs no POS tagger (for speed), so tense is read from lexical
cues in the clause around an expression: "will", "is expected to", "next"
point forward; "said", "was", "-ed" verbs point back. The cue nearest to the
expression decides, since reported speech ("said it will meet on Friday") wraps
a future event in a past-tense clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd

from transforms.temporal import vocab

Tense = Literal["past", "future", "none"]

_CLAUSE_END = re.compile(r"(?:(?P<word>[\w.]*)[.!?]|;)(?=\s)|\n")
_WINDOW = 160  # characters each side: one clause in practice, bounded for very long "sentences"
# -ed words that are not verbs in the past tense.
_NOT_PAST = "hundred|speed|seed|feed|need|bed|red|indeed|proceed|exceed|succeed|breed|deed|weed|shed"
# A future cue seen from the past ("had been scheduled to", "as previously planned") reports a past plan.
_PAST_AUX = re.compile(r"(?i:\b(?:was|were|had|had\s+been|previously|originally|once)\s+(?:\w+ly\s+)?)$")
# A deadline or a start ("effective Feb. 1", "until January", "by year-end") points ahead of the clause verb.
_DEADLINE = re.compile(r"(?i:\b(?P<word>effective|until|till|through|by|starting|beginning)\s+)$")
_MONTH_FIRST = re.compile(
    r"(?:" + "|".join(w.title() for w in vocab.words("month") + vocab.words("month_abbr")) + r")\b"
)
# "three days later", "weeks later": anaphoric, not a sign that the clause is about the future.
_UNIT_BEFORE = re.compile(r"(?i:\b(?:second|minute|hour|day|week|month|year|decade)s?\s+)$")


def _cue_regex(kind: str) -> re.Pattern[str]:
    words = sorted(vocab.words(kind), key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    if kind == "tense_past":
        body += rf"|(?!(?:{_NOT_PAST})\b)[a-z]{{3,}}ed"
    return re.compile(rf"(?<![\w'])(?:{body})(?![\w'])", re.IGNORECASE)


_FUTURE = _cue_regex("tense_future")
# A scheduling verb in the present right before the expression, with at most an adverb and a
# preposition between: "meet (separately) (on) Monday". Not after "to": "agreed to meet Monday";
# not after a determiner or a possessive, where the word is a noun: "the vote on Sunday".
_NOUN_BEFORE = (
    "".join(rf"(?<!\b{d}\s)" for d in ("the", "a", "an", "its", "his", "her", "their", "our", "this", "that"))
    + r"(?<!'s\s)(?<!\u2019s\s)"
)
_SCHEDULED = re.compile(
    r"(?i:(?<![\w'])(?<!\bto\s)"
    + _NOUN_BEFORE
    + r"(?:"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+")
        for w in sorted(vocab.words("tense_scheduled"), key=len, reverse=True)
    )
    + r")\s+(?:\w+ly\s+)?(?:(?:on|in)\s+)?)$"
)
_PAST = _cue_regex("tense_past")


def clause_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the clause around [start, end), at most _WINDOW characters each side."""
    left = max(0, start - _WINDOW)
    cut = left
    for m in _CLAUSE_END.finditer(body, left, start):
        if _ends_clause(m):
            cut = m.end()
    right = min(len(body), end + _WINDOW)
    for m in _CLAUSE_END.finditer(body, end, right):
        if _ends_clause(m):
            return cut, m.end()
    return cut, right


def _ends_clause(m: re.Match[str]) -> bool:
    """A full stop after an abbreviation or an initial ("Mr.", "Feb.", "P.", "U.S.") ends nothing."""
    word = m["word"]
    if word is None or not m[0].endswith("."):
        return True
    return not (
        (len(word) == 1 and word.isupper()) or "." in word or word.lower() in vocab.table()["abbreviation"]
    )


def tense(body: str, start: int, end: int) -> Tense:
    """Lexical tense of the clause around an expression: the cue nearest to it wins.

    Nearest, not any: "announced Friday, holders would receive" is about a past Friday,
    "said it will meet on Friday" about a coming one.
    """
    m = _DEADLINE.search(body, max(0, start - 16), start)
    word = m["word"].lower() if m else ""
    if word in {"effective", "starting", "beginning"}:
        return "future"  # "effective Feb. 1", "starting Monday": a start announced ahead
    if _SCHEDULED.search(body, max(0, start - 40), start):
        return "future"  # "the two leaders meet Monday", "the trial opens on Tuesday"
    found = _clause_tense(body, start, end)
    if word and found != "past" and (word != "by" or _MONTH_FIRST.match(body, start, end)):
        return "future"  # "until January", "by February"; "by" only before a month ("had filed by Wednesday")
    return found


# "to" before a verb, not before a noun phrase or an amount ("rose to $5", "moved to the capital").
_INFINITIVE = re.compile(
    r"\bto\s+(?!(?:the|a|an|his|her|its|their|our|my|your|this|that|these|those|some|any|about|"
    r"around|nearly|almost|more|less|date|day|be\s+\w+ed)\b)[a-z]{2,}\b"
)


def _clause_tense(body: str, start: int, end: int) -> Tense:
    left, right = clause_bounds(body, start, end)
    best: tuple[int, Tense] | None = None
    for regex, kind in ((_FUTURE, "future"), (_PAST, "past")):
        for m in regex.finditer(body, left, start):
            cue = _cue_kind(body, m, kind)
            if kind == "past" and cue == "past" and _INFINITIVE.search(body, m.end(), start):
                cue = "none"  # "agreed to buy the unit in February": the time is the infinitive's
            if cue and (best is None or start - m.end() < best[0]):
                best = (start - m.end(), cue)
        for m in regex.finditer(body, end, right):
            cue = _cue_kind(body, m, kind)
            if cue is None:
                continue
            if best is None or m.start() - end < best[0]:
                best = (m.start() - end, cue)
            break
    return best[1] if best else "none"


# Before a past form these make it an adjective or a passive, not a past tense: "a revised plan",
# "will be named", "would be paid"; "un-" words ("unspecified") are adjectives.
_NOT_VERB_BEFORE = re.compile(
    r"(?i:\b(?:a|an|the|its|their|his|her|our|this|that|these|those|still|very|be|is|are|am|being|"
    r"get|gets|to)\s+)$"
)


def _cue_kind(body: str, m: re.Match[str], kind: Tense) -> Tense | None:
    """The tense a cue gives, read with the few words before it; None when it is no tense cue."""
    if kind == "past":
        word = m[0].lower()
        generic = word.endswith("ed") and vocab.lookup("tense_past", word) is None
        if (generic and word.startswith("un")) or _NOT_VERB_BEFORE.search(
            body, max(0, m.start() - 12), m.start()
        ):
            return None
        return kind
    if kind != "future":
        return kind
    if m[0].lower() == "would" and re.match(r"\s+(?:not\s+)?have\b", body[m.end() : m.end() + 12]):
        return "past"  # "would have": a past that did not happen
    before = body[max(0, m.start() - 24) : m.start()]
    if m[0].lower() == "later" and _UNIT_BEFORE.search(before):
        return None
    if _PAST_AUX.search(before):
        return "past"
    return kind


@dataclass
class Anchor:
    """Reference for one article: the publication day and how it is known, plus the narrative date."""

    ref: date | None
    label: str  # "publication" or "estimated": the anchor of values resolved against `ref`
    last: tuple[date, str] | None = None  # most recent resolved date in the text and its unit (D/W/M/Q/Y)
    last_end: int = 0  # where that date's expression ends in the body
    # The quarter the story reports, where the last quarter mention ends, and whether it was named
    # relative to the reference day, and whether it was a fiscal one (see extract._reported_quarter).
    quarter: tuple[date, int, bool, bool] | None = None
    # Where the last multi-month reporting period ("the nine months", "the year ended June 30") ends.
    period_end: int = -1


def article_anchor(published_at: object, anchor_kind: object = None) -> Anchor:
    """Anchor from a UTC publication Timestamp (NaT/None -> no reference)."""
    label = "estimated" if isinstance(anchor_kind, str) and anchor_kind.strip().lower() == "estimated" else ""
    try:
        ts = pd.Timestamp(published_at)
    except (TypeError, ValueError):
        return Anchor(None, label or "publication")
    if pd.isna(ts):
        return Anchor(None, label or "publication")
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC")
    return Anchor(ts.date(), label or "publication")
