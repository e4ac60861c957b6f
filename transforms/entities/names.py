"""Name normalisation: titles and honorifics off, country qualifiers recognised, comparison keys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from transforms.entities.reference import (
    country_name,
    demonym_forms,
    fold,
    lookup_demonym,
    lookup_place,
    name_suffixes,
    organisation_forms,
    title_pattern,
)

_POSSESSIVE = r"['’]s?"
_SPACES = re.compile(r"\s+")


def strip_titles(name: str) -> str:
    """`name` without leading honorifics and offices ("Acting Foreign Minister Mawlawi A B" -> "A B").

    A leading country adjective or possessive is dropped only when a title follows it
    ("Russian Ambassador Dmitry Zhirnov"), and at least one word always remains.
    """
    name = _SPACES.sub(" ", name).strip()
    qualifier = _leading_country(name)
    if qualifier:
        rest = name[qualifier[1] :]
        # "Russian Ambassador Dmitry Zhirnov", "American Hasim Rahman": the country is not the name.
        if title_pattern().match(rest) or len(rest.split()) >= 2:
            name = rest
    pattern = title_pattern()
    while True:
        match = pattern.match(name)
        if not match or match.end() >= len(name):
            return name
        name = name[match.end() :].lstrip(" ,")


@lru_cache(maxsize=1)
def _qualifier_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    adjectives = sorted(demonym_forms(), key=len, reverse=True)
    adjective = "|".join(re.escape(a) for a in adjectives)
    # Leading "Russian " or "Afghanistan's " / "Afghanistan’s " (any capitalised words before a possessive).
    words = r"[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3}"
    leading = re.compile(rf"^(?:(?P<adj>{adjective})\s+|(?P<poss>{words}){_POSSESSIVE}\s+)")
    trailing = re.compile(rf"\s+(?:of|in|for)\s+(?:the\s+)?(?P<place>{words})$")
    return leading, trailing


def _leading_country(name: str) -> tuple[str, int] | None:
    """(country code, end offset) of a leading country adjective or possessive in `name`."""
    match = _qualifier_patterns()[0].match(name)
    if not match:
        return None
    if match.group("adj"):
        demonym = lookup_demonym(match.group("adj"))
        return (demonym.country_code, match.end()) if demonym else None
    place = lookup_place(match.group("poss"))
    return (place.country_code, match.end()) if place else None


@dataclass(frozen=True)
class Institution:
    canonical: str  # "Ministry of Foreign Affairs (Russia)"
    country_code: str | None


def normalise_institution(name: str, context_country: str | None = None) -> Institution | None:
    """A government body named in any of its forms, qualified by its country where one is given.

    "the Russian Foreign Ministry", "Russia's Ministry of Foreign Affairs" and "Ministry of Foreign
    Affairs of Russia" all give "Ministry of Foreign Affairs (Russia)". `context_country` is the country
    of a possessive standing just before the span ("Afghanistan’s" + "Foreign Ministry").
    """
    forms = organisation_forms()
    code = None
    core = name
    leading = _leading_country(core)
    if leading:
        code, core = leading[0], core[leading[1] :]
    else:
        trailing = _qualifier_patterns()[1].search(core)
        if trailing:
            place = lookup_place(trailing.group("place"))
            if place and fold(core[: trailing.start()]) in forms:
                code, core = place.country_code, core[: trailing.start()]
    canonical = forms.get(fold(core))
    if canonical is None:
        return None
    code = code or context_country
    if code is None:
        return Institution(canonical, None)
    return Institution(f"{canonical} ({country_name(code) or code})", code)


def name_key(name: str) -> str:
    """Comparison key of a name: folded, without full stops and hyphens."""
    return fold(name.replace(".", "").replace("-", " "))


def tokens(name: str) -> list[str]:
    return name_key(name).split()


_NICKNAME = re.compile(
    r"^(?P<first>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)\s+[\"“‘'(](?P<nick>[A-Z][\w.'’-]*)[\"”’')]"
    r"\s+(?P<last>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)$"
)


def split_nickname(name: str) -> tuple[str, str | None]:
    """'Luis Gerardo "Jerry" Ortiz' -> ("Luis Gerardo Ortiz", "Jerry Ortiz"); other names unchanged."""
    match = _NICKNAME.match(" ".join(name.split()))
    if not match:
        return name, None
    last = match.group("last")
    return f"{match.group('first')} {last}", f"{match.group('nick')} {last}"


def surname(words: list[str]) -> str:
    """Last word of a folded person name before a generational suffix ("... comeaux jr" -> "comeaux")."""
    suffixes = name_suffixes()
    while len(words) > 1 and words[-1] in suffixes:
        words = words[:-1]
    return words[-1] if words else ""
