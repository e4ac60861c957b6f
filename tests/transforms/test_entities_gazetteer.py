"""Cities and US states: their country from GeoNames, namesakes settled by the article's countries."""

from __future__ import annotations

import pandas as pd

from transforms.entities import link_entities, resolve_mentions
from transforms.entities.gazetteer import coordinates, locate, us_state


def test_a_city_name_goes_to_the_largest_namesake_only_when_it_dominates():
    assert locate("Moscow").country_code == "RUS"  # not Moscow, Idaho
    assert locate("Moskva").name == "Moscow"  # another name of a big city
    springfield = locate("Springfield")  # several of a size, all in one country
    assert springfield.country_code == "USA" and springfield.latitude is None
    assert coordinates("Springfield", "USA") is None
    assert locate("Nowhereville") is None
    assert us_state("california") == "California"
    assert coordinates("Kabul", "AFG") == (locate("Kabul").latitude, locate("Kabul").longitude)


def test_namesake_in_a_country_the_article_names():
    body = "Police in London, Ontario, said the fire started in London late on Friday. Canada sent help."
    spans = [(body.index("London"), "London", "GPE"), (body.index("Canada"), "Canada", "GPE")]
    frame = pd.DataFrame(
        [("a", s, s + len(t), t, label, 0) for s, t, label in spans],
        columns=["article_id", "start", "end", "text", "label", "sentence_index"],
    )
    mentions = resolve_mentions(frame, pd.DataFrame({"article_id": ["a"], "body": [body]}))
    linked, registry = link_entities(mentions, pd.DataFrame())
    london = registry.set_index("canonical_name").loc["London"]
    assert london["country_code"] == "CAN" and london["longitude"] < -80
    assert set(linked.loc[linked["text"] == "London", "entity_id"]) == {london["entity_id"]}


def test_a_place_the_registry_holds_without_a_country_keeps_its_id_when_located():
    old = pd.DataFrame(
        [
            {
                "entity_id": "e-moscow",
                "canonical_name": "Moscow",
                "type": "GPE",
                "aliases": [],
                "country_code": None,
            }
        ]
    )
    body = "Talks opened in Moscow on Monday."
    frame = pd.DataFrame(
        [("a", 16, 22, "Moscow", "GPE", 0)],
        columns=["article_id", "start", "end", "text", "label", "sentence_index"],
    )
    linked, registry = link_entities(
        resolve_mentions(frame, pd.DataFrame({"article_id": ["a"], "body": [body]})), old
    )
    assert set(linked["entity_id"]) == {"e-moscow"}
    row = registry.set_index("entity_id").loc["e-moscow"]
    assert row["country_code"] == "RUS" and row["latitude"] > 55
