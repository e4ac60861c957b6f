"""The learned boilerplate model: a JSON file of weights, read and applied without scikit-learn.

`transforms/parsing/patterns/boilerplate_model.json` holds a format version, the feature list (it
must equal `boilerplate_features.FEATURES`, so that a model never meets vectors it was not fitted
on), the standardisation, and either a logistic regression (`weights`, `bias`) or a small ensemble
of regression trees (`trees`, summed to a log-odds). `scripts/train_boilerplate.py` writes it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from transforms.boilerplate_features import FEATURES

MODEL_PATH = Path(__file__).with_name("parsing") / "patterns" / "boilerplate_model.json"
FORMAT_VERSION = 1


# A tree at run time: a leaf value, or (feature, threshold, left, right) — tuples, not dicts, since
# the trees are walked once per block of every page.
Node = float | tuple


@dataclass(frozen=True)
class BoilerplateModel:
    version: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    trees: tuple[Node, ...]
    threshold: float
    certain: float

    def log_odds(self, vector: list[float]) -> float:
        total = self.bias
        if any(self.weights):
            x = [(v - m) / s for v, m, s in zip(vector, self.mean, self.scale, strict=True)]
            total += sum(w * v for w, v in zip(self.weights, x, strict=True))
        for node in self.trees:  # thresholds are on the raw features (see `from_dict`); walked inline
            while type(node) is tuple:
                feature, threshold, left, right = node
                node = left if vector[feature] <= threshold else right
            total += node
        return total

    def probabilities(self, vectors: list[list[float]]) -> list[float]:
        return [1.0 / (1.0 + math.exp(-max(min(self.log_odds(v), 50.0), -50.0))) for v in vectors]

    def keep(self, vectors: list[list[float]], texts: list[str]) -> set[int]:
        return decide(self.probabilities(vectors), texts, self.threshold, self.certain)


def decide(probabilities: list[float], texts: list[str], threshold: float, certain: float) -> set[int]:
    """Blocks kept: inside the article's run, those reaching `threshold`; anywhere, those reaching
    `certain`. The run is the contiguous blocks with the best sum of (p - 0.5) x length, so that one
    stray text-like block in a footer or a teaser list does not join the article."""
    scores = [(p - 0.5) * max(len(text), _LEAST_WEIGHT) for p, text in zip(probabilities, texts, strict=True)]
    begin, end = best_run(scores)
    return {k for k, p in enumerate(probabilities) if (begin <= k <= end and p >= threshold) or p >= certain}


_LEAST_WEIGHT = 40  # characters: a menu item counts as much against the run as a short line of text


def best_run(scores: list[float]) -> tuple[int, int]:
    """Kadane: the contiguous run with the largest sum (first and last position, inclusive)."""
    best, span = float("-inf"), (0, -1)
    total, start = 0.0, 0
    for k, score in enumerate(scores):
        if total <= 0:
            total, start = score, k
        else:
            total += score
        if total > best:
            best, span = total, (start, k)
    return span if best > 0 else (0, -1)


def _unscaled(node: dict, mean: list[float], scale: list[float]) -> Node:
    """A tree fitted on standardised features, with its thresholds on the raw ones (one step less
    per block at run time)."""
    if "value" in node:
        return float(node["value"])
    f = node["feature"]
    threshold = node["threshold"] * scale[f] + mean[f]
    return (f, threshold, _unscaled(node["left"], mean, scale), _unscaled(node["right"], mean, scale))


def from_dict(data: dict) -> BoilerplateModel:
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"boilerplate model format {data.get('format')!r}, expected {FORMAT_VERSION}")
    features = tuple(data["features"])
    if features != FEATURES:
        raise ValueError("boilerplate model was fitted on other features: rerun scripts/train_boilerplate.py")
    n = len(features)
    mean, scale = data.get("mean") or [0.0] * n, data.get("scale") or [1.0] * n
    return BoilerplateModel(
        version=str(data["version"]),
        features=features,
        mean=tuple(mean),
        scale=tuple(scale),
        weights=tuple(data.get("weights") or [0.0] * n),
        bias=float(data.get("bias", 0.0)),
        trees=tuple(_unscaled(tree, mean, scale) for tree in data.get("trees") or ()),
        threshold=float(data.get("threshold", 0.5)),
        certain=float(data.get("certain", 1.0)),
    )


@cache
def boilerplate_model(path: Path = MODEL_PATH) -> BoilerplateModel | None:
    """The shipped model, or None where the file is absent (the rule-based run is used then)."""
    if not path.exists():
        return None
    return from_dict(json.loads(path.read_text(encoding="utf-8")))
