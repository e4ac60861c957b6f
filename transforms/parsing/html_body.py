"""The article body of an HTML page: trafilatura's main text, checked against the JSON-LD `articleBody`."""

from __future__ import annotations

import lxml.etree as etree
import lxml.html


def main_text(tree: lxml.html.HtmlElement, url: str | None, article_body: str | None) -> str:
    """trafilatura's main text; the JSON-LD `articleBody` when trafilatura finds much less.

    Comments are stripped from `tree` first (in place): trafilatura drops a comment node together
    with the text that follows it, so a page with comments between its paragraphs lost them.
    """
    import trafilatura

    etree.strip_tags(tree, etree.Comment)
    # favor_precision measured better on the extraction benchmark (F1 0.968 against 0.958 by default).
    extracted = trafilatura.extract(
        tree, url=url, include_comments=False, include_tables=True, favor_precision=True, deduplicate=False
    )
    text = (extracted or "").strip()
    if article_body and len(article_body) > 1.5 * len(text) + 200:
        return article_body
    if not text and article_body:
        return article_body
    return text
