"""extract_timexes: every temporal expression of a batch of articles, with its TIMEX3 value.

Per article: grammar candidates (find.py) plus spaCy DATE/TIME spans the grammar
missed, resolved in text order so that each resolved date becomes the narrative
anchor for the anaphoric expressions after it ("the next day").
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pandas as pd

from transforms.temporal.anchor import Anchor, article_anchor
from transforms.temporal.context import Context, Resolved
from transforms.temporal.find import Candidate, add_span_candidates, find_candidates
from transforms.temporal.normalise import value_interval
from transforms.temporal.resolve import resolve
from transforms.temporal.spans import resolve_span

COLUMNS = ["article_id", "start", "end", "text", "type", "value", "begin_date", "end_date", "anchor"]
_SPAN_LABELS = {"DATE", "TIME"}
# What may separate a clock time from the date it belongs to ("4 July 2025 at 00:21", "3 a.m. (0000 GMT)
# on Sunday").
_JOINER = re.compile(r"[\s,)]*(?:\([^()\n]{0,24}\)[\s,]*)?(?:(?i:at|on|of)\b)?[\s,]*")
_DAY_VALUE = re.compile(r"^\d{4}-\d\d-\d\d")
# A reporting period longer than a quarter named with an article: "the nine months", "the year ended".
_PERIOD_VALUE = re.compile(r"P(?:[4-9]|1[0-2])M|P1Y")
_PERIOD_TEXT = re.compile(r"(?i:the)\s")
_GRANULE = [
    (re.compile(r"^\d{4}-\d\d-\d\d"), "D"),
    (re.compile(r"^\d{4}-W\d\d-\d"), "D"),
    (re.compile(r"^\d{4}-W\d\d"), "W"),
    (re.compile(r"^\d{4}-\d\d$"), "M"),
    (re.compile(r"^\d{4}-Q\d$"), "Q"),
    (re.compile(r"^\d{4}$"), "Y"),
]


def extract_timexes(
    articles: pd.DataFrame, spans: pd.DataFrame, candidates: pd.DataFrame | None = None
) -> pd.DataFrame:
    """TIMEXES rows for `articles` (article_id, body, published_at, optional anchor_kind).

    `spans` are the spaCy spans of transforms.nlp.annotate; DATE/TIME ones the grammar
    did not find become extra candidates. `candidates` (of `timex_candidates`), where given,
    spare finding them again. Never raises on odd text.
    """
    by_article = _span_lists(spans)
    found = (
        dict(zip(candidates["article_id"], candidates["candidates"], strict=True))
        if candidates is not None
        else {}
    )
    kinds = (
        articles["anchor_kind"]
        if "anchor_kind" in articles.columns
        else pd.Series(None, index=articles.index)
    )
    published = articles["published_at"] if "published_at" in articles.columns else kinds
    rows: list[tuple] = []
    for article_id, body, published_at, kind in zip(
        articles["article_id"], articles["body"], published, kinds, strict=True
    ):
        if not isinstance(body, str) or not body:
            continue
        anchor = article_anchor(published_at, kind)
        rows.extend(
            article_timexes(article_id, body, anchor, by_article.get(article_id, []), found.get(article_id))
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["start"] = frame["start"].astype("int32")
    frame["end"] = frame["end"].astype("int32")
    for column in ("begin_date", "end_date"):
        frame[column] = frame[column].astype(object)
    return frame


def timex_candidates(articles: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """article_id, candidates: each article's expressions before resolution.

    Finding them is most of the cost and needs no anchor, so it may run before the anchor is known.
    """
    by_article = _span_lists(spans)
    ids, found = [], []
    for article_id, body in zip(articles["article_id"], articles["body"], strict=True):
        if isinstance(body, str) and body:
            ids.append(article_id)
            found.append(_candidates(body, by_article.get(article_id, [])))
    return pd.DataFrame({"article_id": ids, "candidates": pd.Series(found, dtype=object)})


def _candidates(body: str, spans: list[tuple[int, int, str]]) -> list[Candidate]:
    candidates = find_candidates(body)
    return add_span_candidates(body, candidates, sorted(spans)) if spans else candidates


def _span_lists(spans: pd.DataFrame | None) -> dict[object, list[tuple[int, int, str]]]:
    out: dict[object, list[tuple[int, int, str]]] = defaultdict(list)
    if spans is None or spans.empty or "label" not in spans.columns:
        return out
    chosen = spans[spans["label"].isin(_SPAN_LABELS)]
    for article_id, start, end, label in zip(
        chosen["article_id"], chosen["start"], chosen["end"], chosen["label"], strict=True
    ):
        out[article_id].append((int(start), int(end), str(label)))
    return out


def article_timexes(
    article_id: object,
    body: str,
    anchor: Anchor,
    spans: list[tuple[int, int, str]],
    candidates: list[Candidate] | None = None,
) -> list[tuple]:
    """Rows of one article, in text order."""
    if candidates is None:
        candidates = _candidates(body, spans)
    rows: list[tuple] = []
    previous: tuple[Candidate, Resolved] | None = None
    for index, cand in enumerate(candidates):
        ctx = Context(body, cand, anchor, dispatch=resolve)
        if cand.rule == "time" and not (cand.groups.get("pre") or cand.groups.get("sfx")):
            ctx.near_day = _near_day(body, cand, previous, candidates[index + 1 : index + 3], anchor)
        result = resolve_span(ctx) if cand.rule == "span" else resolve(cand, ctx)
        if result is None:
            continue
        begin, end = value_interval(result.value) if result.type in {"DATE", "TIME"} else (None, None)
        rows.append(
            (
                article_id,
                cand.start,
                cand.end,
                body[cand.start : cand.end],
                result.type,
                result.value,
                begin,
                end,
                result.anchor,
            )
        )
        if begin is not None and result.type in {"DATE", "TIME"} and result.narrative:
            anchor.last = (begin, _granule(result.value))
            anchor.last_end = cand.end
            if _granule(result.value) == "Q":
                fiscal = "fiscal" in body[cand.start : cand.end].lower()
                anchor.quarter = _reported_quarter(anchor.quarter, begin, cand.end, result.anchor, fiscal)
        elif result.type == "DURATION" and _is_reporting_period(body, cand, result.value):
            anchor.period_end = cand.end
        previous = (cand, result)
    anchor.last = None
    anchor.quarter = None
    anchor.period_end = -1
    return rows


def _is_reporting_period(body: str, cand: Candidate, value: str) -> bool:
    """ "For the nine months, net rose ...": a comparison after it ("a year earlier") is with that period."""
    return bool(_PERIOD_VALUE.fullmatch(value) and _PERIOD_TEXT.match(body, cand.start))


def _reported_quarter(
    known: tuple[date, int, bool, bool] | None, begin: date, end: int, how: str, fiscal: bool
) -> tuple[date, int, bool, bool]:
    """The quarter an earnings story reports: the first one named without a year ("third-quarter net"),
    kept while quarters keep being mentioned; one with a year ("the third quarter of 1984") only until then.
    A switch between fiscal and calendar quarters starts another company's report in a round-up.
    """
    relative = how not in {"absolute", "timex"}
    if known is not None and relative and known[2] and fiscal != known[3]:
        return (begin, end, relative, fiscal)
    if known is not None and (known[2] or not relative):
        return (known[0], end, known[2], known[3]) if known[2] else (begin, end, False, fiscal)
    return (begin, end, relative, fiscal)


def _granule(value: str) -> str:
    for pattern, unit in _GRANULE:
        if pattern.match(value):
            return unit
    return "Y"


def _near_day(
    body: str,
    cand: Candidate,
    previous: tuple[Candidate, Resolved] | None,
    following: list[Candidate],
    anchor: Anchor,
) -> tuple[date, str] | None:
    """The day of a clock time given by a date right beside it, before or after."""
    if previous is not None:
        prev_cand, prev = previous
        gap = body[prev_cand.end : cand.start]
        if _DAY_VALUE.match(prev.value) and _JOINER.fullmatch(gap):
            return date.fromisoformat(prev.value[:10]), prev.anchor
    for nxt in following:  # the next candidate, or the one after a parenthetical "(0000 GMT)"
        gap = body[cand.end : nxt.start]
        if nxt.rule != "time" and _JOINER.fullmatch(gap):
            result = resolve(nxt, Context(body, nxt, anchor, dispatch=resolve))
            if result is not None and _DAY_VALUE.match(result.value):
                return date.fromisoformat(result.value[:10]), result.anchor
    return None
