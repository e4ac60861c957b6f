"""Polling the feed URLs of the settings: the one network step of a run, so the one that retries.

The fetch itself is a callable `fetch(url) -> bytes` (`flows.sources.FeedSource.fetch`
in production, an offline stub in tests); this module only adds Prefect's retries
with exponential back-off and turns the answers into raw items for discovery.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from prefect import get_run_logger, task
from prefect.tasks import exponential_backoff

from runtime.settings import Settings

Fetch = Callable[[str], bytes]

RETRIES = 3
BACKOFF_FACTOR = 2  # delays of 2, 4, 8 s (with jitter) between the tries
FEED_COLUMNS = ["source_uri", "content", "fetched_at", "error"]


@task(
    name="fetch-feed",
    task_run_name="fetch-feed {url}",
    retries=RETRIES,
    retry_delay_seconds=exponential_backoff(backoff_factor=BACKOFF_FACTOR),
    retry_jitter_factor=0.5,
)
def fetch_feed(url: str, fetch: Fetch) -> bytes:
    """One feed document; raises (and so is retried) when the fetch fails."""
    return fetch(url)


@task(name="fetch-feeds")
def fetch_feeds(urls: Sequence[str], fetch: Fetch) -> pd.DataFrame:
    """Every feed, one retried sub-task each; a feed still failing after its retries is reported, not fatal.

    Returns source_uri, content (bytes, None on failure), fetched_at (UTC), error (None on success).
    """
    log = get_run_logger()
    rows = []
    for url in dict.fromkeys(urls):  # each URL once, in the given order
        fetched_at = pd.Timestamp.now(tz="UTC").floor("s")
        try:
            rows.append((url, fetch_feed(url, fetch), fetched_at, None))
        except Exception as exc:  # one dead feed must not stop the others or the inbox
            log.warning("feed %s failed after %d retries: %s", url, RETRIES, exc)
            rows.append((url, None, fetched_at, f"{type(exc).__name__}: {exc}"))
    return pd.DataFrame(rows, columns=FEED_COLUMNS).astype({"fetched_at": "datetime64[us, UTC]"})


def add_feeds(
    raw: pd.DataFrame, skipped: int, settings: Settings, seen_inputs: set[tuple[str, str]], now: pd.Timestamp
) -> tuple[pd.DataFrame, int]:
    """`raw` with a raw item for each response of the settings' feeds (none: `raw` as it is).

    A feed that still fails after its retries becomes an item with no bytes and reason
    `fetch_failed`, so it is accounted for like an unreadable file.
    """
    if not settings.feeds:
        return raw, skipped
    from flows.sources import HttpFeedSource
    from transforms.discover import RawItem, discover, item_from_bytes
    from transforms.ids import stable_id

    source = HttpFeedSource(max_bytes=settings.max_file_bytes)
    fetched = fetch_feeds(settings.feeds, source.fetch)
    items = [
        item_from_bytes(row.content, row.source_uri)
        if row.content is not None
        else RawItem(
            stable_id("unreadable", row.source_uri, length=64),
            row.source_uri,
            0,
            None,
            "fetch_failed",
            row.error,
        )
        for row in fetched.itertuples(index=False)
    ]
    feeds, feed_skipped = discover(items, seen_inputs, now)
    get_run_logger().info("%d new feed items (%d unchanged skipped)", len(feeds), feed_skipped)
    return pd.concat([raw, feeds], ignore_index=True), skipped + feed_skipped
