"""Article languages on fundus-dev: the recorded language against the language of each page.

Each page is read as HTML and as a page-text dump (`benchmarks/_pages.py`). The gold language is
the one of the publisher's country folder, except for the publishers below, which write in another
one (checked by reading their pages). Printed: pages right, for the language newsflow records
(`transforms/language.py`) and for the parser's own value before that decision (the declared
language, else the stop-word guess), and every page either gets wrong.

    python benchmarks/languages.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._pages import fundus_pages, page_text  # noqa: E402
from transforms.language import article_language, normalise  # noqa: E402
from transforms.parsing.errors import ParseLimits  # noqa: E402
from transforms.parsing.html import parse_html  # noqa: E402
from transforms.parsing.text_dump import parse_text_dump  # noqa: E402

BY_COUNTRY = {
    **dict.fromkeys(["au", "ca", "ls", "my", "na", "uk", "us", "za"], "en"),
    **dict.fromkeys(["at", "ch", "de"], "de"),
    **{"be": "nl", "dk": "da", "es": "es", "fr": "fr", "id": "id", "it": "it", "jp": "ja", "kr": "ko"},
    **{"no": "no", "pl": "pl", "pt": "pt", "ru": "ru", "se": "sv", "tr": "tr", "tw": "zh", "ua": "uk"},
}
BY_PUBLISHER = {  # publishers writing in another language than their country folder's
    "MallorcaZeitung": "de",
    "Tageszeitung": "de",  # South Tyrol
    "TheJapanNews": "en",
    "ThePortugalNews": "en",
    "TaipeiTimes": "en",
    "Pravda": "ru",  # the Russian edition
    "EyethuNews": "zu",
    "Ilanga": "zu",
}


def main() -> None:
    right: Counter = Counter()
    wrong: list[tuple] = []
    seconds = 0.0
    pages = fundus_pages()
    for page in pages:
        gold = BY_PUBLISHER.get(page.publisher) or BY_COUNTRY[page.language_hint]
        for kind in ("html", "text"):
            found = parse_html(page.html, ParseLimits(), page.url) if kind == "html" else None
            found = found if kind == "html" else parse_text_dump(page_text(page.html))
            if not found or not found[0]["body"].strip():
                right[kind, "no body"] += 1
                continue
            parser, body = found[0]["language"], found[0]["body"]
            start = time.perf_counter()
            recorded = article_language(parser, body)
            seconds += time.perf_counter() - start
            right[kind, "pages"] += 1
            right[kind, "recorded"] += recorded == gold
            right[kind, "parser"] += normalise(parser) == gold
            if recorded != gold or normalise(parser) != gold:
                wrong.append((kind, page.page_id, gold, parser, recorded, body[:60].replace("\n", " ")))
    print(f"fundus-dev: {len(pages)} pages, {len(set(p.publisher for p in pages))} publishers")
    for kind in ("html", "text"):
        n = right[kind, "pages"]
        print(
            f"  {kind:4}: {n} with a body ({right[kind, 'no body']} without); right: recorded "
            f"{right[kind, 'recorded']}/{n}, parser's value {right[kind, 'parser']}/{n}"
        )
    print(f"  decision time: {seconds:.2f} s for {right['html', 'pages'] + right['text', 'pages']} bodies")
    print("pages either gets wrong (set, page, gold, parser, recorded, body):")
    for row in wrong:
        print("  ", *row)


if __name__ == "__main__":
    main()
