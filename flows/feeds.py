"""Polling the feed URLs of the settings: the one network step of a run, so the one that retries.

The fetch itself is a callable `fetch(url) -> bytes` (`newsflow.sources.FeedSource.fetch`
in production, an offline stub in tests); this module only adds Prefect's retries
with exponential back-off and turns the answers into raw items for discovery.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from prefect import get_run_logger, task
from prefect.tasks import exponential_backoff

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
