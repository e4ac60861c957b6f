"""Features of one block of a page-text dump and of its neighbourhood, for the learned boilerplate model.

Only shape cues that hold on any outlet and in any language: length, punctuation, digits and
capitals, link-like separators, position on the page, repetition, likeness to the headline, the
text-block classes of the rule-based classifier (`transforms/boilerplate.py`) and the same cues on
the neighbouring blocks. No word or phrase of any page is a feature, so nothing learnt is an outlet.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"’”»)\]]*(?:\s|$)")
_SEPARATOR = re.compile(r"\s[|•·»›/>]\s|\s[|•·»›]$|^[|•·»›]\s")
_URLISH = re.compile(r"https?://|www\.|\w@\w|\.(?:com|org|net|html?)\b", re.I)
_DIGIT = re.compile(r"\d")
_DENSE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")

# Per-block cues (`_OWN_CUES` from the text, then the rule classifier's classes); the neighbourhood
# features repeat some of them for the blocks around.
_OWN_CUES = (
    "log_chars",
    "log_words",
    "stop_density",
    "has_stoplist",
    "sentence_ends",
    "ends_sentence",
    "ends_colon",
    "comma_rate",
    "digit_share",
    "capital_words",
    "starts_lower",
    "all_caps",
    "separators",
    "urlish",
    "punct_share",
    "mean_word_len",
    "repeated",
    "title_overlap",
)
_OWN = (*_OWN_CUES, "raw_good", "raw_near", "raw_short", "raw_bad", "resolved_good", "rule_kept")
_CONTEXT = ("log_chars", "ends_sentence", "stop_density", "rule_kept", "raw_short")
_PAGE = (
    "position",
    "chars_before",
    "after_cut",
    "after_anchor",
    "blocks_from_anchor",
    "short_run",
    "kept_share",
)
FEATURES: tuple[str, ...] = (
    _OWN
    + tuple(f"{side}{k}_{name}" for side in ("prev", "next") for k in (1, 2) for name in _CONTEXT)
    + tuple(f"window5_{name}" for name in _CONTEXT)
    + _PAGE
)


def _own(text: str, stops: frozenset[str] | None, title_words: set[str], seen: Counter) -> tuple[float, ...]:
    words = _WORD.findall(text)
    lower = [w.lower() for w in words]
    n_words = max(len(words), 1)
    chars = max(len(text), 1)
    dense = len(_DENSE_SCRIPT.findall(text)) > 0.3 * len(text)
    if dense:  # one CJK/Hangul character carries about a word's worth
        n_words = max(n_words, len(text) // 2)
    punct = sum(1 for c in text if not c.isalnum() and not c.isspace())
    return (  # in `_OWN_CUES` order
        math.log1p(len(text) * (2.5 if dense else 1)),  # log_chars
        math.log1p(n_words),  # log_words
        sum(w in stops for w in lower) / n_words if stops else 0.0,  # stop_density
        1.0 if stops else 0.0,  # has_stoplist
        min(len(_SENTENCE_END.findall(text)), 10) / 10,  # sentence_ends
        1.0
        if _SENTENCE_END.search(text[-3:] + " ") or text.endswith(('"', "”", "»"))
        else 0.0,  # ends_sentence
        1.0 if text.endswith(":") else 0.0,  # ends_colon
        text.count(",") / n_words,  # comma_rate
        len(_DIGIT.findall(text)) / chars,  # digit_share
        sum(w[:1].isupper() for w in words) / n_words,  # capital_words
        1.0 if text[:1].islower() else 0.0,  # starts_lower
        1.0 if text.isupper() else 0.0,  # all_caps
        min(len(_SEPARATOR.findall(text)), 5) / 5,  # separators
        1.0 if _URLISH.search(text) else 0.0,  # urlish
        punct / chars,  # punct_share
        min(sum(map(len, words)) / n_words, 20) / 20 if words else 0.0,  # mean_word_len
        1.0 if seen[text] > 1 else 0.0,  # repeated
        len(set(lower) & title_words) / len(set(lower)) if words and title_words else 0.0,  # title_overlap
    )


def block_features(
    texts: Sequence[str],
    raw: Sequence[str],
    resolved: Sequence[str],
    rule_kept: set[int],
    stops: frozenset[str] | None,
    title: str | None,
    cut: int | None,
    start: int | None,
) -> np.ndarray:
    """One row (in `FEATURES` order) per block. `raw`/`resolved` are the rule classifier's classes,
    `rule_kept` the blocks of its main run, `cut` the first block after a comments heading, `start`
    the first block after the byline/time lines. The neighbourhood columns are shifted copies of the
    block's own, built for the whole page at once."""
    n = len(texts)
    seen = Counter(texts)
    title_words = {w.lower() for w in _WORD.findall(title or "")}
    own = np.array([_own(t, stops, title_words, seen) for t in texts], dtype=float).reshape(n, len(_OWN_CUES))
    classes = np.array(
        [
            [
                raw[k] == "good",
                raw[k] == "near",
                raw[k] == "short",
                raw[k] == "bad",
                resolved[k] == "good",
                k in rule_kept,
            ]
            for k in range(n)
        ],
        dtype=float,
    ).reshape(n, 6)
    own = np.hstack([own, classes])  # columns in `_OWN` order
    context = own[:, [_OWN.index(name) for name in _CONTEXT]]
    padded = np.vstack([np.zeros((2, len(_CONTEXT))), context, np.zeros((2, len(_CONTEXT)))])
    shifted = [padded[2 + step * d : 2 + step * d + n] for step in (-1, 1) for d in (1, 2)]
    sums = np.cumsum(np.vstack([np.zeros((1, len(_CONTEXT))), context]), axis=0)
    k = np.arange(n)
    low, high = np.maximum(k - 2, 0), np.minimum(k + 3, n)
    window = (sums[high] - sums[low]) / (high - low)[:, None]
    lengths = np.array([len(t) for t in texts], dtype=float)
    total = max(lengths.sum(), 1.0)
    page = np.column_stack(
        [
            k / max(n - 1, 1),
            (np.cumsum(lengths) - lengths) / total,
            k >= cut if cut is not None else np.zeros(n),
            k >= start if start is not None else np.zeros(n),
            np.tanh((k - start) / 10) if start is not None else np.zeros(n),
            np.minimum(_short_runs(raw), 10) / 10,
            np.full(n, sum(len(texts[j]) for j in rule_kept) / total),
        ]
    )
    return np.hstack([own, *shifted, window, page])


def _short_runs(raw: Sequence[str]) -> list[int]:
    runs = [0] * len(raw)
    k = 0
    while k < len(raw):
        end = k
        while end < len(raw) and raw[end] == "short":
            end += 1
        for j in range(k, end):
            runs[j] = end - k
        k = max(end, k + 1)
    return runs
