"""Definite descriptions ("the actress", "the clinic") resolved to what the article named with them.

An article introduces a person with a role word before the name ("actress Lindsay Lohan", "coach
Maurice Cheeks") or in an apposition after it ("Lohan, the actress"), and names an organisation or place
whose last word says what it is ("Betty Ford Clinic", "Foreign Ministry"); a nationality before a name
describes the person too ("American Tony Thompson"). A later "the actress" or "the clinic" (an adjective
may come between: "the troubled actress"), or "the American" with no noun after it, stands for that
entity when the word describes exactly one entity of the article, named before the description. A
word that describes two entities, or none, resolves nothing.

Role nouns (`data/role_nouns.tsv`) are found here too: said of a person right after the name
(`find_appositions`), and as "the <role noun>" anywhere (`find_role_nouns`), which the caller resolves
as a pronoun.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from transforms.entities.reference import is_country, lookup_demonym, role_nouns

NOMINAL_LABEL = "NOMINAL"
# A role word right before the name, not itself the object of a preposition ("secretary of state Name").
_ROLE_BEFORE = re.compile(r"(?:^|(?<=\s))(?:(\w+)\s+)?([a-z][a-z-]{2,})\s+$")
_PREPOSITIONS = frozenset(["of", "to", "in", "on", "at", "by", "for", "from", "with"])
_APPOSITION = re.compile(r"^,\s+(?:\d+,\s+)?(?:the|a|an)\s+(?:[a-z]+\s+)?([a-z][a-z-]{2,})\b")
# Words before a name that are not what the name is: function words and reporting verbs.
_NOT_ROLES = frozenset(
    """the a an and or but nor of to in on at by for from with into onto over under about after before
    said says told asked added according than that this these those his her their its our your my is
    was are were be been being has have had will would could should may might can also only even when
    while where who whom whose which what as if so then there here not no new former late including
    like between against during without within among via per""".split()  # noqa: SIM905
)
# "disengaged Somali", "reportedly Smith", "defeats Thompson": not roles (a role is a singular noun,
# and singular nouns ending in s end in ss: "actress", "boss").
_VERB_OR_ADVERB = re.compile(r"(?:ed|ing|ly|[^s]s)$")
_DEFINITE = re.compile(r"\b[Tt]he\s+([a-z0-9][\w-]*|[A-Z][a-z-]*)(?:\s+([A-Za-z][a-z-]*))?")
_WORD_GLUED = re.compile(r"[\w-]")
_NAME_AFTER = re.compile(r"\s+[A-Z]")
_CAPITAL_BEFORE = re.compile(r"(?<![\w'’-])([A-Z][a-z]+)\s+(?:[a-z]+\s+)?$")  # "American (challenger) Name"
_NO_NOUN_AFTER = re.compile(
    r"\s*[,.;:!?)]|['’]s\b|\s+(?:said|says|was|is|has|had|who|will|would|won|lost|beat|added|told)\b"
)
NAME_KINDS = frozenset({"ORG", "FAC", "GPE", "LOC"})


class Named(Protocol):
    start: int
    end: int
    type: str
    canonical: str
    country_code: str | None


def describing_words(body: str, mentions: Iterable[Named]) -> dict[str, set[str]]:
    """Word -> canonical names of the entities the article describes with it."""
    described: dict[str, set[str]] = {}
    for m in mentions:
        words: list[str] = []
        if m.type == "PERSON":
            before = _ROLE_BEFORE.search(body, max(0, m.start - 40), m.start)
            if before and (before.group(1) or "").lower() not in _PREPOSITIONS:
                words.append(before.group(2))
            after = _APPOSITION.match(body[m.end : m.end + 60])
            if after:
                words.append(after.group(1))
            nationality = _CAPITAL_BEFORE.search(body, max(0, m.start - 30), m.start)
            if nationality and _is_nationality(nationality.group(1)):
                words.append(nationality.group(1))  # "American Tony Thompson" -> "the American"
        elif (
            m.type in NAME_KINDS
            and len(m.canonical.split()) >= 2
            and not is_country(m.canonical, m.country_code)
        ):
            words.append(m.canonical.split()[-1].lower())
        for word in words:
            if word not in _NOT_ROLES and not _VERB_OR_ADVERB.search(word):
                described.setdefault(word, set()).add(m.canonical)
    return described


def _is_nationality(word: str) -> bool:
    demonym = lookup_demonym(word)
    return demonym is not None and not demonym.plural


def find_descriptions(body: str, mentions: list[Named]) -> list[tuple[int, int, Named]]:
    """(start, end, the mention it refers back to) of each definite description that resolves."""
    described = {w: names.pop() for w, names in describing_words(body, mentions).items() if len(names) == 1}
    if not described:
        return []
    first = {}
    for m in sorted(mentions, key=lambda m: m.start):
        first.setdefault(m.canonical, m)
    found = []
    for match in _DEFINITE.finditer(body):
        # "the <word>" or "the <modifier> <word>": the described word ends the phrase.
        first_word, second_word = match.group(1), match.group(2)
        if second_word in described and (first_word[0].islower() or first_word[0].isdigit()):
            word, start, end = second_word, match.start(1), match.end(2)
        else:
            word, start, end = first_word, match.start(1), match.end(1)
        if word not in described:
            continue
        rest = body[end : end + 12]
        # A role word ends the phrase ("the actress", not "the actress Lindsay Lohan"); a nationality
        # is the person only where no noun follows ("the American", not "the American embassy").
        if _WORD_GLUED.match(rest) or (
            _NAME_AFTER.match(rest) if word.islower() else not _NO_NOUN_AFTER.match(rest)
        ):
            continue
        named = first.get(described[word])
        if named is not None and named.end <= start:
            found.append((start, end, named))
    return found


# "the governor of California", "the man, Eric Kirkpatrick": the role is of somebody the phrase names.
_SOMEONE_ELSE_AFTER = re.compile(r"\s+of\b|,\s+[A-Z]")


def _role_words() -> str:
    """The role nouns as a regex alternation, longest first."""
    return "|".join(sorted(map(re.escape, role_nouns()), key=len, reverse=True))


@lru_cache(maxsize=1)
def _role_pattern() -> re.Pattern[str]:
    words = _role_words()
    # "the <up to three modifiers> <role noun>": "the champion", "the Ukrainian world champion",
    # "the 40-year-old actress"; the role noun ends the phrase.
    return re.compile(rf"\b[Tt]he((?:\s+[\w'’-]+){{0,3}}?)\s+({words})(?![\w'’-]|['’]s?\s+[A-Z])")


def find_role_nouns(body: str) -> list[tuple[int, int, str | None]]:
    """(start, end, gender: "m", "f" or None) of each definite description by a person's role ("the
    actress", "the troubled starlet"), the role noun's span; not one before a name ("the actress
    Lindsay Lohan", where the name is the mention), nor one that names its own person ("the governor
    of California", "the man, Eric Kirkpatrick"), nor one whose modifiers are function words."""
    genders = role_nouns()
    found = []
    for match in _role_pattern().finditer(body):
        modifiers = match.group(1).split()
        if (
            any(w.lower() in _NOT_ROLES for w in modifiers)
            or _NAME_AFTER.match(body, match.end())
            or _SOMEONE_ELSE_AFTER.match(body, match.end())
        ):
            continue
        found.append((match.start(2), match.end(2), genders[match.group(2)]))
    return found


@lru_cache(maxsize=1)
def _apposition_pattern() -> re.Pattern[str]:
    words = _role_words()
    # After a name: ", a spokesman for", ", who was the mandatory challenger", " was the star of",
    # ", swimming champion, actress, and pin-up icon" (each role of a list).
    return re.compile(
        rf"(?:,\s+(?:and\s+|who\s+(?:is|was)\s+)?|\s+(?:is|was)\s+)(?:(?:a|an|the)\s+)?"
        rf"((?:[\w'’-]+\s+){{0,3}}?)({words})(?![\w'’-])"
    )


def find_appositions(body: str, people: Iterable[Named]) -> list[tuple[int, int, Named]]:
    """(start, end, the person) of each role noun said of a person right after their name: an
    apposition ("Alfredo Perez, a spokesman for ..."; each of a list: "Esther Williams, swimming
    champion, actress, and pin-up icon") or a predicate ("Thompson, who was the mandatory
    challenger", "Williams was the star of ...")."""
    pattern = _apposition_pattern()
    found = []
    for person in people:
        position = person.end
        while match := pattern.match(body, position):
            if any(w.lower() in _NOT_ROLES for w in match.group(1).split()) or _NAME_AFTER.match(
                body, match.end()
            ):
                break
            found.append((match.start(2), match.end(2), person))
            position = match.end()
    return found
