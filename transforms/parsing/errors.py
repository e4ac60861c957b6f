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


# Every reject reason parsing emits (stable slugs: the quarantine table and dashboards key on them).
REASONS: dict[str, str] = {
    "empty": "no bytes, or only whitespace",
    "binary": "a binary file (image, PDF, archive...) or text with many control characters",
    "nul_bytes": "NUL bytes in what should be text",
    "undecodable": "not UTF-8 and no plausible legacy encoding",
    "too_large": "more bytes than max_bytes (or a WARC response above max_decompressed_bytes)",
    "decompression_bomb": "gzip that inflates past max_decompressed_bytes",
    "corrupt_gzip": "gzip data that does not inflate",
    "truncated": "input that ends early (gzip, JSON, XML, WARC)",
    "too_deep": "HTML nested deeper than max_html_depth, or JSON nested past Python's limit",
    "malformed_html": "HTML that yields no element tree",
    "malformed_xml": "XML that does not parse",
    "unsafe_xml": "XML with entity declarations or external references (bombs, XXE)",
    "malformed_json": "JSON (or one JSONL line) that does not parse",
    "wrong_types": "a JSON value of the wrong type (record not an object, body not a string...)",
    "malformed_warc": "a WARC file whose records cannot be read",
    "unsafe_url": "an entry or record linking to a non-http(s) URL (file:, javascript:, data:...)",
    "too_many_entries": "feed entries past max_feed_entries (one reject row for all of them)",
    "empty_body": "an item or entry with no article text",
    "http_error": "a WARC response with a non-2xx status",
    "unsupported_media": "a WARC response that is not HTML",
    "duplicate_document": "the same doc_id twice in one batch (parsed once)",
    "no_articles": "a parsed item that yielded no article and no reject",
    "parser_error": "an unexpected parser failure (a bug): the item, or the one entry, is kept as a reject",
    "parse_failed": "an article record the articles frame cannot hold (it is rejected, the batch goes on)",
}


def entry_failure(exc: Exception) -> tuple[str, str]:
    """(reason, detail) of an entry (feed entry, JSON record, WARC record) whose parser raised
    unexpectedly: that entry is rejected, the item's other entries go on."""
    return "parser_error", f"{type(exc).__name__}: {exc}"[:300]


class Quarantined(Exception):
    """A whole raw item (or one entry of it) that cannot be parsed, with a stable reason slug."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
