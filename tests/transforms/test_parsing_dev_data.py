"""Behaviour on the development data: extraction quality floors and plain news texts kept whole."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from benchmarks.extraction import newsflow_body, page_text, precision_recall, score
from transforms.parsing.text_dump import parse_text_dump

SAMPLE = 24  # pages: enough for a stable floor, small enough to stay fast


@pytest.fixture(scope="module")
def pages(shared_data):
    folder = shared_data / "extraction-dev"
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:SAMPLE]
    return [((folder / "html" / f"{i}.html.gz").read_bytes(), gold[i]["articleBody"]) for i in ids]


def test_html_body_extraction_floor(pages):
    rows = [precision_recall(newsflow_body(raw, "page.html.gz"), truth) for raw, truth in pages]
    f1, _, _ = score(rows)
    assert f1 >= 0.93


def test_page_text_body_extraction_floor(pages):
    rows = []
    for raw, truth in pages:
        dump = page_text(gzip.decompress(raw).decode("utf-8", "replace"))
        rows.append(precision_recall(newsflow_body(dump.encode(), "page.txt"), truth))
    f1, _, _ = score(rows)
    assert f1 >= 0.85


def test_news_texts_pass_whole_and_survive_one_furniture_line(shared_data):
    kept = total = 0
    for path in sorted((shared_data / "timeml-dev").glob("*.tml"))[:80]:
        raw = path.read_text(encoding="utf-8")
        match = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
        text = re.sub(r"<[^>]+>", "", match.group(1) if match else raw)
        assert parse_text_dump(text)[0]["body"] == text  # no furniture: untouched
        lines = text.strip().split("\n")
        dump = "\n".join([*lines[: len(lines) // 2], "Advertisement", *lines[len(lines) // 2 :]])
        kept += len(parse_text_dump(dump)[0]["body"].split())
        total += len(text.split())
    assert kept >= 0.98 * total


def test_extraction_benchmark_split_is_fixed_by_publisher_and_scores_a_third(shared_data):
    from benchmarks._pages import extraction_pages, fundus_pages, part_of

    for pages in (extraction_pages(shared_data / "extraction-dev"), fundus_pages(shared_data / "fundus-dev")):
        scored = [p for p in pages if p.part == "scored"]
        assert len(scored) * 3 >= len(pages)
        assert {p.publisher for p in scored}.isdisjoint({p.publisher for p in pages if p.part == "tune"})
    assert part_of("Reuters") == part_of("reuters")  # fixed by the name, whatever its case


def test_fundus_pages_take_the_expectation_of_their_crawl(shared_data):
    from benchmarks._pages import fundus_pages

    pages = fundus_pages(shared_data / "fundus-dev")
    assert len(pages) == 127
    assert all(p.body and p.title for p in pages)
    # Each page's expected title is on the page it is paired with (entities and quotes aside).
    plain = [p for p in pages if p.title[:20] in p.html]
    assert len(plain) >= 0.9 * len(pages)


def test_ecbplus_texts_pass_whole(shared_data):
    """No ECB+ news text is taken for a page dump, by the pattern table or by the navigation-line test."""
    from benchmarks.ecbplus import read_corpus

    changed = [
        d.doc_name
        for d in read_corpus(shared_data / "ecbplus-dev")
        if parse_text_dump(d.text)[0]["body"] != d.text
    ]
    assert changed == []
