"""RSS 2.0 / RSS 1.0 (RDF) and Atom feeds: one article per entry, feed-level metadata as defaults.

The XML is first checked with defusedxml (no DTD entities, no external references, so neither
billion-laughs expansion nor XXE), then read with feedparser, which normalises the many feed
dialects (content:encoded, atom:content, dc:creator, assorted date formats).
"""

from __future__ import annotations

import calendar
import re
from urllib.parse import urlsplit

import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from transforms.boilerplate import strip_furniture
from transforms.page_metadata import detect_language, split_authors
from transforms.parsing.errors import ParseLimits, Quarantined, entry_failure
from transforms.parsing.html import html_to_text, parse_iso_time
from transforms.safe_text import safe_char_refs

SAFE_SCHEMES = frozenset({"http", "https"})


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)


def check_xml(data: bytes) -> Quarantined | None:
    """Refuse entity tricks (raises); return the strict parse error of malformed or truncated XML.

    Real feeds are often slightly broken (a bare "&" in a title); feedparser reads those leniently,
    so a strict error only becomes the item's reason when nothing can be read at all.
    """
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Quarantined("unsafe_xml", f"{type(exc).__name__}: {exc}") from None
    except ParseError as exc:
        if _ENTITY_DECLARATION.search(data):  # never hand entity declarations to a lenient parser
            raise Quarantined("unsafe_xml", "entity declarations in a malformed document") from None
        message = str(exc)
        reason = "truncated" if re.search(r"no element found|unclosed token", message) else "malformed_xml"
        return Quarantined(reason, message)
    return None


def is_safe_url(url: str | None) -> bool:
    """Only web links: a feed entry pointing at file://, javascript:, data: ... is refused."""
    if not url:
        return True
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


def parse_feed(data: bytes, limits: ParseLimits) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """(articles, rejected entries as (item_index, reason, detail))."""
    import feedparser

    data = safe_char_refs(data)  # feedparser raises for the whole feed on a reference to a surrogate
    strict_error = check_xml(data)
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    feed = parsed.get("feed", {})
    kind = "atom" if parsed.get("version", "").startswith("atom") else "rss"
    outlet = feed.get("title")
    language = (feed.get("language") or "").split("-")[0].lower() or None
    articles: list[dict] = []
    rejects: list[tuple[int, str, str]] = []
    entries = parsed.get("entries", [])
    if len(entries) > limits.max_feed_entries:
        rejects.append(
            (
                limits.max_feed_entries,
                "too_many_entries",
                f"{len(entries)} entries, limit {limits.max_feed_entries}",
            )
        )
        entries = entries[: limits.max_feed_entries]
    for index, entry in enumerate(entries):
        try:
            articles.append(_entry(entry, index, kind, outlet, language, limits))
        except Quarantined as exc:
            rejects.append((index, exc.reason, exc.detail))
        except Exception as exc:  # one entry's surprise must not take the feed's other entries with it
            rejects.append((index, *entry_failure(exc)))
    if strict_error is not None and not articles:
        raise strict_error
    return articles, rejects


def _entry(entry: dict, index: int, kind: str, outlet: str | None, language: str | None, limits) -> dict:
    url = entry.get("link") or entry.get("id")
    if not is_safe_url(url):
        raise Quarantined("unsafe_url", f"entry {index}: {str(url)[:200]}")
    if url and not url.lower().startswith(("http://", "https://")):
        url = None  # a non-URL guid
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    html = max(contents, key=len) if contents else entry.get("summary", "")
    text = html_to_text(html, limits) if html else ""
    language = language or detect_language(text)
    body, furniture = strip_furniture(text, language)
    if not body.strip():
        raise Quarantined("empty_body", f"entry {index} has neither content nor summary")
    published = _entry_time(entry, "published") or _entry_time(entry, "updated")
    updated = _entry_time(entry, "updated")
    authors = split_authors([a.get("name") for a in entry.get("authors", []) if isinstance(a, dict)])
    byline = authors or split_authors(entry.get("author"))
    source = entry.get("source", {}) or {}
    title = html_to_text(entry.get("title", "")) or None
    found = {"title": title, "byline": byline, "published_at": published, "updated_at": updated}
    return {
        "source_format": kind,
        "outlet": source.get("title") or outlet,
        "url": url,
        "title": title,
        "byline": byline,
        "published_at": published[0] if published else None,
        "published_tz": published[1] if published else None,
        "updated_at": updated[0] if updated else None,
        "published_at_source": "metadata" if published else "unknown",
        # The entry's own elements; a publication time read from <updated> says so.
        "metadata_sources": {k: "feed" for k, v in found.items() if v}
        | ({"published_at": "feed:updated"} if published and not _entry_time(entry, "published") else {}),
        "dateline": None,
        "language": language,
        "body": body,
        "boilerplate": furniture,
    }


def _entry_time(entry: dict, key: str) -> tuple[pd.Timestamp, str | None] | None:
    """The entry's raw date string keeps the written zone; feedparser's parsed struct is the fallback."""
    raw = entry.get(key)
    if isinstance(raw, str) and raw.strip():
        parsed = parse_iso_time(raw)
        if parsed is not None:
            return parsed
    struct = entry.get(f"{key}_parsed")
    if struct:
        try:
            return pd.Timestamp(calendar.timegm(struct), unit="s", tz="UTC").as_unit("us"), None
        except (ValueError, OverflowError):  # feedparser's struct may hold year -1 or 99999
            return None
    return None
