"""`link_entities`: one entity_id per real-world entity, across articles and runs.

Mentions are grouped by canonical key and type family: the NER model often gives one name different
labels in different articles ("Lindsay Lohan" PERSON, ORG and WORK_OF_ART), so a name's type is the one
most of its mentions carry; only known places and nationalities (they carry a country code: "Jordan" the
country) stay apart from other readings of the same word. Each group is matched against the registry (the
`entities` table so far) by canonical name, alias or country code; person names then merge
conservatively with a longer or shorter form of themselves ("Gul Hassan" <-> "Gul Hassan Hassan") when
that reading is unique and, inside the batch, the articles share other entities; the other variant forms
(designators, partial organisation names, acronyms, first-name forms, nicknames) are found by
`variants.py` under the same co-mention agreement. A group that matches
nothing becomes a new entity whose id is derived from its type and canonical name, so the same input
gives the same id on every run; ids already in the registry are never changed or reused.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from transforms.entities import variants
from transforms.entities.gazetteer import coordinates
from transforms.entities.names import surname, tokens
from transforms.entities.reference import is_country
from transforms.entities.within_article import REFERRING_LABELS, canonical_key
from transforms.ids import stable_id

REGISTRY_COLUMNS = [
    "entity_id",
    "canonical_name",
    "type",
    "aliases",
    "country_code",
    "latitude",
    "longitude",
    "mention_count",
    "article_count",
]
# Co-mention agreement: two partial person names in this batch merge only when their articles share at
# least this many other entities.
MIN_SHARED_CONTEXT = 1
# A lone surname is weaker evidence than a partial full name.
MIN_SHARED_CONTEXT_SURNAME = 2
# Spelling variants: whole-name similarity (rapidfuzz ratio, 0-100) of names at least this long.
FUZZY_MIN_RATIO = 90
FUZZY_MIN_LENGTH = 8
DOMINANT_SHARE = 0.8
PLACE_TYPES = frozenset({"GPE", "LOC", "NORP"})
SURNAME_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE", "PRODUCT", "WORK_OF_ART"})
FUZZY_TYPES = frozenset({"PERSON", "ORG", "FAC", "LOC", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"})


@dataclass
class Group:
    family: str  # see `type_family`
    key: str
    types: Counter = field(default_factory=Counter)  # entity types of the mentions, with counts
    names: Counter = field(default_factory=Counter)  # canonical names as written, with counts
    texts: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    country_code: str | None = None
    mention_count: int = 0
    entity_id: str | None = None

    @property
    def key_pair(self) -> tuple[str, str]:
        return (self.family, self.key)

    @property
    def type(self) -> str:
        """The type most mentions carry (ties: the first in alphabetical order)."""
        return min(self.types.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    @property
    def name(self) -> str:
        return max(self.names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]


def link_entities(mentions: pd.DataFrame, registry: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(mentions + entity_id, full updated registry); existing entity_ids never change."""
    registry = _normalise_registry(registry)
    # A missing country code may arrive as None or NaN depending on how batches were joined;
    # NaN is truthy, so make it None before any rule looks at it.
    mentions = mentions.assign(country_code=_none_if_missing(mentions["country_code"]))
    registry = registry.assign(country_code=_none_if_missing(registry["country_code"]))
    groups = _groups(mentions)
    index = _RegistryIndex(registry)
    for group in groups.values():
        group.entity_id = index.match(group)
    _merge_variants(groups, index)
    out = mentions.copy()
    families = map(type_family, out["entity_type"], out["country_code"])
    keys = list(zip(families, out["canonical_name"].map(canonical_key), strict=True))
    out["entity_id"] = [groups[k].entity_id for k in keys]
    return out, _updated_registry(registry, groups)


def _none_if_missing(values: pd.Series) -> pd.Series:
    return pd.Series(
        [v if isinstance(v, str) and v else None for v in values], index=values.index, dtype=object
    )


def _normalise_registry(registry: pd.DataFrame | None) -> pd.DataFrame:
    if registry is None or registry.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in REGISTRY_COLUMNS})
    registry = registry.copy()
    for column in ("mention_count", "article_count"):
        if column not in registry:
            registry[column] = 0
    for column in ("latitude", "longitude"):
        if column not in registry:
            registry[column] = None
    registry["aliases"] = registry["aliases"].map(_as_list)
    return registry[REGISTRY_COLUMNS].reset_index(drop=True)


def _as_list(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [str(v) for v in value]


def type_family(etype: str, country_code: object) -> str:
    """What a name must share with another mention of the same name to be the same entity: a known
    place or nationality (it has a country code) only with that place; every other reading ("*") with
    any other, whatever label the model gave it."""
    if etype in PLACE_TYPES and isinstance(country_code, str) and country_code:
        return etype
    return "*"


def _groups(mentions: pd.DataFrame) -> dict[tuple[str, str], Group]:
    groups: dict[tuple[str, str], Group] = {}
    columns = ["entity_type", "canonical_name", "text", "article_id", "country_code"]
    labels = mentions["label"] if "label" in mentions else pd.Series([None] * len(mentions))
    for etype, name, text, article_id, code, label in zip(
        *(mentions[c] for c in columns), labels, strict=True
    ):
        if label in REFERRING_LABELS:
            continue  # a pronoun or description takes the entity of its name, never forms or names one
        key = (type_family(etype, code), canonical_key(name))
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(*key)
        group.types[etype] += 1
        group.names[name] += 1
        group.texts.add(" ".join(text.split()))
        group.articles.add(article_id)
        group.mention_count += 1
        if isinstance(code, str) and code and group.country_code is None:
            group.country_code = code
    return groups


class _RegistryIndex:
    """Lookups into the registry: canonical names, matchable aliases and country codes, by type."""

    def __init__(self, registry: pd.DataFrame) -> None:
        self.canonical: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.alias: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.country: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.unplaced: dict[str, set[str]] = defaultdict(set)  # place names held without a country
        self.people: list[tuple[str, list[str]]] = []  # (entity_id, name tokens) of multi-word person names
        self.ids: list[str] = list(registry["entity_id"])
        self.position = {entity_id: i for i, entity_id in enumerate(self.ids)}
        columns = ["entity_id", "canonical_name", "type", "aliases", "country_code"]
        self.type: dict[str, str] = {}
        for entity_id, name, etype, aliases, code in zip(*(registry[c] for c in columns), strict=True):
            family = type_family(etype, code)
            self.type[entity_id] = etype
            self.canonical[(family, canonical_key(name))].add(entity_id)
            if etype in PLACE_TYPES and family == "*":
                self.unplaced[canonical_key(name)].add(entity_id)
            if etype == "GPE" and isinstance(code, str) and code and is_country(name, code):
                self.country[(etype, code)].add(entity_id)
            for alias in [name, *aliases]:
                if _matchable_alias(etype, alias):
                    self.alias[(family, canonical_key(alias))].add(entity_id)
                    if etype == "PERSON":
                        self.people.append((entity_id, tokens(alias)))

    def match(self, group: Group) -> str | None:
        # A place name without a country code may still be a known place of the registry.
        families = [group.family] + (
            [group.type] if group.family == "*" and group.type in PLACE_TYPES else []
        )
        lookups = [(self.canonical, (f, group.key)) for f in families]
        if group.family in PLACE_TYPES:
            # A place located since the registry took it without a country ("Moscow" now RUS).
            lookups.append((self.unplaced, group.key))
        if is_country(group.name, group.country_code):
            lookups.append((self.country, (group.type, group.country_code or "")))
        lookups += [(self.alias, (f, group.key)) for f in families]
        for table, key in lookups:
            ids = table.get(key, set())
            if len(ids) > 1 and table is self.canonical:
                # Registries written before names were grouped across labels may hold one name under
                # several types: the one of this type, else the oldest (a stable choice).
                typed = {i for i in ids if self.type[i] == group.type}
                ids = typed or {min(ids, key=self.position.__getitem__)}
            if len(ids) == 1:
                return next(iter(ids))
        return None


def _matchable_alias(etype: str, alias: str) -> bool:
    """A single word is too ambiguous to find a person or organisation by, across articles."""
    return etype in {"GPE", "NORP", "LOC"} or len(alias.split()) >= 2 or alias.isupper()


def _merge_variants(groups: dict[tuple[str, str], Group], index: _RegistryIndex) -> None:
    """Join groups that name one entity in different forms; each joined set keeps at most one
    registry id, and a set without one gets a new id from its most mentioned name."""
    ordered = sorted(groups.values(), key=lambda g: (g.type, g.key))
    context = _Context(ordered)
    sets = _Sets()
    for group in ordered:
        if group.entity_id:
            sets.pin(group.key_pair, group.entity_id)
    shared = context.shared
    edges = _partial_person_edges(ordered, index, context) + _fuzzy_edges(ordered, index, context)
    edges += variants.designator_edges(ordered, shared, MIN_SHARED_CONTEXT)
    edges += variants.partial_name_edges(ordered, shared, MIN_SHARED_CONTEXT_SURNAME)
    edges += variants.acronym_edges(ordered, shared, MIN_SHARED_CONTEXT_SURNAME)
    edges += variants.person_variant_edges(ordered, shared, MIN_SHARED_CONTEXT_SURNAME)
    for a, b in edges:
        if isinstance(b, str):  # a registry entity
            sets.pin(b, b)
        sets.union(a, b)
    known = set(index.ids)
    for members in sets.components(ordered):
        fixed = sets.pinned(members[0].key_pair)
        if fixed is None:
            lead = max(members, key=lambda g: (g.mention_count, len(g.key), g.key))
            fixed = _new_id(lead, known)
            known.add(fixed)
        for group in members:
            group.entity_id = fixed


class _Sets:
    """Union-find over group keys and registry ids that never joins two registry ids."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}
        self.registry_id: dict[object, str] = {}

    def find(self, node: object) -> object:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def pin(self, node: object, entity_id: str) -> None:
        self.registry_id[self.find(node)] = entity_id

    def pinned(self, node: object) -> str | None:
        return self.registry_id.get(self.find(node))

    def union(self, a: object, b: object) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        id_a, id_b = self.registry_id.get(root_a), self.registry_id.get(root_b)
        if id_a and id_b and id_a != id_b:
            return  # would merge two known entities: the evidence is not strong enough
        self.parent[root_b] = root_a
        if id_b:
            self.registry_id[root_a] = id_b

    def components(self, groups: list[Group]) -> list[list[Group]]:
        out: dict[object, list[Group]] = defaultdict(list)
        for group in groups:
            out[self.find(group.key_pair)].append(group)
        return list(out.values())


class _Context:
    """Which other groups the articles of a group mention (for co-mention agreement)."""

    def __init__(self, groups: list[Group]) -> None:
        self.by_article: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for group in groups:
            for article in group.articles:
                self.by_article[article].add(group.key_pair)
        self._cache: dict[tuple[str, str], set[tuple[str, str]]] = {}

    def around(self, group: Group) -> set[tuple[str, str]]:
        if group.key_pair not in self._cache:
            found: set[tuple[str, str]] = set()
            for article in group.articles:
                found |= self.by_article[article]
            self._cache[group.key_pair] = found
        return self._cache[group.key_pair]

    def shared(self, a: Group, b: Group) -> int:
        """Other entities both groups' articles mention; one article mentioning both vouches for them."""
        if a.articles & b.articles:
            return max(MIN_SHARED_CONTEXT, MIN_SHARED_CONTEXT_SURNAME)
        return len((self.around(a) & self.around(b)) - {a.key_pair, b.key_pair})


def _partial_person_edges(groups: list[Group], index: _RegistryIndex, context: _Context) -> list[tuple]:
    """ "Gul Hassan" ~ "Gul Hassan Hassan" (one reading only), and a lone surname ~ the one full name
    it ends (batch only, with stronger co-mention agreement)."""
    people = [g for g in groups if g.type == "PERSON" and g.entity_id is None]
    full = [g for g in groups if g.type == "PERSON" and len(g.key.split()) >= 2]
    last_words: dict[str, list[Group]] = defaultdict(list)
    for group in full:
        last_words[surname(group.key.split())].append(group)
    edges: list[tuple] = []
    for group in groups:
        # The model often tags a lone surname as ORG, GPE or NORP ("Lohan" GPE); places it knows are out.
        if group.entity_id is None and " " not in group.key and group.type in SURNAME_TYPES:
            plausible = [
                o
                for o in last_words.get(group.key, [])
                if context.shared(group, o) >= MIN_SHARED_CONTEXT_SURNAME
            ]
            target = _dominant_reading(plausible)
            if target:
                edges.append((group.key_pair, target.key_pair))
    # Partial forms share their first word: compare only names that do.
    full_by_first: dict[str, list[Group]] = defaultdict(list)
    for group in full:
        full_by_first[group.key.split()[0]].append(group)
    known_by_first: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for entity_id, toks in index.people:
        if toks:
            known_by_first[toks[0]].append((entity_id, toks))
    for group in people:
        mine = group.key.split()
        if len(mine) == 1:
            continue
        same_first = full_by_first[mine[0]]
        batch = [o for o in same_first if o is not group and _partial_form(mine, o.key.split())]
        known = {eid for eid, toks in known_by_first[mine[0]] if _partial_form(mine, toks)}
        if len(known) > 1 or not _one_reading([group.key, *(o.key for o in batch)]):
            continue
        if known:
            edges.append((group.key_pair, next(iter(known))))
        # The shorter name decides (its readings were checked above): edges only towards longer forms.
        longer = [o for o in batch if len(o.key.split()) > len(mine)]
        edges += [
            (group.key_pair, o.key_pair) for o in longer if context.shared(group, o) >= MIN_SHARED_CONTEXT
        ]
    return edges


def _fuzzy_edges(groups: list[Group], index: _RegistryIndex, context: _Context) -> list[tuple]:
    """Spelling variants of a multi-word name ("Betty Ford Centre" / "Betty Ford Center"): a high
    similarity of the whole name, same type and first letter, co-mention agreement inside the batch."""
    from rapidfuzz import fuzz, process

    by_type: dict[str, list[Group]] = defaultdict(list)
    for group in groups:
        if group.type in FUZZY_TYPES and len(group.key) >= FUZZY_MIN_LENGTH and " " in group.key:
            by_type[group.type].append(group)
    edges: list[tuple] = []
    for members in by_type.values():
        keys = [g.key for g in members]
        for i, group in enumerate(members):
            if group.entity_id is not None:
                continue
            hits = process.extract(
                group.key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_RATIO, limit=None
            )
            for _, _, j in hits:
                other = members[j]
                # Two close spellings of a person in one article are two people (Daniel / Danielle Smith).
                if (
                    j != i
                    and other.key[0] == group.key[0]
                    and context.shared(group, other) >= MIN_SHARED_CONTEXT
                    and not (group.type == "PERSON" and group.articles & other.articles)
                ):
                    edges.append((group.key_pair, other.key_pair))
    return edges


def _partial_form(a: list[str], b: list[str]) -> bool:
    """One name is the other with words added at the end ("Gul Hassan" / "Gul Hassan Hassan") or in
    the middle ("George Bush" / "George W. Bush")."""
    if len(a) < 2 or len(b) < 2 or len(a) == len(b):
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if long[: len(short)] == short:
        return True
    return short[0] == long[0] and short[-1] == long[-1] and _subsequence(short, long)


def _subsequence(short: list[str], long: list[str]) -> bool:
    iterator = iter(long)
    return all(word in iterator for word in short)


def _dominant_reading(candidates: list[Group]) -> Group | None:
    """The full name a lone surname stands for: the longest form when all candidates are forms of one
    name, else one name whose forms ("Anthony LaCalamita", "Anthony LaCalamita III") carry at least
    DOMINANT_SHARE of the candidates' mentions."""
    if not candidates:
        return None
    if _one_reading([c.key for c in candidates]):
        return max(candidates, key=lambda c: (len(c.key), c.key))

    def support(name: Group) -> int:
        words = name.key.split()
        return sum(o.mention_count for o in candidates if o is name or _partial_form(o.key.split(), words))

    best = max(candidates, key=lambda c: (support(c), len(c.key), c.key))
    total = sum(c.mention_count for c in candidates)
    return best if support(best) >= DOMINANT_SHARE * total else None


def _one_reading(keys: list[str]) -> bool:
    """All names are forms of the longest one (no "Gul Hassan Ahmad" beside "Gul Hassan Hassan")."""
    longest = max(keys, key=len).split()
    return all(k.split() == longest or _partial_form(k.split(), longest) for k in keys)


def _new_id(group: Group, known: set[str]) -> str:
    entity_id = stable_id("entity", group.type, group.key)
    attempt = 1
    while entity_id in known:  # never reuse an id the registry already gave to another entity
        entity_id = stable_id("entity", group.type, group.key, attempt)
        attempt += 1
    return entity_id


def _updated_registry(registry: pd.DataFrame, groups: dict[tuple[str, str], Group]) -> pd.DataFrame:
    by_id: dict[str, list[Group]] = defaultdict(list)
    for group in groups.values():
        by_id[group.entity_id].append(group)
    rows = registry.to_dict("records")
    for row in rows:
        members = by_id.pop(row["entity_id"], [])
        if members:
            row["aliases"] = _aliases(row["aliases"], members, row["canonical_name"])
            row["mention_count"] = int(row["mention_count"] or 0) + sum(g.mention_count for g in members)
            articles = set().union(*(g.articles for g in members))
            row["article_count"] = int(row["article_count"] or 0) + len(articles)
            if not isinstance(row["country_code"], str) or not row["country_code"]:
                row["country_code"] = next((g.country_code for g in members if g.country_code), None)
                row["latitude"], row["longitude"] = _coordinates(row)  # located only now
    for entity_id in sorted(by_id):
        members = by_id[entity_id]
        lead = max(members, key=lambda g: (sum(g.names.values()), len(g.key), g.key))
        row = {
            "entity_id": entity_id,
            "canonical_name": lead.name,
            "type": lead.type,
            "aliases": _aliases([], members, lead.name),
            "country_code": next((g.country_code for g in members if g.country_code), None),
            "mention_count": sum(g.mention_count for g in members),
            "article_count": len(set().union(*(g.articles for g in members))),
        }
        row["latitude"], row["longitude"] = _coordinates(row)
        rows.append(row)
    out = pd.DataFrame(rows, columns=REGISTRY_COLUMNS)
    out[["latitude", "longitude"]] = out[["latitude", "longitude"]].astype("float64")
    out["mention_count"] = out["mention_count"].astype("int64")
    out["article_count"] = out["article_count"].astype("int64")
    return out


def _coordinates(row: dict) -> tuple[float | None, float | None]:
    """Where a city of the registry lies (GeoNames); nothing for countries, people and the rest."""
    code = row["country_code"]
    if (
        row["type"] not in {"GPE", "LOC"}
        or not isinstance(code, str)
        or is_country(row["canonical_name"], code)
    ):
        return None, None
    return coordinates(row["canonical_name"], code) or (None, None)


def _aliases(existing: list[str], members: list[Group], canonical: str) -> list[str]:
    names = set(existing)
    for group in members:
        names |= set(group.names) | group.texts
    names.discard(canonical)
    return sorted(names)
