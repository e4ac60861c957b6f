"""HTML pages: main text with trafilatura; metadata from `html_metadata` (JSON-LD, meta tags, canonical link)."""

from __future__ import annotations

import re

import lxml.etree as etree
import lxml.html

from transforms.boilerplate import strip_furniture
from transforms.page_metadata import detect_language
from transforms.parsing.errors import ParseLimits, Quarantined
from transforms.parsing.html_body import main_text
from transforms.parsing.html_metadata import _fill_from_trafilatura, parse_iso_time
from transforms.parsing.html_metadata import page_metadata as _page_metadata
from transforms.safe_text import safe_text

__all__ = ["BLOCK_TAGS", "html_to_text", "page_metadata", "parse_html", "parse_iso_time"]

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
# Elements that never hold children, or whose end tag HTML lets a page omit: not counted as nesting.
_FLAT = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "option",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "rp",
        "rt",
        "optgroup",
    ]
)
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)


def check_depth(text: str, limits: ParseLimits) -> None:
    """Refuse pages nested deeper than the limit before any tree is built.

    libxml2 silently truncates past 256 levels and deep trees blow Python's recursion in
    extractors, so the raw tags are scanned linearly instead.
    """
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, selfclosing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _FLAT or selfclosing:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > limits.max_html_depth:
                raise Quarantined("too_deep", f"elements nested deeper than {limits.max_html_depth}")


# huge_tree lifts libxml2's silent cut at 256 levels; check_depth has already bounded the nesting.
_PARSER = lxml.html.HTMLParser(huge_tree=True)


def parse_tree(text: str) -> lxml.html.HtmlElement:
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise Quarantined("malformed_html", str(exc)[:200]) from None
    if tree is None or len(tree) == 0:
        raise Quarantined("malformed_html", "no elements")
    return tree


def parse_html(text: str, limits: ParseLimits, url: str | None = None) -> list[dict]:
    """One article from an HTML page."""
    check_depth(text, limits)
    if "<" not in text:
        raise Quarantined("malformed_html", "no markup")
    tree = parse_tree(text)
    meta = page_metadata(tree, url)
    if not (meta.get("authors") and meta.get("published") and meta.get("site_name")):
        _fill_from_trafilatura(meta, tree, url)
    text = _without_title(
        main_text(tree, url or meta.get("url"), meta.get("article_body")), meta.get("title")
    )
    published, published_tz = meta.get("published") or (None, None)
    updated = (meta.get("updated") or (None, None))[0]
    language = meta.get("language") or detect_language(text)
    body, furniture = strip_furniture(text, language)
    return [
        {
            "source_format": "html",
            "outlet": meta.get("site_name"),
            "url": meta.get("url") or url,
            "title": meta.get("title"),
            "byline": meta.get("authors") or [],
            "published_at": published,
            "published_tz": published_tz,
            "updated_at": updated,
            "published_at_source": "metadata" if published is not None else "unknown",
            "metadata_sources": meta.get("sources") or {},
            "dateline": None,
            "language": language,
            "body": body,
            "boilerplate": furniture,
        }
    ]


def page_metadata(tree: lxml.html.HtmlElement, url: str | None = None) -> dict:
    """The page's metadata (`html_metadata.page_metadata`), its JSON-LD body as plain text."""
    meta = _page_metadata(tree, url)
    body = meta.get("article_body")
    if body and "<" in body:
        meta["article_body"] = html_to_text(body)
    return meta


def _without_title(body: str, title: str | None) -> str:
    """The headline is metadata: drop it when the extracted text opens with it."""
    first, _, rest = body.partition("\n")
    norm = " ".join(first.split()).casefold()
    if title and norm and (norm == " ".join(title.split()).casefold() or title.casefold().startswith(norm)):
        return rest.lstrip("\n")
    return body


def html_to_text(fragment: str, limits: ParseLimits | None = None) -> str:
    """Visible text of an HTML fragment (feed content, JSON-LD bodies), one block per paragraph."""
    fragment = safe_text(fragment)[0]  # lxml refuses control characters; callers record their repairs
    check_depth(fragment, limits or ParseLimits())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    text = _text_with_blocks(root)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t\xa0]+", " ", text)).strip()


def _text_with_blocks(el: lxml.html.HtmlElement) -> str:
    """Text content where block elements start new paragraphs."""
    out: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str):
            if node.tail:
                out.append(node.tail)
            return
        block = node.tag in BLOCK_TAGS
        if block:
            out.append("\n\n")
        if node.text:
            out.append(node.text)
        for child in node:
            walk(child)
        if block:
            out.append("\n\n")
        if node.tail:
            out.append(node.tail)

    walk(el)
    return "".join(out)
