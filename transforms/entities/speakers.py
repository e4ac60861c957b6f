"""The speaker of a quotation, for the pronouns inside it: "I" is the speaker, "he" somebody else.

A quotation is attributed when a named person and a speech verb (`transforms/data/speech_verbs.tsv`)
stand right after it ("…,” Thompson said; "…," said Thompson) or right before it (Thompson said:
"…"); a quotation that is the whole next paragraph goes on in the same voice. Inside an attributed
quotation, "I", "me", "my", "mine" and "myself" stand for the speaker, and
"he" or "she" never does: a speaker says "I" of themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from transforms.quotes import speech_verbs

# A quotation inside one paragraph: curly quotes, or straight ones paired in order.
_QUOTATION = re.compile(r"“([^“”\n]{1,3000}?)”|\"([^\"\n]{1,3000}?)\"")
FIRST_PERSON = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b")
_WORD = re.compile(r"[, \t]*([A-Za-z]+)[ \t]+")  # on the same line
_VERB_AFTER = re.compile(r"[ \t]+([A-Za-z]+)\b")
_BEFORE = re.compile(r"\s+([A-Za-z]+)\s*[:,]\s*$")


class Named(Protocol):
    start: int
    end: int
    canonical: str


def quotations(body: str, people: Iterable[Named]) -> list[tuple[int, int, Named]]:
    """(start, end, speaker) of each quotation attributed to a person the article names."""
    verbs = speech_verbs()
    by_start = {m.start: m for m in people}
    by_end = {m.end: m for m in by_start.values()}
    found = []
    previous: tuple[int, Named] | None = None  # end of the line of the last attributed quotation
    for match in _QUOTATION.finditer(body):
        speaker = _speaker_after(body, match.end(), by_start, verbs) or _speaker_before(
            body, match.start(), by_end, verbs
        )
        if speaker is None and previous and _continues(body, previous[0], match.start(), match.end()):
            speaker = previous[1]
        if speaker is not None:
            found.append((match.start(), match.end(), speaker))
            line_end = body.find("\n", match.end())
            previous = (len(body) if line_end < 0 else line_end, speaker)
    return found


def _continues(body: str, previous_line_end: int, start: int, end: int) -> bool:
    """A quotation that is the whole next paragraph after an attributed one: the same speaker goes on."""
    line_end = body.find("\n", end)
    return (
        not body[previous_line_end:start].strip()
        and not body[end : len(body) if line_end < 0 else line_end].strip()
    )


def _speaker_after(body: str, position: int, by_start: dict[int, Named], verbs) -> Named | None:
    """'…,” said Thompson' or '…,” Thompson said'."""
    first = _WORD.match(body, position)
    if first is None:
        return None
    if first.group(1).lower() in verbs:
        return by_start.get(first.end())
    person = by_start.get(first.start(1))
    if person is not None:
        verb = _VERB_AFTER.match(body, person.end)
        if verb is not None and verb.group(1).lower() in verbs:
            return person
    return None


def _speaker_before(body: str, position: int, by_end: dict[int, Named], verbs) -> Named | None:
    """'Thompson said: “…”'."""
    match = _BEFORE.search(body, max(0, position - 30), position)
    if match is None or match.group(1).lower() not in verbs:
        return None
    return by_end.get(match.start())
