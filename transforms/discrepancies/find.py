"""Cross-source discrepancies inside a story.

For each pair of articles of one story from different documents and outlets, sentences
that report the same fact are aligned (`align.py`) and what they assert is
compared (`compare.py`): dates (TIMEX3 values), numbers and amounts, and
person names. Quotations are matched across the pair by their words, whatever sentence
they sit in, and a conflict is recorded when the same words are given to different
speakers. Paraphrases that agree produce nothing; a fact only one outlet reports
produces nothing.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from transforms.discrepancies import align, compare

# The `discrepancies` table's columns (warehouse/schemas.py holds their types; a test keeps the two equal).
DISCREPANCY_COLUMNS = [
    "story_id",
    "article_a",
    "article_b",
    "kind",
    "sentence_a",
    "sentence_b",
    "value_a",
    "value_b",
    "score",
]
NAME_LABELS = frozenset({"PERSON"})
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"})
MIN_QUOTE_MATCH = 90  # rapidfuzz ratio of two quotations' normalised words to count as the same words
MIN_NAME_ALIGNMENT = 0.5  # name variants need a closer alignment than dates or numbers
MIN_LOOSE_NUMBER_ALIGNMENT = 0.6  # numbers counting nothing named are compared only in near-copies
SPEAKER_WINDOW = 250  # a speaker counts as named when its name is this close to the quotation
MIN_HEADLINE_ALIGNMENT = 0.5  # short lines without end punctuation (headlines, stamps) need a close match
MIN_NUMBER_ALIGNMENT = 0.35  # two counts of one thing in loosely aligned sentences are often two facts
_YEAR_RE = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_SENTENCE_END_RE = re.compile(r"[.!?\"”’')]\s*$")
_LOOSE_NUMBER_FACTOR = 0.7  # a number conflict without a shared unit is less certain
_RELATIVE_DATE_FACTOR = 0.8  # dates resolved against publication times may differ by anchoring alone


def find_discrepancies(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    timexes: pd.DataFrame,
    quotes: pd.DataFrame,
) -> pd.DataFrame:
    """Conflicts between articles of one story -> the DISCREPANCIES columns."""
    frame = _story_articles(articles)
    if sentences is None or "article_id" not in sentences:
        sentences = pd.DataFrame(columns=["article_id", "sentence_index", "start", "end"])
    stories = [
        (sid, g, pairs) for sid, g in frame.groupby("story_id", sort=True) if (pairs := _article_pairs(g))
    ]
    # only articles of stories with pairs: the rest are never compared
    involved = {a for _, group, _ in stories for a in group["article_id"]}
    keys = _mention_keys(mentions)
    # indexed once: per-story filtering of the whole frames would dominate the cost
    all_units = align.sentence_units(
        frame[frame["article_id"].isin(involved)],
        sentences[sentences["article_id"].isin(involved)],
        keys[keys["article_id"].isin(involved)],
    )
    unit_rows = all_units.groupby("article_id", sort=False).indices if len(all_units) else {}
    timex_index = _by_article(timexes, ["start", "end", "text", "value", "anchor"])
    mention_index = _by_article(mentions, ["start", "end", "label", "text", "canonical_name"])
    quotes_by = _quotes_by_article(quotes, all_units, frame[frame["article_id"].isin(involved)])
    stories = [
        (story_id, group, pairs, np.concatenate(index))
        for story_id, group, pairs in stories
        if (index := [unit_rows[a] for a in group["article_id"] if a in unit_rows])
    ]
    # n-grams counted for many stories at once (fitting a vectoriser per story dominated the cost
    # of many small stories); the IDF stays per story
    counts = align.story_unit_counts(all_units, [index for *_, index in stories])
    rows: list[dict] = []
    for (story_id, group, pairs, index), story_counts in zip(stories, counts, strict=True):
        units = all_units.iloc[index].reset_index(drop=True)
        similarity = align.story_similarity(units, align.story_vectors(story_counts))
        facts = _unit_facts(units, group, mention_index, timex_index)
        # per pair, plain lists and arrays are far cheaper to read than the frame
        view = UnitView(units["text"].tolist(), units["article_id"].to_numpy())
        for a, b in pairs:
            rows.extend(_pair_conflicts(story_id, a, b, view, similarity, facts))
            rows.extend(_attribution_conflicts(story_id, a, b, quotes_by.get(a, []), quotes_by.get(b, [])))
    out = pd.DataFrame(rows, columns=DISCREPANCY_COLUMNS)
    out = out.sort_values("score", ascending=False, kind="stable")
    out = out.drop_duplicates(["story_id", "article_a", "article_b", "kind", "value_a", "value_b"])
    return out.reset_index(drop=True).astype({"score": "float64"})


def find_discrepancies_over(
    pool: Executor | None, parts: int, articles: pd.DataFrame, *annotations: pd.DataFrame
) -> pd.DataFrame:
    """`find_discrepancies(articles, sentences, mentions, timexes, quotes)` with the stories split
    into `parts` groups run on `pool`.

    Stories are independent (each has its own IDF), so the rows are the same as one call's,
    in the same order: by score, ties in story order.
    """
    groups = _story_groups(articles, parts) if pool is not None and parts > 1 else []
    if len(groups) < 2:
        return find_discrepancies(articles, *annotations)
    futures = [
        pool.submit(find_discrepancies, *(rows_of(frame, ids) for frame in (articles, *annotations)))
        for ids in groups
    ]
    out = pd.concat([f.result() for f in futures], ignore_index=True)
    out = out.sort_values("story_id", kind="stable").sort_values("score", ascending=False, kind="stable")
    return out.reset_index(drop=True).astype({"score": "float64"})


def rows_of(frame: pd.DataFrame | None, ids: set[str]) -> pd.DataFrame | None:
    """The rows of `frame` for the articles `ids` (frames without article ids pass as they are)."""
    if frame is None or "article_id" not in frame:
        return frame
    return frame[frame["article_id"].isin(ids)]


def _story_groups(articles: pd.DataFrame, parts: int) -> list[set[str]]:
    """Article ids of the stories with pairs, in `parts` groups of about equal work (pairs)."""
    frame = _story_articles(articles)
    sizes = frame.groupby("story_id")["article_id"].agg(list)
    stories = sorted(((len(ids) ** 2, sid, ids) for sid, ids in sizes.items() if len(ids) > 1), reverse=True)
    loads, groups = [0] * parts, [set() for _ in range(parts)]
    for cost, _, ids in stories:  # largest first, each to the lightest group
        lightest = loads.index(min(loads))
        loads[lightest] += cost
        groups[lightest].update(ids)
    return [g for g in groups if g]


def _story_articles(articles: pd.DataFrame) -> pd.DataFrame:
    frame = articles[articles["story_id"].notna()].copy()
    for column in ("doc_id", "outlet"):
        if column not in frame:
            frame[column] = None
    return frame.sort_values("article_id")


def _article_pairs(group: pd.DataFrame) -> list[tuple[str, str]]:
    """Pairs (a < b) from different documents and, where both are known, different outlets."""
    rows = group[["article_id", "doc_id", "outlet"]].itertuples(index=False)
    pairs = []
    for x, y in itertools.combinations(rows, 2):
        same_doc = x.doc_id is not None and x.doc_id == y.doc_id
        same_outlet = isinstance(x.outlet, str) and x.outlet == y.outlet
        if not same_doc and not same_outlet:
            pairs.append((x.article_id, y.article_id))
    return pairs


def _mention_keys(mentions: pd.DataFrame | None) -> pd.DataFrame:
    """article_id, start, end, label, name, key: the entity id where linked, else label + name."""
    columns = ["article_id", "start", "end", "label", "name", "key"]
    if mentions is None or mentions.empty:
        return pd.DataFrame(columns=columns)
    frame = mentions[mentions["label"].isin(ENTITY_LABELS)]
    names = frame["canonical_name"].fillna(frame["text"]) if "canonical_name" in frame else frame["text"]
    fallback = frame["label"] + ":" + names.str.lower()
    keys = frame["entity_id"].fillna(fallback) if "entity_id" in frame else fallback
    return pd.DataFrame(
        {
            "article_id": frame["article_id"],
            "start": frame["start"],
            "end": frame["end"],
            "label": frame["label"],
            "name": names,
            "key": keys,
        }
    )[columns]


def _unit_facts(units: pd.DataFrame, articles: pd.DataFrame, mention_by: dict, timex_by: dict):
    """Per unit: (date values, number values, person names, dates-relative flag, is a sentence)."""
    dated = set()
    if "published_at" in articles:
        dated = set(articles.loc[articles["published_at"].notna(), "article_id"])
    facts = []
    for article_id, u_start, u_end, text in zip(
        units["article_id"], units["start"], units["end"], units["text"], strict=True
    ):
        tx = _within(timex_by.get(article_id), u_start, u_end)
        is_sentence = bool(_SENTENCE_END_RE.search(text)) or len(text.split()) > 15
        mx = [m for m in _within(mention_by.get(article_id), u_start, u_end) if m[2] in ENTITY_LABELS]
        comparable = [
            t
            for t in tx
            if is_sentence
            and _comparable_date(t, article_id in dated)
            and not compare.is_page_stamp(text, t[0] - u_start, t[1] - u_start)
        ]
        ranges = [t for t in comparable if compare.is_range_start(text, t[1] - u_start)]
        dates = compare.date_values([(t[2], t[3]) for t in comparable if t not in ranges])
        dates += [v for t in ranges if (v := compare.range_value(text, t[0] - u_start, t[1] - u_start, t[3]))]
        masked = [(s - u_start, e - u_start) for s, e, *_ in tx] + [
            (s - u_start, e - u_start) for s, e, *_ in mx
        ]
        numbers = compare.number_values(text, masked)
        names = {m[4] if isinstance(m[4], str) else m[3] for m in mx if m[2] in NAME_LABELS}
        relative = any(not _explicit(t) for t in comparable)
        facts.append((dates, numbers, names, relative, is_sentence))
    return facts


def _by_article(frame: pd.DataFrame | None, columns: list[str]) -> dict[str, tuple[list[int], list[tuple]]]:
    """article_id -> (sorted starts, rows as tuples) for fast range lookups."""
    if frame is None or frame.empty:
        return {}
    frame = frame.assign(**{c: None for c in columns if c not in frame}).sort_values(["article_id", "start"])
    rows = zip(
        frame["article_id"].tolist(), zip(*(frame[c].tolist() for c in columns), strict=True), strict=True
    )
    out = {}
    for article_id, group in itertools.groupby(rows, key=operator.itemgetter(0)):
        article_rows = [row for _, row in group]
        out[article_id] = ([r[0] for r in article_rows], article_rows)
    return out


def _within(indexed: tuple[list[int], list[tuple]] | None, start: int, end: int) -> list[tuple]:
    if not indexed:
        return []
    starts, rows = indexed
    first = bisect.bisect_left(starts, start)
    last = bisect.bisect_left(starts, end)
    return [r for r in rows[first:last] if r[1] <= end]


def _explicit(timex: tuple) -> bool:
    return timex[4] == "absolute" or bool(_YEAR_RE.search(timex[2] or ""))


def _comparable_date(timex: tuple, published: bool) -> bool:
    """Explicit dates always; relative ones only when resolved against a known publication time."""
    return _explicit(timex) or (timex[4] in {"publication", "timex"} and published)


@dataclass(frozen=True)
class UnitView:
    texts: list[str]
    articles: np.ndarray


def _pair_conflicts(story_id, a, b, units: UnitView, similarity, facts) -> list[dict]:
    rows_a, rows_b = np.flatnonzero(units.articles == a), np.flatnonzero(units.articles == b)
    general = align.align(similarity, rows_a, rows_b)
    rows = []
    # Sentences that both state a date align among themselves with a lower bar.
    dated_a = np.array([i for i in rows_a if facts[i][0]], dtype=int)
    dated_b = np.array([j for j in rows_b if facts[j][0]], dtype=int)
    dated = align.align(similarity, dated_a, dated_b, align.MIN_TYPED_ALIGNMENT)
    # a weak match must still share what happened, not just that something had a date
    text = units.texts
    dated = [
        (i, j, x) for i, j, x in dated if x >= align.MIN_ALIGNMENT or compare.share_content(text[i], text[j])
    ]
    for i, j, score in _union(general, dated):
        rows.extend(_value_conflicts(story_id, a, b, "date", units, i, j, score, facts))
    for i, j, score in general:
        if score >= MIN_NUMBER_ALIGNMENT:
            rows.extend(_value_conflicts(story_id, a, b, "number", units, i, j, score, facts))
        if score >= MIN_NAME_ALIGNMENT:
            for x, y in compare.name_conflicts(facts[i][2], facts[j][2]):
                rows.append(_row(story_id, a, b, "name", units, i, j, x, y, score * 0.8))
    return rows


def _union(*alignments: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    seen: dict[tuple[int, int], float] = {}
    for pairs in alignments:
        for i, j, score in pairs:
            seen[(i, j)] = max(score, seen.get((i, j), 0.0))
    return [(i, j, score) for (i, j), score in seen.items()]


def _value_conflicts(story_id, a, b, kind, units, i, j, score, facts) -> list[dict]:
    if kind == "date":
        # relative dates resolved against two outlets' publication times may differ by anchoring alone
        factor = _RELATIVE_DATE_FACTOR if facts[i][3] or facts[j][3] else 1.0
        return [
            _row(story_id, a, b, "date", units, i, j, x.text, y.text, score * factor)
            for x, y in compare.conflicts(facts[i][0], facts[j][0], loose=False)
        ]
    rows = []
    sentences = facts[i][4] and facts[j][4]
    if not sentences and score < MIN_HEADLINE_ALIGNMENT:
        return (
            rows  # headlines and by-lines: only near-identical ones are compared, and only on counted units
        )
    loose = sentences and score >= MIN_LOOSE_NUMBER_ALIGNMENT
    for x, y in compare.conflicts(facts[i][1], facts[j][1], loose=loose):
        factor = 1.0 if x.key and x.key == y.key else _LOOSE_NUMBER_FACTOR
        rows.append(_row(story_id, a, b, "number", units, i, j, x.text, y.text, score * factor))
    return rows


def _row(story_id, a, b, kind, units, i, j, value_a, value_b, score) -> dict:
    return {
        "story_id": story_id,
        "article_a": a,
        "article_b": b,
        "kind": kind,
        "sentence_a": units.texts[i],
        "sentence_b": units.texts[j],
        "value_a": value_a,
        "value_b": value_b,
        "score": round(float(score), 4),
    }


def _quotes_by_article(quotes: pd.DataFrame, units: pd.DataFrame, articles: pd.DataFrame) -> dict[str, list]:
    """article_id -> its quotations as `_quotes_with_sentences` rows (named tuples)."""
    out: dict[str, list] = {}
    for row in _quotes_with_sentences(quotes, units, articles).itertuples(index=False):
        out.setdefault(row.article_id, []).append(row)
    return out


def _quotes_with_sentences(quotes: pd.DataFrame, units: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Quotations of `articles` whose speaker is named near them, with normalised words and sentence.

    A speaker reached only through a pronoun far from its name is too uncertain to accuse an
    outlet of misattribution.
    """
    columns = ["article_id", "text", "words", "speaker_entity_id", "speaker_text", "sentence"]
    if quotes is None or quotes.empty:
        return pd.DataFrame(columns=columns)
    bodies = dict(zip(articles["article_id"], articles["body"], strict=True))
    frame = quotes[quotes["article_id"].isin(bodies) & quotes["speaker_text"].notna()]
    named = [
        _named_near(bodies[aid], start, end, speaker)
        for aid, start, end, speaker in zip(
            frame["article_id"], frame["start"], frame["end"], frame["speaker_text"], strict=True
        )
    ]
    frame = frame[np.array(named, dtype=bool)].copy()
    frame["words"] = [" ".join(re.findall(r"\w+", t.lower())) for t in frame["text"]]
    spans = _by_article(units, ["start", "end", "text"])
    frame["sentence"] = [
        next((u[2] for u in _within(spans.get(aid), 0, 1 << 40) if u[0] <= s < u[1]), "")
        for aid, s in zip(frame["article_id"], frame["start"], strict=True)
    ]
    return frame[frame["words"] != ""][columns]


def _named_near(body: str, start: int, end: int, speaker: str) -> bool:
    window = body[max(0, start - SPEAKER_WINDOW) : end + SPEAKER_WINDOW]
    names = [t for t in re.findall(r"\w+", speaker) if len(t) > 2 and t[0].isupper()]
    return bool(names) and any(re.search(rf"\b{re.escape(t)}\b", window) for t in names)


def _attribution_conflicts(story_id, a, b, side_a: list, side_b: list) -> list[dict]:
    rows = []
    for qa in side_a:
        for qb in side_b:
            match = fuzz.ratio(qa.words, qb.words)
            if match < MIN_QUOTE_MATCH:
                continue
            if compare.same_speaker(
                qa.speaker_entity_id, qa.speaker_text, qb.speaker_entity_id, qb.speaker_text
            ):
                continue
            # the other outlet's speaker named beside these words: the outlets likely agree and
            # one speaker was resolved wrongly ("Alan Thornhill, director of the Society ..., said")
            if compare.names_speaker(qa.sentence.replace(qa.text, " "), qb.speaker_text) or (
                compare.names_speaker(qb.sentence.replace(qb.text, " "), qa.speaker_text)
            ):
                continue
            rows.append(
                {
                    "story_id": story_id,
                    "article_a": a,
                    "article_b": b,
                    "kind": "attribution",
                    "sentence_a": qa.sentence,
                    "sentence_b": qb.sentence,
                    "value_a": qa.speaker_text,
                    "value_b": qb.speaker_text,
                    "score": round(match / 100, 4),
                }
            )
    return rows
