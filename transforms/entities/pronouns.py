"""Third-person personal pronouns resolved to the person they stand for, inside one article.

"he", "him", "his", "himself" and "she", "her", "hers", "herself" take a person named in their own
sentence before them or in the two sentences before it. A person whose gender is known (a title or
role word before the name: "Mr.", "actress"; a given name of one gender, `data/first_names.tsv`; or an
earlier pronoun that had only them to stand for) must agree. Of several, the one person of known,
agreeing gender wins. With nobody in reach who may agree, the pronoun takes the one person named
earlier in the article whose gender is known to be its own. A pronoun with several it could stand
for, or none, stays unresolved: a wrong link costs more than a missing one.

A dependency parser with a coreference model (coreferee) would do better on hard cases, but the
parser roughly doubles the NER pass, which is the pipeline's whole cost; these rules read only the
mentions the pass already gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Protocol

from transforms.entities.reference import first_name_genders

PRONOUN_LABEL = "PRON"
_PRONOUNS = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
# Lower case, or capitalised at a sentence start ("He", never "HE" or "hE").
PRONOUN_PATTERN = re.compile(
    r"\b(?:" + "|".join(f"[{p[0].upper()}{p[0]}]{p[1:]}" for p in _PRONOUNS) + r")\b"
)
_GENDER_BEFORE = re.compile(
    r"\b(?:(?P<m>Mr|Mister|Sir|Lord|King|Prince|Father|Brother|Rev|actor|businessman|chairman|"
    r"spokesman|congressman|policeman|fireman|husband|son|father|brother|boy|man)"
    r"|(?P<f>Mrs|Ms|Miss|Madam|Dame|Lady|Queen|Princess|Sister|actress|businesswoman|chairwoman|"
    r"spokeswoman|congresswoman|policewoman|wife|daughter|mother|sister|girl|woman))\.?\s+$"
)
_REACH = 2  # sentences back


class Located(Protocol):
    start: int
    end: int
    text: str


class PersonMention(Located, Protocol):
    canonical: str


def resolve_pronouns(
    body: str,
    pronouns: Iterable[Located],
    people: Iterable[PersonMention],
    sentence_of: Callable[[int], int],
    gender_of: Callable[[Located], str] | None = None,
    not_for: Callable[[Located], str | None] = lambda _: None,
) -> dict[int, PersonMention]:
    """Start offset of each pronoun that stands for somebody -> the mention of the person it stands
    for (their latest in reach); `people` are the article's person mentions, canonical names resolved;
    `sentence_of(offset)` numbers the sentences of `body`. Other words of one gender that stand for a
    person ("the actress") resolve the same way, `gender_of` giving theirs ("m" or "f"). `not_for` gives
    the canonical name a pronoun cannot stand for (the speaker of the quotation it is in)."""
    gender_of = gender_of or (lambda pronoun: _PRONOUNS[pronoun.text.lower()])
    people = sorted(people, key=lambda m: m.start)
    sentences = [sentence_of(m.start) for m in people]
    gender = _known_genders(body, people)
    found: dict[int, PersonMention] = {}
    for pronoun in sorted(pronouns, key=lambda p: p.start):
        pronoun_gender = gender_of(pronoun)
        sentence = sentence_of(pronoun.start)
        in_reach = [
            m
            for m, at in zip(people, sentences, strict=True)
            if m.end <= pronoun.start and sentence - _REACH <= at <= sentence
        ]
        names = [n for n in dict.fromkeys(m.canonical for m in in_reach) if n != not_for(pronoun)]
        agreeing = [n for n in names if gender.get(n, pronoun_gender) == pronoun_gender]
        if not agreeing:
            # Nobody of its gender in reach: the one person the article named before whose gender is
            # known to be the pronoun's ("she" three paragraphs after the only woman named).
            before = [m for m in people if m.end <= pronoun.start and m.canonical != not_for(pronoun)]
            known = list(
                dict.fromkeys(m.canonical for m in before if gender.get(m.canonical) == pronoun_gender)
            )
            if len(known) == 1:
                found[pronoun.start] = max(
                    (m for m in before if m.canonical == known[0]), key=lambda m: m.start
                )
            continue
        choice = _choose(agreeing, gender, pronoun_gender)
        if choice is None:
            continue
        if len(names) == 1:
            gender.setdefault(choice, pronoun_gender)  # the only one it can stand for
        found[pronoun.start] = max((m for m in in_reach if m.canonical == choice), key=lambda m: m.start)
    return found


def _choose(agreeing: list[str], gender: dict[str, str], wanted: str) -> str | None:
    """The one person of the right gender in reach, or the one of them whose gender is known; else
    nobody (nearest-subject and same-thread guesses were right too rarely to pay for their errors)."""
    if len(agreeing) == 1:
        return agreeing[0]
    known = [n for n in agreeing if gender.get(n) == wanted]
    return known[0] if len(known) == 1 else None


def _known_genders(body: str, people: list[PersonMention]) -> dict[str, str]:
    """Gender of the people the article writes with a gendered title or role word before the name, else
    of those whose first name has one gender only."""
    gender: dict[str, str] = {}
    for m in people:
        match = _GENDER_BEFORE.search(body, max(0, m.start - 24), m.start)
        if match:
            gender.setdefault(m.canonical, "m" if match.group("m") else "f")
    given = first_name_genders()
    for m in people:
        first = m.canonical.split(maxsplit=1)[0] if m.canonical.strip() else ""
        if first in given:
            gender.setdefault(m.canonical, given[first])
    return gender
