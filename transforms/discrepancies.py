"""Cross-source discrepancies inside a story.

For each pair of articles of one story from different documents and outlets, sentences
that report the same fact are aligned (`discrepancy/align.py`) and what they assert is
compared (`discrepancy/compare.py`): dates (TIMEX3 values), numbers and amounts, and
person names. Quotations are matched across the pair by their words, whatever sentence
they sit in, and a conflict is recorded when the same words are given to different
speakers. Paraphrases that agree produce nothing; a fact only one outlet reports
produces nothing.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from transforms.discrepancy import align, compare

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
    keys = _mention_keys(mentions)
    rows: list[dict] = []
    for story_id, group in frame.groupby("story_id", sort=True):
        pairs = _article_pairs(group)
        if not pairs:
            continue
        ids = set(group["article_id"])
        story_sentences = sentences[sentences["article_id"].isin(ids)]
        units = align.sentence_units(group, story_sentences, keys[keys["article_id"].isin(ids)])
        similarity = align.story_similarity(units)
        facts = _unit_facts(units, group, mentions, timexes)
        story_quotes = _quotes_with_sentences(quotes, units, ids)
        for a, b in pairs:
            rows.extend(_pair_conflicts(story_id, a, b, units, similarity, facts))
            rows.extend(_attribution_conflicts(story_id, a, b, story_quotes))
    out = pd.DataFrame(rows, columns=DISCREPANCY_COLUMNS)
    out = out.sort_values("score", ascending=False, kind="stable")
    out = out.drop_duplicates(["story_id", "article_a", "article_b", "kind", "value_a", "value_b"])
    return out.reset_index(drop=True).astype({"score": "float64"})


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


def _unit_facts(units: pd.DataFrame, articles: pd.DataFrame, mentions: pd.DataFrame, timexes: pd.DataFrame):
    """Per unit: (date values, number values, person names, dates-relative flag)."""
    facts = []
    timex_by = {aid: g for aid, g in timexes.groupby("article_id")} if not timexes.empty else {}
    mention_by = {aid: g for aid, g in mentions.groupby("article_id")} if not mentions.empty else {}
    empty = pd.DataFrame(columns=["start", "end", "text", "value", "label", "anchor"])
    for unit in units.itertuples(index=False):
        tx = _within(timex_by.get(unit.article_id, empty), unit.start, unit.end)
        mx = _within(mention_by.get(unit.article_id, empty), unit.start, unit.end)
        dates = compare.date_values(list(zip(tx["text"], tx["value"], strict=True)))
        masked = [(s - unit.start, e - unit.start) for s, e in zip(tx["start"], tx["end"], strict=True)]
        masked += [
            (s - unit.start, e - unit.start)
            for s, e, label in zip(mx["start"], mx["end"], mx["label"], strict=True)
            if label in ENTITY_LABELS
        ]
        numbers = compare.number_values(unit.text, masked)
        people = mx[mx["label"].isin(NAME_LABELS)]
        names = set(people["canonical_name"] if "canonical_name" in people else people["text"])
        relative = "anchor" in tx and tx["anchor"].isin(["publication", "estimated"]).any()
        facts.append((dates, numbers, {n for n in names if isinstance(n, str)}, bool(relative)))
    return facts


def _within(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    return frame[(frame["start"] >= start) & (frame["end"] <= end)] if not frame.empty else frame


def _pair_conflicts(story_id, a, b, units, similarity, facts) -> list[dict]:
    article = units["article_id"].to_numpy()
    rows_a, rows_b = np.flatnonzero(article == a), np.flatnonzero(article == b)
    general = align.align(similarity, rows_a, rows_b)
    rows = []
    for kind, slot in (("date", 0), ("number", 1)):
        # Sentences that both state a value of this kind align among themselves with a lower bar.
        typed_a = np.array([i for i in rows_a if facts[i][slot]], dtype=int)
        typed_b = np.array([j for j in rows_b if facts[j][slot]], dtype=int)
        typed = align.align(similarity, typed_a, typed_b, align.MIN_TYPED_ALIGNMENT)
        for i, j, score in _union(general, typed):
            rows.extend(_value_conflicts(story_id, a, b, kind, units, i, j, score, facts))
    for i, j, score in general:
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
        factor = _RELATIVE_DATE_FACTOR if facts[i][3] or facts[j][3] else 1.0
        return [
            _row(story_id, a, b, "date", units, i, j, x.text, y.text, score * factor)
            for x, y in compare.conflicts(facts[i][0], facts[j][0], loose=False)
        ]
    rows = []
    for x, y in compare.conflicts(facts[i][1], facts[j][1], loose=True):
        factor = 1.0 if x.key and x.key == y.key else _LOOSE_NUMBER_FACTOR
        rows.append(_row(story_id, a, b, "number", units, i, j, x.text, y.text, score * factor))
    return rows


def _row(story_id, a, b, kind, units, i, j, value_a, value_b, score) -> dict:
    return {
        "story_id": story_id,
        "article_a": a,
        "article_b": b,
        "kind": kind,
        "sentence_a": units["text"].iat[i],
        "sentence_b": units["text"].iat[j],
        "value_a": value_a,
        "value_b": value_b,
        "score": round(float(score), 4),
    }


def _quotes_with_sentences(quotes: pd.DataFrame, units: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    """Attributed quotations of the story with their normalised words and their sentence."""
    if quotes is None or quotes.empty:
        return pd.DataFrame(columns=["article_id", "words", "speaker_entity_id", "speaker_text", "sentence"])
    frame = quotes[quotes["article_id"].isin(ids) & quotes["speaker_text"].notna()].copy()
    frame["words"] = [" ".join(re.findall(r"\w+", t.lower())) for t in frame["text"]]
    frame["sentence"] = [
        _sentence_of(units, aid, s) for aid, s in zip(frame["article_id"], frame["start"], strict=True)
    ]
    return frame[frame["words"] != ""]


def _sentence_of(units: pd.DataFrame, article_id: str, position: int) -> str:
    rows = units[
        (units["article_id"] == article_id) & (units["start"] <= position) & (units["end"] > position)
    ]
    return rows["text"].iat[0] if len(rows) else ""


def _attribution_conflicts(story_id, a, b, quotes: pd.DataFrame) -> list[dict]:
    rows = []
    side_a = quotes[quotes["article_id"] == a]
    side_b = quotes[quotes["article_id"] == b]
    for qa in side_a.itertuples(index=False):
        for qb in side_b.itertuples(index=False):
            match = fuzz.ratio(qa.words, qb.words)
            if match < MIN_QUOTE_MATCH:
                continue
            if compare.same_speaker(
                qa.speaker_entity_id, qa.speaker_text, qb.speaker_entity_id, qb.speaker_text
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
