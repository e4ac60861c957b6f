"""Stories: articles about the same real-world event, across outlets and across runs.

Two articles' similarity is a function of the two alone (`transforms.story_similarity`). Grouping
is average-linkage agglomeration with a fixed threshold, per connected component of the graph of
pairs above it (average linkage never merges across such components); an article left alone then
joins the story whose core it is closest to on average, if close enough.

Because similarity is pairwise and the linkage runs per component, a run can redo exactly the part
of the grouping its new articles change: the components they join (walked through the known
articles), and the lone articles near them. The result is the one a single run over every
article gives, whatever order the articles came in; known stories merge, split or grow as the
new evidence says. A merged story keeps the id of its earliest story, and every id that goes
away is recorded with the story it went into (`StoryAssignment.redirects`).

scikit-learn's AgglomerativeClustering needs the whole dense matrix and gives no per-component
control, hence the small loop here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from transforms.ids import redirect_rows, stable_id
from transforms.story_similarity import ArticleSimilarity

STORY_COLUMNS = ["story_id", "title", "first_published", "article_count", "outlets"]
REDIRECT_COLUMNS = ["story_id", "redirect_to"]
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
# An article's place in its story: in the core the linkage formed, attached to a core on its own
# closeness, or alone (a story of one).
CORE, ATTACHED, ALONE = "core", "attached", "alone"


@dataclass(frozen=True)
class StoryParams:
    """Weights of the three views and the joining threshold (round values, not fitted)."""

    text_weight: float = 0.5
    entity_weight: float = 0.35
    number_weight: float = 0.15
    threshold: float = 0.3
    attach_fraction: float = 0.5  # a lone article joins its best story above this share of the threshold
    time_scale_days: float = 14.0  # similarity halves this many days past a two-day grace


@dataclass
class StoryAssignment:
    """What a run changes in the grouping."""

    # article_id, story_id, story_role: every new article, and every known one whose story or role
    # changed (in the order of the new articles, then by article_id)
    members: pd.DataFrame
    # story_id (gone), redirect_to (where its articles are now): ids merged away by this run, and
    # earlier redirects whose target this run merged away, pointed at the new target
    redirects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REDIRECT_COLUMNS))
    touched: set[str] = field(default_factory=set)  # current story ids whose membership changed
    split: int = 0  # known stories whose core the run divided

    def of_new(self, new_ids: pd.Series) -> pd.DataFrame:
        """article_id, story_id of the given articles, in their order."""
        frame = self.members.set_index("article_id")["story_id"]
        return pd.DataFrame({"article_id": new_ids.to_numpy(), "story_id": new_ids.map(frame).to_numpy()})


def assign_stories(
    new_articles: pd.DataFrame,
    new_mentions: pd.DataFrame,
    known_articles: pd.DataFrame,
    known_mentions: pd.DataFrame,
    params: StoryParams | None = None,
    redirects: pd.DataFrame | None = None,
) -> StoryAssignment:
    """The stories of the new articles, and what they change in the known ones.

    known_articles: article_id, title, body, published_at (its own, not an estimate), language,
    story_id, story_role (None or absent: from before roles were kept); redirects: the ids already
    redirected (never handed out again)."""
    params = params or StoryParams()
    new = _articles(new_articles)
    known = _articles(known_articles)
    known = known[known["story_id"].notna()]
    fresh = new[~new["article_id"].isin(known["article_id"])]
    if fresh.empty:
        members = new[["article_id"]].merge(known[["article_id", "story_id", "story_role"]], on="article_id")
        return StoryAssignment(members.reset_index(drop=True))
    known = known.assign(story_role=_roles_of(known))
    frame = pd.concat([fresh.assign(story_id=None, story_role=None), known], ignore_index=True)
    frame = frame.sort_values("article_id", kind="stable").reset_index(drop=True)  # ties break by id
    is_new = frame["article_id"].isin(fresh["article_id"]).to_numpy()
    mentions = pd.concat(
        [_entity_mentions(new_mentions), _entity_mentions(known_mentions)], ignore_index=True
    )
    mentions = mentions[mentions["article_id"].isin(set(frame["article_id"]))]
    similarity = ArticleSimilarity(
        frame,
        mentions,
        (params.text_weight, params.entity_weight, params.number_weight),
        params.time_scale_days,
    )
    grouping = _regroup(frame, is_new, similarity, params)
    ids, gone, split = _name_groups(frame, grouping, redirects)
    assignment = _assignment(frame, is_new, grouping, ids, gone, new["article_id"], redirects)
    assignment.split = split
    return assignment


def summarise_stories(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per story: title of its first article, first publication, size, outlets."""
    frame = articles[articles["story_id"].notna()].copy()
    if frame.empty:
        return pd.DataFrame(columns=STORY_COLUMNS)
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    frame = frame.sort_values(["story_id", "published_at", "article_id"], na_position="last")
    titled = frame[frame["title"].fillna("").str.strip() != ""]
    groups = frame.groupby("story_id", sort=True)
    summary = pd.DataFrame(
        {
            "first_published": groups["published_at"].min(),
            "article_count": groups["article_id"].count().astype("int32"),
            "outlets": groups["outlet"].agg(lambda s: sorted({o for o in s if isinstance(o, str) and o})),
        }
    )
    summary["title"] = titled.groupby("story_id")["title"].first()
    return summary.reset_index()[STORY_COLUMNS]


@dataclass
class _Grouping:
    """The regrouped part of the frame: per affected row, its group and its role."""

    affected: np.ndarray  # frame rows whose story is decided again
    group: np.ndarray  # per affected row: ("core", n) a core cluster, or ("alone", row)
    role: np.ndarray
    core_story: dict[int, str]  # core clusters left as they were: their known story id


def _regroup(
    frame: pd.DataFrame, is_new: np.ndarray, similarity: ArticleSimilarity, params: StoryParams
) -> _Grouping:
    """Cores by average linkage over the components the new articles join, then the lone
    articles near them attached to their closest core, as one run over everything would."""
    threshold, floor = params.threshold, params.threshold * params.attach_fraction
    rows: dict[int, np.ndarray] = {}

    def fetch(chosen: np.ndarray) -> None:
        missing = np.array([i for i in chosen if i not in rows], dtype=int)
        for start in range(0, len(missing), _BLOCK):
            part = missing[start : start + _BLOCK]
            rows.update(zip(part.tolist(), similarity.rows(part), strict=True))

    # the components (pairs >= threshold) of the new articles, walked through the known ones
    in_pool, frontier = is_new.copy(), np.flatnonzero(is_new)
    while frontier.size:
        fetch(frontier)
        reach = np.zeros(len(frame), dtype=bool)
        for i in frontier:
            reach |= rows[i] >= threshold
        frontier = np.flatnonzero(reach & ~in_pool)
        in_pool[frontier] = True
    pool = np.flatnonzero(in_pool)
    pool_sim = np.stack([rows[i] for i in pool]) if len(pool) < len(frame) else _stack_all(rows, len(frame))
    core_sim = pool_sim[:, pool] if len(pool) < len(frame) else pool_sim
    owner = pool[_cluster(core_sim, threshold)]
    del core_sim

    cluster = np.full(len(frame), -1)  # core cluster number of each core article
    roots, size = np.unique(owner, return_counts=True)
    in_core = np.isin(owner, roots[size >= 2])
    cluster[pool[in_core]] = np.searchsorted(roots[size >= 2], owner[in_core])
    core_story: dict[int, str] = {}
    outside = ~in_pool & (frame["story_role"] == CORE).to_numpy()
    for story, members in frame[outside].groupby("story_id").groups.items():
        number = len(roots[size >= 2]) + len(core_story)
        cluster[np.asarray(members)] = number
        core_story[number] = story

    # lone articles whose closest core may have changed: the pool's, and known ones near the pool
    lone_known = ~in_pool & frame["story_role"].isin([ATTACHED, ALONE]).to_numpy()
    near = np.flatnonzero(lone_known & (pool_sim >= floor).any(axis=0))
    lone = np.concatenate([pool[~in_core], near])
    fetch(near)  # the pool's own rows are in pool_sim already
    lone_sim = (
        np.concatenate([pool_sim[~in_core], np.stack([rows[i] for i in near])])
        if len(near)
        else pool_sim[~in_core]
    )
    del pool_sim
    closest = _closest_core(lone_sim, cluster, floor) if len(lone) else []

    affected = np.concatenate([pool[in_core], lone])
    group = [("core", int(c)) for c in cluster[pool[in_core]]]
    group += [("core", int(c)) if c >= 0 else ("alone", int(i)) for i, c in zip(lone, closest, strict=True)]
    role = [CORE] * int(in_core.sum()) + [ATTACHED if c >= 0 else ALONE for c in closest]
    return _Grouping(affected, _objects(group), np.array(role, dtype=object), core_story)


_BLOCK = 512  # rows of similarity computed at once


def _stack_all(rows: dict[int, np.ndarray], n: int) -> np.ndarray:
    """Every row, in order, freeing the cache as it goes (one run over everything: n x n)."""
    out = np.empty((n, n))
    for i in range(n):
        out[i] = rows.pop(i)
    return out


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _closest_core(sim: np.ndarray, cluster: np.ndarray, floor: float) -> np.ndarray:
    """Per row, the core cluster with the highest mean similarity if at least `floor`, else -1
    (ties: the lowest cluster number)."""
    count = int(cluster.max()) + 1 if len(cluster) else 0
    if count == 0:
        return np.full(len(sim), -1)
    cores = np.flatnonzero(cluster >= 0)
    member = csr_matrix((np.ones(len(cores)), (cluster[cores], cores)), shape=(count, len(cluster)))
    size = np.asarray(member.sum(axis=1)).ravel()
    mean = np.asarray(member @ sim.T).T / size[None, :]
    best = mean.argmax(axis=1)
    return np.where(mean[np.arange(len(sim)), best] >= floor, best, -1)


def _name_groups(
    frame: pd.DataFrame, grouping: _Grouping, redirects: pd.DataFrame | None
) -> tuple[dict[tuple, str], dict[str, str], int]:
    """The id of each affected group, {gone id: the id its articles went to}, and how many known
    stories had their core divided.

    A known story whose core the run regrouped passes its id to the group holding most of its
    core; a group given several ids keeps the earliest story's (first publication, then id), the
    others go into it; a group given none is new, named after its first article."""
    affected = frame.iloc[grouping.affected].assign(_group=list(grouping.group))
    kept = set(grouping.core_story.values())
    regrouped = affected[affected["story_id"].notna() & ~affected["story_id"].isin(kept)]
    cores = regrouped[regrouped["story_role"].isin([CORE, ALONE])]
    cores = cores if not cores.empty else regrouped
    heir: dict[str, tuple] = {}
    split = 0
    for story, rows in cores.groupby("story_id", sort=True):
        counts = rows["_group"].value_counts(sort=False)
        split += len(counts) > 1
        best = counts.max()
        heir[story] = next(g for g in rows["_group"] if counts[g] == best)  # rows are in id order
    first_published = (
        frame[frame["story_id"].isin(heir)].groupby("story_id")["published_at"].min()
        if heir
        else pd.Series(dtype="datetime64[ns, UTC]")
    )
    taken = set(frame["story_id"].dropna()) | (set(redirects["story_id"]) if redirects is not None else set())
    ids: dict[tuple, str] = {}
    gone: dict[str, str] = {}
    by_group: dict[tuple, list[str]] = {}
    for story, group in heir.items():
        by_group.setdefault(group, []).append(story)
    for group, rows in affected.groupby("_group", sort=False):
        if group[0] == "core" and group[1] in grouping.core_story:
            ids[group] = grouping.core_story[group[1]]
        elif group in by_group:
            ids[group] = min(by_group[group], key=lambda s: (_or_max(first_published.get(s)), s))
        else:
            ids[group] = _new_id(rows, taken)
        taken.add(ids[group])
        for story in by_group.get(group, []):
            if story != ids[group]:
                gone[story] = ids[group]
    return ids, gone, split


def _or_max(value) -> pd.Timestamp:
    return pd.Timestamp.max.tz_localize("UTC") if value is None or pd.isna(value) else value


def _new_id(rows: pd.DataFrame, taken: set[str]) -> str:
    """A new story is named after its earliest article (undated last, then by id)."""
    first = rows.sort_values(["published_at", "article_id"], na_position="last")["article_id"].iloc[0]
    story, attempt = stable_id("story", first), 0
    while story in taken:  # the article's story id is held by another story (one it split from)
        attempt += 1
        story = stable_id("story", first, str(attempt))
    return story


def _assignment(
    frame: pd.DataFrame,
    is_new: np.ndarray,
    grouping: _Grouping,
    ids: dict[tuple, str],
    gone: dict[str, str],
    new_ids: pd.Series,
    redirects: pd.DataFrame | None,
) -> StoryAssignment:
    affected = frame.iloc[grouping.affected]
    decided = pd.DataFrame(
        {
            "article_id": affected["article_id"].to_numpy(),
            "story_id": [ids[g] for g in grouping.group],
            "story_role": grouping.role,
            "old_story": affected["story_id"].to_numpy(),
            "old_role": affected["story_role"].to_numpy(),
            "new": is_new[grouping.affected],
        }
    )
    changed = (
        decided["new"]
        | (decided["story_id"] != decided["old_story"])
        | (decided["story_role"] != decided["old_role"])
    )
    decided = decided[changed]
    touched = set(decided["story_id"]) | {s for s in decided["old_story"].dropna() if s not in gone}
    order = {aid: i for i, aid in enumerate(new_ids)}
    decided = decided.assign(_order=decided["article_id"].map(order).fillna(len(order)))
    members = decided.sort_values(["_order", "article_id"])[["article_id", "story_id", "story_role"]]
    already = frame[
        ~is_new & frame["article_id"].isin(order) & ~frame["article_id"].isin(members["article_id"])
    ]
    if not already.empty:  # new to the run, known to the warehouse: as it is
        members = pd.concat([members, already[["article_id", "story_id", "story_role"]]], ignore_index=True)
        members = members.assign(_order=members["article_id"].map(order).fillna(len(order)))
        members = members.sort_values(["_order", "article_id"]).drop(columns="_order")
    moved = redirect_rows(gone, redirects, "story_id")
    return StoryAssignment(members.reset_index(drop=True), moved, touched)


def _roles_of(known: pd.DataFrame) -> pd.Series:
    """Each known article's role; for rows from before roles were kept: core in a story of two or
    more, alone in a story of one."""
    roles = known["story_role"] if "story_role" in known else pd.Series(None, index=known.index, dtype=object)
    size = known.groupby("story_id")["article_id"].transform("size")
    return roles.where(roles.notna(), np.where(size >= 2, CORE, ALONE))


def _articles(frame: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["article_id", "title", "body", "outlet", "published_at", "language", "story_id", "story_role"]
    if frame is None or frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    out = pd.DataFrame({c: frame.get(c, None) for c in columns}).reset_index(drop=True)
    out["published_at"] = pd.to_datetime(out["published_at"], utc=True)
    return out


def _entity_mentions(mentions: pd.DataFrame | None) -> pd.DataFrame:
    """article_id, label, text of named-entity mentions (any input shape)."""
    columns = ["article_id", "label", "text"]
    if mentions is None or mentions.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    frame = mentions[mentions["label"].isin(ENTITY_LABELS)]
    return frame[columns].reset_index(drop=True)


def _cluster(similarity: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster representative per row: average linkage per connected component."""
    n = len(similarity)
    labels = np.arange(n)
    stories = np.full(n, None, dtype=object)
    graph = csr_matrix(similarity >= threshold)
    _, component = connected_components(graph, directed=False)
    for comp in np.unique(component):
        members = np.flatnonzero(component == comp)
        if len(members) == n:  # one component: the whole matrix (which the linkage copies)
            labels = _average_linkage(similarity, stories, threshold)
        elif len(members) > 1:  # its own copy of the component's rows, which the linkage may reuse
            component_sim = similarity[np.ix_(members, members)]
            labels[members] = members[
                _average_linkage(component_sim, stories[members], threshold, owned=True)
            ]
    return labels


def _average_linkage(
    sim: np.ndarray, stories: np.ndarray, threshold: float, owned: bool = False
) -> np.ndarray:
    """Local cluster representative per row; rows of one known story start as one cluster.

    `owned`: sim is the caller's scratch copy, which the linkage may overwrite.
    """
    state = _Linkage.start(sim, stories, owned)
    linkage = state.linkage
    # Each row's best partner is cached, so a merge costs O(n) instead of an O(n^2) search of the
    # whole matrix; ties resolve as np.argmax over the flat matrix does (lowest row, then column).
    best = linkage.argmax(axis=1)
    best_value = linkage[np.arange(len(linkage)), best]
    while True:
        a = int(np.argmax(best_value))
        b = int(best[a])
        if best_value[a] < threshold:
            return state.owner
        state.merge(a, b)
        _update_best(linkage, best, best_value, a, b)


@dataclass
class _Linkage:
    """Average linkage between clusters; a known story never merges with another known story."""

    linkage: np.ndarray  # cluster x cluster, -inf where a merge is not allowed
    size: np.ndarray
    known: np.ndarray
    alive: np.ndarray
    owner: np.ndarray  # representative row of each article's cluster
    roots: np.ndarray

    @classmethod
    def start(cls, sim: np.ndarray, stories: np.ndarray, owned: bool = False) -> _Linkage:
        owner = np.arange(len(sim))
        for story in {s for s in stories if isinstance(s, str)}:
            rows = np.flatnonzero(stories == story)
            owner[rows] = rows[0]
        roots, cluster = np.unique(owner, return_inverse=True)
        if len(roots) == len(owner):  # every cluster one article: the linkage is the similarity
            size = np.ones(len(owner))
            linkage = sim if owned else sim.copy()
        else:
            # cluster x article, sparse: mostly one article per cluster, and a dense product is O(n^3)
            member = csr_matrix(
                (np.ones(len(owner)), (cluster, np.arange(len(owner)))), shape=(len(roots), len(owner))
            )
            size = np.asarray(member.sum(axis=1)).ravel()
            linkage = np.asarray(member @ np.asarray(member @ sim).T)
            linkage /= np.outer(size, size)
        known = np.array([isinstance(stories[r], str) for r in roots])
        linkage[known[:, None] & known[None, :]] = -np.inf
        np.fill_diagonal(linkage, -np.inf)
        return cls(linkage, size, known, np.ones(len(roots), dtype=bool), owner, roots)

    def merge(self, a: int, b: int) -> None:
        """Cluster b into cluster a (Lance-Williams update); known if either was."""
        linkage, size, known = self.linkage, self.size, self.known
        merged = (size[a] * linkage[a] + size[b] * linkage[b]) / (size[a] + size[b])
        size[a] += size[b]
        known[a] = known[a] or known[b]
        merged[~self.alive] = -np.inf
        if known[a]:
            merged[known] = -np.inf
        linkage[a], linkage[:, a] = merged, merged
        linkage[a, a] = -np.inf
        linkage[b], linkage[:, b] = -np.inf, -np.inf
        self.alive[b] = False
        self.owner[self.owner == self.roots[b]] = self.roots[a]


def _update_best(linkage: np.ndarray, best: np.ndarray, best_value: np.ndarray, a: int, b: int) -> None:
    """Refresh the cached best partner of each row after clusters a and b merged into a."""
    stale = (best == a) | (best == b)
    stale[a] = True
    column = linkage[:, a]
    better = ~stale & ((column > best_value) | ((column == best_value) & (a < best)))
    best[better], best_value[better] = a, column[better]
    rows = np.flatnonzero(stale)
    best[rows] = linkage[rows].argmax(axis=1)
    best_value[rows] = linkage[rows, best[rows]]
