"""Feed fetching through flows.sources: a real HTTP server on 127.0.0.1, redirects, limits, offline."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pandas as pd
import pytest

from flows.sources import FetchError, HttpFeedSource, OfflineFeedSource, fetch_all
from transforms.ids import sha256_hex
from transforms.parsing import parse_documents

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local Wire</title><language>en-gb</language>
<item><title>Council approves budget</title><link>https://local.example/budget</link>
<pubDate>Thu, 03 Jul 2025 18:51:00 +0100</pubDate>
<description>The city council approved the budget on Thursday after a long debate.</description>
</item></channel></rss>"""


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {
            "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, RSS),
            "/big": (200, {"Content-Type": "text/plain"}, b"x" * 5000),
            "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
            "/to-feed": (301, {"Location": "/feed.xml"}, b""),
        }
        status, headers, body = routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_fetched_feed_parses_into_articles(server):
    data = HttpFeedSource(timeout=5).fetch(f"{server}/feed.xml")
    raw = pd.DataFrame(
        {"doc_id": [sha256_hex(data)], "source_uri": [f"{server}/feed.xml"], "content": [data]}
    )
    result = parse_documents(raw)
    assert result.media_types[sha256_hex(data)] == "rss"
    row = result.articles.iloc[0]
    assert row["title"] == "Council approves budget"
    assert row["outlet"] == "Local Wire"
    assert row["published_at"] == pd.Timestamp("2025-07-03T17:51Z")
    assert row["language"] == "en"


def test_redirect_within_http_is_followed(server):
    assert HttpFeedSource(timeout=5).fetch(f"{server}/to-feed") == RSS


def test_redirect_to_file_scheme_is_refused(server):
    with pytest.raises(FetchError) as err:
        HttpFeedSource(timeout=5).fetch(f"{server}/to-file")
    assert err.value.reason == "unsafe_redirect"


def test_size_cap(server):
    with pytest.raises(FetchError) as err:
        HttpFeedSource(timeout=5, max_bytes=1000).fetch(f"{server}/big")
    assert err.value.reason == "too_large"


def test_http_error_and_unsafe_schemes(server):
    source = HttpFeedSource(timeout=5)
    with pytest.raises(FetchError) as err:
        source.fetch(f"{server}/missing")
    assert err.value.reason == "http_error"
    for url in ("file:///etc/passwd", "ftp://example.com/feed", "javascript:alert(1)", "/relative"):
        with pytest.raises(FetchError) as err:
            source.fetch(url)
        assert err.value.reason == "unsafe_url"


def test_timeout_on_silent_server():
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection but never answers
    try:
        with pytest.raises(FetchError) as err:
            HttpFeedSource(timeout=0.5).fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/feed")
        assert err.value.reason == "timeout"
    finally:
        listener.close()


def test_offline_source(tmp_path):
    from urllib.parse import quote

    url = "https://news.example/rss"
    (tmp_path / quote(url, safe="")).write_bytes(RSS)
    assert OfflineFeedSource(folder=tmp_path).fetch(url) == RSS
    assert OfflineFeedSource({url: b"abc"}).fetch(url) == b"abc"
    with pytest.raises(FetchError) as err:
        OfflineFeedSource().fetch(url)
    assert err.value.reason == "not_found"


def test_fetch_all_feeds_parse_documents(server):
    urls = [f"{server}/feed.xml", f"{server}/missing", "file:///etc/passwd", f"{server}/feed.xml"]
    raw, failures = fetch_all(HttpFeedSource(timeout=5), urls)
    assert raw["source_uri"].tolist() == [f"{server}/feed.xml"]
    assert failures["reason"].tolist() == ["http_error", "unsafe_url"]
    assert len(parse_documents(raw).articles) == 1
