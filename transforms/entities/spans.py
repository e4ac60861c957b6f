"""Span cleaning: exact offsets, no line breaks, no page furniture, no leading article or possessive.

Raw page dumps put widget labels ("Follow", "Advertisement") on the next line of a byline, and the NER
model happily tags "Bhawana Gariya\nFollow" as one ORG. A span is cut at line breaks, the segments made
of furniture are dropped and the longest remaining one is kept.
"""

from __future__ import annotations

import re

import pandas as pd

from transforms.entities.reference import furniture_words, headline_words

NON_ENTITY_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})

_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_WORD = re.compile(r"[^\W\d_]+")
_LEAD = re.compile(r"^(?:[\s\"'“”‘’«»()\[\]{}<>*•·|:;,–—-]+|(?:the|a|an)\s+)", re.IGNORECASE)
_TRAIL = re.compile(r"(?:[\s\"“”‘«»()\[\]{}<>*•·|:;,!?–—-]+|['’]s|(?<=s)['’]|['’])$")
# A final full stop belongs to an abbreviation ("U.S.", "Co.", "Jr.") but not to a sentence.
_ABBREVIATION_END = re.compile(r"(?:\b[^\W\d_]\.|\b(?:Jr|Sr|Inc|Co|Corp|Ltd|St|Bros|Mt|Ft)\.)$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_TOKEN = re.compile(r"\S+")


def _segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the line segments of `text`, furniture-only segments dropped."""
    furniture = furniture_words()
    out: list[tuple[int, int]] = []
    position = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        segment = text[position:end]
        if segment.strip() and not any(w in furniture for w in _WORD.findall(segment)):
            out.append((position, end))
        position = match.end() if match else len(text)
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of `text[start:end]` without leading articles/punctuation and trailing possessives."""
    while start < end:
        piece = text[start:end]
        lead = _LEAD.match(piece)
        if lead and lead.end() < len(piece):
            start += lead.end()
            continue
        trail = _TRAIL.search(piece)
        if trail and trail.start() > 0:
            end = start + trail.start()
            continue
        if piece.endswith(".") and not _ABBREVIATION_END.search(piece):
            end -= 1
            continue
        break
    return start, end


def is_headline(body: str, position: int) -> bool:
    """True in a title-case line ("Lindsay Lohan Checks Into Rehab"): most words capitalised."""
    line_start = body.rfind("\n", 0, position) + 1
    line_end = body.find("\n", position)
    words = _WORD.findall(body[line_start : line_end if line_end >= 0 else len(body)])
    long_words = [w for w in words if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.8 * max(len(long_words), 1)


def cut_headline_words(body: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Drop headline verbs glued to a name: person spans are cut at the first one (anywhere), spans
    in a title-case line also lose them at their start."""
    words = headline_words()
    person = label == "PERSON"
    if not person and not is_headline(body, start):
        return start, end
    tokens = [(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(body[start:end])]
    while len(tokens) > 1 and tokens[0][2] in words:
        tokens.pop(0)
    for i, token in enumerate(tokens[1:], start=1):
        if token[2] in words:
            tokens = tokens[:i]
            break
    return (tokens[0][0], tokens[-1][1]) if tokens else (start, end)


def clean_span(body: str, start: int, end: int, label: str = "") -> tuple[int, int] | None:
    """Clean offsets of one span inside `body`, or None when nothing of an entity is left."""
    segments = _segments(body[start:end])
    if not segments:
        return None
    seg_start, seg_end = max(segments, key=lambda s: s[1] - s[0])
    new_start, new_end = trim(body, start + seg_start, start + seg_end)
    if new_end > new_start:
        new_start, new_end = trim(body, *cut_headline_words(body, new_start, new_end, label))
    if new_end <= new_start or not _HAS_LETTER.search(body[new_start:new_end]):
        return None
    return new_start, new_end


def clean_spans(spans: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """Entity spans with clean, exact offsets; non-entity labels and empty spans dropped."""
    spans = spans[~spans["label"].isin(NON_ENTITY_LABELS)]
    rows: list[tuple] = []
    columns = (spans[c] for c in ["article_id", "start", "end", "label", "sentence_index"])
    for article_id, start, end, label, sentence in zip(*columns, strict=True):
        body = bodies.get(article_id)
        if not isinstance(body, str) or not 0 <= start < end <= len(body):
            continue
        cleaned = clean_span(body, int(start), int(end), label)
        if cleaned:
            s, e = cleaned
            rows.append((article_id, s, e, body[s:e], label, int(sentence)))
    out = pd.DataFrame(rows, columns=["article_id", "start", "end", "text", "label", "sentence_index"])
    return out.drop_duplicates(["article_id", "start", "end"]).reset_index(drop=True)
