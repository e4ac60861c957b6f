"""The seed articles: every way they name one entity resolves to one entity_id."""

from __future__ import annotations

import pandas as pd
import pytest

from transforms.entities import link_entities, resolve_mentions
from transforms.nlp import annotate


@pytest.fixture(scope="module")
def seed_articles(seed_texts: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": list(seed_texts), "body": list(seed_texts.values())})


@pytest.fixture(scope="module")
def linked(seed_articles: pd.DataFrame, nlp) -> tuple[pd.DataFrame, pd.DataFrame]:
    spans, _ = annotate(seed_articles, nlp)
    mentions = resolve_mentions(spans, seed_articles)
    return link_entities(mentions, pd.DataFrame())


def _ids(mentions: pd.DataFrame, *texts: str) -> set[str]:
    found = mentions[mentions["text"].isin(texts)]
    assert set(found["text"]) == set(texts), f"missing {set(texts) - set(found['text'])}"
    return set(found["entity_id"])


def test_offsets_are_exact_and_spans_single_line(linked, seed_articles):
    mentions, _ = linked
    bodies = dict(zip(seed_articles["article_id"], seed_articles["body"], strict=True))
    for row in mentions.itertuples():
        assert bodies[row.article_id][row.start : row.end] == row.text
        assert "\n" not in row.text
        assert not row.text.lower().startswith("the ")
        assert not row.text.endswith(("'s", "’s"))
    assert not mentions["text"].str.contains("Follow|Advertisement|Icon").any()
    assert not mentions["label"].isin(["DATE", "CARDINAL", "ORDINAL"]).any()


@pytest.mark.parametrize(
    "texts",
    [
        ("Amir Khan Muttaqi", "Mawlawi Amir Khan Muttaqi", "Muttaqi"),
        ("Gul Hassan Hassan", "Gul Hassan", "Hassan"),
        ("UAE", "United Arab Emirates"),
        ("IEA", "Islamic Emirate of Afghanistan"),
        ("Russia", "Russian"),
        ("Zhirnov", "Dmitry Zhirnov"),
        ("Afghanistan", "Afghan"),
    ],
)
def test_each_group_is_one_entity(linked, texts):
    mentions, _ = linked
    assert len(_ids(mentions, *texts)) == 1


def test_canonical_names_and_countries(linked):
    mentions, registry = linked
    by_text = mentions.drop_duplicates("text").set_index("text")
    assert by_text.loc["Muttaqi", "canonical_name"] == "Amir Khan Muttaqi"
    assert by_text.loc["Muttaqi", "entity_type"] == "PERSON"
    assert by_text.loc["Mawlawi Amir Khan Muttaqi", "canonical_name"] == "Amir Khan Muttaqi"
    assert by_text.loc["Russian", "country_code"] == "RUS"
    assert by_text.loc["UAE", "country_code"] == "ARE"
    russia = registry[registry["canonical_name"] == "Russia"].iloc[0]
    assert russia["type"] == "GPE" and russia["country_code"] == "RUS"


def test_ministries(linked):
    mentions, _ = linked
    russian = _ids(mentions, "Russian Foreign Ministry")
    afghan = _ids(mentions, "Afghan Ministry of Foreign Affairs", "Foreign Ministry")
    assert len(afghan) == 1 and russian.isdisjoint(afghan)
    assert russian.isdisjoint(_ids(mentions, "Russia"))


def test_relinking_never_changes_ids(linked, seed_articles, nlp):
    mentions, registry = linked
    again, registry_again = link_entities(mentions.drop(columns="entity_id"), registry)
    assert again["entity_id"].tolist() == mentions["entity_id"].tolist()
    assert set(registry_again["entity_id"]) == set(registry["entity_id"])
    fresh, _ = link_entities(mentions.drop(columns="entity_id"), pd.DataFrame())
    assert fresh["entity_id"].tolist() == mentions["entity_id"].tolist()


def test_cities_get_their_country_and_coordinates(linked):
    mentions, registry = linked
    cities = registry[registry["canonical_name"].isin(["Moscow", "Kabul"])].set_index("canonical_name")
    assert cities.loc["Moscow", "country_code"] == "RUS" and cities.loc["Kabul", "country_code"] == "AFG"
    assert cities.loc["Moscow", "latitude"] == pytest.approx(55.75, abs=0.1)
    assert cities.loc["Kabul", "longitude"] == pytest.approx(69.17, abs=0.1)
    countries = registry[registry["canonical_name"].isin(["Russia", "Afghanistan"])]
    assert countries["latitude"].isna().all()  # a country is no point on the map
    russia = set(registry.loc[registry["canonical_name"] == "Russia", "entity_id"])
    moscow = set(mentions.loc[mentions["text"] == "Moscow", "entity_id"])
    assert len(russia) == 1 and len(moscow) == 1 and moscow != russia  # located in Russia, not Russia
