"""One test per input format with real-looking inputs: RSS 2.0, Atom, JSON, JSONL, HTML, WARC."""

from __future__ import annotations

import io
import json

import pandas as pd

from tests.transforms.test_parsing_helpers import parse

BODY = (
    "The city council approved the new budget on Thursday after a debate that lasted into the night. "
    "Members said the plan would fund three new schools and repair the old bridge over the river."
)

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Riverside Gazette</title><link>https://gazette.example/</link><language>en-us</language>
  <item>
    <title>Council approves budget</title>
    <link>https://gazette.example/2025/07/budget?utm_source=rss</link>
    <dc:creator>Jane Doe</dc:creator>
    <pubDate>Thu, 03 Jul 2025 18:51:00 -0400</pubDate>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>{BODY}</p>
      <p>Second paragraph with <a href="#">a link</a>.</p>]]></content:encoded>
  </item>
  <item>
    <title>Bridge closed for repairs</title>
    <link>https://gazette.example/2025/07/bridge</link>
    <pubDate>Fri, 04 Jul 2025 08:00:00 GMT</pubDate>
    <description>&lt;p&gt;The old bridge will be closed for two weeks from Monday.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Sneaky</title><link>file:///etc/passwd</link><description>Nothing to see.</description>
  </item>
</channel></rss>""".encode()

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example Wire</title><id>urn:example:wire</id><updated>2025-07-04T00:43:00+05:30</updated>
  <entry>
    <title>Russia recognises Taliban government</title>
    <link href="https://wire.example/russia-taliban"/>
    <id>urn:example:1</id>
    <author><name>Bhawana Gariya</name></author>
    <published>2025-07-04T00:21:00+05:30</published>
    <updated>2025-07-04T00:43:00+05:30</updated>
    <content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content>
  </entry>
</feed>""".encode()


def test_rss_entries_with_content_summary_and_an_unsafe_link():
    result = parse({"gazette.rss": RSS})
    arts = result.articles
    assert list(result.media_types.values()) == ["rss"]
    assert len(arts) == 2
    first, second = arts.iloc[0], arts.iloc[1]
    assert first["title"] == "Council approves budget"
    assert first["byline"] == ["Jane Doe"]
    assert first["outlet"] == "Riverside Gazette"
    assert first["published_at"] == pd.Timestamp("2025-07-03T22:51Z")
    assert first["published_tz"] == "-0400"
    assert first["body"].startswith("The city council approved") and "Second paragraph" in first["body"]
    assert "<p>" not in first["body"]
    assert second["body"] == "The old bridge will be closed for two weeks from Monday."
    assert second["url"] == "https://gazette.example/2025/07/bridge"
    rejects = result.rejects
    assert rejects[["item_index", "reason"]].values.tolist() == [[2, "unsafe_url"]]
    assert set(arts["item_index"]) == {0, 1}


def test_atom_entry_keeps_written_offset():
    arts = parse({"wire.atom": ATOM}).articles
    row = arts.iloc[0]
    assert row["source_format"] == "atom"
    assert row["published_at"] == pd.Timestamp("2025-07-03T18:51Z")
    assert row["updated_at"] == pd.Timestamp("2025-07-03T19:13Z")
    assert row["published_tz"] == "+05:30"
    assert row["byline"] == ["Bhawana Gariya"]
    assert row["url"] == "https://wire.example/russia-taliban"
    assert row["language"] == "en"


def test_jsonl_export_with_news_api_fields_and_one_bad_line():
    records = [
        {
            "title": "Council approves budget",
            "content": BODY,
            "url": "https://gazette.example/budget",
            "publishedAt": "2025-07-03T22:51:00Z",
            "author": "Jane Doe, John Roe",
            "source": {"id": None, "name": "Riverside Gazette"},
        },
        {"headline": "Epoch time", "text": BODY, "date": 1751583060, "byline": "By Ann Lee"},
    ]
    lines = [json.dumps(r) for r in records] + ['{"title": "broken", "body": ']
    result = parse({"export.jsonl": "\n".join(lines).encode()})
    arts = result.articles
    assert arts["item_index"].tolist() == [0, 1]
    assert arts.iloc[0]["outlet"] == "Riverside Gazette"
    assert arts.iloc[0]["byline"] == ["Jane Doe", "John Roe"]
    assert arts.iloc[0]["published_at"] == pd.Timestamp("2025-07-03T22:51Z")
    assert arts.iloc[1]["title"] == "Epoch time"
    assert arts.iloc[1]["byline"] == ["Ann Lee"]
    assert arts.iloc[1]["published_at"] == pd.Timestamp(1751583060, unit="s", tz="UTC")
    assert result.rejects[["item_index", "reason"]].values.tolist() == [[2, "truncated"]]


def test_json_list_under_articles_key():
    doc = {"status": "ok", "articles": [{"title": "A", "description": BODY, "link": "https://a.example/x"}]}
    result = parse({"news.json": json.dumps(doc).encode()})
    assert result.media_types and list(result.media_types.values()) == ["json"]
    assert result.articles.iloc[0]["url"] == "https://a.example/x"


def test_html_page_uses_json_ld_and_meta():
    paragraphs = "".join(f"<p>{BODY} Paragraph {i} adds more detail about the vote.</p>" for i in range(4))
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><title>Budget | Riverside Gazette</title>
    <link rel="canonical" href="https://gazette.example/budget"/>
    <meta property="og:site_name" content="Riverside Gazette"/>
    <script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
      "headline":"Council approves budget","datePublished":"2025-07-04T00:21:00+05:30",
      "dateModified":"2025-07-04T00:43:00+05:30","author":[{{"@type":"Person","name":"Jane Doe"}}]}}</script>
    </head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
    <article><h1>Council approves budget</h1>{paragraphs}</article>
    <footer>Copyright 2025 Riverside Gazette</footer></body></html>"""
    row = parse({"page.html": html.encode()}).articles.iloc[0]
    assert row["source_format"] == "html"
    assert row["title"] == "Council approves budget"
    assert row["byline"] == ["Jane Doe"]
    assert row["published_at"] == pd.Timestamp("2025-07-03T18:51Z")
    assert row["published_tz"] == "+05:30"
    assert row["updated_at"] == pd.Timestamp("2025-07-03T19:13Z")
    assert row["outlet"] == "Riverside Gazette"
    assert row["url"] == "https://gazette.example/budget"
    assert row["language"] == "en"
    assert "Paragraph 3 adds more detail" in row["body"]
    assert "Home" not in row["body"] and "Copyright" not in row["body"]


def _warc(pages: list[tuple[str, str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, ctype, payload in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
        writer.write_record(record)
    return buffer.getvalue()


def test_warc_with_two_html_responses_and_an_image():
    def page(title: str) -> bytes:
        paras = "".join(f"<p>{BODY} {title} part {i}.</p>" for i in range(3))
        head = f"<html><head><title>{title}</title></head>"
        return f"{head}<body><article><h1>{title}</h1>{paras}</article></body></html>".encode()

    data = _warc(
        [
            ("https://a.example/one", "text/html; charset=utf-8", page("First story")),
            ("https://a.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
            ("https://a.example/two", "text/html", page("Second story")),
        ]
    )
    result = parse({"crawl.warc.gz": data})
    assert list(result.media_types.values()) == ["warc"]
    arts = result.articles
    assert arts["url"].tolist() == ["https://a.example/one", "https://a.example/two"]
    assert arts["item_index"].tolist() == [0, 2]
    assert "First story part 2" in arts.iloc[0]["body"]
    assert (arts["source_format"] == "warc").all()
    assert result.rejects[["item_index", "reason"]].values.tolist() == [[1, "unsupported_media"]]


def test_one_raw_item_many_articles_have_distinct_stable_ids():
    first = parse({"gazette.rss": RSS}).articles["article_id"].tolist()
    again = parse({"gazette.rss": RSS}).articles["article_id"].tolist()
    assert first == again and len(set(first)) == len(first)


def test_format_detected_from_content_not_extension():
    result = parse({"feed.txt": RSS, "page.dat": b"<html><body><p>" + BODY.encode() + b"</p></body></html>"})
    assert sorted(result.media_types.values()) == ["html", "rss"]


def test_html_without_metadata_falls_back_to_visible_byline_and_date():
    paragraphs = "".join(f"<p>{BODY} Part {i}.</p>" for i in range(3))
    html = (
        "<html><head><title>Vote | Gazette</title></head><body><article><h1>Vote held</h1>"
        f'<p class="byline">By Jane Doe</p><p>Published July 3, 2025</p>{paragraphs}</article></body></html>'
    )
    row = parse({"https://gazette.example/2025/07/03/vote": html.encode()}).articles.iloc[0]
    assert row["byline"] == ["Jane Doe"]
    assert row["published_at"] == pd.Timestamp("2025-07-03T00:00Z") and pd.isna(row["published_tz"])
    assert row["url"] == "https://gazette.example/2025/07/03/vote"


def test_guardian_and_nyt_api_shapes():
    guardian = {
        "response": {
            "status": "ok",
            "results": [
                {
                    "webTitle": "Council approves budget",
                    "webUrl": "https://www.theguardian.com/uk/2025/jul/03/budget",
                    "webPublicationDate": "2025-07-03T18:51:00Z",
                    "fields": {"bodyText": BODY, "byline": "Jane Doe"},
                }
            ],
        }
    }
    nyt = {
        "response": {
            "docs": [
                {
                    "headline": {"main": "Bridge closed", "kicker": None},
                    "lead_paragraph": BODY,
                    "web_url": "https://www.nytimes.com/2025/07/03/bridge.html",
                    "pub_date": "2025-07-03T18:51:00+0000",
                    "byline": {"original": "By Ann Lee and Tom Hart", "person": []},
                }
            ]
        }
    }
    result = parse({"g.json": json.dumps(guardian).encode(), "n.json": json.dumps(nyt).encode()})
    assert result.rejects.empty
    g, n = result.articles.iloc[0], result.articles.iloc[1]
    assert (g["title"], g["byline"], g["outlet"]) == ("Council approves budget", ["Jane Doe"], "The Guardian")
    assert (n["title"], n["byline"], n["outlet"]) == (
        "Bridge closed",
        ["Ann Lee", "Tom Hart"],
        "The New York Times",
    )
    assert g["published_at"] == n["published_at"] == pd.Timestamp("2025-07-03T18:51Z")


def test_feed_furniture_is_removed_and_kept_aside():
    content = f"<p>{BODY}</p><p>The post Council approves budget appeared first on Riverside Gazette.</p>"
    feed = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Gazette</title><item><title>T</title><link>https://g.example/1</link>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>"
    )
    row = parse({"f.rss": feed.encode()}).articles.iloc[0]
    assert row["body"] == BODY
    assert row["boilerplate"] == ["The post Council approves budget appeared first on Riverside Gazette."]


def test_text_opening_with_a_bracket_is_not_json():
    text = "[Updated] Russia recognises the Taliban\n\nThe Kremlin said on Thursday it accepted the envoy."
    result = parse({"a.txt": text.encode(), "b": text.encode()})
    assert result.rejects.empty
    assert set(result.media_types.values()) == {"text"}
    assert parse({"c.json": b"[Updated] nope"}).rejects["reason"].tolist() == ["malformed_json"]


def test_slightly_broken_feed_is_read_leniently():
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>AT&T Wire</title>'
        "<item><title>Q&A on the budget</title><link>https://w.example/1</link>"
        f"<description>{BODY}</description></item></channel></rss>"
    )
    result = parse({"w.rss": feed.encode()})
    assert result.rejects.empty
    assert result.articles.iloc[0]["body"] == BODY
