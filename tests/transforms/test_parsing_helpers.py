"""Building raw-document frames for the parsing tests (no tests here)."""

from __future__ import annotations

import pandas as pd

from transforms.ids import sha256_hex
from transforms.parsing import ParseLimits, ParseResult, parse_documents


def raw_frame(items: dict[str, bytes]) -> pd.DataFrame:
    """name -> bytes as the raw frame parse_documents reads (doc_id = sha256 of the bytes + name)."""
    return pd.DataFrame(
        {
            "doc_id": [sha256_hex(name.encode() + content) for name, content in items.items()],
            "source_uri": list(items),
            "content": list(items.values()),
        }
    )


def parse(items: dict[str, bytes], limits: ParseLimits = ParseLimits()) -> ParseResult:  # noqa: B008
    return parse_documents(raw_frame(items), limits)
