"""Limits and the whole-item rejection shared by every format parser."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParseLimits:
    """Limits come from settings; defaults are sane for news items."""

    max_bytes: int = 50 * 2**20
    max_decompressed_bytes: int = 200 * 2**20
    max_html_depth: int = 500
    max_feed_entries: int = 5000


class Quarantined(Exception):
    """A whole raw item (or one entry of it) that cannot be parsed, with a stable reason slug."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
