"""Article languages: declarations checked against the body, codes normalised, unknown explicit."""

from __future__ import annotations

import pandas as pd
import pytest

from transforms.language import (
    NO_MODEL,
    UNDETERMINED,
    UNKNOWN_LANGUAGE,
    article_language,
    normalise,
    plan_ner,
    rules_apply,
)

GERMAN = (
    "Die Bundesregierung hat am Donnerstag in Berlin ein neues Gesetz beschlossen. Der Kanzler sagte, "
    "man werde die Mittel für die Schulen im kommenden Jahr deutlich erhöhen."
)
FRENCH = (
    "Le gouvernement a annoncé jeudi à Paris un nouveau plan pour les écoles. Le ministre a déclaré "
    "que les moyens seraient nettement augmentés l'année prochaine."
)
ENGLISH = (
    "Russia became the first country to officially recognise the Taliban government on Thursday, "
    "the foreign ministry in Moscow said in a statement."
)
ZULU = (
    "Uhlalele ovalweni umndeni wesaguga saseMbali Unit 14, okuthiwa sibhokodwe ngommese emzini waso "
    "eMbali Unit 14, eMgungundlovu yilungu lomndeni ngoLwesine olwedlule."
)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("en-GB", "en"),
        ("de_AT", "de"),
        ("FR", "fr"),
        ("nb", "no"),
        ("iw", "he"),
        ("x-default", None),
        ("", None),
    ],
)
def test_codes_are_normalised(raw: str, code: str | None) -> None:
    assert normalise(raw) == code


@pytest.mark.parametrize(("body", "code"), [(GERMAN, "de"), (FRENCH, "fr"), (ENGLISH, "en"), (ZULU, "zu")])
def test_undeclared_language_is_detected(body: str, code: str) -> None:
    assert article_language(None, body) == code


def test_a_template_default_gives_way_to_the_text() -> None:
    assert article_language("en-US", ZULU) == "zu"
    assert article_language("en", GERMAN) == "de"


def test_a_declaration_stands_for_a_close_or_short_text() -> None:
    assert article_language("de", "Berlin, 3. Juli") == "de"
    assert (
        article_language("no", "Kvalifiseringen i stavsprang ble av det dramatiske slaget for norske") == "no"
    )


def test_unknown_is_explicit() -> None:
    assert article_language(None, "12:30 | 4,55") == UNDETERMINED
    assert article_language("zxx", "") == UNDETERMINED


def test_each_language_gets_its_own_model_or_a_reason() -> None:
    articles = pd.DataFrame({"article_id": ["a", "b", "c", "d"], "language": ["en", "de", "fr", "und"]})
    planned = plan_ner(articles, {"en": "en_model", "de": "de_model"})
    assert planned["ner_model"].tolist() == ["en_model", "de_model", None, None]
    assert planned["ner_skip_reason"].tolist() == [None, None, NO_MODEL, UNKNOWN_LANGUAGE]


def test_the_english_rules_run_on_english_articles_only() -> None:
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "language": ["en", "de", None]})
    assert rules_apply(articles).tolist() == [True, False, False]
    assert rules_apply(articles[["article_id"]]).tolist() == [True, True, True]
