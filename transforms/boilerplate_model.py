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

import numpy as np

from transforms.boilerplate_features import FEATURES

MODEL_PATH = Path(__file__).with_name("parsing") / "patterns" / "boilerplate_model.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Forest:
    """All trees as flat arrays, walked for every block of a page and every tree at once: per level
    one gather and one comparison over a (blocks x trees) array, not a Python loop per block."""

    feature: np.ndarray  # node -> feature index (0 at a leaf)
    threshold: np.ndarray  # node -> threshold on the raw feature (+inf at a leaf: it stays put)
    left: np.ndarray  # node -> next node when feature <= threshold (a leaf: itself)
    right: np.ndarray
    value: np.ndarray  # node -> leaf value (0 inside)
    roots: np.ndarray  # tree -> its root node
    depth: int

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        node = np.broadcast_to(self.roots, (len(x), len(self.roots)))
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            below = x[rows, self.feature[node]] <= self.threshold[node]
            node = np.where(below, self.left[node], self.right[node])
        return self.value[node].sum(axis=1)


@dataclass(frozen=True)
class BoilerplateModel:
    version: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    forest: Forest | None
    threshold: float
    certain: float

    def log_odds(self, vectors: list[list[float]] | np.ndarray) -> np.ndarray:
        x = np.asarray(vectors, dtype=float).reshape(-1, len(self.features))
        total = np.full(len(x), self.bias)
        if self.weights.any():
            total += ((x - self.mean) / self.scale) @ self.weights
        if self.forest is not None:  # thresholds are on the raw features (see `_flatten`)
            total += self.forest.log_odds(x)
        return total

    def probabilities(self, vectors: list[list[float]] | np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.log_odds(vectors), -50.0, 50.0)))

    def keep(self, vectors: list[list[float]] | np.ndarray, texts: list[str]) -> set[int]:
        return decide(self.probabilities(vectors).tolist(), texts, self.threshold, self.certain)


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


def _flatten(trees: list[dict], mean: list[float], scale: list[float]) -> Forest | None:
    """Trees fitted on standardised features, as one `Forest` with thresholds on the raw features
    (one step less per block at run time)."""
    if not trees:
        return None
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []

    def add(node: dict) -> tuple[int, int]:  # (index, depth below)
        k = len(feature)
        feature.append(0)
        threshold.append(math.inf)
        left.append(k)
        right.append(k)
        value.append(0.0)
        if "value" in node:
            value[k] = float(node["value"])
            return k, 0
        f = node["feature"]
        feature[k], threshold[k] = f, node["threshold"] * scale[f] + mean[f]
        (left[k], a), (right[k], b) = add(node["left"]), add(node["right"])
        return k, 1 + max(a, b)

    roots, depths = zip(*(add(tree) for tree in trees), strict=True)
    return Forest(
        np.array(feature, dtype=np.intp),
        np.array(threshold),
        np.array(left, dtype=np.intp),
        np.array(right, dtype=np.intp),
        np.array(value),
        np.array(roots, dtype=np.intp),
        max(depths),
    )


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
        mean=np.array(mean, dtype=float),
        scale=np.array(scale, dtype=float),
        weights=np.array(data.get("weights") or [0.0] * n, dtype=float),
        bias=float(data.get("bias", 0.0)),
        forest=_flatten(data.get("trees") or [], mean, scale),
        threshold=float(data.get("threshold", 0.5)),
        certain=float(data.get("certain", 1.0)),
    )


@cache
def boilerplate_model(path: Path = MODEL_PATH) -> BoilerplateModel | None:
    """The shipped model, or None where the file is absent (the rule-based run is used then)."""
    if not path.exists():
        return None
    return from_dict(json.loads(path.read_text(encoding="utf-8")))
