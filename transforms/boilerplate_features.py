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

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"’”»)\]]*(?:\s|$)")
_SEPARATOR = re.compile(r"\s[|•·»›/>]\s|\s[|•·»›]$|^[|•·»›]\s")
_URLISH = re.compile(r"https?://|www\.|\w@\w|\.(?:com|org|net|html?)\b", re.I)
_DIGIT = re.compile(r"\d")
_DENSE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")

# Per-block cues; the neighbourhood features repeat some of them for the blocks around.
_OWN = (
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
    "raw_good",
    "raw_near",
    "raw_short",
    "raw_bad",
    "resolved_good",
    "rule_kept",
)
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


def _own(text: str, stops: frozenset[str] | None, title_words: set[str], seen: Counter) -> dict[str, float]:
    words = _WORD.findall(text)
    lower = [w.lower() for w in words]
    n_words = max(len(words), 1)
    chars = max(len(text), 1)
    dense = len(_DENSE_SCRIPT.findall(text)) > 0.3 * len(text)
    if dense:  # one CJK/Hangul character carries about a word's worth
        n_words = max(n_words, len(text) // 2)
    punct = sum(1 for c in text if not c.isalnum() and not c.isspace())
    return {
        "log_chars": math.log1p(len(text) * (2.5 if dense else 1)),
        "log_words": math.log1p(n_words),
        "stop_density": sum(w in stops for w in lower) / n_words if stops else 0.0,
        "has_stoplist": 1.0 if stops else 0.0,
        "sentence_ends": min(len(_SENTENCE_END.findall(text)), 10) / 10,
        "ends_sentence": 1.0
        if _SENTENCE_END.search(text[-3:] + " ") or text.endswith(('"', "”", "»"))
        else 0.0,
        "ends_colon": 1.0 if text.endswith(":") else 0.0,
        "comma_rate": text.count(",") / n_words,
        "digit_share": len(_DIGIT.findall(text)) / chars,
        "capital_words": sum(w[:1].isupper() for w in words) / n_words,
        "starts_lower": 1.0 if text[:1].islower() else 0.0,
        "all_caps": 1.0 if text.isupper() else 0.0,
        "separators": min(len(_SEPARATOR.findall(text)), 5) / 5,
        "urlish": 1.0 if _URLISH.search(text) else 0.0,
        "punct_share": punct / chars,
        "mean_word_len": min(sum(map(len, words)) / n_words, 20) / 20 if words else 0.0,
        "repeated": 1.0 if seen[text] > 1 else 0.0,
        "title_overlap": len(set(lower) & title_words) / len(set(lower)) if words and title_words else 0.0,
    }


def block_features(
    texts: Sequence[str],
    raw: Sequence[str],
    resolved: Sequence[str],
    rule_kept: set[int],
    stops: frozenset[str] | None,
    title: str | None,
    cut: int | None,
    start: int | None,
) -> list[list[float]]:
    """One vector (in `FEATURES` order) per block. `raw`/`resolved` are the rule classifier's classes,
    `rule_kept` the blocks of its main run, `cut` the first block after a comments heading, `start`
    the first block after the byline/time lines."""
    n = len(texts)
    seen = Counter(texts)
    title_words = {w.lower() for w in _WORD.findall(title or "")}
    own = [_own(t, stops, title_words, seen) for t in texts]
    for k, row in enumerate(own):
        for cls in ("good", "near", "short", "bad"):
            row[f"raw_{cls}"] = 1.0 if raw[k] == cls else 0.0
        row["resolved_good"] = 1.0 if resolved[k] == "good" else 0.0
        row["rule_kept"] = 1.0 if k in rule_kept else 0.0
    total = max(sum(map(len, texts)), 1)
    before = 0
    runs = _short_runs(raw)
    kept_share = sum(len(texts[k]) for k in rule_kept) / total
    vectors: list[list[float]] = []
    for k in range(n):
        row = dict(own[k])
        for side, step in (("prev", -1), ("next", 1)):
            for d in (1, 2):
                j = k + step * d
                for name in _CONTEXT:
                    row[f"{side}{d}_{name}"] = own[j][name] if 0 <= j < n else 0.0
        window = own[max(k - 2, 0) : k + 3]
        for name in _CONTEXT:
            row[f"window5_{name}"] = sum(w[name] for w in window) / len(window)
        row["position"] = k / max(n - 1, 1)
        row["chars_before"] = before / total
        before += len(texts[k])
        row["after_cut"] = 1.0 if cut is not None and k >= cut else 0.0
        row["after_anchor"] = 1.0 if start is not None and k >= start else 0.0
        row["blocks_from_anchor"] = math.tanh((k - start) / 10) if start is not None else 0.0
        row["short_run"] = min(runs[k], 10) / 10
        row["kept_share"] = kept_share
        vectors.append([row[name] for name in FEATURES])
    return vectors


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
