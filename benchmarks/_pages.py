"""Web pages with gold extractions, and the fixed split into a tune part and a scored-only part.

Two sets: `extraction-dev` (Zyte benchmark pages, gold body) and `fundus-dev` (Fundus golden pages,
gold title, authors, publication time and body). Each page can also be read as a page-text dump (the
visible text of the whole page, one block per line, as a browser's select-all + copy gives).

The split is by publisher (the URL's host for extraction-dev, the publisher for fundus-dev), fixed
here once: rules and models are written and fitted on the tune part only; the scored part is only
scored. A publisher is scored when the first hex digit of the SHA-1 of its name is below 6 (6/16 of
publishers, about 37 %), so that a new set gets its split without anyone picking publishers.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from transforms.parsing.html import BLOCK_TAGS as HTML_BLOCKS

ROOT = Path(__file__).resolve().parents[1]
_SCORED_DIGITS = "012345"


def shared_data() -> Path:
    return Path(os.environ.get("NEWSFLOW_SHARED_DATA", ROOT.parent / "shared" / "data"))


def part_of(publisher: str) -> str:
    """'scored' or 'tune', fixed by the publisher's name alone."""
    digest = hashlib.sha1(publisher.casefold().encode("utf-8")).hexdigest()
    return "scored" if digest[0] in _SCORED_DIGITS else "tune"


@dataclass
class Page:
    set_name: str
    page_id: str
    publisher: str
    html_gz: bytes
    body: str
    url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601 with its offset, as the gold file gives it
    language_hint: str | None = None  # the country folder of a fundus page

    @property
    def part(self) -> str:
        return part_of(self.publisher)

    @property
    def html(self) -> str:
        return gzip.decompress(self.html_gz).decode("utf-8", "replace")

    @property
    def file_name(self) -> str:
        return f"{self.page_id}.html.gz"


def host_of(url: str) -> str:
    host = urlsplit(url).hostname or url
    return re.sub(r"^(?:www\d?|m|amp|edition)\.", "", host.lower())


def extraction_pages(folder: Path | None = None) -> list[Page]:
    folder = folder or shared_data() / "extraction-dev"
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(
            set_name="extraction-dev",
            page_id=doc_id,
            publisher=host_of(gold[doc_id].get("url") or doc_id),
            html_gz=(folder / "html" / f"{doc_id}.html.gz").read_bytes(),
            body=gold[doc_id]["articleBody"],
            url=gold[doc_id].get("url"),
        )
        for doc_id in sorted(gold)
    ]


def fundus_pages(folder: Path | None = None) -> list[Page]:
    """Each `<cc>/<Publisher>_<date>.html.gz` with its expectation: the publisher's JSON holds one
    entry per parser version, in order, and the pages sorted by crawl date take them in turn."""
    folder = folder or shared_data() / "fundus-dev"
    pages: list[Page] = []
    for expected in sorted(folder.glob("*/*.json")):
        country, publisher = expected.parent.name, expected.stem
        meta = json.loads((expected.parent / "meta.info").read_text(encoding="utf-8"))
        files = sorted(expected.parent.glob(f"{publisher}_*.html.gz"), key=lambda p: _crawl_key(p, meta))
        versions = json.loads(expected.read_text(encoding="utf-8"))
        for path, version in zip(files, versions.values(), strict=True):
            info = meta.get(path.name, {})
            pages.append(
                Page(
                    set_name="fundus-dev",
                    page_id=f"{country}/{path.name.removesuffix('.html.gz')}",
                    publisher=publisher,
                    html_gz=path.read_bytes(),
                    body=fundus_body(version.get("body") or {}),
                    url=info.get("url"),
                    title=version.get("title"),
                    authors=list(version.get("authors") or []),
                    published=version.get("publishing_date"),
                    language_hint=country,
                )
            )
    return pages


def _crawl_key(path: Path, meta: dict) -> str:
    return (meta.get(path.name) or {}).get("crawl_date") or path.name


def fundus_body(body: dict) -> str:
    """Summary, then each section's headline and paragraphs, one per line."""
    lines = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        lines += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return "\n".join(line for line in lines if line and line.strip())


# ----------------------------------------------------------------------------------------- page text

_INVISIBLE = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "iframe",
    "object",
    "canvas",
    "select",
)
# The blocks of an HTML page's text, but table cells stay on their row, and form controls and
# disclosure widgets start lines of their own, as a browser copies them.
_BLOCKS = (HTML_BLOCKS - {"td", "th"}) | {"details", "summary", "button", "label", "option"}


def page_text(html: str) -> str:
    """Visible text of a whole page, one block per line (what select-all + copy gives)."""
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    for el in tree.xpath("|".join(f"//{tag}" for tag in _INVISIBLE)):
        el.drop_tree()
    for el in tree.xpath(
        "//*[@hidden or @aria-hidden='true' or contains(translate(@style,' ',''),'display:none')]"
    ):
        if el.getparent() is not None:
            el.drop_tree()
    out: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str):
            out.append(node.tail or "")
            return
        block = node.tag in _BLOCKS
        cell = node.tag in ("td", "th")  # browsers copy table cells tab-separated, one row per line
        out.append("\n" if block else "")
        out.append(node.text or "")
        for child in node:
            walk(child)
        out.append("\t" if cell else "\n" if block else "")
        out.append(node.tail or "")

    body = tree.find("body")
    walk(body if body is not None else tree)
    lines = (re.sub(r"[ \r\f\v\xa0]+", " ", line).strip(" \t") for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)
