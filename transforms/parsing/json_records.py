"""JSON and JSONL exports of news APIs: the common field names (table `patterns/json_fields.tsv`),
nested `source.name`, article lists under `articles` / `items` / `data` / `results`."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pandas as pd

from transforms.boilerplate import strip_furniture
from transforms.page_metadata import detect_language, load_table, split_authors
from transforms.parsing.errors import ParseLimits, Quarantined, entry_failure
from transforms.parsing.feeds import is_safe_url
from transforms.parsing.html import html_to_text, parse_iso_time
from transforms.safe_text import as_repairs, safe_text, safe_value

# News APIs that cut the text mark the cut with the count of missing characters ("… [+1234 chars]").
_TRUNCATION_MARK = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")
_LIST_KEYS = (
    "articles",
    "items",
    "data",
    "results",
    "entries",
    "stories",
    "news",
    "docs",
    "hits",
    "response",
)


@lru_cache(maxsize=1)
def _fields() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for row in load_table("json_fields"):
        table.setdefault(row["column"], []).append(row["field"])
    return {column: tuple(fields) for column, fields in table.items()}


def _loads(text: str, where: str = "") -> object:
    try:
        return json.loads(text)
    except RecursionError:
        raise Quarantined("too_deep", f"{where}JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        # Running out of input (inside a string, or where a value or delimiter was due) is truncation.
        at_end = exc.pos >= len(text.rstrip()) and exc.msg.startswith("Expecting")
        truncated = at_end or exc.msg.startswith("Unterminated string")
        reason = "truncated" if truncated else "malformed_json"
        raise Quarantined(reason, f"{where}line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def records_of(data: object, depth: int = 0) -> list[object]:
    """The article records of a JSON document: a list, a wrapper with a list, or one article."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            value = data.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict) and depth < 3:
                inner = records_of(value, depth + 1)
                if inner and inner != [value]:
                    return inner
        return [data]
    raise Quarantined("wrong_types", f"top-level JSON value is {type(data).__name__}, not an object or list")


def parse_json(text: str, limits: ParseLimits) -> tuple[list[dict], list[tuple[int, str, str]]]:
    records = records_of(_loads(text))
    return _records(list(enumerate(records)), limits)


def parse_jsonl(text: str, limits: ParseLimits) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """One record per non-blank line; a bad line is one rejected item, not the whole file."""
    items: list[tuple[int, object]] = []
    rejects: list[tuple[int, str, str]] = []
    lines = [line for line in text.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        try:
            items.append((index, _loads(line, f"record {index}: ")))
        except Quarantined as exc:
            reason = "malformed_json" if exc.reason == "truncated" and index < len(lines) - 1 else exc.reason
            rejects.append((index, reason, exc.detail))
    articles, more = _records(items, limits)
    if not articles and rejects and not more and len(rejects) == len(lines):
        raise Quarantined(rejects[0][1], f"no valid record; {rejects[0][2]}")
    return articles, rejects + more


def _records(
    items: list[tuple[int, object]], limits: ParseLimits
) -> tuple[list[dict], list[tuple[int, str, str]]]:
    articles: list[dict] = []
    rejects: list[tuple[int, str, str]] = []
    for index, record in items:
        record, changes = safe_value(record)  # JSON values enter here: "\ud800" escapes, "\u0000"...
        try:
            article = record_to_article(record, index, limits)
        except Quarantined as exc:
            rejects.append((index, exc.reason, safe_text(exc.detail)[0]))
            continue
        except Exception as exc:  # one record's surprise must not take the file's other records with it
            rejects.append((index, *entry_failure(exc)))
            continue
        article["item_index"] = index
        article["repairs"] = as_repairs("record", changes)
        articles.append(article)
    return articles, rejects


def _get(record: dict, path: str) -> object:
    value: object = record
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _pick(
    record: dict, column: str, kinds: tuple[type, ...] = (str, int, float)
) -> tuple[str | None, object]:
    """(field name, value) of the first present field for `column` whose value has one of `kinds`;
    failing that, the first present field (so that a wrong type is reported, not ignored)."""
    first: tuple[str | None, object] = (None, None)
    for field in _fields()[column]:
        value = _get(record, field)
        if value is None or value == "" or value == [] or value == {}:
            continue
        if isinstance(value, kinds) and not isinstance(value, bool):
            return field, value
        if first[0] is None:
            first = (field, value)
    return first


def record_to_article(record: object, index: int, limits: ParseLimits) -> dict:
    """One article from one record; wrong value types are reported precisely, not guessed."""
    if not isinstance(record, dict):
        raise Quarantined("wrong_types", f"record {index} is {type(record).__name__}, not an object")
    field, body = _pick(record, "body", (str,))
    if body is None:
        raise Quarantined("empty_body", f"record {index} has no body/text/content/description field")
    if not isinstance(body, str):
        raise Quarantined("wrong_types", f"record {index}: '{field}' is {type(body).__name__}, not a string")
    body = html_to_text(body, limits) if "<" in body and ">" in body else body.strip()
    body = _TRUNCATION_MARK.sub("", body)
    _, language = _pick(record, "language", (str,))
    language = language.split("-")[0].lower() if isinstance(language, str) else detect_language(body)
    body, furniture = strip_furniture(body, language)
    if not body:
        raise Quarantined("empty_body", f"record {index}: '{field}' is blank")
    title = _scalar_text(record, "title", index)
    url = _scalar_text(record, "url", index)
    if url and not is_safe_url(url):
        raise Quarantined("unsafe_url", f"record {index}: {url[:200]}")
    published = _time(record, "published", index)
    updated = _time(record, "updated", index)
    _, source = _pick(record, "source", (str,))
    outlet = source if isinstance(source, str) else None
    author_field, author = _pick(record, "author", (str, list, dict))
    byline = split_authors(author)
    fields = {
        "title": _pick(record, "title")[0],
        "byline": author_field,
        "published_at": _pick(record, "published")[0],
        "updated_at": _pick(record, "updated")[0],
    }
    found = {"title": title, "byline": byline, "published_at": published, "updated_at": updated}
    return {
        "source_format": "json",
        "outlet": outlet,
        "url": url,
        "title": title,
        "byline": byline,
        "published_at": published[0] if published else None,
        "published_tz": published[1] if published else None,
        "updated_at": updated[0] if updated else None,
        "published_at_source": "metadata" if published else "unknown",
        "metadata_sources": {k: f"json:{fields[k]}" for k, v in found.items() if v},
        "dateline": None,
        "language": language,
        "body": body,
        "boilerplate": furniture,
    }


def _scalar_text(record: dict, column: str, index: int) -> str | None:
    field, value = _pick(record, column)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Quarantined("wrong_types", f"record {index}: '{field}' is {type(value).__name__}, not a string")
    return str(value).strip() or None


def _time(record: dict, column: str, index: int) -> tuple[pd.Timestamp, str | None] | None:
    """ISO strings keep their written offset; numbers are Unix seconds (or milliseconds when huge)."""
    field, value = _pick(record, column)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Quarantined("wrong_types", f"record {index}: '{field}' is {type(value).__name__}, not a time")
    if isinstance(value, int | float):
        unit = "ms" if abs(value) > 1e11 else "s"
        try:
            return pd.Timestamp(value, unit=unit, tz="UTC").as_unit("us"), "UTC"
        except (ValueError, OverflowError):
            raise Quarantined("wrong_types", f"record {index}: '{field}' = {value} is not a time") from None
    return parse_iso_time(value)
