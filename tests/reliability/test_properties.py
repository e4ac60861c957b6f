"""Property tests: the steps that read or normalise arbitrary input never raise and keep their promises."""

import hashlib
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms import accounting
from transforms.discover import discover, item_from_bytes, read_item
from transforms.entities import resolve_mentions
from transforms.parsing import parse_documents
from transforms.safe_text import safe_text
from warehouse import lake

NOW = pd.Timestamp("2026-05-06T07:08:09", tz="UTC")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "CARDINAL", "FAC", "EVENT"]
uris = st.text(min_size=1, max_size=40).map(lambda s: "file:///inbox/" + s)


@FAST
@given(st.lists(st.tuples(st.binary(max_size=300), uris), max_size=12), st.data())
def test_discover_accepts_any_bytes_and_skips_exactly_the_seen(items, data):
    raw_items = [item_from_bytes(b, u) for b, u in items]
    # The warehouse holds each input under its repaired URI (transforms.safe_text), as discover gives it.
    seen = (
        {
            (i.doc_id, safe_text(i.source_uri)[0])
            for i in data.draw(st.lists(st.sampled_from(raw_items), max_size=3))
        }
        if raw_items
        else set()
    )
    frame, skipped = discover(raw_items, seen, NOW)
    assert len(frame) + skipped == len(raw_items)
    assert skipped == sum((i.doc_id, safe_text(i.source_uri)[0]) in seen for i in raw_items)
    for row in frame.itertuples():
        assert row.doc_id == hashlib.sha256(row.content).hexdigest()
        assert row.size_bytes == len(row.content)


@FAST
@given(st.binary(max_size=2000), st.integers(min_value=1, max_value=3000))
def test_read_item_never_keeps_more_than_the_limit(tmp_path_factory, data, limit):
    path = tmp_path_factory.mktemp("item") / "x.txt"
    path.write_bytes(data)
    item = read_item(path, limit)
    assert item.doc_id == hashlib.sha256(data).hexdigest()
    if len(data) > limit:
        assert item.content is None and item.precheck_reason == "too_large"
    else:
        assert item.content == data and item.precheck_reason is None


_docs = st.lists(st.binary(max_size=400) | st.text(max_size=400).map(str.encode), min_size=1, max_size=8)


@FAST
@given(_docs)
def test_every_raw_item_is_an_article_or_a_reject_never_an_exception(contents):
    raw = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(contents))],
            "source_uri": [f"file:///in/{i}" for i in range(len(contents))],
            "content": contents,
        }
    )
    result = parse_documents(raw)
    parsed = set(result.articles["doc_id"]) if not result.articles.empty else set()
    rejected = set(result.rejects["doc_id"])
    assert parsed | rejected == set(raw["doc_id"])
    assert not parsed & set(result.rejects.loc[result.rejects["item_index"] < 0, "doc_id"])
    assert result.rejects["reason"].map(lambda r: isinstance(r, str) and r != "").all()
    for body in result.articles.get("body", []):
        assert isinstance(body, str)


def test_unicode_whitespace_only_is_rejected_not_an_article():
    # b"\x1c" survives bytes.strip but not str.strip: such an item must not become an empty article.
    raw = pd.DataFrame(
        {
            "doc_id": ["d", "e"],
            "source_uri": ["file:///in/d", "file:///in/e"],
            "content": [b"\x1c\x1d\xe2\x80\x83", "\u2003\u2002 \u00a0\n".encode()],
        }
    )
    result = parse_documents(raw)
    assert result.articles.empty
    assert set(result.rejects["reason"]) <= {"empty", "binary"}
    assert len(result.rejects) == 2


_status_case = st.lists(
    st.tuples(
        st.sampled_from(
            ["precheck", "whole_reject", "item_rejects", "articles", "rejected_article", "dup", "repeat"]
        ),
        st.integers(min_value=1, max_value=3),
    ),
    min_size=1,
    max_size=15,
)


@FAST
@given(_status_case)
def test_accounting_adds_up_for_any_mix_of_outcomes(case):
    raw_rows, repeat_rows, rejects, articles, rejected = [], [], [], [], set()
    for i, (kind, n) in enumerate(case):
        doc = f"d{i}"
        row = {"doc_id": doc, "source_uri": f"u{i}", "size_bytes": 1, "fetched_at": NOW, "content": b"x"}
        row |= {"precheck_reason": "too_large" if kind == "precheck" else None, "precheck_detail": None}
        (repeat_rows if kind == "repeat" else raw_rows).append(row)
        if kind == "whole_reject":
            rejects.append((doc, -1, "binary", "NUL bytes"))
        if kind == "item_rejects":
            rejects += [(doc, j, "malformed_json", "bad") for j in range(n)]
        if kind in {"articles", "rejected_article", "dup"}:
            for j in range(n):
                aid = f"{doc}-{j}"
                articles.append(
                    {"article_id": aid, "doc_id": doc, "duplicate_of": "x" if kind == "dup" else None}
                )
                if kind == "rejected_article":
                    rejected.add(aid)
    raw = pd.DataFrame(raw_rows, columns=[*raw_rows[0]] if raw_rows else None)
    repeats = pd.DataFrame(repeat_rows)
    rejects = pd.DataFrame(rejects, columns=["doc_id", "item_index", "reason", "detail"])
    documents = accounting.document_status(
        raw if not raw.empty else pd.DataFrame(columns=["doc_id", "source_uri"]),
        repeats if not repeats.empty else pd.DataFrame(columns=["doc_id", "source_uri"]),
        rejects,
        pd.DataFrame(articles),
        {},
        rejected,
        "r1",
    )
    counts = accounting.counts(documents, 0)
    accounting.check_counts(counts)
    assert counts["discovered"] == len(case)
    accounting.check_loaded(counts, documents["status"].value_counts().to_dict())
    assert documents.loc[documents["status"] != "loaded", "reason"].map(bool).all()
    records = accounting.quarantine_records(documents, rejects, "r1", NOW)
    item_rejects = int((rejects["item_index"] >= 0).sum())
    assert len(records) == counts["quarantined"] + item_rejects


_value = st.none() | st.just(float("nan")) | st.text(max_size=30)


@FAST
@given(
    st.lists(
        st.tuples(_value, _value, st.lists(st.text(max_size=10), max_size=3) | st.none()),
        min_size=1,
        max_size=10,
    )
)
def test_lake_casting_keeps_every_value_or_null(tmp_path_factory, rows):
    frame = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(len(rows))],
            "title": [r[0] for r in rows],
            "body": [r[1] for r in rows],
            "byline": [r[2] for r in rows],
            "published_at": [NOW if i % 2 else None for i in range(len(rows))],
        }
    )
    lake_dir = tmp_path_factory.mktemp("lake")
    files = lake.write_run({"articles": frame}, lake_dir, "r1", NOW.date())
    back = pq.read_table(files["articles"]).to_pylist()
    for row, (title, body, byline) in zip(back, rows, strict=True):
        assert row["title"] == (title if isinstance(title, str) else None)
        assert row["body"] == (body if isinstance(body, str) else None)
        assert row["byline"] == (list(byline) if byline is not None else None)


@FAST
@given(st.text(max_size=60))
def test_no_run_id_or_table_name_leaves_the_lake(tmp_path_factory, name):
    lake_dir = tmp_path_factory.mktemp("lake")
    frame = pd.DataFrame({"article_id": ["a"]})
    for frames, run_id in (({"articles": frame}, name), ({name: frame}, "r1")):
        try:
            files = lake.write_run(frames, lake_dir, run_id, NOW.date())
        except (lake.UnsafePath, KeyError):
            continue
        for path in files.values():
            assert Path(path).resolve().is_relative_to(lake_dir.resolve())


@pytest.mark.parametrize("run_id", ["../escape", "..", "a/b", "/abs", "", ".hidden", "x" * 200])
def test_unsafe_run_ids_are_refused(tmp_path, run_id):
    with pytest.raises(lake.UnsafePath):
        lake.write_run({"articles": pd.DataFrame({"article_id": ["a"]})}, tmp_path, run_id, NOW.date())


def test_a_symlinked_table_folder_cannot_redirect_the_lake(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "lake").mkdir()
    (tmp_path / "lake" / "articles").symlink_to(outside, target_is_directory=True)
    with pytest.raises(lake.UnsafePath):
        lake.write_run({"articles": pd.DataFrame({"article_id": ["a"]})}, tmp_path / "lake", "r1", NOW.date())
    assert not any(outside.rglob("*.parquet"))


@st.composite
def _body_and_spans(draw):
    body = draw(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=200))
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(body) - 1))
        end = draw(st.integers(start + 1, len(body)))
        spans.append(("a1", start, end, body[start:end], draw(st.sampled_from(LABELS)), 0))
    return body, spans


@settings(max_examples=150, deadline=None)
@given(_body_and_spans())
def test_resolved_mentions_stay_inside_the_body(case):
    body, spans = case
    frame = pd.DataFrame(spans, columns=["article_id", "start", "end", "text", "label", "sentence_index"])
    out = resolve_mentions(frame, pd.DataFrame({"article_id": ["a1"], "body": [body]}))
    for row in out.itertuples():
        assert 0 <= row.start < row.end <= len(body)
        assert body[row.start : row.end] == row.text
