"""Mentions the NER model leaves out: repeated names, pronouns and definite descriptions of named entities."""

from __future__ import annotations

import pandas as pd

from transforms.entities import link_entities, resolve_mentions


def _resolve(body: str, spans: list[tuple[str, str, int]]) -> pd.DataFrame:
    """Mentions of one article from (text, label, occurrence) spans, each tagged in sentence 0."""
    rows = []
    for text, label, occurrence in spans:
        start = -1
        for _ in range(occurrence + 1):
            start = body.index(text, start + 1)
        rows.append(("a", start, start + len(text), text, label, 0))
    frame = pd.DataFrame(rows, columns=["article_id", "start", "end", "text", "label", "sentence_index"])
    mentions = resolve_mentions(frame, pd.DataFrame({"article_id": ["a"], "body": [body]}))
    linked, _ = link_entities(mentions, pd.DataFrame())
    return linked


def test_surname_and_name_repeated_untagged_are_mentions():
    body = (
        "Arcade Joseph Comeaux Jr escaped from a prison van. Deputies said Comeaux had a gun.\n"
        "Comeaux was caught in Houston, and Houston police praised the public."
    )
    out = _resolve(body, [("Arcade Joseph Comeaux Jr", "PERSON", 0), ("Houston", "GPE", 0)])
    comeaux = out[out["text"] == "Comeaux"]
    assert len(comeaux) == 2 and set(comeaux["canonical_name"]) == {"Arcade Joseph Comeaux Jr"}
    assert (out["text"] == "Houston").sum() == 2


def test_pronouns_take_the_one_person_of_their_gender_in_reach():
    body = (
        "Actress Tara Reid was seen with her publicist Jack Ketsoyan on Friday. "
        "She said she was happy. He declined to comment.\n\n"
        "Later that week, the weather changed. Rain fell. Nobody knew why. He left."
    )
    out = _resolve(body, [("Tara Reid", "PERSON", 0), ("Jack Ketsoyan", "PERSON", 0)])
    pronouns = out[out["label"] == "PRON"].set_index("start")["canonical_name"]
    assert pronouns[body.index("her")] == "Tara Reid"
    assert pronouns[body.index("She")] == "Tara Reid" and pronouns[body.index("she")] == "Tara Reid"
    assert pronouns[body.index("He ")] == "Jack Ketsoyan"
    # Nobody in reach: the one man the article named before.
    assert pronouns[body.rindex("He")] == "Jack Ketsoyan"
    entity = out.set_index("text").loc["Tara Reid", "entity_id"]
    assert set(out[out["canonical_name"] == "Tara Reid"]["entity_id"]) == {entity}


def test_first_person_in_a_quotation_is_its_speaker_and_he_is_somebody_else():
    body = (
        "Tony Thompson lost to Wladimir Klitschko on Saturday.\n"
        '"I got caught, but he is strong," Thompson said. Klitschko said: "My plan worked."'
    )
    out = _resolve(
        body, [("Tony Thompson", "PERSON", 0), ("Wladimir Klitschko", "PERSON", 0), ("Thompson", "PERSON", 1)]
    )
    pronouns = out[out["label"] == "PRON"].set_index("text")["canonical_name"]
    assert pronouns["I"] == "Tony Thompson" and pronouns["My"] == "Wladimir Klitschko"
    assert pronouns["he"] == "Wladimir Klitschko"


def test_a_quotation_that_is_the_next_paragraph_goes_on_in_the_same_voice():
    body = (
        "Tony Thompson lost to Wladimir Klitschko on Saturday.\n"
        '"I got caught," Thompson said.\n'
        '"He is strong and my legs went."\n'
        "Klitschko said nothing."
    )
    spans = [("Tony Thompson", "PERSON", 0), ("Wladimir Klitschko", "PERSON", 0), ("Thompson", "PERSON", 1)]
    pronouns = _resolve(body, spans).query("label == 'PRON'").set_index("text")["canonical_name"]
    assert pronouns["my"] == "Tony Thompson" and pronouns["He"] == "Wladimir Klitschko"


def test_a_pronoun_out_of_reach_of_two_people_of_its_gender_stays_unresolved():
    body = "Mr. Tom Hale met Mr. Sam Reed on Monday. Talks began. Rain fell. Nobody knew why.\n\nHe left."
    out = _resolve(body, [("Tom Hale", "PERSON", 0), ("Sam Reed", "PERSON", 0)])
    assert "PRON" not in set(out["label"])


def test_pronoun_between_two_people_of_unknown_gender_stays_unresolved():
    body = "Kerry Lane met Robin Moss on Monday. They talked, and later she left."
    out = _resolve(body, [("Kerry Lane", "PERSON", 0), ("Robin Moss", "PERSON", 0)])
    assert "PRON" not in set(out["label"])


def test_definite_description_takes_the_one_entity_it_describes():
    body = (
        "Swimming champion Esther Williams died on Thursday. She checked into the Betty Ford Clinic "
        "last year. The champion was 91. The clinic declined to comment."
    )
    out = _resolve(body, [("Esther Williams", "PERSON", 0), ("Betty Ford Clinic", "ORG", 0)])
    nominal = out[out["label"] == "NOMINAL"].set_index("text")["canonical_name"]
    assert nominal["champion"] == "Esther Williams" and nominal["clinic"] == "Betty Ford Clinic"
    assert body[out.set_index("text").loc["champion", "start"] - 4 :].startswith("The champion")


def test_role_nouns_in_apposition_or_as_predicate_are_the_person_named_before_them():
    body = (
        "Esther Williams, swimming champion, actress, and pin-up icon, has died. "
        "Alfredo Perez, a spokesman for the agency, said Tony Thompson was the mandatory challenger."
    )
    spans = [("Esther Williams", "PERSON", 0), ("Alfredo Perez", "PERSON", 0), ("Tony Thompson", "PERSON", 0)]
    out = _resolve(body, spans)
    nominal = out[out["label"] == "NOMINAL"].set_index("text")["canonical_name"]
    assert nominal["champion"] == nominal["actress"] == nominal["icon"] == "Esther Williams"
    assert nominal["spokesman"] == "Alfredo Perez" and nominal["challenger"] == "Tony Thompson"


def test_a_gendered_role_noun_takes_the_one_person_of_its_gender_in_reach():
    body = (
        "Lindsay Lohan met her lawyer Mark Heller on Monday. The actress checked into rehab. "
        "The star said nothing. The governor of California did not comment."
    )
    out = _resolve(body, [("Lindsay Lohan", "PERSON", 0), ("Mark Heller", "PERSON", 0)])
    nominal = out[out["label"] == "NOMINAL"].set_index("text")["canonical_name"]
    assert nominal.to_dict() == {"actress": "Lindsay Lohan"}  # "star": either gender, two people


def test_pronouns_and_descriptions_never_become_aliases():
    body = "Singer Adele Adkins arrived. The singer said she was tired."
    _, registry = link_entities(
        resolve_mentions(
            pd.DataFrame(
                [("a", 7, 19, "Adele Adkins", "PERSON", 0)],
                columns=["article_id", "start", "end", "text", "label", "sentence_index"],
            ),
            pd.DataFrame({"article_id": ["a"], "body": [body]}),
        ),
        pd.DataFrame(),
    )
    (aliases,) = registry["aliases"]
    assert "she" not in aliases and "singer" not in aliases


def test_the_nationality_of_a_named_person_is_that_person_where_no_noun_follows():
    body = (
        "Klitschko beat American challenger Tony Thompson on Saturday. "
        "The American was cut early. Reporters waited at the American embassy."
    )
    out = _resolve(
        body,
        [
            ("Klitschko", "PERSON", 0),
            ("American", "NORP", 0),
            ("Tony Thompson", "PERSON", 0),
            ("American", "NORP", 1),
        ],
    )
    by_start = out.set_index("start")
    described = by_start.loc[body.index("American was")]
    assert described["label"] == "NOMINAL" and described["canonical_name"] == "Tony Thompson"
    embassy = by_start.loc[body.index("American embassy")]
    assert embassy["canonical_name"] == "United States"


def test_a_headline_name_read_as_a_work_is_the_person_the_text_names():
    body = "Lindsay Lohan Checks Into Rehab\nLindsay checked into the clinic on Thursday, her lawyer said."
    out = _resolve(body, [("Lindsay Lohan", "WORK_OF_ART", 0), ("Lindsay", "PERSON", 1)])
    people = out[out["label"] != "PRON"]
    assert set(people["canonical_name"]) == {"Lindsay Lohan"} and len(set(people["entity_id"])) == 1
