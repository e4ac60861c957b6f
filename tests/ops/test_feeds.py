"""Feed polling: retried with back-off per feed; a dead feed is reported and does not stop the others."""

from __future__ import annotations

import pytest

from flows import feeds
from tests.ops.harness import run_scenario


def test_back_off_grows_between_tries():
    delays = feeds.fetch_feed.retry_delay_seconds
    assert feeds.fetch_feed.retries == feeds.RETRIES
    assert list(delays) == sorted(delays) and delays[0] < delays[-1]


@pytest.mark.slow
def test_flaky_feed_is_retried_and_dead_feed_reported(prefect_api):
    result = run_scenario(prefect_api, "feeds_retry")
    assert result["urls"] == ["https://feeds.test/flaky", "https://feeds.test/dead"]  # each URL once
    assert result["content"][0].startswith("<rss") and result["errors"][0] is None
    assert result["content"][1] is None and "ConnectionError" in result["errors"][1]
    assert result["calls"] == {"https://feeds.test/flaky": 3, "https://feeds.test/dead": 1 + feeds.RETRIES}
    assert result["fetched_at_dtype"] == "datetime64[us, UTC]"
