"""Duplicate articles: exact (same normalised body), near (MinHash over word shingles), same URL.

The same article arriving through a feed and as a saved page is one article: bodies that differ
only in furniture are near-duplicates, and a feed entry with a summary only shares its URL.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd

NUM_PERM = 128
SHINGLE = 5
SCHEME = "affine32"  # datasketch's permutation scheme, pinned: stored signatures must stay comparable
THRESHOLD = 0.8  # estimated Jaccard of 5-word shingles above which two bodies are one article
_WORD = re.compile(r"\w+")
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ocid|smid)$", re.I)


def normalise_body(body: str) -> str:
    """Lower-cased words joined by single spaces: punctuation, spacing and case do not count."""
    return " ".join(_words(body))


def _words(body: str) -> list[str]:
    return _WORD.findall((body or "").casefold())


def content_hash(body: str) -> str:
    return _hash_of(_words(body))


def _hash_of(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def fingerprint(body: str) -> tuple[str, bytes]:
    """(content_hash, serialised MinHash) of a body, from one pass over its words.

    Computed where the article is parsed (in the parse workers), so that dedup needs no pass
    over the bodies of its own.
    """
    words = _words(body)
    return _hash_of(words), _serialise(_minhash_of(words))


@lru_cache(maxsize=1)
def _lsh_params() -> tuple[int, int]:
    """LSH bands and rows for THRESHOLD: datasketch finds them by numeric integration (~40 ms) each time."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@lru_cache(maxsize=1)
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def _minhash(body: str):
    return _minhash_of(_words(body))


def _minhash_of(words: list[str]):
    from datasketch import MinHash

    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, permutations=_permutations())
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


def _has_words(body: str, count: int) -> bool:
    """At least `count` words (found without listing every word of a long body)."""
    return next(itertools.islice(_WORD.finditer(body), count - 1, None), None) is not None


def _serialise(mh) -> bytes:
    return np.asarray(mh.hashvalues, dtype="<u4").tobytes()


def _deserialise(data: bytes):
    from datasketch import MinHash

    values = np.frombuffer(data, dtype="<u4").astype(np.uint32)
    # the shared permutations: else each MinHash draws its own (most of the cost of a dedup pass)
    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values, scheme=SCHEME, permutations=_permutations())


def signatures(articles: pd.DataFrame) -> pd.DataFrame:
    """article_id, content_hash, minhash (serialised hash values) of every article."""
    bodies = articles["body"].fillna("").astype(str)
    hashes = articles["content_hash"] if "content_hash" in articles else bodies.map(content_hash)
    return pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "content_hash": hashes.to_numpy(),
            "minhash": [_serialise(_minhash(b)) for b in bodies],
        }
    )


def normalise_url(url: object) -> str | None:
    """Scheme-less, `www.`-less, lower-case host, no fragment, no tracking parameters, no trailing slash."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    return urlunsplit(("", host, parts.path.rstrip("/") or "/", query, ""))


def find_duplicates(
    new: pd.DataFrame, known_signatures: pd.DataFrame, new_signatures: pd.DataFrame | None = None
) -> pd.Series:
    """duplicate_of for each new article: the article_id of the first copy (known ones first), else None.

    `new_signatures` (`signatures(new)`, same rows) saves computing the MinHashes again.
    """
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, params=_lsh_params())
    by_hash: dict[str, str] = {}
    by_url: dict[str, str] = {}
    order: dict[str, int] = {}
    for position, row in enumerate(known_signatures.itertuples(index=False)):
        by_hash.setdefault(row.content_hash, row.article_id)
        if row.article_id not in order:
            order[row.article_id] = position
            lsh.insert(row.article_id, _deserialise(row.minhash))
    result: list[str | None] = []
    urls = new["url"] if "url" in new else pd.Series([None] * len(new), index=new.index)
    hashes = new["content_hash"] if "content_hash" in new else new["body"].map(content_hash)
    ready = new_signatures["minhash"] if new_signatures is not None else [None] * len(new)
    for article_id, body, url, digest, signature in zip(
        new["article_id"], new["body"], urls, hashes, ready, strict=True
    ):
        body = body if isinstance(body, str) else ""
        first = by_hash.get(digest)
        key = normalise_url(url)
        if first is None and key is not None:
            first = by_url.get(key)
        mh = _deserialise(signature) if signature is not None else _minhash(body)
        if first is None and _has_words(body, SHINGLE):
            candidates = [c for c in lsh.query(mh) if c != article_id]
            first = min(candidates, key=order.__getitem__) if candidates else None
        result.append(first)
        by_hash.setdefault(digest, article_id)
        if key is not None:
            by_url.setdefault(key, article_id)
        if article_id not in order:
            order[article_id] = len(order)
            lsh.insert(article_id, mh)
    return pd.Series(result, index=new.index, name="duplicate_of", dtype=object)
