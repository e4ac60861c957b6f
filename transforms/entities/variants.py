"""Name variants across articles: which groups of mentions name one entity in different forms.

Each finder returns edges between groups (by `key_pair`); the registry joins them with its union-find,
which never joins two known entities. All finders ask for co-mention agreement (`shared`: how many other
entities the two groups' articles have in common, or a high number when one article has both), so a
variant is only taken inside the story it belongs to. The forms:

- designators: "Betty Ford Center" / "Betty Ford Clinic" / "Betty Ford" (`data/designators.tsv`);
- partial names of organisations and places: "Red Sox" / "Boston Red Sox", "Academy" / "Academy of
  Motion Picture Arts and Sciences", when the short form has one reading only;
- acronyms: "AP" where another article defined it for "Associated Press", or the initials of exactly
  one name of the story;
- person name variants: a short or variant first name with the same surname ("Mo Cheeks" / "Maurice
  Cheeks", "Alexis" / "Alexandros Grigoropoulos"), a nickname given in quotes ("Luis Gerardo "Jerry"
  Ortiz" -> "Jerry Ortiz") and a blend of the name's first letters ("LiLo" / "Lindsay Lohan").
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Protocol

from rapidfuzz.distance import JaroWinkler

from transforms.entities.names import name_key, split_nickname
from transforms.entities.reference import designators, eponym_heads

Edge = tuple[tuple[str, str], tuple[str, str]]
PLACE_TYPES = frozenset({"GPE", "LOC"})
# Words skipped when an acronym is formed ("Academy of Motion Picture Arts and Sciences" -> AMPAS).
_ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "de", "&"})
_ACRONYM = re.compile(r"(?:[A-Z]\.?\s?){2,6}")
_BLEND = re.compile(r"([A-Z][a-z]{0,3})-?([A-Z][a-z]{1,4})")
# First names: a variant shares this much of its beginning and this Jaro-Winkler similarity.
VARIANT_PREFIX = 4
VARIANT_SIMILARITY = 0.85
HYPOCORISM_MAX = 3  # "Mo", "Al", "Ed": short forms that keep only the initial sound
CLIPPED_MAX = 5  # "Alex", "Chris": clipped forms of a longer name ...
CLIPPED_CUT = 3  # ... that drop at least this many letters of it


class GroupLike(Protocol):
    key: str
    family: str
    texts: set[str]
    articles: set[str]
    mention_count: int

    @property
    def type(self) -> str: ...

    @property
    def types(self) -> dict[str, int]: ...

    @property
    def key_pair(self) -> tuple[str, str]: ...


Shared = Callable[[GroupLike, GroupLike], int]


def core_name(key: str) -> tuple[str, frozenset[str]]:
    """`key` without designators, and the kinds of the designators removed."""
    suffixes, prefixes = designators()
    words = key.split()
    kinds: set[str] = set()
    for phrase, kind in prefixes.items():
        if len(words) > len(phrase) and tuple(words[: len(phrase)]) == phrase:
            words, kinds = words[len(phrase) :], {kind}
            break
    while len(words) > 1 and words[-1] in suffixes:
        kinds.add(suffixes[words[-1]])
        words = words[:-1]
    return " ".join(words), frozenset(kinds)


def _non_person_reading(group: GroupLike) -> bool:
    return group.type != "PERSON" or any(t != "PERSON" for t in group.types)


def _fits(group: GroupLike, kinds: frozenset[str]) -> bool:
    """Whether a group may carry or drop designators of these kinds."""
    if "place" in kinds:
        return group.type in PLACE_TYPES | {"FAC"}
    return group.family == "*" and group.type not in PLACE_TYPES | {"NORP"} and _non_person_reading(group)


def designator_edges(groups: Iterable[GroupLike], shared: Shared, min_shared: int) -> list[Edge]:
    buckets: dict[str, list[tuple[GroupLike, frozenset[str]]]] = defaultdict(list)
    for group in groups:
        core, kinds = core_name(group.key)
        buckets[core].append((group, kinds))
    edges: list[Edge] = []
    for members in buckets.values():
        if len(members) < 2 or not any(kinds for _, kinds in members):
            continue
        for (a, kinds_a), (b, kinds_b) in itertools.combinations(members, 2):
            kinds = kinds_a | kinds_b
            if not kinds or ("place" in kinds and len(kinds) > 1):
                continue
            if _fits(a, kinds) and _fits(b, kinds) and shared(a, b) >= min_shared:
                edges.append((a.key_pair, b.key_pair))
    return edges


def partial_name_edges(groups: list[GroupLike], shared: Shared, min_shared: int) -> list[Edge]:
    """A short organisation or place name -> the one longer name it starts or ends in the story."""
    by_edge_word: dict[str, list[GroupLike]] = defaultdict(list)
    eponyms = eponym_heads()  # "Academy Awards" is a prize, not a longer form of "Academy"
    for group in groups:
        words = group.key.split()
        if len(words) > 1 and group.type != "PERSON" and group.family == "*" and words[-1] not in eponyms:
            by_edge_word[words[0]].append(group)
            if words[-1] != words[0]:
                by_edge_word[words[-1]].append(group)
    edges: list[Edge] = []
    for short in groups:
        if short.family != "*" or not _non_person_reading(short) or short.type == "NORP":
            continue
        words = short.key.split()
        n = len(words)
        candidates = {
            id(long): long
            for long in by_edge_word.get(words[0], []) + by_edge_word.get(words[-1], [])
            if len(long.key.split()) > n
            and (long.key.split()[:n] == words or long.key.split()[-n:] == words)
            and (short.type not in PLACE_TYPES or long.type in PLACE_TYPES | {"FAC"})
            and shared(short, long) >= min_shared
        }
        if candidates and _one_reading([c.key for c in candidates.values()]):
            edges += [(short.key_pair, c.key_pair) for c in candidates.values()]
    return edges


def _one_reading(keys: list[str]) -> bool:
    """All names are parts of the longest one."""
    longest = max(keys, key=len).split()
    return all(_contains(longest, k.split()) for k in keys)


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _initials(words: list[str]) -> set[str]:
    every = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in _ACRONYM_SKIP)
    # Canonical names lose a leading "The" that some acronyms keep ("THR": The Hollywood Reporter).
    return {every, content, "t" + every}


def acronym_edges(groups: list[GroupLike], shared: Shared, min_shared: int) -> list[Edge]:
    """A bare acronym -> the name it was defined for elsewhere, else the one name of the story whose
    initials it is."""
    defined: dict[str, set[tuple[str, str]]] = defaultdict(set)
    by_initials: dict[str, list[GroupLike]] = defaultdict(list)
    for group in groups:
        for text in group.texts:
            key = name_key(text).replace(" ", "")
            if _ACRONYM.fullmatch(text) and key != group.key:
                defined[key].add(group.key_pair)
        words = group.key.split()
        if len(words) >= 2:
            for initials in _initials(words):
                by_initials[initials].append(group)
    edges: list[Edge] = []
    for group in groups:
        if " " in group.key or not all(_ACRONYM.fullmatch(t) for t in group.texts):
            continue
        owners = defined.get(group.key, set()) - {group.key_pair}
        if len(owners) == 1:
            edges.append((group.key_pair, next(iter(owners))))
            continue
        candidates = [c for c in by_initials.get(group.key, []) if shared(group, c) >= min_shared]
        if len(candidates) == 1:
            edges.append((group.key_pair, candidates[0].key_pair))
    return edges


def _short_form(a: str, b: str) -> bool:
    """One first name is a short form of the other: "Mo" / "Maurice", "Alex" / "Alexandros". A clipped
    form keeps a short beginning of a much longer name; a few letters more make another name
    ("Daniel" / "Danielle", "Paul" / "Paula")."""
    short, long = sorted((a, b), key=len)
    if a == b or a[0] != b[0]:
        return False
    clipped = long.startswith(short) and len(short) <= CLIPPED_MAX and len(long) - len(short) >= CLIPPED_CUT
    return clipped or len(short) <= HYPOCORISM_MAX


def _spelling_variant(a: str, b: str) -> bool:
    """Two spellings of one first name: "Alexis" / "Alexandros", "Bettie" / "Betty"."""
    short, long = sorted((a, b), key=len)
    prefix = len(short) >= VARIANT_PREFIX and long[:VARIANT_PREFIX] == short[:VARIANT_PREFIX]
    return a != b and prefix and JaroWinkler.similarity(a, b) >= VARIANT_SIMILARITY


def person_variant_edges(groups: list[GroupLike], shared: Shared, min_shared: int) -> list[Edge]:
    """Variant first names, quoted nicknames and blends of one person's name."""
    people = [g for g in groups if g.type == "PERSON" and len(g.key.split()) >= 2]
    by_key = {g.key: g for g in people}
    by_last: dict[str, list[GroupLike]] = defaultdict(list)
    for group in people:
        by_last[group.key.split()[-1]].append(group)
    edges: list[Edge] = []
    # The model labels a rarer form of a name anyhow ("Mo Cheeks" FAC, GPE, ORG): any such two-word name
    # may be a variant of a person's name.
    others = [g for g in groups if g.type != "PERSON" and g.family == "*" and len(g.key.split()) == 2]
    for group in people + others:
        words = group.key.split()
        # A short form often follows the full name in one article ("Maurice Cheeks ... Mo Cheeks"), but two
        # spellings in one article are two people (Daniel and Danielle Smith): never joined.
        candidates = [
            o
            for o in by_last[words[-1]]
            if len(o.key.split()) == len(words)
            and o.key.split()[1:] == words[1:]
            and (
                _short_form(words[0], o.key.split()[0])
                or (_spelling_variant(words[0], o.key.split()[0]) and not group.articles & o.articles)
            )
            and shared(group, o) >= min_shared
        ]
        if len(candidates) == 1:
            edges.append((group.key_pair, candidates[0].key_pair))
        for text in group.texts:
            _, nickname = split_nickname(text)
            alias = by_key.get(name_key(nickname)) if nickname else None
            if alias is not None and alias is not group:
                edges.append((alias.key_pair, group.key_pair))
    for group in groups:
        if " " in group.key or group.family != "*":
            continue
        for text in group.texts:
            blend = _BLEND.fullmatch(text)
            if not blend:
                continue
            first, last = blend.group(1).lower(), blend.group(2).lower()
            candidates = [
                p
                for p in people
                if p.key.split()[0].startswith(first)
                and p.key.split()[-1].startswith(last)
                and shared(group, p) >= min_shared
            ]
            if len(candidates) == 1:
                edges.append((group.key_pair, candidates[0].key_pair))
    return edges
