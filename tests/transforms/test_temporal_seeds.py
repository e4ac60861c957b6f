"""The seeds: two outlets on the same event, one with a publication time, one without."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from transforms.temporal import extract_timexes

SEED_000 = "000_89779fb7a3461cee.txt"
SEED_001 = "001_221771e9a0a30a7f.txt"
PUBLISHED_001 = pd.Timestamp("2025-07-03T18:51Z")


def _run(body: str, published_at=pd.NaT, anchor_kind=None, spans=None) -> pd.DataFrame:
    articles = pd.DataFrame(
        {"article_id": ["a"], "body": [body], "published_at": [published_at], "anchor_kind": [anchor_kind]}
    )
    return extract_timexes(articles, spans if spans is not None else pd.DataFrame())


def _row(frame: pd.DataFrame, text: str) -> pd.Series:
    rows = frame[frame["text"] == text]
    assert not rows.empty, f"{text!r} not found in {frame['text'].tolist()}"
    return rows.iloc[0]


def test_seed_000_thursday_unresolved_without_time(seed_texts):
    out = _run(seed_texts[SEED_000])
    row = _row(out, "Thursday")
    assert (row["value"], row["anchor"], row["type"]) == ("XXXX-WXX-4", "unresolved", "DATE")
    assert row["begin_date"] is None and row["end_date"] is None


def test_seed_000_thursday_with_estimated_time(seed_texts):
    out = _run(seed_texts[SEED_000], PUBLISHED_001, "estimated")
    row = _row(out, "Thursday")
    assert (row["value"], row["anchor"]) == ("2025-07-03", "estimated")
    assert row["begin_date"] == row["end_date"] == date(2025, 7, 3)


@pytest.mark.parametrize(
    ("seed", "text", "value", "begin", "end", "anchor"),
    [
        (SEED_000, "April 2025", "2025-04", date(2025, 4, 1), date(2025, 4, 30), "absolute"),
        (SEED_000, "August 2021", "2021-08", date(2021, 8, 1), date(2021, 8, 31), "absolute"),
        (SEED_000, "1996", "1996", date(1996, 1, 1), date(1996, 12, 31), "absolute"),
        (SEED_000, "2001", "2001", date(2001, 1, 1), date(2001, 12, 31), "absolute"),
        (SEED_001, "April 2024", "2024-04", date(2024, 4, 1), date(2024, 4, 30), "absolute"),
        (SEED_001, "earlier this week", "2025-W27", date(2025, 6, 30), date(2025, 7, 6), "publication"),
        (SEED_001, "recent years", "PAST_REF", None, None, "publication"),
        (SEED_001, "2022", "2022", date(2022, 1, 1), date(2022, 12, 31), "absolute"),
    ],
)
def test_seed_values(seed_texts, seed, text, value, begin, end, anchor):
    published = PUBLISHED_001 if seed == SEED_001 else pd.NaT
    row = _row(_run(seed_texts[seed], published), text)
    assert (row["value"], row["begin_date"], row["end_date"], row["anchor"]) == (value, begin, end, anchor)


def test_seed_000_range_is_two_expressions(seed_texts):
    """ "from 1996 to 2001": begin 1996 (from 1996-01-01), end 2001 (to 2001-12-31); no prepositions."""
    body = seed_texts[SEED_000]
    out = _run(body)
    first, second = _row(out, "1996"), _row(out, "2001")
    assert body[first["start"] - 5 : second["end"]] == "from 1996 to 2001"
    assert first["begin_date"] == date(1996, 1, 1) and second["end_date"] == date(2001, 12, 31)


def test_seed_001_times_take_their_date(seed_texts):
    out = _run(seed_texts[SEED_001], PUBLISHED_001)
    assert _row(out, "00:21 IST")["value"] == "2025-07-04T00:21"
    assert _row(out, "00:21 IST")["type"] == "TIME"


def test_seed_offsets_exact(seed_texts):
    for name, body in seed_texts.items():
        out = _run(body, PUBLISHED_001 if name == SEED_001 else pd.NaT)
        assert not out.empty
        for row in out.itertuples():
            assert body[row.start : row.end] == row.text


def test_seeds_with_spacy_spans(seed_texts, nlp):
    from transforms.nlp import annotate

    articles = pd.DataFrame(
        {
            "article_id": ["s0", "s1"],
            "body": [seed_texts[SEED_000], seed_texts[SEED_001]],
            "published_at": pd.Series([pd.NaT, PUBLISHED_001], dtype="datetime64[us, UTC]"),
        }
    )
    spans, _ = annotate(articles, nlp)
    out = extract_timexes(articles, spans)
    s1 = out[out["article_id"] == "s1"]
    assert _row(s1, "earlier this week")["value"] == "2025-W27"
    assert _row(out[out["article_id"] == "s0"], "Thursday")["value"] == "XXXX-WXX-4"
    assert set(out.columns) == {
        "article_id",
        "start",
        "end",
        "text",
        "type",
        "value",
        "begin_date",
        "end_date",
        "anchor",
    }
