"""Linking across articles and runs: stable ids, conservative merges, ids never changed."""

from __future__ import annotations

import pandas as pd

from transforms.entities import link_entities

COLUMNS = ["article_id", "start", "end", "text", "label", "sentence_index", "canonical_name", "entity_type"]


def _mentions(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """(article_id, text, canonical_name, entity_type) rows as resolved mentions."""
    out = [(a, i, i + len(t), t, e, 0, c, e) for i, (a, t, c, e) in enumerate(rows)]
    frame = pd.DataFrame(out, columns=COLUMNS)
    frame["country_code"] = None
    return frame


def _id(linked: pd.DataFrame, name: str) -> str:
    ids = set(linked.loc[linked["canonical_name"] == name, "entity_id"])
    assert len(ids) == 1
    return ids.pop()


def test_partial_names_merge_with_shared_context():
    mentions = _mentions(
        ("a", "Gul Hassan Hassan", "Gul Hassan Hassan", "PERSON"),
        ("a", "Taliban", "Taliban", "ORG"),
        ("b", "Gul Hassan", "Gul Hassan", "PERSON"),
        ("b", "Taliban", "Taliban", "ORG"),
    )
    linked, registry = link_entities(mentions, pd.DataFrame())
    assert _id(linked, "Gul Hassan") == _id(linked, "Gul Hassan Hassan")
    assert len(registry) == 2


def test_ambiguous_partial_name_stays_separate():
    mentions = _mentions(
        ("a", "Gul Hassan Hassan", "Gul Hassan Hassan", "PERSON"),
        ("a", "Taliban", "Taliban", "ORG"),
        ("b", "Gul Hassan Ahmadi", "Gul Hassan Ahmadi", "PERSON"),
        ("b", "Taliban", "Taliban", "ORG"),
        ("c", "Gul Hassan", "Gul Hassan", "PERSON"),
        ("c", "Taliban", "Taliban", "ORG"),
    )
    linked, _ = link_entities(mentions, pd.DataFrame())
    ids = {_id(linked, n) for n in ["Gul Hassan", "Gul Hassan Hassan", "Gul Hassan Ahmadi"]}
    assert len(ids) == 3


def test_no_merge_without_shared_context():
    mentions = _mentions(
        ("a", "John Smith Jones", "John Smith Jones", "PERSON"),
        ("a", "Acme", "Acme", "ORG"),
        ("b", "John Smith", "John Smith", "PERSON"),
        ("b", "Globex", "Globex", "ORG"),
    )
    linked, _ = link_entities(mentions, pd.DataFrame())
    assert _id(linked, "John Smith") != _id(linked, "John Smith Jones")


def test_ids_stable_across_runs_and_orders():
    first = _mentions(
        ("a", "Russia", "Russia", "GPE"),
        ("a", "Dmitry Zhirnov", "Dmitry Zhirnov", "PERSON"),
        ("a", "Zhirnov", "Dmitry Zhirnov", "PERSON"),
    )
    linked, registry = link_entities(first, pd.DataFrame())
    shuffled, _ = link_entities(first.iloc[::-1], pd.DataFrame())
    assert dict(zip(linked["text"], linked["entity_id"], strict=True)) == dict(
        zip(shuffled["text"], shuffled["entity_id"], strict=True)
    )
    # Re-running on the same input changes no id and adds no entity.
    again, registry_again = link_entities(first, registry)
    assert again["entity_id"].tolist() == linked["entity_id"].tolist()
    assert sorted(registry_again["entity_id"]) == sorted(registry["entity_id"])
    # A later run with new and known entities maps the known ones onto their ids.
    second = _mentions(
        ("b", "Russian", "Russia", "GPE"),
        ("b", "Dmitry Zhirnov", "Dmitry Zhirnov", "PERSON"),
        ("b", "Sergey Lavrov", "Sergey Lavrov", "PERSON"),
    )
    linked_2, registry_2 = link_entities(second, registry_again)
    assert _id(linked_2, "Russia") == _id(linked, "Russia")
    assert _id(linked_2, "Dmitry Zhirnov") == _id(linked, "Dmitry Zhirnov")
    old = registry_again.set_index("entity_id")
    new = registry_2.set_index("entity_id")
    assert set(old.index) <= set(new.index) and len(new) == len(old) + 1
    assert (new.loc[old.index, "canonical_name"] == old["canonical_name"]).all()
    assert "Russian" in new.loc[_id(linked, "Russia"), "aliases"]


def test_registry_alias_match_and_new_id_never_reused():
    registry = pd.DataFrame(
        {
            "entity_id": ["e1"],
            "canonical_name": ["United Arab Emirates"],
            "type": ["GPE"],
            "aliases": [["UAE"]],
            "country_code": ["ARE"],
        }
    )
    linked, updated = link_entities(_mentions(("a", "UAE", "UAE", "GPE")), registry)
    assert linked["entity_id"].tolist() == ["e1"]
    assert updated.loc[0, "mention_count"] == 1
    empty, empty_registry = link_entities(_mentions(), pd.DataFrame())
    assert empty.empty and empty_registry.empty


def test_one_name_under_several_labels_is_one_entity():
    mentions = _mentions(
        ("a", "Lindsay Lohan", "Lindsay Lohan", "PERSON"),
        ("b", "Lindsay Lohan", "Lindsay Lohan", "PERSON"),
        ("c", "Lindsay Lohan", "Lindsay Lohan", "ORG"),
        ("d", "Lindsay Lohan", "Lindsay Lohan", "WORK_OF_ART"),
        ("a", "Jordan", "Jordan", "GPE"),
        ("b", "Jordan", "Jordan", "PERSON"),
    )
    mentions.loc[mentions["entity_type"].eq("GPE"), "country_code"] = "JOR"
    linked, registry = link_entities(mentions, pd.DataFrame())
    assert linked.loc[linked["text"] == "Lindsay Lohan", "entity_id"].nunique() == 1
    assert registry.set_index("canonical_name").loc["Lindsay Lohan", "type"] == "PERSON"
    # A known country keeps apart from a person of the same name.
    assert linked.loc[linked["text"] == "Jordan", "entity_id"].nunique() == 2
    # A later run finds the entity whatever label the model gives the name this time.
    again, _ = link_entities(_mentions(("e", "Lindsay Lohan", "Lindsay Lohan", "ORG")), registry)
    assert again["entity_id"].tolist() == [_id(linked, "Lindsay Lohan")]


def test_lone_surname_before_a_generational_suffix():
    mentions = _mentions(
        ("a", "Arcade Joseph Comeaux Jr.", "Arcade Joseph Comeaux Jr.", "PERSON"),
        ("a", "Texas", "Texas", "GPE"),
        ("a", "Baytown", "Baytown", "GPE"),
        ("b", "Comeaux", "Comeaux", "PERSON"),
        ("b", "Texas", "Texas", "GPE"),
        ("b", "Baytown", "Baytown", "GPE"),
    )
    linked, _ = link_entities(mentions, pd.DataFrame())
    assert _id(linked, "Comeaux") == _id(linked, "Arcade Joseph Comeaux Jr.")


def test_registry_with_one_name_under_two_types():
    registry = pd.DataFrame(
        {
            "entity_id": ["e-person", "e-org"],
            "canonical_name": ["Lindsay Lohan", "Lindsay Lohan"],
            "type": ["PERSON", "ORG"],
            "aliases": [[], []],
            "country_code": [None, None],
        }
    )
    rows = [("a", "Lindsay Lohan", "Lindsay Lohan", t) for t in ["ORG", "PERSON", "WORK_OF_ART"]]
    for row in rows:
        linked, updated = link_entities(_mentions(row), registry)
        expected = "e-org" if row[3] == "ORG" else "e-person"
        assert linked["entity_id"].tolist() == [expected] and len(updated) == 2


def test_lone_surname_dominance_counts_every_form_of_a_name():
    story = [("Texas", "Texas", "GPE"), ("Baytown", "Baytown", "GPE")]
    rows = [
        *[("a", *m) for m in [("Anthony LaCalamita", "Anthony LaCalamita", "PERSON"), *story]] * 5,
        *[("b", *m) for m in [("Anthony LaCalamita III", "Anthony LaCalamita III", "PERSON"), *story]] * 5,
        ("c", "Michele LaCalamita", "Michele LaCalamita", "PERSON"),
        *[("c", *m) for m in [("LaCalamita", "LaCalamita", "PERSON"), *story]],
    ]
    linked, _ = link_entities(_mentions(*rows), pd.DataFrame())
    assert _id(linked, "LaCalamita") == _id(linked, "Anthony LaCalamita III")
    assert _id(linked, "Michele LaCalamita") != _id(linked, "LaCalamita")
