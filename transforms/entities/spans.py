"""Span cleaning: exact offsets, no line breaks, no page furniture, no leading article or possessive.

Raw page dumps put widget labels ("Follow", "Advertisement") on the next line of a byline, and the NER
model happily tags "Bhawana Gariya\nFollow" as one ORG. A span is cut at line breaks, the segments made of
furniture or holding a URL are dropped and the longest remaining one is kept; it is then split at spaced dashes or bars
("Esther Williams - Esther Williams", a title and its site name), each part a mention of its own.

Names are capitalised: an all-lower-case word other than a name particle ends a span ("Thompson in"),
and inside a person span it separates two pieces of which the one the article repeats most is kept
("Stirling called Orozco a"). In title-case headlines every word is capitalised, so the article's own
running text decides which words are names: a word it writes in lower case and never capitalises
inside a sentence ("Actress", "Rehab", "Offer") is a common word, and a span made only of them is no
entity at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from transforms.entities.reference import furniture_words, headline_words, name_particles

NON_ENTITY_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})

_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_SEPARATOR = re.compile(r"\s+[-–—|]+(?:\s+[-–—|]+)*\s+")
_WORD = re.compile(r"[^\W\d_]+")
_URL = re.compile(r"://|\bwww\.", re.I)  # a URL line before a headline is no part of a name
_LEAD = re.compile(r"^(?:[\s\"'“”‘’«»()\[\]{}<>*•·|:;,–—-]+|(?:the|a|an)\s+)", re.IGNORECASE)
_TRAIL = re.compile(r"(?:[\s\"“”‘«»()\[\]{}<>*•·|:;,!?–—-]+|['’]s|(?<=s)['’]|['’])$")
# A final full stop belongs to an abbreviation ("U.S.", "Co.", "Jr.") but not to a sentence.
_ABBREVIATION_END = re.compile(r"(?:\b[^\W\d_]\.|\b(?:Jr|Sr|Inc|Co|Corp|Ltd|St|Bros|Mt|Ft)\.)$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_TOKEN = re.compile(r"\S+")
_LOWER_WORD = re.compile(r"[a-z][a-z'’]*")
_CASED_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_OPENERS = frozenset(".!?:;\"“”‘'([—–-")


def _segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the line segments of `text`, furniture-only segments dropped."""
    furniture = furniture_words()
    out: list[tuple[int, int]] = []
    position = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        segment = text[position:end]
        if (
            segment.strip()
            and not _URL.search(segment)
            and not any(w in furniture for w in _WORD.findall(segment))
        ):
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
    return _title_case(body[line_start : line_end if line_end >= 0 else len(body)])


@lru_cache(maxsize=1024)  # every span of a headline asks about the same line
def _title_case(line: str) -> bool:
    words = _WORD.findall(line)
    long_words = [w for w in words if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.8 * max(len(long_words), 1)


@dataclass(frozen=True)
class Casing:
    """How the running text of one article (title-case lines left out) writes its words."""

    lower: frozenset[str]  # written all in lower case somewhere
    proper: frozenset[str]  # capitalised inside a sentence, where only names are


@lru_cache(maxsize=4)
def casing(body: str) -> Casing:
    lower: set[str] = set()
    proper: set[str] = set()
    for line in body.splitlines():
        if _title_case(line):
            continue
        for match in _CASED_WORD.finditer(line):
            word = match.group()
            if word.islower():
                lower.add(word)
            elif word[0].isupper():
                before = line[: match.start()].rstrip()
                if before and before[-1] not in _SENTENCE_OPENERS:
                    proper.add(word)
    return Casing(frozenset(lower), frozenset(proper))


def is_common_word(word: str, case: Casing) -> bool:
    """A capitalised word the article otherwise writes in lower case and never as a name."""
    folded = word.lower().rstrip("'’")
    if folded in name_particles() or folded not in case.lower:
        return False
    return word not in case.proper and word.capitalize() not in case.proper


def _tokens(body: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(body[start:end])]


def _best_piece(body: str, pieces: list[list[tuple[int, int, str]]]) -> tuple[int, int] | None:
    """The piece the article repeats most (the first on a tie), as offsets."""
    pieces = [p for p in pieces if p]
    if not pieces:
        return None
    best = max(pieces, key=lambda p: body.count(body[p[0][0] : p[-1][1]]))
    return best[0][0], best[-1][1]


def _split(tokens: list[tuple[int, int, str]], breaks: list[bool]) -> list[list[tuple[int, int, str]]]:
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for token, is_break in zip(tokens, breaks, strict=True):
        if is_break:
            pieces.append([])
        else:
            pieces[-1].append(token)
    return pieces


def cut_lower_case(body: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Trailing lower-case words off; a person span split at lower-case words (particles stay)."""
    tokens = _tokens(body, start, end)
    particles = name_particles()
    lower = [bool(_LOWER_WORD.fullmatch(t[2])) for t in tokens]
    if all(lower):
        return start, start  # no capitalised word: no name
    while len(tokens) > 1 and lower[-1]:
        tokens, lower = tokens[:-1], lower[:-1]
    if label == "PERSON":
        breaks = [is_lower and t[2] not in particles for t, is_lower in zip(tokens, lower, strict=True)]
        return _best_piece(body, _split(tokens, breaks)) or (start, end)
    return tokens[0][0], tokens[-1][1]


def cut_common_words(body: str, start: int, end: int, label: str = "") -> tuple[int, int] | None:
    """In a title-case line: the span without the article's common words; None when nothing else is
    left. A leading "-ing" word goes too ("Choosing DeGeneres") unless the article uses it as a name.
    At the start of a sentence only the first word can be capitalised for its position alone."""
    if not is_headline(body, start):
        return _cut_sentence_opener(body, start, end, label) if _opens_sentence(body, start) else (start, end)
    case = casing(body)
    tokens = _tokens(body, start, end)
    words = [_WORD.findall(t[2]) for t in tokens]
    breaks = [bool(w) and all(is_common_word(x, case) for x in w) for w in words]
    pieces = _split(tokens, breaks)
    particles = name_particles()
    for piece in pieces:
        if len(piece) > 1 and piece[0][2].endswith("ing") and piece[0][2] not in case.proper:
            piece.pop(0)
        # "Swimmer And Actress": a particle left alone at the edge of a piece names nothing.
        while piece and piece[0][2].lower() in particles:
            piece.pop(0)
        while piece and piece[-1][2].lower() in particles:
            piece.pop()
    return _best_piece(body, pieces)


def _opens_sentence(body: str, position: int) -> bool:
    before = body[max(0, position - 5) : position].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_OPENERS or before[-1] == "\n"


def _cut_sentence_opener(body: str, start: int, end: int, label: str) -> tuple[int, int]:
    """ "Stunning Williams quickly achieved ...": in a person span, a first word the article otherwise
    writes in lower case, or an "-ing" word it never uses as a name, is not part of the name. Names of
    places and organisations often begin with common words ("New York", "Office of ..."): left alone,
    as is a span the article repeats whole."""
    tokens = _tokens(body, start, end)
    if label != "PERSON" or len(tokens) < 2 or tokens[1][2].lower() in name_particles():
        return start, end
    if body.count(body[start:end]) > 1:
        return start, end
    case = casing(body)
    first = tokens[0][2]
    if is_common_word(first, case) or (first.endswith("ing") and first not in case.proper):
        return tokens[1][0], end
    return start, end


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
    """Clean offsets of one span inside `body` (its longest part), or None when nothing of an entity
    is left."""
    parts = clean_span_parts(body, start, end, label)
    return max(parts, key=lambda p: p[1] - p[0]) if parts else None


def clean_span_parts(body: str, start: int, end: int, label: str = "") -> list[tuple[int, int]]:
    """Clean offsets of the parts of one span (split at spaced dashes) that name an entity."""
    segments = _segments(body[start:end])
    if not segments:
        return []
    seg_start, seg_end = max(segments, key=lambda s: s[1] - s[0])
    seg_start, seg_end = start + seg_start, start + seg_end
    bounds = [seg_start]
    for match in _SEPARATOR.finditer(body, seg_start, seg_end):
        bounds += [match.start(), match.end()]
    bounds.append(seg_end)
    parts = [_clean_part(body, a, b, label) for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
    return [p for p in parts if p]


def _clean_part(body: str, start: int, end: int, label: str) -> tuple[int, int] | None:
    new_start, new_end = trim(body, start, end)
    if new_end > new_start:
        new_start, new_end = trim(body, *cut_headline_words(body, new_start, new_end, label))
    if new_end > new_start:
        new_start, new_end = trim(body, *cut_lower_case(body, new_start, new_end, label))
    if new_end > new_start:
        kept = cut_common_words(body, new_start, new_end, label)
        if kept is None:
            return None
        new_start, new_end = trim(body, *kept)
    if new_end <= new_start or not _HAS_LETTER.search(body[new_start:new_end]):
        return None
    return new_start, new_end
