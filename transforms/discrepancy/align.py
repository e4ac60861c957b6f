"""Sentence alignment between two articles of one story.

Two sentences report the same fact when their wording (character n-gram TF-IDF, so
"organisation" meets "organizations" and "labelled" meets "label") and their entities
agree. Digits are masked before vectorising: a sentence whose only change is a date or a
number must still align with its counterpart, since that change is what we look for.
A fact told in one sentence on one side may take two on the other ("Russia had labelled
the Taliban a terrorist organisation. But in April 2025, it removed that label"), so a
pair also scores as the mean of itself and the best pair with a neighbouring sentence.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

_DIGITS_RE = re.compile(r"\d")
TEXT_WEIGHT = 0.75
ENTITY_WEIGHT = 0.25
MIN_ALIGNMENT = 0.3
MIN_TYPED_ALIGNMENT = 0.2  # among sentences that both state a date (or a number), a weaker match suffices


def sentence_units(
    articles: pd.DataFrame, sentences: pd.DataFrame, mention_keys: pd.DataFrame
) -> pd.DataFrame:
    """One row per sentence piece (sentences are also cut at line breaks).

    -> article_id, start, end, text, entities (frozenset of entity keys inside)
    """
    bodies = dict(zip(articles["article_id"], articles["body"], strict=True))
    rows = []
    for article_id, group in sentences.sort_values(["article_id", "start"]).groupby("article_id", sort=False):
        body = bodies.get(article_id)
        if not isinstance(body, str):
            continue
        for start, end in zip(group["start"].tolist(), group["end"].tolist(), strict=True):
            rows.extend((article_id, s, e, body[s:e]) for s, e in _pieces(body, start, end))
    units = pd.DataFrame(rows, columns=["article_id", "start", "end", "text"])
    units["entities"] = _entities_per_unit(units, mention_keys)
    return units


def _pieces(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of body[start:end], trimmed."""
    out = []
    for match in re.finditer(r"[^\n]+", body[start:end]):
        text = match.group(0)
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if right > left:
            out.append((start + match.start() + left, start + match.start() + right))
    return out


def _entities_per_unit(units: pd.DataFrame, mention_keys: pd.DataFrame) -> list[frozenset]:
    if units.empty:
        return []
    out: list[frozenset] = [frozenset()] * len(units)
    mention_rows = mention_keys.groupby("article_id").indices if len(mention_keys) else {}
    all_m_start = mention_keys["start"].to_numpy()
    all_m_key = mention_keys["key"].to_numpy()
    unit_start = units["start"].to_numpy()
    unit_end = units["end"].to_numpy()
    for article_id, index in units.groupby("article_id").indices.items():
        if article_id not in mention_rows:
            continue
        starts, ends = unit_start[index], unit_end[index]
        m_start = all_m_start[mention_rows[article_id]]
        m_key = all_m_key[mention_rows[article_id]]
        for row, s, e in zip(index, starts, ends, strict=True):
            inside = (m_start >= s) & (m_start < e)
            out[row] = frozenset(m_key[inside].tolist())
    return out


def unit_vectors(units: pd.DataFrame) -> csr_matrix:
    """L2-normalised character n-gram TF-IDF rows of the units, digits masked."""
    masked = [_DIGITS_RE.sub("0", t) for t in units["text"]] if len(units) else []
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    try:
        return vectoriser.fit_transform(masked)
    except ValueError:  # no characters to vectorise
        return csr_matrix((len(masked), 1))


def unit_counts(units: pd.DataFrame) -> csr_matrix:
    """Character n-gram counts of all units of a call, digits masked (the costly part, done once).

    Each distinct text is counted once: articles of one story often repeat sentences word
    for word (wire copy, updates), and counting is the cost.
    """
    masked = [_DIGITS_RE.sub("0", t) for t in units["text"]] if len(units) else []
    codes, distinct = pd.factorize(pd.Series(masked, dtype=object))
    try:
        counts = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(list(distinct))
    except ValueError:  # no characters to vectorise
        return csr_matrix((len(masked), 1))
    return counts.tocsr()[codes]


def story_vectors(counts: csr_matrix) -> csr_matrix:
    """TF-IDF rows with the story's own IDF, which discounts what all its articles say.

    Equal to fitting unit_vectors on the story's units alone: n-grams the story lacks are
    zero columns whatever their weight.
    """
    if counts.shape[0] == 0:
        return counts
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts)


def story_similarity(units: pd.DataFrame, vectors: csr_matrix | None = None) -> np.ndarray:
    """Unit x unit similarity inside one story (text, entities, and the neighbouring sentence)."""
    if len(units) == 0:
        return np.zeros((0, 0))
    vectors = unit_vectors(units) if vectors is None else vectors
    text = (vectors @ vectors.T).toarray()
    sim = TEXT_WEIGHT * text + ENTITY_WEIGHT * _jaccard(units["entities"].tolist())
    article = units["article_id"].to_numpy()
    has_previous = np.r_[False, article[1:] == article[:-1]]
    rows = np.flatnonzero(has_previous)
    previous_row = np.zeros_like(sim)  # sim of (sentence before i, j)
    previous_row[rows] = sim[rows - 1]
    previous_col = np.zeros_like(sim)  # sim of (i, sentence before j)
    previous_col[:, rows] = sim[:, rows - 1]
    neighbour = np.maximum(previous_row, previous_col)
    return np.maximum(sim, (sim + neighbour) / 2)


def _jaccard(sets: list[frozenset]) -> np.ndarray:
    keys = sorted(set().union(*sets)) if sets else []
    if not keys:
        return np.zeros((len(sets), len(sets)))
    position = {k: i for i, k in enumerate(keys)}
    rows = [row for row, entities in enumerate(sets) for _ in entities]
    cols = [position[k] for entities in sets for k in entities]
    member = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), len(keys)))
    both = (member @ member.T).toarray()
    counts = np.asarray(member.sum(axis=1)).ravel()
    either = counts[:, None] + counts[None, :] - both
    return np.divide(both, either, out=np.zeros_like(both), where=either > 0)


def align(
    sim: np.ndarray, rows_a: np.ndarray, rows_b: np.ndarray, minimum: float = MIN_ALIGNMENT
) -> list[tuple[int, int, float]]:
    """Mutually best pairs (unit index a, unit index b, similarity) at or above minimum."""
    if len(rows_a) == 0 or len(rows_b) == 0:
        return []
    block = sim[np.ix_(rows_a, rows_b)]
    best_b = block.argmax(axis=1)
    best_a = block.argmax(axis=0)
    pairs = []
    for i, j in enumerate(best_b):
        if best_a[j] == i and block[i, j] >= minimum:
            pairs.append((int(rows_a[i]), int(rows_b[j]), float(block[i, j])))
    return pairs
