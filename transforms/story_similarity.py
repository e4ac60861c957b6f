"""How alike two articles are, for grouping them into stories: a function of the two articles alone.

Three views, each a cosine of sublinear term counts: their words, the words of the names they
mention (so a surname alone still matches the full name), and the numbers and years they state —
entities, numbers and dates are what tell apart two events of the same kind (two earthquakes),
words alone join them. Publication times, where both are known, damp the similarity of articles
far apart in time.

A term weighs what it tells in the language at large (wordfreq's frequency, -log f), not in the
batch at hand: a weighting fitted to the articles of a run (TF-IDF) makes the similarity of two
articles depend on what else arrived with them, and the stories on the order the articles came
in. With weights fixed, a later run compares two articles exactly as one run over everything does.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.preprocessing import normalize

_FLOOR = 1e-8  # the frequency of a word wordfreq does not know: rare
_NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_NAME_WORD_RE = re.compile(r"[^\W\d_][\w'’-]+")
_WORDFREQ_LANGUAGES: frozenset[str] | None = None


def _languages() -> frozenset[str]:
    global _WORDFREQ_LANGUAGES
    if _WORDFREQ_LANGUAGES is None:
        from wordfreq import available_languages

        _WORDFREQ_LANGUAGES = frozenset(available_languages())
    return _WORDFREQ_LANGUAGES


@lru_cache(maxsize=500_000)
def term_weight(term: str, language: str) -> float:
    """-log of the term's frequency in the language (English where wordfreq has no list for it)."""
    from wordfreq import word_frequency

    language = language if language in _languages() else "en"
    try:
        frequency = word_frequency(term, language)
    except Exception:  # a language whose tokenizer needs an optional package (zh, ja): no list
        frequency = 0.0
    return -math.log(max(frequency, _FLOOR))


def _weighted(counts: csr_matrix, vocabulary: np.ndarray, languages: np.ndarray) -> csr_matrix:
    """Rows of sublinear counts times the term weights of each row's language, L2-normalised."""
    counts = counts.tocsr().astype(float)
    counts.data = 1.0 + np.log(counts.data)
    row_of_entry = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    entry_language = languages[row_of_entry]
    for language in dict.fromkeys(languages):  # each language's terms looked up once
        entries = np.flatnonzero(entry_language == language)
        terms, inverse = np.unique(counts.indices[entries], return_inverse=True)
        weights = np.array([term_weight(vocabulary[j], language) for j in terms])
        counts.data[entries] *= weights[inverse]
    return normalize(counts)


class ArticleSimilarity:
    """Similarity of chosen articles to all articles of a frame, computed row block by row block."""

    def __init__(
        self,
        articles: pd.DataFrame,
        mentions: pd.DataFrame,
        weights: tuple[float, float, float],
        time_scale_days: float,
    ) -> None:
        """articles: article_id, title, body, published_at, language (optional);
        mentions: article_id, label, text of named-entity mentions."""
        texts = (articles["title"].fillna("") + " . " + articles["body"].fillna("")).tolist()
        languages = (
            articles["language"].fillna("en").astype(str).to_numpy()
            if "language" in articles
            else np.full(len(articles), "en", dtype=object)
        )
        names = _name_documents(articles["article_id"], mentions)
        numbers = [" ".join(_NUMBER_RE.findall(t.replace(",", ""))) for t in texts]
        views = (
            (texts, {"stop_words": list(ENGLISH_STOP_WORDS)}),
            (names, {"analyzer": str.split}),
            (numbers, {"analyzer": str.split}),
        )
        self._views = [
            (_vectors(documents, languages, options), weight)
            for (documents, options), weight in zip(views, weights, strict=True)
        ]
        times = pd.to_datetime(articles["published_at"], utc=True)
        days = (times.astype("int64") / 86_400e6).to_numpy(dtype=float, copy=True)
        days[times.isna().to_numpy()] = np.nan
        self._days = days
        self._time_scale_days = time_scale_days
        self.size = len(articles)

    def rows(self, chosen: np.ndarray) -> np.ndarray:
        """len(chosen) x all articles, in [0, 1]."""
        out = np.zeros((len(chosen), self.size))
        for matrix, weight in self._views:
            if matrix is not None:
                out += weight * (matrix[chosen] @ matrix.T).toarray()
        out *= time_factor(self._days[chosen], self._days, self._time_scale_days)
        return out


def _vectors(documents: list[str], languages: np.ndarray, options: dict) -> csr_matrix | None:
    if not any(d.strip() for d in documents):
        return None
    vectorizer = CountVectorizer(**options)
    try:
        counts = vectorizer.fit_transform(documents)
    except ValueError:  # nothing left after stop words
        return None
    return _weighted(counts, vectorizer.get_feature_names_out(), languages)


def time_factor(rows: np.ndarray, columns: np.ndarray, scale_days: float) -> np.ndarray:
    """1 within two days; decays with the gap when both times are known; 1 when either is unknown."""
    gap = np.abs(rows[:, None] - columns[None, :])
    factor = 1.0 / (1.0 + np.maximum(gap - 2.0, 0.0) / scale_days)
    factor[np.isnan(gap)] = 1.0
    return factor


def _name_documents(article_ids: pd.Series, mentions: pd.DataFrame) -> list[str]:
    """The words of the names each article mentions, as written ("wladimir klitschko", "klitschko"):
    as written, not as linked, so that the view does not depend on what the registry knew."""
    if mentions.empty:
        return [""] * len(article_ids)
    frame = mentions[["article_id", "text"]].drop_duplicates()  # one vote per name and article
    words = frame["text"].str.lower().str.findall(_NAME_WORD_RE).str.join(" ")
    joined = words.groupby(frame["article_id"].to_numpy()).agg(" ".join)
    return [joined.get(aid, "") for aid in article_ids]
