"""Read TimeML (.tml) files: plain text of <TEXT>, gold TIMEX3s with offsets, and the DCT."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')


@dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    dct: pd.Timestamp | None
    timexes: list[dict]  # start, end, text, type, value


def read_tml(path: Path) -> Document:
    raw = path.read_text(encoding="utf-8")
    dct = None
    if m := re.search(r"<DCT>\s*<TIMEX3([^>]*)>", raw):
        value = dict(_ATTR.findall(m[1])).get("value", "")
        dct = pd.Timestamp(value[:10], tz="UTC") if re.match(r"\d{4}-\d\d-\d\d", value) else None
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    text_parts: list[str] = []
    length = 0
    open_timex: tuple[int, dict] | None = None
    timexes: list[dict] = []
    source = body[1] if body else ""
    pos = 0
    for tag in _TAG.finditer(source):
        chunk = html.unescape(source[pos : tag.start()])
        text_parts.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, name, attrs = tag[1] == "/", tag[2], tag[3]
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)))
        elif open_timex is not None:
            start, found = open_timex
            timexes.append(
                {
                    "start": start,
                    "end": length,
                    "type": found.get("type", ""),
                    "value": found.get("value", ""),
                }
            )
            open_timex = None
    tail = html.unescape(source[pos:])
    text_parts.append(tail)
    text = "".join(text_parts)
    for t in timexes:
        t["text"] = text[t["start"] : t["end"]]
    return Document(path.stem, text, dct, timexes)


def read_corpus(folder: Path) -> list[Document]:
    return [read_tml(p) for p in sorted(folder.glob("*.tml"))]
