"""The language of an article: the page's declared language checked against its body.

Each parser records what the item declares (`<html lang>`, `og:locale`, a feed's or record's
`language`) or, failing that, the stop-word guess of `page_metadata.detect_language`, which the
boilerplate rules need on the whole page. `article_language` decides once, on the clean body,
with py3langid (a naive Bayes model over byte n-grams of 97 languages, shipped in the package,
about 3 ms an article on its first 3,000 characters): declarations are often a site template's
default (`lang="en"` on a Zulu page), and the stop-word guess knows only 26 languages. A
declaration stands unless the body is confidently another language that the model gives the
declared one next to no chance of.

The result is an ISO 639-1 code (ISO 639-3 where a language has none), or `und` (ISO 639-2
"undetermined") when neither the item nor its text tells.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

UNDETERMINED = "und"
# Old or alternative codes to the ones the detector gives (Norwegian Bokmål -> Norwegian, as the
# detector and the stop lists have it; ISO 639-1 codes withdrawn in 1989).
_ALIASES = {"nb": "no", "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
_CODE = re.compile(r"^[a-z]{2,3}$")
_LETTER = re.compile(r"[^\W\d_]")
_SAMPLE = 3_000  # characters read: the opening of a body tells its language
_MIN_LETTERS = 40  # fewer letters than a short sentence: the detector's guess is noise
_CONFIDENT = 0.9  # the detector's probability for a guess that overrides a declaration
_IMPLAUSIBLE = 0.01  # ... when it gives the declared language less than this


def normalise(code: object) -> str | None:
    """`en-GB`, `en_US`, `EN` -> `en`; `nb` -> `no`; anything that is no language code -> None."""
    if not isinstance(code, str):
        return None
    base = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    base = _ALIASES.get(base, base)
    return base if _CODE.match(base) and base not in (UNDETERMINED, "mul", "zxx", "xx") else None


def article_language(declared: object, body: str) -> str:
    """The language of an article whose item declares `declared` (or None) and whose text is `body`."""
    declared = normalise(declared)
    ranked = _rank(body)
    if not ranked:
        return declared or UNDETERMINED
    guess, probability = ranked[0]
    if declared is None:
        return guess if probability >= 0.5 else UNDETERMINED
    if guess != declared and probability >= _CONFIDENT and dict(ranked).get(declared, 0.0) < _IMPLAUSIBLE:
        return guess
    return declared


def detect(text: str) -> str:
    """The language of a text alone (no declaration)."""
    return article_language(None, text)


def _rank(body: str) -> list[tuple[str, float]]:
    """(language, probability) best first, or [] for a text too short to tell."""
    sample = body[:_SAMPLE] if isinstance(body, str) else ""
    if len(_LETTER.findall(sample)) < _MIN_LETTERS:
        return []
    ranked = [(normalise(code), p) for code, p in identifier().rank(sample)]
    return [(code, float(p)) for code, p in ranked if code is not None]


@lru_cache(maxsize=1)
def identifier() -> LanguageIdentifier:
    """The model, loaded once per process (about 1 s: it is stored compressed)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


# ------------------------------------------------------------------------------------ which model

NO_MODEL = "no_model_for_language"
UNKNOWN_LANGUAGE = "language_undetermined"
# The temporal and quotation rules are written for English (month and weekday names, "said",
# "last week"): other languages get none of their output, whatever NER model they have.
RULES_LANGUAGE = "en"


def plan_ner(articles: pd.DataFrame, models: Mapping[str, str]) -> pd.DataFrame:
    """`articles` with `ner_model` (the spaCy pipeline their language has, else None) and
    `ner_skip_reason` (None when a model runs): an article is never run through another
    language's model."""
    languages = articles["language"].fillna(UNDETERMINED)
    model = languages.map(lambda code: models.get(code))
    reason = languages.map(lambda code: UNKNOWN_LANGUAGE if code == UNDETERMINED else NO_MODEL)
    return articles.assign(
        ner_model=model.astype(object).where(model.notna(), None),
        ner_skip_reason=reason.astype(object).where(model.isna(), None),
    )


def rules_apply(articles: pd.DataFrame) -> pd.Series:
    """Which articles the English temporal and quotation rules run on (all, in a frame that
    carries no language: such frames come from callers that know their articles are English)."""
    if "language" not in articles:
        return pd.Series(True, index=articles.index)
    return articles["language"].eq(RULES_LANGUAGE).fillna(False).astype(bool)
