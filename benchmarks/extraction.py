"""Body extraction quality on `extraction-dev` (Zyte article-extraction benchmark pages).

Two modes: the HTML pages, and page-text dumps made from the same pages (the visible text of the
whole page, one block per line, as a browser's select-all + copy gives). Scorer: `\\w+` tokens,
4-token shingles, per-document precision and recall averaged over documents, F1 from the averages.

    python benchmarks/extraction.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.parsing import Quarantined, parse_document  # noqa: E402

REFERENCE = {
    "html": "trafilatura 2.0: 0.958, rs_trafilatura: 0.970 (full 181 pages)",
    "text": "(none published)",
}
_WORD = re.compile(r"\w+")
_INVISIBLE = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "iframe",
    "object",
    "canvas",
    "select",
)
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tr",
        "ul",
        "button",
        "label",
        "option",
    ]
)


def data_dir() -> Path:
    return Path(os.environ.get("NEWSFLOW_SHARED_DATA", ROOT.parent / "shared" / "data")) / "extraction-dev"


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _WORD.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 0)))


def precision_recall(predicted: str, gold: str) -> tuple[float, float]:
    pred, true = shingles(predicted), shingles(gold)
    tp = sum((pred & true).values())
    precision = tp / sum(pred.values()) if pred else (1.0 if not true else 0.0)
    recall = tp / sum(true.values()) if true else 1.0
    return precision, recall


def page_text(html: str) -> str:
    """Visible text of a whole page, one block per line (what select-all + copy gives)."""
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    for el in tree.xpath("|".join(f"//{tag}" for tag in _INVISIBLE)):
        el.drop_tree()
    for el in tree.xpath(
        "//*[@hidden or @aria-hidden='true' or contains(translate(@style,' ',''),'display:none')]"
    ):
        if el.getparent() is not None:
            el.drop_tree()
    out: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str):
            out.append(node.tail or "")
            return
        block = node.tag in _BLOCKS
        cell = node.tag in ("td", "th")  # browsers copy table cells tab-separated, one row per line
        out.append("\n" if block else "")
        out.append(node.text or "")
        for child in node:
            walk(child)
        out.append("\t" if cell else "\n" if block else "")
        out.append(node.tail or "")

    body = tree.find("body")
    walk(body if body is not None else tree)
    lines = (re.sub(r"[ \r\f\v\xa0]+", " ", line).strip(" \t") for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def newsflow_article(content: bytes, name: str) -> dict:
    try:
        _, articles, _ = parse_document(content, name)
    except Quarantined:
        return {}
    return articles[0] if articles else {}


def newsflow_body(content: bytes, name: str) -> str:
    return newsflow_article(content, name).get("body", "")


def metadata_agreement(page: dict, dump: dict, agree: Counter) -> None:
    """Count how often the page-text dump gives the title and date the page's own metadata gives."""
    if page.get("title"):
        agree["title_n"] += 1
        title = (dump.get("title") or "").casefold()
        agree["title"] += bool(title) and title in page["title"].casefold()
    if page.get("published_at") is not None:
        agree["date_n"] += 1
        found = dump.get("published_at")
        agree["date"] += found is not None and abs((found - page["published_at"]).total_seconds()) < 86400


def trafilatura_body(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def as_paragraphs(dump: str) -> str:
    """A page-text dump as minimal HTML (one <p> per line) so that trafilatura can read it."""
    from html import escape

    return "<html><body>" + "".join(f"<p>{escape(line)}</p>" for line in dump.split("\n")) + "</body></html>"


def score(rows: list[tuple[float, float]]) -> tuple[float, float, float]:
    p = sum(r[0] for r in rows) / len(rows)
    r = sum(r[1] for r in rows) / len(rows)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore")  # date libraries warn about zone names they skip; figures only here
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--show-worst", type=int, default=0)
    args = parser.parse_args()
    folder = data_dir()
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[: args.limit or None]
    results: dict[str, list[tuple[float, float]]] = {
        k: [] for k in ("nf_html", "tr_html", "nf_text", "tr_text")
    }
    seconds: Counter = Counter()
    per_doc: list[tuple[float, str]] = []
    agree: Counter = Counter()
    for doc_id in ids:
        raw = (folder / "html" / f"{doc_id}.html.gz").read_bytes()
        html = gzip.decompress(raw).decode("utf-8", "replace")
        truth = gold[doc_id]["articleBody"]
        dump = page_text(html)
        outputs = {}
        for key, run, arg in (
            ("nf_html", newsflow_article, (raw, f"{doc_id}.html.gz")),
            ("tr_html", trafilatura_body, (html,)),
            ("nf_text", newsflow_article, (dump.encode("utf-8"), f"{doc_id}.txt")),
            ("tr_text", trafilatura_body, (as_paragraphs(dump),)),
        ):
            start = time.perf_counter()
            outputs[key] = run(*arg)
            seconds[key] += time.perf_counter() - start
            predicted = outputs[key] if isinstance(outputs[key], str) else outputs[key].get("body", "")
            results[key].append(precision_recall(predicted, truth))
        metadata_agreement(outputs["nf_html"], outputs["nf_text"], agree)
        p, r = results["nf_text"][-1]
        per_doc.append((2 * p * r / (p + r) if p + r else 0.0, doc_id))
    print(f"extraction-dev: {len(ids)} pages\n")
    print(f"{'mode':<10} {'system':<22} {'F1':>6} {'P':>6} {'R':>6} {'ms/page':>8}  reference")
    for mode, label in (("html", "HTML"), ("text", "page text")):
        for key, system in ((f"nf_{mode}", "newsflow"), (f"tr_{mode}", "trafilatura alone")):
            f1, p, r = score(results[key])
            ms = 1000 * seconds[key] / len(ids)
            ref = REFERENCE[mode] if system == "newsflow" else ""
            print(f"{label:<10} {system:<22} {f1:6.3f} {p:6.3f} {r:6.3f} {ms:8.1f}  {ref}")
    print("\ntargets: HTML F1 >= 0.96, page text F1 >= 0.90")
    print(
        "page-text metadata agreeing with the page's own metadata:"
        f" title {agree['title']}/{agree['title_n']},"
        f" publication date within a day {agree['date']}/{agree['date_n']}"
    )
    for f1, doc_id in sorted(per_doc)[: args.show_worst]:
        print(f"  worst page-text: {f1:.3f} {doc_id}")


if __name__ == "__main__":
    main()
