"""Entities: one canonical, stable entity behind every way the news names it.

`resolve_mentions` cleans the NER spans and resolves them inside each article; `link_entities` links the
resolved mentions across articles and runs through the entity registry, keeping every id ever given.

Modules: `spans` (span cleaning), `names` (titles, institutions, nicknames, comparison keys),
`reference` (the versioned tables under `data/`), `within_article` (resolution inside one article),
`registry` (grouping, registry matching, stable ids) and `variants` (name forms across articles).
"""

from __future__ import annotations

from transforms.entities.registry import link_entities
from transforms.entities.resolve import resolve_mentions

__all__ = ["link_entities", "resolve_mentions"]
