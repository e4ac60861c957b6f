"""WARC archives: every HTML response record becomes an article (warcio reads the records)."""

from __future__ import annotations

import io

from transforms.parsing.decode import to_text
from transforms.parsing.errors import ParseLimits, Quarantined, entry_failure
from transforms.parsing.html import parse_html


def parse_warc(data: bytes, limits: ParseLimits) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """(articles, rejected records); item_index counts response records in archive order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    articles: list[dict] = []
    rejects: list[tuple[int, str, str]] = []
    index = -1
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response":
                continue
            index += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            try:
                article = _response(record, url, limits)
            except Quarantined as exc:
                rejects.append((index, exc.reason, f"{url}: {exc.detail}"))
                continue
            except Exception as exc:  # one record's surprise must not take the archive's others with it
                reason, detail = entry_failure(exc)
                rejects.append((index, reason, f"{url}: {detail}"))
                continue
            article.update(item_index=index, source_format="warc")
            articles.append(article)
    except ArchiveLoadFailed as exc:
        if not articles and not rejects:
            raise Quarantined("malformed_warc", str(exc)[:200]) from None
        rejects.append((index + 1, "truncated", str(exc)[:200]))
    except Exception as exc:  # warcio raises assorted errors (AttributeError, ValueError...) on bad input
        if not articles and not rejects:
            raise Quarantined("malformed_warc", f"{type(exc).__name__}: {exc}"[:200]) from None
        rejects.append((index + 1, "truncated", f"{type(exc).__name__}: {exc}"[:200]))
    if not articles and not rejects:
        raise Quarantined("empty", "no response records")
    return articles, rejects


def _response(record, url: str | None, limits: ParseLimits) -> dict:
    http = record.http_headers
    status = http.get_statuscode() if http else None
    if status and not str(status).startswith("2"):
        raise Quarantined("http_error", f"status {status}")
    ctype = (http.get_header("Content-Type") if http else "") or ""
    if ctype and "html" not in ctype.lower():
        raise Quarantined("unsupported_media", ctype)
    payload = record.content_stream().read(limits.max_decompressed_bytes + 1)
    if len(payload) > limits.max_decompressed_bytes:
        raise Quarantined("too_large", f"response larger than {limits.max_decompressed_bytes} bytes")
    text = to_text(payload)
    return parse_html(text, limits, url=url)[0]
