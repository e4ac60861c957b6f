"""Metadata of an HTML page: title, authors, publication/modification times, site name, URL, language.

Read from JSON-LD, meta tags (OpenGraph, Dublin Core, ...), the `<title>`/`<h1>` and `<time>` elements;
trafilatura's visible-page heuristics fill what the machine-readable metadata lacks.
"""

from __future__ import annotations

import json
import re
from html import unescape

import lxml.html
import pandas as pd

from transforms.page_metadata import split_authors, zone_tzinfos

_ARTICLE_TYPES = re.compile(r"article|posting|report|blog|news", re.I)


def _fill_from_trafilatura(meta: dict, tree: lxml.html.HtmlElement, url: str | None) -> None:
    """Authors, date and site name that trafilatura/htmldate find in the visible page when the
    machine-readable metadata lacks them (date-only: midnight UTC, zone unknown)."""
    from trafilatura.metadata import extract_metadata

    try:
        found = extract_metadata(tree, default_url=url or meta.get("url"), extensive=False)
    except Exception:  # a metadata heuristic failing must not lose the article
        return
    meta["authors"] = meta.get("authors") or split_authors(found.author or "")
    if not meta.get("published") and found.date:
        stamp = pd.Timestamp(found.date, tz="UTC").as_unit("us")
        meta["published"] = (stamp, None)
    if not meta.get("site_name") and found.sitename and found.sitename != found.hostname:
        meta["site_name"] = found.sitename


def page_metadata(tree: lxml.html.HtmlElement) -> dict:
    """Title, authors, times, site name, canonical URL, language and JSON-LD body (as written) of a page."""
    meta: dict = {}
    metas = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and el.get("content") and key not in metas:
            metas[key] = el.get("content").strip()
    ld = _json_ld_article(tree)
    meta["title"] = _first_str(
        ld.get("headline"), metas.get("og:title"), metas.get("twitter:title"), _title(tree)
    )
    meta["authors"] = split_authors(ld.get("author")) or split_authors(
        metas.get("author") or metas.get("article:author") or metas.get("byl") or metas.get("dc.creator")
    )
    meta["published"] = _parse_time(
        ld.get("datePublished"),
        metas.get("article:published_time"),
        metas.get("og:published_time"),
        metas.get("pubdate"),
        metas.get("publishdate"),
        metas.get("date"),
        metas.get("dc.date"),
        metas.get("datepublished"),
        _time_element(tree),
    )
    meta["updated"] = _parse_time(
        ld.get("dateModified"), metas.get("article:modified_time"), metas.get("og:updated_time")
    )
    publisher = ld.get("publisher")
    meta["site_name"] = _first_str(
        metas.get("og:site_name"), publisher.get("name") if isinstance(publisher, dict) else None
    )
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    meta["url"] = _first_str(canonical[0] if canonical else None, metas.get("og:url"), ld.get("url"))
    lang = tree.get("lang") or metas.get("og:locale") or metas.get("language") or ld.get("inLanguage")
    meta["language"] = (
        re.split(r"[-_]", lang.strip())[0].lower() if isinstance(lang, str) and lang.strip() else None
    )
    body = ld.get("articleBody")
    meta["article_body"] = body if isinstance(body, str) else None  # as written: may hold markup
    return meta


def _json_ld_article(tree: lxml.html.HtmlElement) -> dict:
    """The first JSON-LD object whose @type is an article kind (searching @graph and lists)."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "", strict=False)
        except (ValueError, RecursionError):
            continue
        for item in _walk_ld(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                return item
    return {}


def _walk_ld(data: object, depth: int = 0):
    if depth > 5:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _walk_ld(data[key], depth + 1)


def _title(tree: lxml.html.HtmlElement) -> str | None:
    h1 = tree.xpath("//h1")
    if h1 and h1[0].text_content().strip():
        return " ".join(h1[0].text_content().split())
    title = tree.findtext(".//title")
    return " ".join(title.split()) if title else None


def _time_element(tree: lxml.html.HtmlElement) -> str | None:
    values = tree.xpath("//time/@datetime")
    return values[0] if values else None


def _first_str(*values: object) -> str | None:
    """The first non-blank string, whitespace collapsed; entities unescaped (pages often escape twice)."""
    for value in values:
        if isinstance(value, str) and value.strip():
            return " ".join(unescape(value).split())
    return None


def _parse_time(*values: object) -> tuple[pd.Timestamp, str | None] | None:
    """The first parseable machine-readable time, in UTC, with its written offset ("+05:30") or None."""
    for value in values:
        if isinstance(value, list) and value:
            value = value[0]
        if not isinstance(value, str) or not value.strip():
            continue
        parsed = parse_iso_time(value)
        if parsed is not None:
            return parsed
    return None


_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
_ABBR_AT_END = re.compile(r"\b([A-Z]{2,5})$")


def parse_iso_time(value: str) -> tuple[pd.Timestamp, str | None] | None:
    """ISO 8601 / RFC 3339 (or anything dateutil reads) to (UTC timestamp, written zone)."""
    from dateutil import parser as du

    text = value.strip()
    try:
        parsed = du.isoparse(text)
    except ValueError:
        try:
            parsed = du.parse(text, tzinfos=zone_tzinfos())
        except (ValueError, OverflowError, TypeError):
            return None
    zone = None
    if parsed.tzinfo is not None:
        match = _OFFSET.search(text) or _ABBR_AT_END.search(text)
        zone = match.group(1) if match else parsed.tzname()
        if zone == "Z":
            zone = "UTC"
    try:
        stamp = pd.Timestamp(parsed)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    except (ValueError, OverflowError):
        return None
    if not 1900 <= stamp.year <= 2200:
        return None
    return stamp.as_unit("us"), zone
