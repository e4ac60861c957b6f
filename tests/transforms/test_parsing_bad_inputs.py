"""Broken inputs end as rejects with distinct, precise reasons; nothing raises and nothing vanishes."""

from __future__ import annotations

import gzip
import json
import random

import pandas as pd

from tests.transforms.test_parsing_helpers import parse, raw_frame
from transforms.parsing import ParseLimits, parse_documents

LIMITS = ParseLimits(
    max_bytes=200_000, max_decompressed_bytes=1_000_000, max_html_depth=200, max_feed_entries=3
)
_RNG = random.Random(1)
TEXT = b"The council met on Monday and approved the plan after a long debate about schools and roads.\n"

BAD = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"   \n\t\n", "empty"),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 4, "binary"),
    "noise.bin": (bytes(range(32)) * 40, "nul_bytes"),
    "nul.txt": (TEXT.replace(b"council", b"coun\x00cil"), "nul_bytes"),
    "random.txt": (bytes(_RNG.randrange(128, 256) for _ in range(400)), "undecodable"),
    "big.txt": (TEXT * 3000, "too_large"),
    "bomb.txt.gz": (gzip.compress(b"A" * 5_000_000), "decompression_bomb"),
    "cut.txt.gz": (gzip.compress(TEXT * 20)[:-30], "truncated"),
    "corrupt.gz": (b"\x1f\x8b\x08\x00" + b"\xff" * 60, "corrupt_gzip"),
    "deep.html": (
        b"<html><body>" + b"<div>" * 5000 + TEXT + b"</div>" * 5000 + b"</body></html>",
        "too_deep",
    ),
    "bad.json": (b'{"title": "x", "body": "y",, }', "malformed_json"),
    "cut.json": (b'{"articles": [{"title": "x", "body": "some text', "truncated"),
    "types.json": (json.dumps([{"title": "x", "body": {"nested": 1}}]).encode(), "wrong_types"),
    "scalar.json": (b"42", "wrong_types"),
    "bad.xml": (b'<?xml version="1.0"?><rss><channel><item><title>x</item></channel></rss>', "malformed_xml"),
    "cut.rss": (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title>', "truncated"),
    "lol.rss": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<rss><channel><item><description>&b;</description></item></channel></rss>",
        "unsafe_xml",
    ),
    "xxe.rss": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><description>&x;</description></item></channel></rss>",
        "unsafe_xml",
    ),
    "nothing.html": (
        b"<html><head><title>t</title></head><body><script>var a=1;</script></body></html>",
        "empty_body",
    ),
    "garbage.warc": (
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\nshort",
        "malformed_warc",
    ),
}


def test_each_bad_input_is_one_reject_with_its_reason():
    result = parse({name: content for name, (content, _) in BAD.items()}, LIMITS)
    by_uri = dict(zip(raw_frame({n: c for n, (c, _) in BAD.items()})["doc_id"], BAD, strict=True))
    got = {by_uri[d]: r for d, r in zip(result.rejects["doc_id"], result.rejects["reason"], strict=True)}
    assert result.articles.empty
    assert got == {name: reason for name, (_, reason) in BAD.items()}
    whole = result.rejects["item_index"] == -1  # a bad record inside a good JSON list is an item reject
    assert sorted(by_uri[d] for d in result.rejects.loc[~whole, "doc_id"]) == ["types.json"]
    assert result.rejects["detail"].str.len().gt(0).all()


def test_feed_entry_limit_and_unsafe_entries_are_item_rejects():
    items = "".join(
        f"<item><title>T{i}</title><link>https://x.example/{i}</link>"
        f"<description>Body {i} text.</description></item>"
        for i in range(5)
    )
    bad_link = "<item><title>Bad</title><link>javascript:alert(1)</link><description>x</description></item>"
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{bad_link}{items}</channel></rss>'.encode()
    result = parse({"f.rss": feed}, LIMITS)
    assert len(result.articles) == 2
    assert sorted(result.rejects["reason"]) == ["too_many_entries", "unsafe_url"]


def test_nothing_raises_on_non_bytes_and_nothing_vanishes():
    raw = raw_frame({"ok.txt": TEXT, "x": b"\x00"})
    raw.loc[len(raw)] = {"doc_id": "not-bytes", "source_uri": "y", "content": None}
    result = parse_documents(raw, LIMITS)
    seen = set(result.articles["doc_id"]) | set(result.rejects["doc_id"])
    assert seen == set(raw["doc_id"])
    assert result.rejects.set_index("doc_id").loc["not-bytes", "reason"] == "wrong_types"


def test_legacy_encodings_are_decoded():
    text = "Le café a fermé ses portes à Zürich après une longue grève des employés du centre-ville."
    result = parse({"a.txt": text.encode("cp1252"), "b.txt": text.encode("utf-16")})
    assert result.rejects.empty
    assert (result.articles["body"] == text).all()


def test_malformed_html_is_recovered_not_lost():
    para = TEXT.decode().strip()
    html = f"<html><body><div><p>{para} {para}<p>{para}<div><b>{para}</i></span></body>".encode()
    result = parse({"broken.html": html + b"<</html"})
    assert result.rejects.empty
    assert result.articles.iloc[0]["body"].count("The council met on Monday") >= 3


def test_every_reason_is_documented_and_duplicates_in_a_batch_are_parsed_once():
    from transforms.parsing import REASONS

    raw = raw_frame({name: content for name, (content, _) in BAD.items()})
    raw = pd.concat([raw, raw.iloc[:1]], ignore_index=True)
    result = parse_documents(raw, LIMITS)
    assert set(result.rejects["reason"]) <= set(REASONS)
    assert (result.rejects["reason"] == "duplicate_document").sum() == 1


def test_text_content_is_accepted_as_utf8():
    raw = pd.DataFrame({"doc_id": ["d"], "source_uri": ["a.txt"], "content": [TEXT.decode()]})
    assert parse_documents(raw).articles.iloc[0]["body"] == TEXT.decode()


def test_nesting_below_the_limit_is_parsed_whole():
    deep = b"<div>" * 300 + b"<p>" + TEXT * 3 + b"</p>" + b"</div>" * 300  # deeper than libxml2's default cut
    html = b"<html><body>" + deep + b"<p>" + TEXT.replace(b"council", b"board") * 3 + b"</p></body></html>"
    result = parse({"deep.html": html})
    assert result.rejects.empty
    assert "board" in result.articles.iloc[0]["body"]
