"""Enrich batches hold one model's articles each; articles without a model are in none."""

import pandas as pd

from flows.tasks import _model_batches
from runtime.settings import Settings
from transforms.language import plan_ner


def test_batches_by_model(tmp_path):
    settings = Settings(spacy_model="en_model", spacy_models={"de": "de_model"}, batch_size=2)
    articles = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(7)],
            "body": ["text"] * 7,
            "published_at": pd.NaT,
            "language": ["de", "en", "fr", "en", "und", "en", "de"],
        }
    )
    batches = _model_batches(plan_ner(articles, settings.ner_models), settings, processes=1)
    assert [(model, list(batch["article_id"])) for model, batch in batches] == [
        ("en_model", ["a1", "a3"]),  # the English model first (the workers hold it already)
        ("en_model", ["a5"]),
        ("de_model", ["a0", "a6"]),
    ]
    assert list(batches[0][1].columns) == ["article_id", "body", "published_at", "language"]


def test_no_model_no_batch_but_one_empty_for_the_shape():
    settings = Settings(spacy_model="en_model")
    articles = plan_ner(
        pd.DataFrame({"article_id": ["a"], "body": ["x"], "published_at": pd.NaT, "language": ["fr"]}),
        settings.ner_models,
    )
    ((model, batch),) = _model_batches(articles, settings, processes=2)
    assert model == "en_model" and batch.empty
