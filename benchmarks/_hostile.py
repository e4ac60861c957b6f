"""Hostile input items of every format newsflow reads, from a seeded generator.

Shared by the property tests (`tests/reliability/test_hostile_fields.py`) and the fuzz run
(`benchmarks/fuzz.py`): each item puts hostile values — lone surrogates, NULs, control
characters, noncharacters, character references to surrogates, wrong JSON types, impossible
dates, huge numbers, markup and SQL — into the fields of one format (JSON/JSONL fields, feed
entries, HTML attributes and text, WARC headers, page-text lines, file names).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

# Strings no step may choke on (as Python text; each format encodes them its own way).
HOSTILE_TEXT = [
    "Lone \ud800 surrogate",
    "\udfff",
    "reversed \udc00\ud800 pair",
    "paired \ud83d\ude00 halves",
    "NUL\x00inside",
    "\x00",
    "bell\x07 escape\x1b[31m red",
    "DEL\x7f",
    "C1 \x85 \x92 \x9d controls",
    "nonchar \ufffe \uffff \U0010ffff",
    "\ufeffBOM first",
    "bidi \u202eoverride\u202c",
    "zero\u200bwidth\u200djoin",
    "e" + "\u0301" * 60,
    "x" * 20_000,
    "   ",
    "",
    "'); DROP TABLE articles; --",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "%s%n{0}{__class__}",
    "Кабул 喀布尔 كابول 🇦🇫",
    "line\u2028sep\u2029para",
    "\r\n\r\n",
]
# Character references a markup parser turns into code points (the surrogate ones are invalid).
HOSTILE_REFS = ["&#xD800;", "&#0;", "&#x1F;", "&#xFFFE;", "&#1114112;", "&#x110000;", "&nbsp;&amp;lt;"]
HOSTILE_JSON = [
    None,
    0,
    -1,
    2**70,
    1e308,
    True,
    [],
    {},
    ["a", 1, None],
    {"nested": {"deeper": ["\ud800"]}},
]
HOSTILE_DATES = [
    "0000-00-00",
    "2025-02-30T25:61:00Z",
    "9999-12-31T23:59:59+14:00",
    "-0001-01-01",
    "yesterday",
    "1970-01-01T00:00:00Z",
    "2025-07-03T18:51:00+05:30\ud800",
    "Thu, 03 Jul 2025 18:51:00 +9999",
    "10000000000",
]
# Bytes a file name may hold on Linux that are not UTF-8, and characters that are.
HOSTILE_NAME_PARTS = [
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"caf\xe9",
    "نام".encode(),
    b" ",
    b"'; --",
    b"\x1b[0m",
    b"%2F..",
]

NEWS = [
    "Police in Lyon said on Tuesday that two men had been arrested after a fire at a warehouse near "
    "the river.",
    "The mayor, Gregory Doucet, thanked the fire brigade and promised an inquiry by the end of the month.",
    "Officials in Kabul said on Monday that talks with Moscow would resume next week.",
    "Shares in Toyota fell 3 percent in Tokyo after the company cut its forecast for the year.",
    "The United Nations said on Thursday that aid convoys had reached the city for the first time since "
    "April.",
]
FORMATS = ["json", "jsonl", "rss", "atom", "html", "warc", "text"]


@dataclass
class HostileItem:
    name: bytes  # a file name (bytes: it may not be UTF-8)
    content: bytes
    kind: str


class HostileGenerator:
    """Hostile items from one seed: the same seed gives the same items."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 0

    def text(self) -> str:
        r = self.rng
        parts = r.sample(HOSTILE_TEXT, k=r.randint(1, 3))
        return " ".join(p[:2000] if r.random() < 0.7 else p for p in parts)

    def field(self) -> object:
        """A JSON field value: mostly hostile text, sometimes a value of the wrong type."""
        return self.rng.choice(HOSTILE_JSON) if self.rng.random() < 0.25 else self.text()

    def body(self) -> str:
        """News text (so the item may load) with hostile text woven in."""
        r = self.rng
        self.serial += 1
        lines = [f"{s} Report {self.serial}." for s in r.sample(NEWS, k=r.randint(2, 4))]
        for _ in range(r.randint(1, 3)):
            lines.insert(r.randint(0, len(lines)), self.text())
        return "\n\n".join(lines)

    def date(self) -> object:
        return self.rng.choice(HOSTILE_DATES) if self.rng.random() < 0.8 else self.rng.choice(HOSTILE_JSON)

    def markup(self, text: str) -> str:
        """Text for XML/HTML: escaped, with character references to bad code points mixed in."""
        out = escape(text)
        if self.rng.random() < 0.5:
            out += self.rng.choice(HOSTILE_REFS)
        return out

    def record(self) -> dict:
        r = self.rng
        record = {
            "title": self.field(),
            "body": self.body() if r.random() < 0.85 else self.field(),
            "author": [self.text(), self.field()] if r.random() < 0.5 else self.field(),
            "url": "https://example.org/" + self.text() if r.random() < 0.6 else self.field(),
            "published_at": self.date(),
            "source": self.field(),
        }
        if r.random() < 0.2:
            record[self.text()[:50] or "k"] = self.field()  # a hostile key
        return record

    def item(self, kind: str | None = None) -> HostileItem:
        kind = kind or self.rng.choice(FORMATS)
        content = getattr(self, f"_{kind}")()
        return HostileItem(self.name(kind), content, kind)

    def items(self, count: int) -> Iterator[HostileItem]:
        for index in range(count):
            yield self.item(FORMATS[index % len(FORMATS)])

    def name(self, kind: str) -> bytes:
        self.serial += 1
        extension = {"jsonl": "jsonl", "json": "json", "rss": "xml", "atom": "xml", "warc": "warc"}
        part = self.rng.choice(HOSTILE_NAME_PARTS)
        return (
            b"h%05d-" % self.serial
            + part
            + b"."
            + extension.get(kind, "html" if kind == "html" else "txt").encode()
        )

    def _json_bytes(self, value: object) -> bytes:
        # Mostly what exporters write (surrogates as \ud800 escapes), sometimes raw code points.
        if self.rng.random() < 0.7:
            return json.dumps(value).encode()
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")

    def _json(self) -> bytes:
        if self.rng.random() < 0.3:
            return self._json_bytes({"articles": [self.record() for _ in range(self.rng.randint(1, 4))]})
        return self._json_bytes(self.record())

    def _jsonl(self) -> bytes:
        lines = [self._json_bytes(self.record()) for _ in range(self.rng.randint(1, 5))]
        if self.rng.random() < 0.3:
            lines.insert(1, b'{"title": "cut off')
        return b"\n".join(lines) + b"\n"

    def _rss(self) -> bytes:
        m = self.markup
        return self._feed(
            lambda: (
                f"<item><title>{m(self.text())}</title><link>https://example.org/{m(self.text())}</link>"
                f"<description>{m(self.body())}</description><pubDate>{m(str(self.date()))}</pubDate>"
                f"<author>{m(self.text())}</author></item>"
            ),
            '<rss version="2.0"><channel><title>F</title>',
            "</channel></rss>",
        )

    def _atom(self) -> bytes:
        m = self.markup
        return self._feed(
            lambda: (
                f'<entry><title>{m(self.text())}</title><link href="https://example.org/{m(self.text())}"/>'
                f"<id>urn:x:{self.serial}</id><updated>{m(str(self.date()))}</updated>"
                f"<author><name>{m(self.text())}</name></author><content>{m(self.body())}</content></entry>"
            ),
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>',
            "</feed>",
        )

    def _feed(self, entry: Callable[[], str], head: str, tail: str) -> bytes:
        entries = "".join(entry() for _ in range(self.rng.randint(1, 3)))
        xml = f'<?xml version="1.0" encoding="utf-8"?>{head}{entries}{tail}'
        return xml.encode("utf-8", "surrogatepass")

    def _html(self) -> bytes:
        m = self.markup
        ld = json.dumps(
            {
                "@type": "NewsArticle",
                "headline": self.field(),
                "author": self.field(),
                "datePublished": self.date(),
            }
        )
        paragraphs = "".join(f"<p>{m(p)}</p>" for p in self.body().split("\n\n"))
        page = (
            f'<html lang="{m(self.text()[:20])}"><head><title>{m(self.text())}</title>'
            f'<meta name="author" content="{m(self.text())}">'
            f'<meta property="article:published_time" content="{m(str(self.date()))}">'
            f'<meta property="og:url" content="https://example.org/{m(self.text())}">'
            f'<script type="application/ld+json">{ld}</script></head>'
            f'<body><article data-x="{m(self.text())}"><h1>{m(self.text())}</h1>{paragraphs}</article></body></html>'
        )
        return page.encode("utf-8", "surrogatepass")

    def _warc(self) -> bytes:
        html = self._html()
        http = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset="
            + self.text()[:30].encode("utf-8", "surrogatepass")
            + b"\r\nX-Hostile: "
            + self.text()[:200].encode("utf-8", "surrogatepass")
            + b"\r\nContent-Length: "
            + str(len(html)).encode()
            + b"\r\n\r\n"
            + html
        )
        uri = ("https://example.org/" + self.text()[:200]).encode("utf-8", "surrogatepass")
        headers = (
            b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%d>\r\n" % self.serial
            + b"WARC-Date: "
            + str(self.date()).encode("utf-8", "surrogatepass")
            + b"\r\nWARC-Target-URI: "
            + uri
            + b"\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: "
            + str(len(http)).encode()
            + b"\r\n\r\n"
        )
        return headers + http + b"\r\n\r\n"

    def _text(self) -> bytes:
        text = f"{self.text()}\n\n{self.body()}\n\nAdvertisement\n\n{self.text()}\n"
        codec = self.rng.choice(["utf-8", "utf-8", "cp1252", "utf-16"])
        return text.encode(codec, "surrogatepass" if codec != "cp1252" else "replace")


def write_items(folder: Path, items: list[HostileItem]) -> list[Path]:
    """Write items under `folder` with their (possibly non-UTF-8) names; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in items:
        path = os.path.join(os.fsencode(folder), item.name)
        with open(path, "wb") as handle:
            handle.write(item.content)
        paths.append(Path(os.fsdecode(path)))
    return paths
