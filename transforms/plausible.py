"""Which publication times newsflow believes: the rule validation applies, shared with the steps
that lend one article's time to another (a story estimate must not carry a time validation rejects)."""

from __future__ import annotations

import pandas as pd

EARLIEST_PLAUSIBLE = pd.Timestamp("1800-01-01", tz="UTC")


def plausible_time(values: pd.Series, now: pd.Timestamp) -> pd.Series:
    """True for missing times and for times between 1800 and one day after now."""
    times = pd.to_datetime(values, utc=True, errors="coerce")
    return (times.isna() & values.isna()) | (
        (times >= EARLIEST_PLAUSIBLE) & (times <= now + pd.Timedelta(days=1))
    )
