"""Stories: articles about the same real-world event, across outlets and across runs.

Articles are compared on three views of what they share, each a TF-IDF cosine
(scikit-learn): their words, their canonical entities, and the numbers and years they
state. Entities, numbers and dates are what tell apart two events of the same kind
(two earthquakes, two rehab stays); words alone join them. Publication times, where
both are known, damp the similarity of articles far apart in time.

Grouping is average-linkage agglomeration with a fixed threshold in which known stories
enter as pre-formed clusters that may absorb new articles but never merge with each
other, so a known story's id never changes. scikit-learn's AgglomerativeClustering has
no cannot-link constraint, hence the small loop here; it runs per connected component
of the similarity graph (average linkage never merges across components).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from transforms.ids import stable_id

STORY_COLUMNS = ["story_id", "title", "first_published", "article_count", "outlets"]
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)


@dataclass(frozen=True)
class StoryParams:
    """Weights of the three views and the joining threshold (round values, not fitted)."""

    text_weight: float = 0.5
    entity_weight: float = 0.35
    number_weight: float = 0.15
    threshold: float = 0.25
    attach_fraction: float = 0.5  # a lone new article joins its best story above this share of the threshold
    time_scale_days: float = 14.0  # similarity halves this many days past a two-day grace
    candidate_floor: float = 0.05  # known articles less similar than this to every new one are not considered


_COSINE_BLOCK = 512  # rows of the similarity matrix computed at once
_NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")


def assign_stories(
    new_articles: pd.DataFrame,
    new_mentions: pd.DataFrame,
    known_articles: pd.DataFrame,
    known_mentions: pd.DataFrame,
    params: StoryParams | None = None,
) -> pd.DataFrame:
    """article_id, story_id for every new article; known story ids never change."""
    params = params or StoryParams()
    new = _articles(new_articles).assign(story_id=None)
    known = _articles(known_articles)
    known = known[known["story_id"].notna()]
    already = new["article_id"].isin(known["article_id"])
    if new.empty:
        return pd.DataFrame({"article_id": pd.Series(dtype="str"), "story_id": pd.Series(dtype="str")})
    known = _known_candidates(new[~already], known, params.candidate_floor)
    pool = pd.concat([new[~already], known], ignore_index=True)
    mentions = pd.concat(
        [_entity_mentions(new_mentions), _entity_mentions(known_mentions)], ignore_index=True
    )
    similarity = article_similarity(pool, mentions, params)
    is_new = np.zeros(len(pool), dtype=bool)
    is_new[: int((~already).sum())] = True
    labels = _cluster(similarity, pool["story_id"], params.threshold)
    labels = _attach_singletons(similarity, labels, is_new, params.threshold * params.attach_fraction)
    story_ids = _story_ids(pool, labels)
    result = pd.DataFrame({"article_id": pool["article_id"], "story_id": story_ids})[is_new]
    known_part = new.loc[already, ["article_id"]].merge(known[["article_id", "story_id"]], on="article_id")
    result = pd.concat([result, known_part], ignore_index=True)
    order = {aid: i for i, aid in enumerate(new["article_id"])}
    return result.sort_values("article_id", key=lambda s: s.map(order)).reset_index(drop=True)


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


def article_similarity(articles: pd.DataFrame, mentions: pd.DataFrame, params: StoryParams) -> np.ndarray:
    """Dense article x article similarity in [0, 1] combining words, entities, numbers and time."""
    if len(articles) == 1:
        return np.ones((1, 1))
    # n x n matrices: combined in place, so that no more than two are alive at once
    text = _texts(articles)
    sim = _cosine(text, analyzer="word", stop_words="english", sublinear_tf=True)
    sim *= params.text_weight
    entity_docs = _name_documents(articles["article_id"], mentions)
    number_docs = [" ".join(_NUMBER_RE.findall(t.replace(",", ""))) for t in text]
    for documents, weight in ((entity_docs, params.entity_weight), (number_docs, params.number_weight)):
        part = _cosine(documents, analyzer=str.split, sublinear_tf=True)
        part *= weight
        sim += part
        del part
    sim *= _time_factor(articles["published_at"], params.time_scale_days)
    return sim


def _cosine(documents: list[str], **options) -> np.ndarray:
    if not any(d.strip() for d in documents):
        return np.zeros((len(documents), len(documents)))
    try:
        matrix = TfidfVectorizer(**options).fit_transform(documents)
    except ValueError:  # nothing left after stop words
        return np.zeros((len(documents), len(documents)))
    # rows are L2-normalised: the product is the cosine. In blocks of rows, as the sparse product
    # of the whole is nearly dense and would take more memory than the dense result.
    others = matrix.T.tocsr()
    out = np.empty((matrix.shape[0], matrix.shape[0]))
    for start in range(0, matrix.shape[0], _COSINE_BLOCK):
        out[start : start + _COSINE_BLOCK] = (matrix[start : start + _COSINE_BLOCK] @ others).toarray()
    return out


def _time_factor(published: pd.Series, scale_days: float) -> np.ndarray | float:
    """1 within two days; decays with the gap when both times are known; 1 when either is unknown."""
    times = pd.to_datetime(published, utc=True)
    known = times.notna().to_numpy()
    if known.sum() < 2:  # no pair with both times
        return 1.0
    days = (times.astype("int64") / 86_400e6).to_numpy(dtype=float, copy=True)
    days[~known] = np.nan
    factor = days[:, None] - days[None, :]  # the gap, turned into the factor in place
    np.abs(factor, out=factor)
    unknown = np.isnan(factor)
    factor -= 2.0
    np.maximum(factor, 0.0, out=factor)
    factor /= scale_days
    factor += 1.0
    np.divide(1.0, factor, out=factor)
    factor[unknown] = 1.0
    return factor


def _articles(frame: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["article_id", "title", "body", "outlet", "published_at", "story_id"]
    if frame is None or frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    out = pd.DataFrame({c: frame.get(c, None) for c in columns}).reset_index(drop=True)
    out["published_at"] = pd.to_datetime(out["published_at"], utc=True)
    return out


def _entity_mentions(mentions: pd.DataFrame | None) -> pd.DataFrame:
    """article_id, label, text, canonical_name of named-entity mentions (any input shape)."""
    columns = ["article_id", "label", "text", "canonical_name"]
    if mentions is None or mentions.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    frame = mentions[mentions["label"].isin(ENTITY_LABELS)]
    names = frame["canonical_name"] if "canonical_name" in frame else frame["text"]
    return pd.DataFrame(
        {
            "article_id": frame["article_id"],
            "label": frame["label"],
            "text": frame["text"],
            "canonical_name": names.fillna(frame["text"]),
        }
    )


def _name_documents(article_ids: pd.Series, mentions: pd.DataFrame | None) -> list[str]:
    """The words of the entities' names ("wladimir klitschko"): a surname alone still matches."""
    if mentions.empty:
        return [""] * len(article_ids)
    frame = mentions.drop_duplicates()  # one vote per name and article: salience is in the text view
    words = frame["canonical_name"].str.lower().str.findall(r"[^\W\d_][\w'’-]+").str.join(" ")
    joined = words.groupby(frame["article_id"].to_numpy()).agg(" ".join)
    return [joined.get(aid, "") for aid in article_ids]


def _known_candidates(new: pd.DataFrame, known: pd.DataFrame, floor: float) -> pd.DataFrame:
    """Known stories some new article resembles in words, whole (a sparse pass before the dense one).

    The archive of known articles grows without bound; only stories within reach of this
    batch enter the clustering, and they enter with all their articles so that their
    average linkage is the true one.
    """
    if known.empty or new.empty:
        return known
    try:
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
            _texts(pd.concat([new, known], ignore_index=True))
        )
    except ValueError:  # no words at all
        return known.iloc[0:0]
    cross = matrix[: len(new)] @ matrix[len(new) :].T
    best = np.asarray(cross.max(axis=0).todense()).ravel()
    return known[known["story_id"].isin(set(known.loc[best >= floor, "story_id"]))]


def _texts(articles: pd.DataFrame) -> list[str]:
    return (articles["title"].fillna("") + " . " + articles["body"].fillna("")).tolist()


def _cluster(similarity: np.ndarray, known_story: pd.Series, threshold: float) -> np.ndarray:
    """Cluster label per article: constrained average linkage per connected component."""
    n = len(similarity)
    labels = np.arange(n)
    stories = known_story.to_numpy(dtype=object)
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


def _attach_singletons(sim: np.ndarray, labels: np.ndarray, is_new: np.ndarray, floor: float) -> np.ndarray:
    """A new article left alone joins the story it is closest to on average, if close enough.

    Short or oddly worded reports of an event fall under the merge threshold on their own;
    the threshold that keeps two similar events apart is stricter than one article needs.
    """
    clusters, inverse, size = np.unique(labels, return_inverse=True, return_counts=True)
    member = np.zeros((len(clusters), len(labels)))
    member[inverse, np.arange(len(labels))] = 1.0
    mean_sim = (sim @ member.T) / size[None, :]  # article x cluster
    mean_sim[:, size < 2] = -np.inf
    lonely = np.flatnonzero(is_new & (size[inverse] == 1))
    out = labels.copy()
    if len(lonely) and (size >= 2).any():
        best = mean_sim[lonely].argmax(axis=1)
        close = mean_sim[lonely, best] >= floor
        out[lonely[close]] = clusters[best[close]]
    return out


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


def _story_ids(pool: pd.DataFrame, labels: np.ndarray) -> list[str]:
    """A cluster holding a known story keeps its id; a new one is named after its first article."""
    frame = pool.assign(_label=labels)
    known = frame.groupby("_label")["story_id"].first()  # the first known id of each cluster
    # one sort for all clusters: the earliest article (undated last, then by id) heads each
    ordered = frame.sort_values(["_label", "published_at", "article_id"], na_position="last")
    first = ordered.drop_duplicates("_label").set_index("_label")["article_id"]
    ids = {
        label: story if isinstance(story, str) else stable_id("story", first[label])
        for label, story in known.items()
    }
    return [ids[label] for label in labels]
