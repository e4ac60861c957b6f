"""Metadata of an HTML page: title, authors, publication/modification times, site name, URL, language.

Read from JSON-LD, meta tags (OpenGraph, Dublin Core, ...), the `<title>`/`<h1>` and `<time>` elements;
trafilatura's visible-page heuristics fill what the machine-readable metadata lacks.
"""

from __future__ import annotations

import json
import re
from datetime import timezone
from html import unescape

import lxml.html
import pandas as pd

from transforms.page_metadata import split_authors, zone_tzinfos
from transforms.parsing.html_authors import ORG_TYPES, full_name, is_site, page_authors
from transforms.parsing.html_times import microdata_time, page_offset, time_element, visible_time
from transforms.parsing.html_title import choose_title, site_names

# Article kinds of schema.org: *Article, *Posting, Report, Blog, News*, and reviews (ClaimReview: fact checks).
_ARTICLE_TYPES = re.compile(r"article|posting|report|blog|news|review", re.I)


def _fill_from_trafilatura(meta: dict, tree: lxml.html.HtmlElement, url: str | None) -> None:
    """Authors, date and site name that trafilatura/htmldate find in the visible page when the
    machine-readable metadata lacks them (date-only: midnight UTC, zone unknown)."""
    from trafilatura.metadata import extract_metadata

    try:
        found = extract_metadata(tree, default_url=url or meta.get("url"), extensive=False)
    except Exception:  # a metadata heuristic failing must not lose the article
        return
    sources = meta.setdefault("sources", {})
    if not meta.get("authors") and found.author:
        # Its byline guesses are loose: full person names only, never the site.
        sites = meta.get("site_keys") or set()
        meta["authors"] = [n for n in split_authors(found.author) if full_name(n) and not is_site(n, sites)]
        sources["byline"] = "trafilatura" if meta["authors"] else sources.get("byline")
    if not meta.get("published") and found.date:
        stamp = pd.Timestamp(found.date, tz="UTC").as_unit("us")
        meta["published"] = (stamp, None)
        sources["published_at"] = "trafilatura"
    if not meta.get("site_name") and found.sitename and found.sitename != found.hostname:
        meta["site_name"] = found.sitename
    meta["sources"] = {k: v for k, v in sources.items() if v}


def meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """`<meta>` contents by lower-case property/name/itemprop, the first of each."""
    metas: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and el.get("content") and key not in metas:
            metas[key] = el.get("content").strip()
    return metas


def _source_of(key: str) -> str:
    """Source label of a meta tag: OpenGraph's (og:, article:) as `opengraph`, others as `meta:<key>`."""
    return "opengraph" if key.startswith(("og:", "article:")) else f"meta:{key}"


def page_metadata(tree: lxml.html.HtmlElement, url: str | None = None) -> dict:
    """Title, authors, times, site name, canonical URL, language and JSON-LD body (as written) of a
    page; `sources` tells where each of title, byline, published_at and updated_at came from."""
    meta: dict = {}
    sources: dict[str, str] = {}
    metas = meta_tags(tree)
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    ld, by_id = json_ld(tree, (canonical[0] if canonical else None) or metas.get("og:url") or url)
    publisher = ld.get("publisher")
    meta["site_name"] = _first_str(
        metas.get("og:site_name"), publisher.get("name") if isinstance(publisher, dict) else None
    )
    meta["url"] = _first_str(canonical[0] if canonical else None, metas.get("og:url"), ld.get("url"))
    meta["site_keys"] = sites = site_names(
        [meta["site_name"], publisher.get("name") if isinstance(publisher, dict) else None],
        meta["url"] or url,
    )
    chosen = choose_title(
        [
            ("json-ld", _first_str(ld.get("headline"))),
            ("opengraph", _first_str(metas.get("og:title"))),
            ("meta:twitter:title", _first_str(metas.get("twitter:title"))),
            ("html:h1", _h1(tree)),
            ("html:title", _first_str(tree.findtext(".//title"))),
        ],
        sites,
    )
    if chosen:
        sources["title"], meta["title"] = chosen
    else:
        meta["title"] = None
    meta["authors"], sources["byline"] = page_authors(tree, ld, by_id, metas, sites)
    published_keys = (
        "article:published_time",
        "og:published_time",
        "pubdate",
        "publishdate",
        "date",
        "dc.date",
        "datepublished",
    )
    lang = tree.get("lang") or metas.get("og:locale") or metas.get("language") or ld.get("inLanguage")
    meta["language"] = (
        re.split(r"[-_]", lang.strip())[0].lower() if isinstance(lang, str) and lang.strip() else None
    )
    published = _parse_times(
        ("json-ld", ld.get("datePublished")),
        *((_source_of(key), metas.get(key)) for key in published_keys),
        ("html:microdata", microdata_time(tree)),
        ("html:time", time_element(tree)),
    )
    updated = _parse_times(
        ("json-ld", ld.get("dateModified")),
        *((_source_of(key), metas.get(key)) for key in ("article:modified_time", "og:updated_time")),
        ("html:microdata", microdata_time(tree, modified=True)),
    )
    meta["published"], sources["published_at"] = _first_with_zone(published)
    meta["updated"], sources["updated_at"] = _first_with_zone(updated)
    if meta["published"] is None:
        offset = page_offset([meta["updated"][1] if meta["updated"] else None])
        meta["published"] = visible_time(tree, meta["language"], offset)
        sources["published_at"] = "html:text" if meta["published"] else None
    body = ld.get("articleBody")
    meta["article_body"] = body if isinstance(body, str) else None  # as written: may hold markup
    meta["sources"] = {k: v for k, v in sources.items() if v}
    return meta


def json_ld(tree: lxml.html.HtmlElement, url: str | None = None) -> tuple[dict, dict[str, dict]]:
    """The page's JSON-LD article object (searching @graph, lists and mainEntity), and every object
    with an `@id` by that id (Yoast-style graphs name the author by reference).

    Of several article objects: the one whose URL is the page's, else the first not listed in an
    ItemList (a list of related articles is not the article), else the first."""
    articles: list[tuple[dict, bool]] = []
    by_id: dict[str, dict] = {}
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "", strict=False)
        except (ValueError, RecursionError):
            continue
        for item, listed in _walk_ld(data):
            if isinstance(item.get("@id"), str) and len(item) > 1:
                by_id.setdefault(item["@id"], item)
            kind = item.get("@type")
            kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]
            # "NewsMediaOrganization" says "news" too: an organisation is never the article.
            if any(_ARTICLE_TYPES.search(k) and not ORG_TYPES.search(k) for k in kinds):
                articles.append((item, listed))
    if not articles:
        return {}, by_id
    page = _url_key(url)
    for item, _ in articles if page and len(articles) > 1 else ():
        if page in {_url_key(v) for v in _item_urls(item)}:
            return item, by_id
    return next((item for item, listed in articles if not listed), articles[0][0]), by_id


def _item_urls(item: dict) -> list[object]:
    main = item.get("mainEntityOfPage")
    return [item.get("url"), item.get("@id"), main.get("@id") if isinstance(main, dict) else main]


def _url_key(url: object) -> str | None:
    """A URL without scheme, "www.", query, fragment and trailing slash, for comparing."""
    if not isinstance(url, str) or "//" not in url:
        return None
    return re.sub(r"^[a-z]+://(?:www\.)?|[?#].*$|/+$", "", url.strip().lower())


def _walk_ld(data: object, depth: int = 0, listed: bool = False):
    """Every object of a JSON-LD document, and whether it sits in an ItemList."""
    if depth > 5:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item, depth + 1, listed)
    elif isinstance(data, dict):
        yield data, listed
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _walk_ld(data[key], depth + 1, listed or key == "itemListElement")


def _h1(tree: lxml.html.HtmlElement) -> str | None:
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        if text:
            return text
    return None


def _first_str(*values: object) -> str | None:
    """The first non-blank string, whitespace collapsed, zero-width characters dropped; entities
    unescaped, twice when the page escaped them twice ("&amp;quot;")."""
    for value in values:
        if isinstance(value, str) and value.strip():
            text = unescape(value)
            text = unescape(text) if _ENTITY.search(text) else text
            return " ".join(_ZERO_WIDTH.sub("", text).split()) or None
    return None


_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-f]{2,6}|[a-z]{2,8});", re.I)
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


def _parse_times(*values: tuple[str, object]) -> list[tuple[tuple[pd.Timestamp, str | None], str]]:
    """Every parseable machine-readable time of (source, value) pairs, in order: ((UTC timestamp,
    written offset such as "+05:30" or None), its source)."""
    found = []
    for source, value in values:
        if isinstance(value, list) and value:
            value = value[0]
        if not isinstance(value, str) or not value.strip():
            continue
        parsed = parse_iso_time(value)
        if parsed is not None:
            found.append((parsed, source))
    return found


def _first_with_zone(
    found: list[tuple[tuple[pd.Timestamp, str | None], str]],
) -> tuple[tuple[pd.Timestamp, str | None] | None, str | None]:
    """The first time found; a naive one gives way to a later one that writes the same wall clock
    with its offset ("2025-06-17T18:24:10" and "2025-06-17T18:24:10+02:00"). (None, None) if none."""
    if not found:
        return None, None
    (stamp, zone), source = found[0]
    if zone is None:
        for (other, other_zone), other_source in found[1:]:
            offset = page_offset([other_zone])
            if offset is not None and _wall_clock(other, offset) == stamp.floor("min"):
                return (other, other_zone), other_source
    return (stamp, zone), source


def _wall_clock(stamp: pd.Timestamp, offset: timezone) -> pd.Timestamp:
    """The local time a UTC stamp shows at a fixed offset, as a UTC-labelled stamp to the minute."""
    return (stamp + pd.Timedelta(offset.utcoffset(None))).floor("min")


_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
# Unix time of 2001-09-09 to 2033-05-18, in seconds or milliseconds: a leading 1. Other ten-digit
# values are more likely dates written without separators ("2025061714").
_EPOCH = re.compile(r"^1\d{9}(?:\d{3})?$")
_ABBR_AT_END = re.compile(r"\b([A-Z]{2,5})$")


def parse_iso_time(value: str) -> tuple[pd.Timestamp, str | None] | None:
    """ISO 8601 / RFC 3339 (or anything dateutil reads) to (UTC timestamp, written zone)."""
    from dateutil import parser as du

    text = value.strip()
    if _EPOCH.match(text):  # Unix time in seconds or milliseconds ("1750680000000")
        stamp = pd.Timestamp(int(text), unit="s" if len(text) == 10 else "ms", tz="UTC")
        return stamp.as_unit("us"), "UTC"
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
