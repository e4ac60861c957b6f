"""An undated article's story estimate: the earliest believable time of its story's dated articles."""

import pandas as pd

from transforms.link import story_estimates

NOW = pd.Timestamp("2025-07-04 12:00", tz="UTC")


def _articles(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [r[0] for r in rows],
            "story_id": [r[1] for r in rows],
            "published_at": pd.to_datetime([r[2] for r in rows], utc=True, format="ISO8601"),
        }
    )


def test_the_earliest_dated_peer_lends_its_time_new_or_known():
    new = _articles([("u", "s", None), ("d2", "s", "2025-07-03 18:00")])
    known = _articles([("d1", "s", "2025-07-03 09:00"), ("k", "s", None)])
    got = story_estimates(new, known, known_undated=known[known["article_id"] == "k"], now=NOW)
    assert sorted(zip(got["article_id"], got["estimated_from"], strict=True)) == [("k", "d1"), ("u", "d1")]
    assert set(got["published_at"]) == {pd.Timestamp("2025-07-03 09:00", tz="UTC")}


def test_a_time_validation_rejects_lends_no_estimate():
    # A hostile page claims the year 999 (and another the far future): validation quarantines
    # those articles, so their times must not become their story peers' estimates.
    new = _articles(
        [
            ("u", "s", None),
            ("bad", "s", "0999-11-30"),
            ("later", "s", "9999-12-31"),
            ("ok", "s", "2025-07-01"),
        ]
    )
    got = story_estimates(new, _articles([]), now=NOW)
    assert list(zip(got["article_id"], got["estimated_from"], strict=True)) == [("u", "ok")]
    alone = story_estimates(new[new["article_id"].isin(["u", "bad"])], _articles([]), now=NOW)
    assert alone.empty
