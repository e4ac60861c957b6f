"""Feed polling: retried with back-off per feed; a dead feed is reported and does not stop the others."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from flows import feeds


def test_back_off_grows_between_tries():
    delays = feeds.fetch_feed.retry_delay_seconds
    assert feeds.fetch_feed.retries == feeds.RETRIES
    assert list(delays) == sorted(delays) and delays[0] < delays[-1]


@pytest.mark.slow
def test_flaky_feed_is_retried_and_dead_feed_reported(use_api, monkeypatch):
    calls: Counter[str] = Counter()

    def fetch(url: str) -> bytes:
        calls[url] += 1
        if url.endswith("/dead") or calls[url] < 3:
            raise ConnectionError(f"refused: {url}")
        return b"<rss version='2.0'><channel><title>t</title></channel></rss>"

    monkeypatch.setattr(feeds, "fetch_feed", feeds.fetch_feed.with_options(retry_delay_seconds=0))
    urls = ["https://feeds.test/flaky", "https://feeds.test/dead", "https://feeds.test/flaky"]
    from prefect import flow

    @flow(name="poll-feeds")
    def poll():
        return feeds.fetch_feeds(urls, fetch)

    frame = poll()

    assert frame["source_uri"].tolist() == ["https://feeds.test/flaky", "https://feeds.test/dead"]
    assert frame.loc[0, "content"].startswith(b"<rss") and pd.isna(frame.loc[0, "error"])
    assert frame.loc[1, "content"] is None and "ConnectionError" in frame.loc[1, "error"]
    assert calls == {"https://feeds.test/flaky": 3, "https://feeds.test/dead": 1 + feeds.RETRIES}
    assert str(frame["fetched_at"].dtype) == "datetime64[us, UTC]"
