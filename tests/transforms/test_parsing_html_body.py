"""HTML article bodies: each page under tests/golden/html_body parses to the body stored beside it.

One page per kind of page the body choice handles (see docs/modules.md, "HTML bodies"). After an
intended change, rewrite a `.body.txt` from `parse_html` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.parsing.errors import ParseLimits
from transforms.parsing.html import parse_html
from transforms.parsing.html_body import clean_article_body

PAGES = Path(__file__).resolve().parents[1] / "golden" / "html_body"


def pages() -> list[Path]:
    return sorted(PAGES.glob("*.html"))


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.stem)
def test_body(page: Path) -> None:
    expected = page.with_suffix(".body.txt").read_text(encoding="utf-8").strip()
    article = parse_html(page.read_text(encoding="utf-8"), ParseLimits())[0]
    assert article["body"] == expected


def test_every_page_has_a_body() -> None:
    assert pages() and all(p.with_suffix(".body.txt").exists() for p in pages())


def test_article_body_cleaned() -> None:
    assert clean_article_body("One&nbsp;two three. One&nbsp;two three.") == "One two three."
    assert clean_article_body("A  line\n\n  another &amp; more ") == "A line\nanother & more"
