"""Gold against predicted title, authors and publication time on the TUNE pages of fundus-dev.

For reading and debugging metadata rules: prints, for each tune page where a field differs, the gold
value, newsflow's and where newsflow took it from (`metadata_sources`), then the tune figures. The
scored part is never shown here: it is only scored, in aggregate (`benchmarks/extraction.py`).

    python benchmarks/metadata_tune.py [--fields tas] [--page SUBSTRING]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._pages import fundus_pages  # noqa: E402
from benchmarks.extraction import newsflow_article, norm_name, norm_title, same_minute  # noqa: E402


def main() -> None:
    warnings.filterwarnings("ignore")  # date libraries warn about zone names they skip
    parser = argparse.ArgumentParser()
    parser.add_argument("--fields", default="tas", help="t = title, a = authors, s = publication time")
    parser.add_argument("--page", default="", help="only pages whose id holds this")
    args = parser.parse_args()
    n = Counter()
    for page in fundus_pages():
        if page.part != "tune" or args.page not in page.page_id:
            continue
        article = newsflow_article(page.html_gz, page.file_name)
        lines = []
        if page.title:
            ok = norm_title(article.get("title")) == norm_title(page.title)
            n["title"] += ok
            n["titles"] += 1
            if "t" in args.fields and not ok:
                lines.append(f"  title   gold {page.title!r}\n          got  {article.get('title')!r}")
        gold = {norm_name(a) for a in page.authors if norm_name(a)}
        got = {norm_name(a) for a in article.get("byline") or [] if norm_name(a)}
        n["tp"], n["pred"], n["gold"] = n["tp"] + len(gold & got), n["pred"] + len(got), n["gold"] + len(gold)
        if "a" in args.fields and gold != got:
            lines.append(f"  authors gold {page.authors}\n          got  {list(article.get('byline') or [])}")
        if page.published:
            ok = same_minute(article.get("published_at"), page.published)
            n["time"] += ok
            n["times"] += 1
            if "s" in args.fields and not ok:
                got_time = f"{article.get('published_at')} (zone {article.get('published_tz')})"
                lines.append(f"  time    gold {page.published}\n          got  {got_time}")
        if lines:
            print(f"{page.page_id}  {article.get('metadata_sources')}")
            print("\n".join(lines))
    p = n["tp"] / n["pred"] if n["pred"] else 1.0
    r = n["tp"] / n["gold"] if n["gold"] else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"tune: title exact {n['title'] / max(n['titles'], 1):.3f}, authors F1 {f1:.3f}"
        f" (P {p:.3f} R {r:.3f}), published {n['time'] / max(n['times'], 1):.3f}"
    )


if __name__ == "__main__":
    main()
