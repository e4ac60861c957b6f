"""The shipped boilerplate model: what the training script writes, read without scikit-learn."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from tests.conftest import ROOT
from transforms.boilerplate import is_page_dump
from transforms.boilerplate_features import FEATURES, block_features
from transforms.boilerplate_model import (
    FORMAT_VERSION,
    MODEL_PATH,
    BoilerplateModel,
    boilerplate_model,
    decide,
    from_dict,
)


def _training_script():
    spec = importlib.util.spec_from_file_location(
        "train_boilerplate", ROOT / "scripts" / "train_boilerplate.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_shipped_model_is_what_the_training_script_writes():
    script = _training_script()
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT_VERSION
    assert data["version"] == script.VERSION
    assert data["features"] == list(FEATURES)
    assert (data["threshold"], data["certain"]) == (script.THRESHOLD, script.CERTAIN)
    assert data["method"] == "trees" and len(data["trees"]) == script.TREES
    model = boilerplate_model()
    assert isinstance(model, BoilerplateModel) and model.features == FEATURES


def test_a_model_of_other_features_is_refused():
    with pytest.raises(ValueError, match="other features"):
        from_dict({"format": FORMAT_VERSION, "version": "x", "features": ["log_chars"]})
    with pytest.raises(ValueError, match="format"):
        from_dict({"format": FORMAT_VERSION + 1, "version": "x", "features": list(FEATURES)})


def test_trees_and_weights_give_log_odds():
    n = len(FEATURES)
    first = FEATURES.index("log_chars")
    tree = {"feature": first, "threshold": 0.0, "left": {"value": -2.0}, "right": {"value": 3.0}}
    weights = [0.0] * n
    weights[FEATURES.index("ends_sentence")] = 1.0
    model = from_dict(
        {
            "format": FORMAT_VERSION,
            "version": "t",
            "features": list(FEATURES),
            "mean": [0.0] * n,
            "scale": [2.0] * n,  # tree thresholds are on standardised features
            "weights": weights,
            "bias": 0.5,
            "trees": [tree],
        }
    )
    vector = [0.0] * n
    vector[first], vector[FEATURES.index("ends_sentence")] = 1.0, 4.0
    assert model.log_odds([vector])[0] == pytest.approx(0.5 + 4.0 / 2.0 + 3.0)


def test_a_stray_text_like_block_far_from_the_article_goes():
    texts = ["x" * 200, "x" * 200, "menu", "menu", "menu", "menu", "x" * 50]
    probabilities = [0.95, 0.8, 0.1, 0.1, 0.1, 0.1, 0.6]
    assert decide(probabilities, texts, threshold=0.4, certain=0.9) == {0, 1}
    assert decide([0.3, 0.95, 0.1], ["x" * 80, "x" * 200, "menu"], 0.4, 0.9) == {1}


def test_features_are_one_vector_per_block_in_order():
    texts = ["Home", "A headline about the council", "The council met on Tuesday and voted."]
    vectors = block_features(
        texts, ["short", "short", "near"], ["bad", "bad", "good"], {2}, None, texts[1], None, 1
    )
    assert len(vectors) == 3 and all(len(v) == len(FEATURES) for v in vectors)


def test_a_news_text_is_no_page_dump():
    paragraph = "The council met on Tuesday and voted for the new tram line after a long debate about costs."
    lines = ["Council backs tram line", "", *([paragraph, ""] * 8)]
    assert not is_page_dump(lines, set(), "en")
