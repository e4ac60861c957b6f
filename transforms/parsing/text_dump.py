"""Page-text dumps and plain text files (`.txt`).

A text with recognisable page furniture (pattern table hits), or with many short lines that the
boilerplate model leaves out (menus, teaser lists: `boilerplate.is_page_dump`), is a page dump: metadata lines become
columns, furniture and everything outside the main text block go to the `boilerplate` list. A text
without furniture is a plain text: its metadata lines (a URL, a headline, a date or byline line) are
read into columns but stay in the body, which passes through intact, so that offsets computed by
anyone on the original file still hold.
"""

from __future__ import annotations

import re

from transforms.boilerplate import furniture_lines, main_text_lines, page_dump_left_out
from transforms.page_metadata import (
    PageMetadata,
    dateline_agency,
    detect_language,
    extract_page_metadata,
    find_dateline,
    find_outlet,
    find_title,
    is_title_shaped,
    times_near,
)

_BLANKS = re.compile(r"\n{3,}")
_URL_LINE = re.compile(r"(?:https?://|www\.)\S+", re.I)
_CREDIT = re.compile(r"\b(?:photo(?:graph)?|image|picture|pic|credit|getty|file|video)s?\b|\w/[A-Z]", re.I)


def parse_text_dump(text: str) -> list[dict]:
    """One article from a page-text dump or a plain text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    language = detect_language(text)
    removed = furniture_lines(lines, language)
    meta = extract_page_metadata(lines, set(removed), language)
    skip = set(removed) | meta.consumed
    if removed:
        cutoffs = tuple(i for i, kind in removed.items() if kind == "cutoff")
        dropped = main_text_lines(lines, skip, language, cutoffs, meta.anchor)
    else:
        found = page_dump_left_out(lines, skip, language, meta.anchor)
        if found is None:
            # A date or byline line alone does not make a page: a wire text or an archive file opens
            # with them too, and the sentences of a plain text must all reach the body.
            return [_plain(text, lines, meta, language)]
        dropped = found
    kept = [i for i, line in enumerate(lines) if line.strip() and i not in skip and i not in dropped]
    if kept and meta.published_at is None:
        near = [*range(max(kept[0] - 15, 0), kept[0]), *range(kept[-1] + 1, min(kept[-1] + 9, len(lines)))]
        times_near(lines, [i for i in near if i not in removed], language, meta)
        skip |= meta.consumed
    title = find_title(lines, kept[0], skip, meta.anchor) if kept else None
    if title is not None:
        meta.title = lines[title].strip()
        skip.add(title)
    body_lines = [line.rstrip() for i, line in enumerate(lines) if i not in skip and i not in dropped]
    # Only blank lines are trimmed: the first line keeps its indent, so body lines are input lines.
    body = _BLANKS.sub("\n\n", "\n".join(body_lines)).strip("\n")
    meta.dateline = first_dateline(body.split("\n"))
    boilerplate = [lines[i].strip() for i in sorted((set(removed) | dropped) - {title}) if lines[i].strip()]
    # Photo credits name agencies, not the outlet: they are left out of the search.
    named = [line for line in boilerplate if not _CREDIT.search(line)]
    meta.outlet = find_outlet(named) or meta.outlet or first_agency(body.split("\n"))
    return [_record(meta, body, boilerplate, language)]


def _plain(text: str, lines: list[str], meta: PageMetadata, language: str | None) -> dict:
    """A plain text: body unchanged; a URL line names the outlet, a headline-shaped opening line
    (after a URL line) is read as the title too."""
    opening = [line.strip() for i, line in enumerate(lines) if line.strip() and i not in meta.consumed][:2]
    urls = [line for line in opening if _URL_LINE.fullmatch(line)]
    first = next((line for line in opening if not _URL_LINE.fullmatch(line)), "")
    if is_title_shaped(first) and len(lines) > 1:
        meta.title = first
    paragraphs = [line for line in lines if line.strip() != meta.title]
    meta.dateline = first_dateline(paragraphs)
    meta.outlet = (find_outlet(urls) if urls else None) or first_agency(paragraphs)
    return _record(meta, text, [], language)


def first_dateline(lines: list[str], within: int = 3) -> str | None:
    """The dateline opening one of the first paragraphs (a standfirst may come before it)."""
    paragraphs = [line for line in lines if line.strip()][:within]
    return next((place for place in map(find_dateline, paragraphs) if place), None)


def first_agency(lines: list[str], within: int = 3) -> str | None:
    """The agency credited in the dateline of one of the first paragraphs ("(Reuters)")."""
    paragraphs = [line for line in lines if line.strip()][:within]
    return next((agency for agency in map(dateline_agency, paragraphs) if agency), None)


def _record(meta: PageMetadata, body: str, boilerplate: list[str], language: str | None) -> dict:
    return {
        "source_format": "text",
        "outlet": meta.outlet,
        "url": None,
        "title": meta.title,
        "byline": meta.byline,
        "published_at": meta.published_at,
        "published_tz": meta.published_tz,
        "updated_at": meta.updated_at,
        "published_at_source": meta.published_at_source,
        # Everything here is read from the page's own lines.
        "metadata_sources": {
            k: "text"
            for k, v in {
                "title": meta.title,
                "byline": meta.byline,
                "published_at": meta.published_at,
                "updated_at": meta.updated_at,
            }.items()
            if v is not None and v != []
        },
        "dateline": meta.dateline,
        "language": language,
        "body": body,
        "boilerplate": boilerplate,
    }
