"""Stable identifiers: the same input gives the same id on every run and machine."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex id derived from the parts (joined with a separator no part contains)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def redirect_rows(gone: dict[str, str], known: pd.DataFrame | None, key: str) -> pd.DataFrame:
    """The rows a run adds to a redirect table (`key`, redirect_to): the ids it merged away, and
    earlier redirects whose target it merged away, re-pointed, so every id resolves in one step."""
    import pandas as pd  # imported here: ids are needed where pandas is not

    columns = [key, "redirect_to"]
    out = pd.DataFrame({key: list(gone), "redirect_to": list(gone.values())}, columns=columns)
    if known is not None and not known.empty:
        chained = known[known["redirect_to"].isin(gone)]
        out = pd.concat(
            [out, chained.assign(redirect_to=chained["redirect_to"].map(gone))[columns]], ignore_index=True
        )
    return out
