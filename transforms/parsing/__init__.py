"""Raw items (bytes) to articles: format detection, decoding, one parser per format, rejects with reasons.

`parse_documents` never raises for a bad item and never loses one: every raw item ends with
articles, or with a reject row (`item_index = -1` for the whole item), or both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from transforms.dedup import fingerprint
from transforms.ids import stable_id
from transforms.language import article_language
from transforms.page_metadata import find_outlet
from transforms.parsing.decode import to_text, unwrap
from transforms.parsing.detect import detect_format
from transforms.parsing.errors import REASONS, ParseLimits, Quarantined
from transforms.parsing.feeds import _ENTITY_DECLARATION, parse_feed
from transforms.parsing.html import parse_html
from transforms.parsing.json_records import parse_json, parse_jsonl
from transforms.parsing.text_dump import first_agency, first_dateline, parse_text_dump
from transforms.parsing.warc import parse_warc
from transforms.safe_text import as_repairs, safe_record, safe_text

__all__ = [
    "REASONS",
    "ParseLimits",
    "ParseResult",
    "ParsedRows",
    "Quarantined",
    "parse_document",
    "parse_documents",
    "parse_rows",
    "result_of",
]

ARTICLE_COLUMNS = [
    "article_id",
    "doc_id",
    "item_index",
    "source_format",
    "outlet",
    "url",
    "title",
    "byline",
    "published_at",
    "published_tz",
    "updated_at",
    "published_at_source",
    "metadata_sources",
    "dateline",
    "language",
    "body",
    "word_count",
    "content_hash",
    "boilerplate",
]
# Every text field of an article record: each is made safe once, as the record leaves its parser.
_TEXT_FIELDS = (
    "outlet",
    "url",
    "title",
    "byline",
    "published_tz",
    "dateline",
    "language",
    "body",
    "boilerplate",
)
REJECT_COLUMNS = ["doc_id", "item_index", "reason", "detail"]
SIGNATURE_COLUMNS = ["article_id", "content_hash", "minhash"]
REPAIR_COLUMNS = ["article_id", "field", "repair", "count"]


@dataclass
class ParseResult:
    """articles: ARTICLE_COLUMNS, one row per article; rejects: REJECT_COLUMNS (item_index -1 = the
    whole item); media_types: doc_id -> detected format (text/html/rss/atom/json/jsonl/warc/unknown);
    signatures: SIGNATURE_COLUMNS, the articles' dedup fingerprints (`transforms.dedup.signatures`);
    repairs: REPAIR_COLUMNS, what `transforms.safe_text` changed in the articles' fields."""

    articles: pd.DataFrame
    rejects: pd.DataFrame
    media_types: dict[str, str] = field(default_factory=dict)
    signatures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SIGNATURE_COLUMNS))
    repairs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REPAIR_COLUMNS))


@dataclass
class ParsedRows:
    """parse_rows' output: article dicts, reject tuples, media types by doc_id."""

    articles: list[dict]
    rejects: list[tuple[str, int, str, str]]
    media_types: dict[str, str]


def parse_document(
    content: bytes,
    source_uri: str = "",
    limits: ParseLimits = ParseLimits(),  # noqa: B008 (frozen)
) -> tuple[str, list[dict], list[tuple[int, str, str]]]:
    """(detected format, article records, rejected entries) of one raw item.

    Raises Quarantined when the whole item cannot be parsed. Records carry `item_index`.
    """
    data = unwrap(content, limits)
    kind = detect_format(data, source_uri)
    try:
        articles, rejects = _parse(kind, data, source_uri, limits)
    except Quarantined as exc:
        exc.media_type = kind  # keep what was detected for raw_documents.media_type
        raise
    for position, article in enumerate(articles):
        article.setdefault("item_index", position)
        _fill_from_text(article)
        # What the item declares (or the page-wide guess the parser's rules used), checked on the body.
        article["language"] = article_language(article.get("language"), article["body"])
    return kind, articles, rejects


def _fill_from_text(article: dict) -> None:
    """Fields every format can take from the text: the dateline opening the body, the outlet of the URL."""
    if not article.get("dateline"):
        article["dateline"] = first_dateline(article["body"].split("\n"))
    if not article.get("outlet"):
        lines = article["body"].split("\n")
        article["outlet"] = (find_outlet([article["url"]]) if article.get("url") else None) or first_agency(
            lines
        )


def _parse(kind: str, data: bytes, source_uri: str, limits: ParseLimits):
    if kind == "warc":
        return parse_warc(data, limits)
    if kind in ("rss", "atom"):
        return parse_feed(data, limits)
    if kind == "html" and _ENTITY_DECLARATION.search(data[:65536]):
        # HTML never declares entities; an XML document that does is an expansion-bomb risk.
        raise Quarantined("unsafe_xml", "entity declarations in a markup document")
    text = to_text(data)
    if not text.strip():
        raise Quarantined("empty", "only whitespace after decoding")
    if kind == "json":
        return parse_json(text, limits)
    if kind == "jsonl":
        return parse_jsonl(text, limits)
    text, changes = safe_text(text)  # a page's text enters here (JSON values enter as records are read)
    url = source_uri if source_uri.startswith(("http://", "https://")) else None
    articles = parse_html(text, limits, url=url) if kind == "html" else parse_text_dump(text)
    if not articles[0]["body"].strip():
        raise Quarantined("empty_body", f"no article text found in the {kind} page")
    articles[0]["repairs"] = as_repairs("content", changes)
    return articles, []


def parse_documents(raw: pd.DataFrame, limits: ParseLimits = ParseLimits()) -> ParseResult:  # noqa: B008
    """Parse every raw item (doc_id, source_uri, content) into articles and rejects."""
    return result_of([parse_rows(raw, limits)])


def parse_rows(raw: pd.DataFrame, limits: ParseLimits = ParseLimits()) -> ParsedRows:  # noqa: B008
    """The rows of `parse_documents` before they become frames (cheap to send between processes)."""
    rows: list[dict] = []
    rejects: list[tuple[str, int, str, str]] = []
    media_types: dict[str, str] = {}
    uris = raw["source_uri"] if "source_uri" in raw else pd.Series([""] * len(raw), index=raw.index)
    for doc_id, uri, content in zip(raw["doc_id"], uris, raw["content"], strict=True):
        if doc_id in media_types:  # same bytes twice in a batch: one set of articles (stable ids)
            rejects.append((doc_id, -1, "duplicate_document", "doc_id already parsed in this batch"))
            continue
        try:
            kind, articles, item_rejects = parse_document(content, str(uri or ""), limits)
        except Quarantined as exc:
            media_types[doc_id] = getattr(exc, "media_type", "unknown")
            rejects.append((doc_id, -1, exc.reason, safe_text(str(exc.detail or ""))[0]))
            continue
        except Exception as exc:  # a parser bug must not stop the batch: the item is quarantined
            media_types[doc_id] = "unknown"
            rejects.append((doc_id, -1, "parser_error", _error_detail(exc)))
            continue
        media_types[doc_id] = kind
        rejects.extend(
            (doc_id, index, reason, safe_text(str(detail))[0]) for index, reason, detail in item_rejects
        )
        for article in articles:
            article["doc_id"] = doc_id
            article["body"] = str(article["body"])
            # Before any step sees the text; what the parser already repaired as the text entered comes first.
            article["repairs"] = [*article.get("repairs", ()), *safe_record(article, _TEXT_FIELDS)]
            article["content_hash"], article["minhash"] = fingerprint(article["body"])
            rows.append(article)
        if not articles and not item_rejects:
            rejects.append((doc_id, -1, "no_articles", f"no article found in the {kind} item"))
    return ParsedRows(rows, rejects, media_types)


def _error_detail(exc: BaseException) -> str:
    return safe_text(f"{type(exc).__name__}: {exc}"[:300])[0]


def result_of(parts: list[ParsedRows]) -> ParseResult:
    """One ParseResult from the rows of consecutive chunks of a batch, in their order."""
    rows = [row for part in parts for row in part.articles]
    rejects = [reject for part in parts for reject in part.rejects]
    media_types: dict[str, str] = {}
    for part in parts:
        media_types.update(part.media_types)
    try:
        articles = _articles_frame(rows)
    except Exception:  # one record the frame cannot hold must not take the batch with it
        rows, failed = _frameable_rows(rows)
        rejects.extend(failed)
        articles = _articles_frame(rows)
    signatures = pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "content_hash": articles["content_hash"].to_numpy(),
            "minhash": [row["minhash"] for row in rows],
        },
        columns=SIGNATURE_COLUMNS,
    )
    repairs = pd.DataFrame(
        [
            (article_id, name, kind, count)
            for article_id, row in zip(articles["article_id"], rows, strict=True)
            for name, kind, count in row.get("repairs") or ()
        ],
        columns=REPAIR_COLUMNS,
    )
    return ParseResult(articles, _rejects_frame(rejects), media_types, signatures, repairs)


def _frameable_rows(rows: list[dict]) -> tuple[list[dict], list[tuple[str, int, str, str]]]:
    """(rows that make a frame on their own, reject rows for the others: step and error class)."""
    kept, failed = [], []
    for row in rows:
        try:
            _articles_frame([row])
        except Exception as exc:
            failed.append(
                (row.get("doc_id"), int(row.get("item_index", 0)), "parse_failed", _error_detail(exc))
            )
        else:
            kept.append(row)
    return kept, failed


def _articles_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[c for c in ARTICLE_COLUMNS if c not in ("article_id", "word_count")])
    frame["item_index"] = frame["item_index"].astype("int32")
    frame.insert(
        0, "article_id", [stable_id(d, i) for d, i in zip(frame["doc_id"], frame["item_index"], strict=True)]
    )
    frame["body"] = frame["body"].astype(str)
    frame["word_count"] = frame["body"].str.count(r"\w+").astype("int32")
    for column in ("published_at", "updated_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True).astype("datetime64[us, UTC]")
    for column in ("byline", "boilerplate"):
        frame[column] = [list(v) if isinstance(v, list | tuple) else [] for v in frame[column]]
    frame["published_at_source"] = frame["published_at_source"].fillna("unknown")
    frame["metadata_sources"] = [sources_json(v) for v in frame["metadata_sources"]]
    return frame[ARTICLE_COLUMNS].reset_index(drop=True)


def sources_json(value: object) -> str:
    """Where each metadata field came from ({"title": "json-ld", ...}) as the JSON the warehouse holds."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return "{}"
    return json.dumps({k: v for k, v in value.items() if v}, sort_keys=True, ensure_ascii=False)


def _rejects_frame(rows: list[tuple[str, int, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=REJECT_COLUMNS)
    frame["item_index"] = frame["item_index"].astype("int32")
    return frame
