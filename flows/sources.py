"""Fetching feeds: I/O behind a small interface, so that transforms stay pure and tests stay offline.

`HttpFeedSource` fetches http/https only, with time-outs, a size cap and redirects limited to
http/https; `OfflineFeedSource` serves stored bytes (a mapping or a folder) for tests and replays.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urljoin, urlsplit

import pandas as pd

ALLOWED_SCHEMES = frozenset({"http", "https"})


class FetchError(Exception):
    """A feed that could not be fetched, with a stable reason slug (unsafe_url, too_large, ...)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class FeedSource(Protocol):
    def fetch(self, url: str) -> bytes: ...


def check_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host; FetchError("unsafe_url") otherwise."""
    try:
        parts = urlsplit(url.strip())
    except (ValueError, AttributeError):
        raise FetchError("unsafe_url", repr(url)) from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        raise FetchError("unsafe_url", f"only http/https URLs are fetched: {url[:200]}")
    return url.strip()


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most `max_redirects` redirects, and only to http/https."""

    def __init__(self, max_redirects: int) -> None:
        super().__init__()
        self.max_repeats = self.max_redirections = max_redirects

    def http_error_302(self, req, fp, code, msg, headers):
        # Checked here, before urllib's own handling, which would also allow ftp:// targets.
        target = urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        try:
            check_url(target)
        except FetchError:
            raise FetchError("unsafe_redirect", f"{req.full_url} -> {target[:200]}") from None
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class HttpFeedSource:
    """Fetch over HTTP(S) with a time-out, a size cap and safe redirects (standard library only)."""

    def __init__(
        self,
        timeout: float = 10.0,
        max_bytes: int = 50 * 2**20,
        max_redirects: int = 5,
        user_agent: str = "newsflow/0.1 (+https://github.com/newsflow)",
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        # No ProxyHandler from the environment and no file:/ftp:/data: handlers: only HTTP(S) openers.
        self._opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.HTTPHandler(),
            urllib.request.HTTPSHandler(),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
            _SafeRedirects(max_redirects),
        ):
            self._opener.add_handler(handler)

    def fetch(self, url: str) -> bytes:
        request = urllib.request.Request(check_url(url), headers={"User-Agent": self.user_agent})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError("too_large", f"Content-Length {declared} > {self.max_bytes}")
                data = response.read(self.max_bytes + 1)
        except FetchError:
            raise
        except urllib.error.HTTPError as exc:
            raise FetchError("http_error", f"HTTP {exc.code} for {url}") from None
        except TimeoutError:
            raise FetchError("timeout", f"no answer within {self.timeout}s: {url}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise FetchError("timeout", f"no answer within {self.timeout}s: {url}") from None
            raise FetchError("unreachable", f"{url}: {reason}") from None
        if len(data) > self.max_bytes:
            raise FetchError("too_large", f"more than {self.max_bytes} bytes from {url}")
        return data


class OfflineFeedSource:
    """Stored feeds: a mapping url -> bytes, or a folder holding one file per URL (URL-quoted name)."""

    def __init__(self, feeds: Mapping[str, bytes] | None = None, folder: Path | str | None = None) -> None:
        self.feeds = dict(feeds or {})
        self.folder = Path(folder) if folder is not None else None

    def fetch(self, url: str) -> bytes:
        check_url(url)
        if url in self.feeds:
            return self.feeds[url]
        if self.folder is not None:
            path = self.folder / quote(url, safe="")
            if path.is_file():
                return path.read_bytes()
        raise FetchError("not_found", f"no stored copy of {url}")


def fetch_all(source: FeedSource, urls: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fetch every URL once: (raw items as parse_documents reads them, failures with a reason).

    raw: doc_id (sha256 of the bytes), source_uri, content; failures: source_uri, reason, detail.
    """
    from transforms.ids import sha256_hex

    rows: list[tuple[str, str, bytes]] = []
    failures: list[tuple[str, str, str]] = []
    for url in dict.fromkeys(urls):
        try:
            data = source.fetch(url)
        except FetchError as exc:
            failures.append((url, exc.reason, exc.detail))
            continue
        rows.append((sha256_hex(data), url, data))
    raw = pd.DataFrame(rows, columns=["doc_id", "source_uri", "content"])
    return raw, pd.DataFrame(failures, columns=["source_uri", "reason", "detail"])
