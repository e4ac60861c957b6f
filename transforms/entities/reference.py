"""Reference data: countries and territories (pycountry + the alias table), demonyms, titles, furniture.

The versioned tables under `data/` hold what the libraries lack; everything is loaded once per process.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Place:
    canonical: str
    type: str
    country_code: str


@dataclass(frozen=True)
class Demonym:
    country_code: str
    plural: bool  # "Afghans" (the people) rather than "Afghan" (the country's adjective)


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a versioned TSV table (lines starting with # are comments)."""
    with (DATA / name).open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=1 << 16)  # names repeat across a batch: fold each once
def fold(text: str) -> str:
    """Lookup key: curly quotes straightened, accents and case folded, whitespace collapsed."""
    text = text.replace("’", "'").replace("‘", "'")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, Place], dict[str, Place], dict[str, str]]:
    """(case-insensitive index, case-sensitive index for short upper-case forms, canonical name by code)."""
    folded: dict[str, Place] = {}
    exact: dict[str, Place] = {}
    canonical_by_code: dict[str, str] = {}
    aliases = read_table("aliases.tsv")
    for row in aliases:
        canonical_by_code.setdefault(row["country_code"], row["canonical"])
    for country in pycountry.countries:
        code = country.alpha_3
        canonical = canonical_by_code.get(code) or getattr(country, "common_name", None) or country.name
        canonical_by_code.setdefault(code, canonical)
        # "Korea, Republic of" style inverted names never occur in running text.
        names = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        for name in names:
            if name and "," not in name:
                folded.setdefault(fold(name), Place(canonical, "GPE", code))
    for row in aliases:
        place = Place(row["canonical"], row["type"], row["country_code"])
        alias = row["alias"]
        # Short all-capital forms ("US", "UK") are case-sensitive: "us" is a pronoun.
        if len(alias.replace(".", "")) <= 3 and alias.upper() == alias:
            exact[alias] = place
        else:
            folded[fold(alias)] = place
    return folded, exact, canonical_by_code


def lookup_place(text: str) -> Place | None:
    """The country or territory a name denotes ("the UAE", "Russian Federation", "U.S."), if any."""
    folded, exact, _ = _places()
    text = text.strip()
    if text in exact:
        return exact[text]
    return folded.get(fold(text))


def country_name(code: str) -> str | None:
    return _places()[2].get(code)


def is_country(name: object, code: object) -> bool:
    """True when `name` is the country `code` itself, not a city or body located in it."""
    return isinstance(code, str) and bool(code) and isinstance(name, str) and country_name(code) == name


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, Demonym]:
    index: dict[str, Demonym] = {}
    for row in read_table("demonyms.tsv"):
        index.setdefault(fold(row["demonym"]), Demonym(row["country_code"], False))
        if row["plural"] != row["demonym"]:
            index.setdefault(fold(row["plural"]), Demonym(row["country_code"], True))
    return index


def lookup_demonym(text: str) -> Demonym | None:
    return _demonyms().get(fold(text))


def demonym_forms() -> list[str]:
    """Every adjective form in the demonym table (for building qualifier patterns)."""
    return [row["demonym"] for row in read_table("demonyms.tsv")]


@lru_cache(maxsize=1)
def gazetteer_pattern() -> re.Pattern[str]:
    """Unambiguous country forms worth adding where the NER model missed them ("the UAE")."""
    forms = sorted({r["alias"] for r in read_table("aliases.tsv") if r["gazetteer"] == "yes"}, key=len)
    alternation = "|".join(re.escape(f) for f in reversed(forms))
    # Word boundaries that also hold for forms ending in a full stop ("U.S.").
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])")


@lru_cache(maxsize=1)
def title_pattern() -> re.Pattern[str]:
    """Leading honorifics and offices, longest first, optionally with a full stop."""
    titles = sorted({r["title"] for r in read_table("titles.tsv")}, key=len, reverse=True)
    alternation = "|".join(re.escape(t).replace(r"\ ", r"[\s.-]+") for t in titles)
    return re.compile(rf"^(?:{alternation})\.?(?:\s+|$)", re.IGNORECASE)


@lru_cache(maxsize=1)
def furniture_words() -> frozenset[str]:
    return frozenset(r["word"] for r in read_table("furniture.tsv"))


@lru_cache(maxsize=1)
def headline_words() -> frozenset[str]:
    return frozenset(r["word"] for r in read_table("headline_words.tsv"))


@lru_cache(maxsize=1)
def organisation_forms() -> dict[str, str]:
    return {fold(r["variant"]): r["canonical"] for r in read_table("organisations.tsv")}


@lru_cache(maxsize=1)
def name_particles() -> frozenset[str]:
    return frozenset(r["word"] for r in read_table("particles.tsv"))


@lru_cache(maxsize=1)
def designators() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """(suffix word -> kind, prefix phrase as words -> kind) of the designator table."""
    suffixes: dict[str, str] = {}
    prefixes: dict[tuple[str, ...], str] = {}
    for row in read_table("designators.tsv"):
        if row["position"] == "prefix":
            prefixes[tuple(row["word"].split())] = row["kind"]
        else:
            suffixes[row["word"]] = row["kind"]
    return suffixes, prefixes


@lru_cache(maxsize=1)
def locative_cues() -> frozenset[str]:
    return frozenset(r["word"] for r in read_table("locative_cues.tsv"))


@lru_cache(maxsize=1)
def name_suffixes() -> frozenset[str]:
    return frozenset(r["word"] for r in read_table("name_suffixes.tsv"))


@lru_cache(maxsize=1)
def eponym_heads() -> frozenset[str]:
    return frozenset(r["word"] for r in read_table("eponym_heads.tsv"))


@lru_cache(maxsize=1)
def role_nouns() -> dict[str, str | None]:
    """Noun for a person by role -> its gender ("m", "f"), None where either (`role_nouns.tsv`)."""
    return {
        r["word"]: r["gender"] if r["gender"] in ("m", "f") else None for r in read_table("role_nouns.tsv")
    }


@lru_cache(maxsize=1)
def first_name_genders() -> dict[str, str]:
    """Given name -> "m" or "f", for names of one gender only (table built by scripts/build_first_names.py)."""
    return {row["name"]: row["gender"] for row in read_table("first_names.tsv")}
