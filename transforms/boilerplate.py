"""Boilerplate removal for page-text dumps (the visible text of a whole page, one block per line).

Two stages: (1) the pattern table `parsing/patterns/boilerplate.tsv` removes recognisable furniture
(advertisement markers, share/follow lines, captions and credits, related-article teasers with
their headlines); (2) on text that is a page dump, a line-block classifier in the spirit of jusText
(length, stop-word density, sentence shape, context of neighbours) keeps the main text block and
drops menus, teaser lists and footers. jusText itself needs HTML structure (link density, tags),
which a text dump no longer has, hence the text-only variant here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from transforms.page_metadata import is_title_shaped, stoplist
from transforms.parsing.tables import load_table

_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[.!?…]['\"’”)\]]*(?:\s|$)")


@dataclass(frozen=True)
class _Rule:
    kind: str
    lang: str
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    return tuple(
        _Rule(row["kind"], row["lang"], re.compile(row["regex"], re.I | re.S))
        for row in load_table("boilerplate")
    )


def _rule_for(line: str, language: str | None) -> tuple[_Rule, re.Match[str]] | None:
    for rule in _rules():
        if rule.lang not in ("*", language):
            continue
        match = rule.regex.fullmatch(line)
        if match:
            return rule, match
    return None


def _next_nonblank(lines: list[str], i: int, step: int = 1) -> int | None:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].strip():
            return j
        j += step
    return None


def furniture_lines(lines: list[str], language: str | None = None) -> dict[int, str]:
    """Index -> kind (furniture / teaser / caption / related) of every line the pattern table removes."""
    removed: dict[int, str] = {}
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or i in removed:
            continue
        found = _rule_for(line, language)
        if found is None:
            continue
        rule, match = found
        removed[i] = rule.kind
        if rule.kind == "teaser" and len(_WORD.findall(match.groupdict().get("headline") or "")) < 3:
            j = _next_nonblank(lines, i)
            if j is not None and is_title_shaped(lines[j]) and not is_paragraph(lines[j]):
                removed[j] = "teaser"
        elif rule.kind == "caption":
            _drop_repeated_caption(lines, i, removed)
        elif rule.kind == "related":
            j = _next_nonblank(lines, i)
            for _ in range(20):  # a teaser list is a run of headline-shaped lines
                if j is None or is_paragraph(lines[j]) or len(_WORD.findall(lines[j])) > 30:
                    break
                removed[j] = "teaser"
                j = _next_nonblank(lines, j)
    _drop_adjacent_repeats(lines, removed)
    return removed


def _drop_repeated_caption(lines: list[str], i: int, removed: dict[int, str]) -> None:
    """Pages print an image's alt text and then its caption: the line before repeating it goes too."""
    caption = re.split(r"\s[|]\s", lines[i].strip())[0].strip()
    j = _next_nonblank(lines, i, -1)
    if j is not None and j not in removed and lines[j].strip() and caption.startswith(lines[j].strip()):
        removed[j] = "caption"


def _drop_adjacent_repeats(lines: list[str], removed: dict[int, str]) -> None:
    """A short line printed twice in a row (alt text and caption, a repeated heading) is page furniture."""
    for i, raw in enumerate(lines):
        j = _next_nonblank(lines, i)
        fresh = raw.strip() and j is not None and i not in removed and j not in removed
        if fresh and lines[j].strip() == raw.strip() and len(_WORD.findall(raw)) <= 40:
            removed[i] = "caption"


def is_paragraph(line: str) -> bool:
    """A body paragraph: long enough and with a sentence end (a headline or a menu item is neither)."""
    text = line.strip()
    return len(_WORD.findall(text)) >= 15 and bool(_SENTENCE.search(text))


# --------------------------------------------------------------------------- main-text block classifier

_LENGTH_LOW, _LENGTH_HIGH = 70, 200
_STOP_LOW, _STOP_HIGH = 0.30, 0.32


def _classify(line: str, stops: frozenset[str]) -> str:
    """jusText's context-free classes on one text line: good / near / short / bad."""
    text = line.strip()
    words = [w.lower() for w in _WORD.findall(text)]
    if len(text) < _LENGTH_LOW or len(words) < 4:
        return "short"
    density = sum(w in stops for w in words) / len(words)
    sentence_like = bool(_SENTENCE.search(text)) or text.endswith(("”", '"'))
    if density >= _STOP_HIGH and sentence_like:
        return "good" if len(text) > _LENGTH_HIGH or len(words) >= 25 else "near"
    if density >= _STOP_LOW or (sentence_like and density >= 0.2 and len(words) >= 12):
        return "near"
    return "bad"


def _resolve(classes: list[str]) -> list[str]:
    """Context: short and near-good lines take the class of their good/bad neighbours."""
    n = len(classes)

    def neighbour(i: int, step: int) -> str:
        j = i + step
        while 0 <= j < n:
            if classes[j] in ("good", "bad"):
                return classes[j]
            j += step
        return "bad"

    out = list(classes)
    for i, cls in enumerate(classes):
        if cls == "near":
            out[i] = "good" if "good" in (neighbour(i, -1), neighbour(i, 1)) else "bad"
    for i, cls in enumerate(classes):
        if cls == "short":
            prev, nxt = neighbour(i, -1), neighbour(i, 1)
            out[i] = "good" if prev == nxt == "good" else "bad"
    return out


def main_text_lines(lines: list[str], skip: set[int], language: str | None) -> set[int]:
    """Indexes of lines outside the main text of a page dump (beside those in `skip`).

    Lines are classified, then the main block is the maximum-scoring run (good lines count their
    length, bad lines against it), so a good paragraph in a footer far from the article is dropped.
    """
    stops = stoplist(language)
    index = [i for i, line in enumerate(lines) if line.strip() and i not in skip]
    if not index:
        return set()
    classes = _resolve([_classify(lines[i], stops) for i in index])
    # Headings: a short title-shaped line directly before a good line belongs to the text.
    for k in range(len(index) - 1):
        between = k > 0 and classes[k - 1] == "good" and classes[k + 1] == "good"
        if between and classes[k] == "bad" and is_title_shaped(lines[index[k]]):
            classes[k] = "good"
    scores = [
        len(lines[i].strip()) if c == "good" else -max(len(lines[i].strip()), 40)
        for i, c in zip(index, classes, strict=False)
    ]
    start, end = _best_run(scores)
    drop = {i for k, i in enumerate(index) if not (start <= k <= end) or classes[k] != "good"}
    return drop


def _best_run(scores: list[int]) -> tuple[int, int]:
    """Kadane: the contiguous run with the largest sum (first and last position, inclusive)."""
    best, best_span = float("-inf"), (0, -1)
    total, start = 0, 0
    for k, score in enumerate(scores):
        if total <= 0:
            total, start = score, k
        else:
            total += score
        if total > best:
            best, best_span = total, (start, k)
    return best_span if best > 0 else (0, -1)
