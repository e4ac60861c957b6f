"""ECB+ development articles as newsflow articles (detokenised text, gold story per file)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from transforms.ids import stable_id

_TOKEN_RE = re.compile(r'<token t_id="\d+" sentence="(\d+)" number="\d+">([^<]*)</token>')
_NO_SPACE_BEFORE = {
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    ")",
    "]",
    "%",
    "'s",
    "n't",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
    "'",
}
_NO_SPACE_AFTER = {"(", "[", "$", "#"}
# "1 , 500", "6 . 1" and "11 : 10" are tokenisation, not text
_NUMBER_GAP_RE = re.compile(r"(?<=\d)(,) (?=\d{3}\b)|(?<=\d)([.:]) (?=\d)")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}


def default_dir() -> Path:
    return Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus-dev"


def detokenise(tokens: list[str]) -> str:
    """Tokens back to running text: no space before punctuation, quotes hug their words."""
    out: list[str] = []
    quote_open = False
    glue_next = False
    for raw in tokens:
        token = raw
        for entity, char in _ENTITIES.items():
            token = token.replace(entity, char)
        if token in {"``", "''", '"'}:
            is_open = token == "``" or (token == '"' and not quote_open)
            quote_open = is_open
            if is_open:
                out.append((" " if out else "") + '"')
                glue_next = True
            else:
                out.append('"')
            continue
        if token == "-" and out:
            out.append("-")
            glue_next = True
            continue
        space = "" if (not out or glue_next or token in _NO_SPACE_BEFORE or token.startswith("'")) else " "
        out.append(space + token)
        glue_next = token in _NO_SPACE_AFTER
    # "1 , 500" and "$ 160" are tokenisation, not text
    return _NUMBER_GAP_RE.sub(r"\1\2", "".join(out))


def _join(lines: list[str]) -> str:
    """Leading lines without end punctuation (headline, dateline) stay lines; the rest is running text."""
    head = 0
    while head < len(lines) - 1 and not re.search(r"[.!?\"']$", lines[head]):
        head += 1
    return "\n".join([*lines[:head], " ".join(lines[head:])])


def load(root: Path | None = None) -> pd.DataFrame:
    """One row per file: article_id, doc_id, file, topic, gold, title, body, outlet, published_at."""
    root = root or default_dir()
    rows = []
    for path in sorted(root.glob("*/*.xml")):
        sentences: dict[int, list[str]] = {}
        for sentence, token in _TOKEN_RE.findall(path.read_text(encoding="utf-8")):
            sentences.setdefault(int(sentence), []).append(token)
        lines = [detokenise(sentences[k]) for k in sorted(sentences)]
        lines = [line for line in lines if not line.startswith("http")]  # the source URL is metadata
        topic = path.parent.name
        kind = "ecbplus" if path.name.endswith("ecbplus.xml") else "ecb"
        rows.append(
            {
                "article_id": stable_id("ecbplus", path.name),
                "doc_id": stable_id("ecbplus-doc", path.name),
                "file": path.name,
                "topic": topic,
                "gold": f"{topic}_{kind}",
                "title": lines[0] if lines else "",
                "body": _join(lines),
                "outlet": path.stem,
                "published_at": pd.NaT,
            }
        )
    frame = pd.DataFrame(rows)
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return frame
