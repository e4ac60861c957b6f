"""Boilerplate removal for page-text dumps (the visible text of a whole page, one block per line).

Two stages: (1) the pattern table `parsing/patterns/boilerplate.tsv` removes recognisable furniture
(advertisement markers, share/follow lines, captions and credits, related-article teasers with
their headlines); (2) on text that is a page dump, the main text is chosen block by block. A
line-block classifier in the spirit of jusText (length, stop-word density, sentence shape, context
of neighbours, best-scoring run) gives each block a class and proposes a main run (`page_blocks`);
the learned model (`boilerplate_model.py`, features in `boilerplate_features.py`) takes those and
the block's own shape and neighbourhood and decides (`main_text_lines`). jusText itself needs HTML
structure (link density, tags), which a text dump no longer has, hence the text-only variant here.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, pairwise

import numpy as np

from transforms.boilerplate_features import block_features
from transforms.boilerplate_model import best_run, boilerplate_model
from transforms.page_metadata import find_title, is_title_shaped, load_table, stoplist

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


_MAX_FURNITURE_CHARS = 2000  # longer lines are never furniture: no pattern is tried on them


def furniture_lines(lines: list[str], language: str | None = None) -> dict[int, str]:
    """Index -> kind (furniture, teaser, caption, related, cutoff) of each line the pattern table removes."""
    filled = [i for i, line in enumerate(lines) if line.strip()]  # positions of non-blank lines
    removed: dict[int, str] = {}
    for k, i in enumerate(filled):
        line = lines[i].strip()
        if i in removed or len(line) > _MAX_FURNITURE_CHARS:
            continue
        found = _rule_for(line, language)
        if found is None:
            continue
        rule, match = found
        if rule.kind == "teaser" and _reads_on(match.groupdict().get("headline") or ""):
            continue
        removed[i] = rule.kind
        following = filled[k + 1 : k + 21]
        if rule.kind == "teaser" and len(_WORD.findall(match.groupdict().get("headline") or "")) < 3:
            if following and is_title_shaped(lines[following[0]]) and not is_paragraph(lines[following[0]]):
                removed[following[0]] = "teaser"
        elif rule.kind == "caption" and k > 0:
            _drop_repeated_caption(lines, i, filled[k - 1], removed)
        elif rule.kind == "related":
            for j in following:  # a teaser list is a run of headline-shaped lines
                if is_paragraph(lines[j]) or len(_WORD.findall(lines[j])) > 30:
                    break
                removed[j] = "teaser"
    _drop_adjacent_repeats(lines, filled, removed)
    return removed


def _reads_on(rest: str) -> bool:
    """After a teaser cue, a comma or a whole paragraph is a sentence going on ("In other news,
    somewhere…", "Also on Saturday, a spokesman said…"), not the headline a teaser links to."""
    return rest.lstrip().startswith(",") or is_paragraph(rest)


def _drop_repeated_caption(lines: list[str], i: int, j: int, removed: dict[int, str]) -> None:
    """Pages print an image's alt text and then its caption: the line `j` before repeating it goes too."""
    caption = re.split(r"\s[|]\s", lines[i].strip())[0].strip()
    if j not in removed and caption.startswith(lines[j].strip()):
        removed[j] = "caption"


def _drop_adjacent_repeats(lines: list[str], filled: list[int], removed: dict[int, str]) -> None:
    """A line printed again right after itself is page furniture: alt text then caption, a heading
    shown twice, or an image line repeated with a credit ("Engineers at work (Photo: City)")."""
    for i, j in pairwise(filled):
        if i in removed or j in removed or is_paragraph(lines[i]):
            continue
        first, second = lines[i].strip(), lines[j].strip()
        if second == first:
            removed[i] = "caption"
        elif len(_WORD.findall(first)) >= 3 and second.startswith(first) and len(second) - len(first) <= 80:
            credit = second[len(first) :]
            if _CREDIT.search(credit):
                removed[i] = removed[j] = "caption"


_CREDIT = re.compile(r"\b(?:photo|image|picture|pic|credit|courtesy|file|getty|reuters|ap|afp|x)\b", re.I)


def strip_furniture(text: str, language: str | None = None) -> tuple[str, list[str]]:
    """Pattern-table furniture out of an already extracted body (feed content, API text):
    (body, removed lines). No main-text search: the body is known to be the article."""
    lines = text.split("\n")
    removed = furniture_lines(lines, language)
    if not removed:
        return text, []
    body = "\n".join(line for i, line in enumerate(lines) if i not in removed)
    return re.sub(r"\n{3,}", "\n\n", body).strip(), [lines[i].strip() for i in sorted(removed)]


def is_paragraph(line: str) -> bool:
    """A body paragraph: long enough and with a sentence end (a headline or a menu item is neither)."""
    text = line.strip()
    return len(_WORD.findall(text)) >= 15 and bool(_SENTENCE.search(text))


# --------------------------------------------------------------------------- main-text block classifier

_LENGTH_LOW, _LENGTH_HIGH = 70, 200
_STOP_LOW, _STOP_HIGH = 0.30, 0.32
_DENSE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_CJK_STOP = re.compile(r"[。！？．]")
_FULL_SENTENCE = re.compile(r"^[\"“‘'(]?[A-Z0-9À-Þ].*[.!?…]['\"’”)]?$")


def _classify(text: str, stops: frozenset[str] | None) -> str:
    """jusText's context-free classes on one block of text: good / near / short / bad.

    Without a stop list for the language, sentence punctuation and length stand in for stop-word density.
    """
    words = [w.lower() for w in _WORD.findall(text)]
    dense = len(_DENSE_SCRIPT.findall(text)) > 0.3 * len(text)
    length = len(text) * (2.5 if dense else 1)  # one CJK/Hangul character carries about a word's worth
    sentence_like = bool(_SENTENCE.search(text)) or bool(_CJK_STOP.search(text)) or text.endswith(("”", '"'))
    if length < _LENGTH_LOW or (len(words) < 4 and not dense):
        # A whole short sentence (wire copy has one-line paragraphs) may be text; a menu item never is.
        full_sentence = len(words) >= 6 and _FULL_SENTENCE.match(text) is not None
        if full_sentence and stops is not None and sum(w in stops for w in words) >= 0.2 * len(words):
            return "near"
        return "short"
    if stops is None:
        if sentence_like:
            return "good" if length > _LENGTH_HIGH else "near"
        return "bad"
    density = sum(w in stops for w in words) / len(words)
    if density >= _STOP_HIGH and sentence_like:
        return "good" if length > _LENGTH_HIGH or len(words) >= 25 else "near"
    if density >= _STOP_LOW or (sentence_like and density >= 0.2 and len(words) >= 12):
        return "near"
    return "bad"


def _resolve(classes: list[str]) -> list[str]:
    """Context: short and near-good blocks take the class of their good/bad neighbours."""
    before, after = _nearest_decided(classes)
    out = list(classes)
    for i, cls in enumerate(classes):
        if cls == "near":
            out[i] = "good" if "good" in (before[i], after[i]) else "bad"
    runs = _short_runs(classes)
    for i, cls in enumerate(classes):
        if cls == "short":
            # A subhead between paragraphs is text; three or more short lines in a row are a menu,
            # a teaser block or a footer, whatever surrounds them.
            between_good = before[i] == after[i] == "good"
            out[i] = "good" if between_good and runs[i] <= _MAX_SHORT_RUN else "bad"
    return out


def _nearest_decided(classes: list[str]) -> tuple[list[str], list[str]]:
    """For each block, the class of the nearest good/bad block before it and after it ("bad" at the ends)."""
    before, after = ["bad"] * len(classes), ["bad"] * len(classes)
    last = "bad"
    for i, cls in enumerate(classes):
        before[i] = last
        if cls in ("good", "bad"):
            last = cls
    last = "bad"
    for i in range(len(classes) - 1, -1, -1):
        after[i] = last
        if classes[i] in ("good", "bad"):
            last = classes[i]
    return before, after


_MAX_SHORT_RUN = 2


def _short_runs(classes: list[str]) -> list[int]:
    """Length of the run of consecutive short blocks each block belongs to (0 for others)."""
    runs = [0] * len(classes)
    k = 0
    while k < len(classes):
        if classes[k] != "short":
            k += 1
            continue
        end = k
        while end < len(classes) and classes[end] == "short":
            end += 1
        for j in range(k, end):
            runs[j] = end - k
        k = end
    return runs


def _blocks(lines: list[str], index: list[int]) -> list[list[int]]:
    """Group hard-wrapped lines (a line continued by one starting in lower case) into one block."""
    blocks: list[list[int]] = []
    for i in index:
        text = lines[i].strip()
        if blocks:
            prev = lines[blocks[-1][-1]].strip()
            continues = text[:1].islower() or (prev.endswith((",", "-", "–", "(")) and not text[:1].isupper())
            if continues and not _SENTENCE.search(prev[-2:] + " ") and i == blocks[-1][-1] + 1:
                blocks[-1].append(i)
                continue
        blocks.append([i])
    return blocks


@dataclass
class PageBlocks:
    """A page dump cut into blocks, with what the rule-based classifier says of each."""

    blocks: list[list[int]]  # line indexes of each block
    texts: list[str]
    raw: list[str]  # context-free class: good / near / short / bad
    resolved: list[str]  # class after the neighbours' context: good / bad
    kept: set[int]  # blocks of the rule-based main run
    cut: int | None  # first block after a comments heading
    start: int | None  # first block after the byline/time lines
    stops: frozenset[str] | None


def page_blocks(
    lines: list[str],
    skip: set[int],
    language: str | None,
    cutoffs: tuple[int, ...] = (),
    anchor: int | None = None,
) -> PageBlocks | None:
    """Blocks of the lines outside `skip` and the rule-based main text among them (None: no text).

    Blocks are classified, then the main text is the maximum-scoring run of blocks (good ones count
    their length, bad ones against it), so good paragraphs in a footer far from the article drop out.
    When nothing reads as good text (short paragraphs, lists), near-good blocks count as good.
    """
    stops = _stoplist_or_none(language)
    index = [i for i, line in enumerate(lines) if line.strip() and i not in skip]
    if not index:
        return None
    blocks = _blocks(lines, index)
    texts = [" ".join(lines[i].strip() for i in block) for block in blocks]
    raw = [_classify(text, stops) for text in texts]
    cut = _cut_position(blocks, texts, raw, cutoffs)
    # The comments start at the cut: nothing after it is the article.
    end = len(blocks) if cut is None else cut
    start = bisect_left([block[0] for block in blocks], anchor + 1) if anchor is not None else None
    keep = _main_run(texts[:end], raw[:end], start)
    if not keep or sum(len(texts[k]) for k in keep) < 0.1 * sum(map(len, texts[:end])):
        relaxed = ["good" if c == "near" else c for c in raw[:end]]
        keep = _main_run(texts[:end], relaxed, start) or keep
    return PageBlocks(blocks, texts, raw, _resolve(raw), keep, cut, start, stops)


def main_text_lines(
    lines: list[str],
    skip: set[int],
    language: str | None,
    cutoffs: tuple[int, ...] = (),
    anchor: int | None = None,
) -> set[int]:
    """Indexes of lines outside the main text of a page dump (beside those in `skip`).

    The rule-based main run (`page_blocks`) and the block cues go through the learned model
    (`transforms/boilerplate_model.py`), which decides block by block.
    """
    page = page_blocks(lines, skip, language, cutoffs, anchor)
    if page is None:
        return set()
    return _lines_left_out(page, model_kept(lines, skip, page, anchor))


def _lines_left_out(page: PageBlocks, kept: set[int]) -> set[int]:
    kept_lines = {i for k in kept for i in page.blocks[k]}
    return {i for block in page.blocks for i in block if i not in kept_lines}


# A text with no pattern-table hit is still a page dump when it holds many short lines the model
# leaves out (menus, teaser lists, footers): at least this many, and this share of its blocks. News
# texts with a headline, dateline and short paragraphs stay well below (ECB+ dev at most 14 such lines).
_NAV_LINES, _NAV_SHARE = 25, 0.4


def is_page_dump(lines: list[str], skip: set[int], language: str | None, anchor: int | None = None) -> bool:
    """A page dump without furniture the pattern table knows (a language it has no rows for)."""
    return page_dump_left_out(lines, skip, language, anchor) is not None


def page_dump_left_out(
    lines: list[str], skip: set[int], language: str | None, anchor: int | None = None
) -> set[int] | None:
    """For a page dump without pattern-table furniture, the lines outside its main text (what
    `main_text_lines` gives for it, decided once); None for a text that is no page dump."""
    page = page_blocks(lines, skip, language, (), anchor)
    if page is None or len(page.texts) < _NAV_LINES:
        return None
    kept = model_kept(lines, skip, page, anchor)
    navigation = sum(1 for k, cls in enumerate(page.raw) if cls == "short" and k not in kept)
    if navigation < max(_NAV_LINES, _NAV_SHARE * len(page.texts)):
        return None
    return _lines_left_out(page, kept)


def model_kept(lines: list[str], skip: set[int], page: PageBlocks, anchor: int | None) -> set[int]:
    """Blocks the learned model keeps (the rule-based run when no model is shipped)."""
    model = boilerplate_model()
    if model is None:
        return page.kept
    return model.keep(page_vectors(lines, skip, page, anchor), page.texts)


def page_vectors(lines: list[str], skip: set[int], page: PageBlocks, anchor: int | None) -> np.ndarray:
    """The model's feature vector of each block; the headline is looked for above the rule-based run."""
    first = page.blocks[min(page.kept)][0] if page.kept else page.blocks[0][0]
    title = find_title(lines, first, skip, anchor)
    headline = lines[title].strip() if title is not None else None
    return block_features(
        page.texts, page.raw, page.resolved, page.kept, page.stops, headline, page.cut, page.start
    )


def _cut_position(
    blocks: list[list[int]], texts: list[str], raw: list[str], cutoffs: tuple[int, ...]
) -> int | None:
    """First block after a comments heading that follows at least a few paragraphs of text."""
    if not cutoffs:
        return None
    firsts = [block[0] for block in blocks]
    text_chars = list(
        accumulate(
            (len(t) if c in ("good", "near") else 0 for t, c in zip(texts, raw, strict=True)), initial=0
        )
    )
    for line in sorted(cutoffs):
        position = bisect_left(firsts, line)  # blocks before the heading
        if text_chars[position] >= 400:
            return position
    return None


def _main_run(texts: list[str], raw: list[str], start: int | None = None) -> set[int]:
    """Blocks of the main text: the best-scoring run, which must hold the first text block after the
    byline/time lines when the page has them (block `start` on), since that is where articles begin."""
    classes = _resolve(raw)
    for k in range(1, len(classes) - 1):  # a heading between two good blocks belongs to the text
        if classes[k] == "bad" and classes[k - 1] == classes[k + 1] == "good" and is_title_shaped(texts[k]):
            classes[k] = "good"
    scores = _scores(texts, classes, raw)
    first = None
    if start is not None:
        first = next((k for k in range(start, min(start + 4, len(scores))) if classes[k] == "good"), None)
    if first is not None:
        begin, end = _best_run_through(scores, first)
    else:
        begin, end = best_run(scores)
        if end < begin:  # only repeated text: then repetition is no evidence against it
            begin, end = best_run(_scores(texts, classes, raw, discount_repeats=False))
    # Inside the run: text blocks, and long low-density lines (lists, tables) between them.
    return {
        k for k in range(begin, end + 1) if classes[k] == "good" or (raw[k] == "bad" and len(texts[k]) > 100)
    }


# Weights of the main-run search, in characters of text.
_SHORT_PENALTY = 50  # least cost of a line that is not text (menu item, teaser headline)
_GAP_PENALTY = 80  # extra cost of each further non-text line in a row: a long gap ends the article
_LONG_BAD_SHARE = 0.3  # long low-density lines (lists, tables) inside the text cost little


def _scores(
    texts: list[str], classes: list[str], raw: list[str], discount_repeats: bool = True
) -> list[float]:
    # Text printed more than once on a page (a teaser repeating an article's lead, a sidebar shown
    # twice) gives no evidence of where the article is: it counts nothing, though it is kept in the text.
    seen = Counter(texts) if discount_repeats else Counter()
    scores: list[float] = []
    run = 0
    for text, cls, kind in zip(texts, classes, raw, strict=True):
        if cls == "good":
            run = 0
            weight = 0.0 if seen[text] > 1 else 1.0 if kind == "good" else 0.5 if kind == "near" else 0.0
            scores.append(weight * len(text))
            continue
        run += 1
        cost = (
            _LONG_BAD_SHARE * len(text)
            if kind == "bad" and len(text) > 100
            else max(len(text), _SHORT_PENALTY)
        )
        scores.append(-(cost + _GAP_PENALTY * max(run - 2, 0)))
    return scores


def _stoplist_or_none(language: str | None) -> frozenset[str] | None:
    if language is None:
        return stoplist("en")
    stops = stoplist(language)
    return stops if language == "en" or stops is not stoplist("en") else None


def _best_run_through(scores: list[float], k: int) -> tuple[int, int]:
    """The best-scoring contiguous run that contains position k."""
    start, total, best = k, 0.0, 0.0
    for j in range(k - 1, -1, -1):  # best extension to the left
        total += scores[j]
        if total > best:
            best, start = total, j
    end, total, best = k, 0.0, 0.0
    for j in range(k + 1, len(scores)):  # best extension to the right
        total += scores[j]
        if total > best:
            best, end = total, j
    return start, end
