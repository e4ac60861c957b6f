"""The temporal vocabulary: words and their values, read once from `vocab.tsv`.

Words that differ by language or outlet live in the table, not in the rules:
the grammar in `find.py` only refers to the kinds (month, weekday, unit, ...).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

VOCAB_FILE = Path(__file__).with_name("vocab.tsv")


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """kind -> {lower-cased word -> value}."""
    kinds: dict[str, dict[str, str]] = defaultdict(dict)
    for line in VOCAB_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, word, value = line.split("\t")
        kinds[kind][word.lower()] = value
    return dict(kinds)


def words(kind: str) -> list[str]:
    return list(table()[kind])


def lookup(kind: str, word: str) -> str | None:
    """The value of `word` (any case, inner whitespace collapsed) in `kind`, or None."""
    return table()[kind].get(" ".join(word.lower().split()))


def values(kind: str) -> list[str]:
    return list(table()[kind].values())


def alternation(kind: str, *, title_case: bool = False, bare: bool = False) -> str:
    """A regex alternation of the words of `kind`, longest first so that no prefix wins.

    `title_case` accepts only Title and UPPER spellings: a lower-case "may" or
    "march" is a verb, not a month.
    """
    options = sorted(words(kind), key=len, reverse=True)
    parts = []
    for word in options:
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        if title_case:
            title = re.escape(word.title())
            parts.append(f"{title}|{re.escape(word.upper())}")
        else:
            parts.append(escaped)
    body = "|".join(parts)
    if bare:
        return body
    return f"(?:{body})" if title_case else f"(?i:{body})"
