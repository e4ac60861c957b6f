"""Which format a raw item is, from its content first and its name only as a tie-breaker."""

from __future__ import annotations

import re

FORMATS = ("text", "html", "rss", "atom", "json", "jsonl", "warc", "unknown")

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "rss",
    ".atom": "atom",
    ".xml": "rss",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
}
_XML_HEAD = re.compile(r"^(?:<\?xml[^>]*>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*<([A-Za-z][\w:.-]*)", re.S)
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|script|link|span|h[1-6])\b", re.I
)
# A JSON document opens with a bracket then a value; "[Updated] Russia ..." is page text.
_JSON_START = re.compile(r'^(?:\{\s*(?:"|\})|\[\s*(?:[\[{"\]\d-]|true|false|null))')
_FEED_ROOTS = {"rss": "rss", "rdf:rdf": "rss", "rdf": "rss", "feed": "atom"}


def extension_format(source_uri: str) -> str | None:
    """Format suggested by the name (`.gz` suffixes ignored)."""
    name = (source_uri or "").lower().split("?", 1)[0]
    name = re.sub(r"\.gz$", "", name)
    match = re.search(r"\.[a-z0-9]+$", name)
    return _EXTENSIONS.get(match.group(0)) if match else None


def detect_format(data: bytes, source_uri: str = "") -> str:
    """text / html / rss / atom / json / jsonl / warc from the (decompressed) bytes and the name."""
    head_bytes = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head_bytes.startswith(b"WARC/"):
        return "warc"
    head = head_bytes.decode("utf-8", "replace")
    by_name = extension_format(source_uri)
    if head[:1] in "{[" and (_JSON_START.match(head) or by_name in {"json", "jsonl"}):
        return _json_kind(head, by_name)
    if head.startswith("<"):
        root = _XML_HEAD.match(head)
        tag = root.group(1).lower() if root else ""
        if tag in _FEED_ROOTS:
            return _FEED_ROOTS[tag]
        if _HTML_TAG.search(head[:4096]) or tag == "html":
            return "html"
        if tag:
            return (
                by_name
                if by_name in {"rss", "atom", "html"}
                else "rss"
                if head.startswith("<?xml")
                else "html"
            )
    if by_name in {"json", "jsonl", "rss", "atom", "warc"}:
        return by_name  # the name promises a structured format: let its parser report what is wrong
    if _HTML_TAG.search(head[:2048]) and head.count("<") > 5:
        return "html"
    return "text"


def _json_kind(head: str, by_name: str | None) -> str:
    """A JSON document, or one JSON value per line."""
    if by_name == "jsonl":
        return "jsonl"
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if len(lines) >= 2 and lines[0].startswith("{") and lines[0].endswith("}") and lines[1].startswith("{"):
        return "jsonl"
    return "json"
