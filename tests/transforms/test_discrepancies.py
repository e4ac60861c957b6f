"""Discrepancies: the seeds' conflicts, agreeing paraphrases, and crafted pairs."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transforms._standins import seed_bundle, timexes_from_bodies
from transforms.discrepancies import DISCREPANCY_COLUMNS, align, compare, find_discrepancies
from transforms.quotes import extract_quotes


@pytest.fixture(scope="module")
def seed_discrepancies() -> pd.DataFrame:
    bundle = seed_bundle()
    articles = bundle["articles"].assign(story_id="story")
    quotes = extract_quotes(articles, bundle["mentions"], bundle["sentences"])
    return find_discrepancies(articles, bundle["sentences"], bundle["mentions"], bundle["timexes"], quotes)


def test_columns(seed_discrepancies):
    assert list(seed_discrepancies.columns) == DISCREPANCY_COLUMNS


def test_seed_date_conflict(seed_discrepancies):
    dates = seed_discrepancies[seed_discrepancies["kind"] == "date"]
    assert len(dates) == 1
    row = dates.iloc[0]
    assert {row.value_a, row.value_b} == {"April 2024", "April 2025"}
    sentences = {row.sentence_a, row.sentence_b}
    assert "But in April 2025, it removed that label as part of efforts to improve ties." in sentences
    assert any(s.startswith("In April 2024, Moscow removed the Taliban from its list") for s in sentences)


def test_seed_attribution_conflict(seed_discrepancies):
    rows = seed_discrepancies[seed_discrepancies["kind"] == "attribution"]
    assert len(rows) == 1
    row = rows.iloc[0]
    values = (row.value_a, row.value_b)
    # speakers are the registry's canonical names ("Dmitry Zhirnov", "Ministry of Foreign Affairs ...")
    assert any("Zhirnov" in v for v in values)
    assert any("Foreign" in v and "Minist" in v for v in values)
    assert all("historic step" in s for s in (row.sentence_a, row.sentence_b))


def test_seed_paraphrase_is_not_a_discrepancy(seed_discrepancies):
    text = " ".join(seed_discrepancies["sentence_a"]) + " ".join(seed_discrepancies["sentence_b"])
    assert "productive bilateral cooperation" not in text
    assert len(seed_discrepancies) == 2


def test_same_outlet_or_other_story_is_never_compared():
    bundle = seed_bundle()
    quotes = extract_quotes(bundle["articles"], bundle["mentions"], bundle["sentences"])
    same_outlet = bundle["articles"].assign(story_id="s", outlet="one")
    apart = bundle["articles"].assign(story_id=["s1", "s2"])
    for articles in (same_outlet, apart):
        found = find_discrepancies(
            articles, bundle["sentences"], bundle["mentions"], bundle["timexes"], quotes
        )
        assert found.empty


def _pair(body_a: str, body_b: str) -> pd.DataFrame:
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "story_id": "s",
            "body": [body_a, body_b],
            "outlet": ["o1", "o2"],
            "doc_id": ["d1", "d2"],
            "published_at": pd.NaT,
        }
    )
    sentences = pd.DataFrame(
        [(aid, 0, 0, len(body)) for aid, body in zip(articles["article_id"], articles["body"], strict=True)],
        columns=["article_id", "sentence_index", "start", "end"],
    )
    mentions = pd.DataFrame(
        columns=["article_id", "start", "end", "text", "label", "entity_id", "canonical_name"]
    )
    return find_discrepancies(articles, sentences, mentions, timexes_from_bodies(articles), pd.DataFrame())


def test_number_conflict_with_shared_unit():
    found = _pair(
        "The earthquake killed 12 people in the mountain villages near the border.",
        "The earthquake killed 15 people in the mountain villages near the border.",
    )
    assert found[["kind", "value_a", "value_b"]].values.tolist() == [["number", "12 people", "15 people"]]


def test_agreeing_numbers_and_formats_are_not_conflicts():
    found = _pair(
        "Officials said 1,200 homes were destroyed by the flood on the river plain in March 2023.",
        "Officials said 1200 homes were destroyed by the flood on the river plain in 2023.",
    )
    assert found.empty


def test_a_fact_only_one_side_reports_is_not_a_conflict():
    found = _pair(
        "The company hired a new chief executive to lead the turnaround.",
        "The company hired a new chief executive to lead the turnaround, paying him $5 million.",
    )
    assert found.empty


def test_compare_helpers():
    assert compare.same_speaker(None, "Dmitry Zhirnov", None, "Zhirnov")
    assert not compare.same_speaker("x", "Dmitry Zhirnov", "y", "Foreign Ministry")
    assert compare.same_speaker(None, "officials", None, "Zhirnov")
    assert compare.name_conflicts({"John Smith"}, {"James Smith"}) == [("John Smith", "James Smith")]
    assert compare.name_conflicts({"Gul Hassan Hassan"}, {"Gul Hassan"}) == []
    months = compare.date_values([("April 2024", "2024-04"), ("2024", "2024")])
    assert compare.conflicts(months, compare.date_values([("in April", "2024-04")]), loose=False) == []


def test_publication_stamps_are_not_date_conflicts():
    found = _pair(
        "Updated: May 2, 2013\nThe fire destroyed the old dairy building in Palmer on Tuesday night.",
        "Updated: May 3, 2013\nThe fire destroyed the old dairy building in Palmer on Tuesday night.",
    )
    assert found.empty


def test_date_conflict_in_reworded_sentences():
    found = _pair(
        "Local voters approved the bond in 2009 to buy the land beside the river.",
        "The bond to buy the riverside land was approved by voters in 2010, officials said.",
    )
    assert found[["kind", "value_a", "value_b"]].values.tolist() == [["date", "2009", "2010"]]


def test_name_spelled_two_ways():
    assert compare.name_conflicts({"Bettie Page"}, {"Betty Page"}) == [("Bettie Page", "Betty Page")]
    assert compare.name_conflicts({"Robert J. Pickell"}, {"Robert J Pickell"}) == []


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_number_values_never_fail_and_quote_the_text(text):
    for value in compare.number_values(text, []):
        assert value.text in text


def test_empty_and_missing_inputs():
    empty = pd.DataFrame()
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "story_id": ["s", "s"],
            "body": ["It killed 5 people.", None],
            "outlet": ["o1", "o2"],
            "doc_id": ["d1", "d2"],
            "published_at": [pd.NaT, pd.NaT],
        }
    )
    sentences = pd.DataFrame({"article_id": ["a"], "sentence_index": [0], "start": [0], "end": [19]})
    assert find_discrepancies(articles.iloc[0:0], sentences.iloc[0:0], empty, empty, empty).empty
    assert find_discrepancies(articles, sentences, empty, empty, None).empty


def test_a_season_range_is_not_a_year():
    found = _pair(
        "The coach signed a contract extension through the 2008-09 season with the club.",
        "The coach signed a contract extension through the 2009 season with the club.",
    )
    assert found[found["kind"] == "date"].empty
    assert compare.is_range_start("the 2008-09 season", 8) and not compare.is_range_start("in 2008, it", 7)
    found = _pair(
        "The coach signed a contract extension through the 2008-09 season with the club.",
        "The coach signed a contract extension through the 2007-08 season with the club.",
    )
    assert found[["kind", "value_a", "value_b"]].values.tolist() == [["date", "2008-09", "2007-08"]]


def test_story_idf_from_shared_counts_equals_a_story_fit():
    units = pd.DataFrame({"text": ["The quake killed 12 people.", "A quake killed 15 people.", "Rain fell."]})
    shared = align.story_vectors(align.unit_counts(units))
    alone = align.unit_vectors(units)
    assert abs((shared @ shared.T).toarray() - (alone @ alone.T).toarray()).max() < 1e-9


def _same_counts(ours, theirs) -> bool:
    """Equal count matrices up to the order of their columns."""
    import numpy as np

    return (
        ours.shape == theirs.shape
        and (ours @ ours.T != theirs @ theirs.T).nnz == 0
        and np.array_equal(np.sort(ours.sum(axis=0).A1), np.sort(theirs.sum(axis=0).A1))
    )


_AWKWARD_TEXTS = [
    "The quake killed 12 people.",
    "a b AB ab  x\ty\nz",  # one- and two-letter words, every kind of space
    "",
    "   ",
    "Ünïcödé STRASSE straße İstanbul Kraków — «quoted» 東京",
    "supercalifragilisticexpialidocious",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("abAB çÉ\n\t-.'0"), max_size=30), min_size=1, max_size=6))
def test_character_ngram_counts_are_scikit_learns(texts):
    from sklearn.feature_extraction.text import CountVectorizer

    ours = align.char_wb_counts(texts)
    try:
        theirs = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(texts)
    except ValueError:  # scikit-learn finds no n-gram at all
        assert ours.nnz == 0
        return
    assert _same_counts(ours, theirs)


def test_character_ngram_counts_of_awkward_text_and_a_huge_alphabet():
    from sklearn.feature_extraction.text import CountVectorizer

    vectoriser = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5))
    assert _same_counts(align.char_wb_counts(_AWKWARD_TEXTS), vectoriser.fit_transform(_AWKWARD_TEXTS))
    many = ["".join(chr(0x4E00 + i + j) for j in range(5)) for i in range(0, 7000, 5)]  # 7000 characters
    assert align.char_wb_counts(many) is None  # beyond exact numbering: the vectoriser counts
    units = pd.DataFrame({"text": many[:3] + _AWKWARD_TEXTS})
    assert _same_counts(
        align.unit_counts(units), vectoriser.fit_transform(units["text"].str.replace(r"\d", "0", regex=True))
    )


def test_stories_counted_in_chunks_keep_their_vectors(monkeypatch):
    import numpy as np

    units = pd.DataFrame({"text": [f"Sentence {i} of story {i % 4}, word{i % 3}." for i in range(40)]})
    stories = [np.flatnonzero(np.arange(40) % 4 == s) for s in range(4)]
    whole = align.unit_counts(units)
    monkeypatch.setattr(align, "_CHUNK_CHARACTERS", 300)  # about one story per chunk
    for rows, counts in zip(stories, align.story_unit_counts(units, stories), strict=True):
        ours, alone = align.story_vectors(counts), align.story_vectors(whole[rows])
        assert abs((ours @ ours.T).toarray() - (alone @ alone.T).toarray()).max() < 1e-12


def test_names_speaker():
    sentence = "Alan Thornhill, director of the Society for Conservation Biology, said, ."
    assert compare.names_speaker(sentence, "Alan Thornhill")
    assert compare.names_speaker("Zadan and Meron added: .", "Neil Meron")
    assert not compare.names_speaker(sentence, "Society for Conservation Biology (USA) Board")
    seed = "Zhirnov conveyed Moscow's decision to recognize the Islamic Emirate of Afghanistan."
    assert not compare.names_speaker(seed, "Ministry of Foreign Affairs (Afghanistan)")
    assert not compare.names_speaker(seed, None) and not compare.names_speaker("", "Zhirnov")


def test_stories_split_over_processes_give_the_same_rows():
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from transforms.discrepancies import find_discrepancies_over

    bundle = seed_bundle()
    copies = {name: [] for name in ("articles", "sentences", "mentions", "timexes")}
    for story in range(5):  # five stories: the seed pair under new ids
        rename = {a: f"{a}-{story}" for a in bundle["articles"]["article_id"]}
        for name in copies:
            frame = bundle[name].assign(article_id=bundle[name]["article_id"].map(rename))
            if name == "articles":
                frame = frame.assign(story_id=f"s{story}", doc_id=frame["article_id"])
            copies[name].append(frame)
    articles, sentences, mentions, timexes = (pd.concat(copies[n], ignore_index=True) for n in copies)
    quotes = extract_quotes(articles, mentions, sentences)
    alone = find_discrepancies(articles, sentences, mentions, timexes, quotes)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        split = find_discrepancies_over(pool, 2, articles, sentences, mentions, timexes, quotes)
    assert len(alone) >= 10 and alone["story_id"].nunique() == 5
    pd.testing.assert_frame_equal(split, alone)
