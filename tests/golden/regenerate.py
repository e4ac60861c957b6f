"""Regenerate the expected JSON beside every golden input (review the diff before committing).

python tests/golden/regenerate.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from transforms.ids import sha256_hex  # noqa: E402
from transforms.parsing import ARTICLE_COLUMNS, parse_documents  # noqa: E402

PARSING = HERE / "parsing"
EXPECTED_SUFFIX = ".expected.json"
FIELDS = [c for c in ARTICLE_COLUMNS if c not in ("article_id", "doc_id")]  # ids depend on the bytes


def inputs() -> list[Path]:
    return sorted(p for p in PARSING.iterdir() if p.is_file() and not p.name.endswith(EXPECTED_SUFFIX))


def expected_path(path: Path) -> Path:
    return path.with_name(path.name + EXPECTED_SUFFIX)


def _plain(value: object) -> object:
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is None or (not isinstance(value, list | str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def snapshot(path: Path) -> dict:
    """What parsing makes of one golden input, as JSON-ready data."""
    import pandas as pd

    content = path.read_bytes()
    raw = pd.DataFrame({"doc_id": [sha256_hex(content)], "source_uri": [path.name], "content": [content]})
    result = parse_documents(raw)
    articles = [{f: _plain(row[f]) for f in FIELDS} for _, row in result.articles.iterrows()]
    rejects = [
        {"item_index": int(r.item_index), "reason": r.reason} for r in result.rejects.itertuples(index=False)
    ]
    return {"media_type": result.media_types[sha256_hex(content)], "articles": articles, "rejects": rejects}


def main() -> None:
    for path in inputs():
        data = snapshot(path)
        expected_path(path).write_text(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        counts = f"{len(data['articles'])} articles, {len(data['rejects'])} rejects"
        print(f"{path.name}: {data['media_type']}, {counts}")


if __name__ == "__main__":
    main()
