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

import itertools
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

_DIGITS_RE = re.compile(r"\d")
TEXT_WEIGHT = 0.75
ENTITY_WEIGHT = 0.25
MIN_ALIGNMENT = 0.3
MIN_TYPED_ALIGNMENT = 0.2  # among sentences that both state a date (or a number), a weaker match suffices
_NGRAMS = (3, 5)  # character n-gram lengths, as scikit-learn's ngram_range
_CHUNK_CHARACTERS = 500_000  # of unit text counted at once (the count's memory follows it)


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
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=_NGRAMS, sublinear_tf=True)
    try:
        return vectoriser.fit_transform(masked)
    except ValueError:  # no characters to vectorise
        return csr_matrix((len(masked), 1))


def unit_counts(units: pd.DataFrame) -> csr_matrix:
    """Character n-gram counts of the units, digits masked: the n-grams of `unit_vectors`, the
    counting done once for many stories (a count per story would pay its fixed cost per story).

    Columns are consistent across all rows of one call. Each distinct text is counted once:
    articles of one story often repeat sentences word for word (wire copy, updates).
    """
    masked = [_DIGITS_RE.sub("0", t) for t in units["text"]] if len(units) else []
    codes, distinct = pd.factorize(pd.Series(masked, dtype=object))
    counts = char_wb_counts(list(distinct))
    if counts is None:
        try:
            counts = CountVectorizer(analyzer="char_wb", ngram_range=_NGRAMS).fit_transform(list(distinct))
        except ValueError:  # no characters to vectorise
            return csr_matrix((len(masked), 1))
    return counts.tocsr()[codes]


def story_unit_counts(units: pd.DataFrame, stories: list[np.ndarray]) -> Iterator[csr_matrix]:
    """`unit_counts` of each story's rows of `units`, in story order, counted a chunk of stories
    at a time: the memory of a count follows its characters, so a chunk holds about
    _CHUNK_CHARACTERS of them (a story's columns need only agree within the story)."""
    lengths = units["text"].str.len().to_numpy() if len(units) else np.zeros(0)
    chunk: list[np.ndarray] = []
    size = 0
    for rows in [*stories, None]:
        if chunk and (rows is None or size + lengths[rows].sum() > _CHUNK_CHARACTERS):
            counts = unit_counts(units.iloc[np.concatenate(chunk)])
            bounds = np.cumsum([0, *(len(r) for r in chunk)])
            yield from (counts[a:b] for a, b in itertools.pairwise(bounds))
            chunk, size = [], 0
        if rows is not None:
            chunk.append(rows)
            size += int(lengths[rows].sum())


def char_wb_counts(texts: list[str]) -> csr_matrix | None:
    """The counts of scikit-learn's `CountVectorizer(analyzer="char_wb", ngram_range=(3, 5))`, in
    another column order; None where the texts hold too many distinct characters for it.

    The vectoriser builds every n-gram as a Python string (most of the discrepancy step's cost);
    here each n-gram is a number: its characters' ranks in the call's alphabet, base the alphabet's
    size (exact while size**5 fits in 63 bits), computed for all positions at once. As there, an
    n-gram is taken within one lower-cased word padded with a space on each side.
    """
    words = [t.lower().split() for t in texts]
    flat = [w for ws in words for w in ws]
    if not flat:
        return csr_matrix((len(texts), 1), dtype=np.int64)
    chars = np.frombuffer((" " + "  ".join(flat) + " ").encode("utf-32-le"), dtype=np.uint32)
    alphabet, ranks = np.unique(chars, return_inverse=True)
    base = len(alphabet)
    if base ** _NGRAMS[1] >= 2**63:
        return None
    ranks = ranks.astype(np.int64).ravel()
    padded = np.fromiter((len(w) + 2 for w in flat), np.int64, len(flat))
    word_row = np.repeat(np.arange(len(texts)), [len(ws) for ws in words])
    row_of = np.repeat(word_row, padded)
    left = np.repeat(np.cumsum(padded), padded) - np.arange(len(ranks))  # characters left in the word
    rows, columns, width = [], [], 0
    value = np.zeros(len(ranks), np.int64)
    for n in range(1, _NGRAMS[1] + 1):
        value = value * base
        value[: max(len(ranks) - n + 1, 0)] += ranks[n - 1 :]  # value[i]: the n-gram starting at i
        if n >= _NGRAMS[0]:
            inside = left >= n
            ids, distinct = pd.factorize(value[inside])
            rows.append(row_of[inside])
            columns.append(ids + width)
            width += len(distinct)
    rows_all, columns_all = np.concatenate(rows), np.concatenate(columns)
    ones = np.ones(len(rows_all), np.int64)
    return coo_matrix((ones, (rows_all, columns_all)), shape=(len(texts), width)).tocsr()


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
