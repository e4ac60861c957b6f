"""Raw items → article records (minimal text-only version)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from transforms.ids import sha256_hex, stable_id


@dataclass(frozen=True)
class ParseLimits:
    max_bytes: int = 50 * 2**20
    max_decompressed_bytes: int = 200 * 2**20
    max_html_depth: int = 500
    max_feed_entries: int = 5000


class Quarantined(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class ParseResult:
    articles: pd.DataFrame
    rejects: pd.DataFrame
    media_types: dict[str, str] = field(default_factory=dict)


def parse_document(
    data: bytes, source_uri: str, limits: ParseLimits = ParseLimits()
) -> tuple[str, list[dict]]:
    if not data.strip():
        raise Quarantined("empty", "no content")
    if len(data) > limits.max_bytes:
        raise Quarantined("too_large", f"{len(data)} bytes > {limits.max_bytes}")
    if b"\x00" in data:
        raise Quarantined("binary", "NUL bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Quarantined("undecodable", str(exc)) from exc
    body = text.strip()
    return "text", [
        {
            "title": None,
            "byline": [],
            "outlet": None,
            "url": None,
            "published_at": None,
            "published_tz": None,
            "updated_at": None,
            "published_at_source": "unknown",
            "dateline": None,
            "language": "en",
            "body": body,
            "boilerplate": [],
        }
    ]


def parse_documents(raw: pd.DataFrame, limits: ParseLimits = ParseLimits()) -> ParseResult:
    rows: list[dict] = []
    rejects: list[dict] = []
    media: dict[str, str] = {}
    for doc_id, uri, content in zip(raw["doc_id"], raw["source_uri"], raw["content"], strict=True):
        try:
            fmt, items = parse_document(content, uri, limits)
        except Quarantined as exc:
            rejects.append({"doc_id": doc_id, "item_index": -1, "reason": exc.reason, "detail": exc.detail})
            media[doc_id] = "unknown"
            continue
        media[doc_id] = fmt
        for index, item in enumerate(items):
            body = item["body"]
            rows.append(
                {
                    **item,
                    "article_id": stable_id(doc_id, index),
                    "doc_id": doc_id,
                    "item_index": index,
                    "source_format": fmt,
                    "word_count": len(body.split()),
                    "content_hash": sha256_hex(" ".join(body.lower().split()).encode()),
                }
            )
    articles = pd.DataFrame(rows)
    if articles.empty:
        articles = pd.DataFrame(columns=["article_id", "doc_id", "item_index", "body"])
    for col in ("published_at", "updated_at"):
        if col in articles:
            articles[col] = pd.to_datetime(articles[col], utc=True)
    return ParseResult(
        articles=articles,
        rejects=pd.DataFrame(rejects, columns=["doc_id", "item_index", "reason", "detail"]),
        media_types=media,
    )
