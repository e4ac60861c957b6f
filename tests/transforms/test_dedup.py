"""Duplicates: exact, near (MinHash), the same article through a feed and a saved page, known copies."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from tests.transforms.test_parsing_helpers import parse
from transforms.dedup import content_hash, find_duplicates, normalise_url, signatures
from warehouse.schemas import ARTICLE_SIGNATURES


def _frame(bodies: list[str], urls: list[str | None] | None = None) -> pd.DataFrame:
    ids = [f"a{i}" for i in range(len(bodies))]
    return pd.DataFrame(
        {
            "article_id": ids,
            "body": bodies,
            "url": urls or [None] * len(bodies),
            "content_hash": [content_hash(b) for b in bodies],
        }
    )


def test_exact_and_near_duplicates(seed_texts):
    a, b = seed_texts.values()
    near = a.replace("Thursday", "Friday").replace("big shift", "major shift") + "\nShare this article"
    new = _frame([a, b, "  " + a.upper() + "  ", near])
    dup = find_duplicates(new, signatures(new.iloc[:0]))
    assert dup.tolist() == [None, None, "a0", "a0"]


def test_first_copy_in_known_wins(seed_texts):
    a, _ = seed_texts.values()
    known = _frame([a]).assign(article_id="old")
    new = _frame(["An unrelated short note about the weather today in the hills.", a])
    dup = find_duplicates(new, signatures(known))
    assert dup.tolist() == [None, "old"]


def test_feed_entry_and_saved_page_are_one_article(seed_texts):
    page_text = seed_texts["001_221771e9a0a30a7f.txt"]
    parsed = parse({"page.txt": page_text.encode()}).articles
    body = parsed.iloc[0]["body"]
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    feed = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Wire</title><item><title>Russia recognises Taliban</title>"
        "<link>https://wire.example/story?utm_source=rss</link>"
        f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        "<item><title>Teaser only</title><link>https://wire.example/story/</link>"
        "<description>Russia became the first country to recognise the Taliban.</description></item>"
        "</channel></rss>"
    )
    entries = parse({"feed.rss": feed.encode()}).articles
    both = pd.concat([parsed, entries], ignore_index=True)
    dup = find_duplicates(both, signatures(both.iloc[:0]))
    first = parsed.iloc[0]["article_id"]
    assert dup.tolist()[1] == first  # full content: near-duplicate of the saved page
    assert dup.tolist()[2] == entries.iloc[0]["article_id"]  # summary only: same URL as the first entry


def test_signatures_fit_the_warehouse_schema(seed_texts):
    frame = _frame(list(seed_texts.values()))
    sig = signatures(frame)
    table = pa.Table.from_pandas(sig, schema=ARTICLE_SIGNATURES, preserve_index=False)
    assert table.num_rows == 2 and isinstance(sig.iloc[0]["minhash"], bytes)
    again = signatures(frame)
    assert sig["minhash"].tolist() == again["minhash"].tolist()  # stable across runs


def test_normalise_url():
    assert normalise_url("https://www.Example.com/a/b/?utm_source=x&id=3#top") == "//example.com/a/b?id=3"
    assert normalise_url("not a url") is None
    assert normalise_url(None) is None


def test_short_and_empty_bodies_are_only_exact_duplicates():
    new = _frame(["Breaking news.", "Breaking news!", "", "", "Other words."])
    assert find_duplicates(new, signatures(new.iloc[:0])).tolist() == [None, "a0", None, "a2", None]


def test_signatures_given_or_computed_find_the_same_copies():
    bodies = [
        "The council approved the new budget on Tuesday after a long debate about schools and roads.",
        "The council approved the new budget on Tuesday after a long debate about schools and roads!",
        "A different story entirely about the weather turning cold across the northern valleys.",
    ]
    new = pd.DataFrame({"article_id": ["a", "b", "c"], "body": bodies})
    known = signatures(new.iloc[:0])
    assert find_duplicates(new, known, signatures(new)).tolist() == find_duplicates(new, known).tolist()


def test_the_parse_gives_each_article_its_signature(seed_texts):
    html = "<html><body><article><p>" + "</p><p>".join(seed_texts.values()) + "</p></article></body></html>"
    parsed = parse({**{n: t.encode() for n, t in seed_texts.items()}, "page.html": html.encode()})
    assert len(parsed.articles) == 3
    expected = signatures(parsed.articles.drop(columns=["content_hash"]))
    pd.testing.assert_frame_equal(parsed.signatures, expected)
    assert parsed.articles["content_hash"].tolist() == expected["content_hash"].tolist()
