"""Property tests: hostile values in every field of every input format never break the data path
before the warehouse — every item ends as articles or rejects, the accounting adds up, and every
table the run writes can be cast to its storage schema with UTF-8 text only."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks._hostile import (
    FORMATS,
    HOSTILE_DATES,
    HOSTILE_JSON,
    HOSTILE_TEXT,
    HostileGenerator,
    write_items,
)
from transforms import accounting, tables
from transforms.discover import discover, iter_files, read_item
from transforms.parsing import parse_documents
from warehouse.lake import to_arrow

NOW = pd.Timestamp("2026-05-06T07:08:09", tz="UTC")
# Every code point, surrogates and controls included, and the hand-picked hostile strings.
ANY_TEXT = st.text(alphabet=st.characters(codec=None, categories=None), max_size=40)
HOSTILE = st.sampled_from(HOSTILE_TEXT) | ANY_TEXT


class DrawnValues(HostileGenerator):
    """The generator's item shapes, with every hostile value drawn by Hypothesis (so it shrinks)."""

    def __init__(self, data) -> None:
        super().__init__(seed=0)
        self.data = data

    def text(self) -> str:
        return self.data.draw(HOSTILE)

    def field(self) -> object:
        return self.data.draw(HOSTILE | st.sampled_from(HOSTILE_JSON))

    def date(self) -> object:
        return self.data.draw(st.sampled_from(HOSTILE_DATES) | HOSTILE)


def _check_text(frame: pd.DataFrame) -> None:
    for column in frame.columns:
        for value in frame[column]:
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, str):
                    item.encode("utf-8")  # raises on a surrogate


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(FORMATS), min_size=1, max_size=6), st.data())
def test_hostile_fields_of_every_format_end_as_articles_or_rejects(tmp_path_factory, kinds, data):
    generator = DrawnValues(data)
    folder = tmp_path_factory.mktemp("inbox")
    write_items(folder, [generator.item(kind) for kind in kinds])
    raw, skipped = discover((read_item(p, 10 * 2**20) for p in iter_files([folder])), set(), NOW)
    assert len(raw) == len(kinds) and skipped == 0
    result = parse_documents(raw)
    documents = accounting.document_status(
        raw,
        raw.iloc[0:0],
        result.rejects,
        result.articles.assign(duplicate_of=None),
        result.media_types,
        set(),
        "r1",
    )
    counts = accounting.counts(documents, 0)
    accounting.check_counts(counts)
    assert counts["discovered"] == len(kinds)
    repairs = tables.text_repairs(raw, result.repairs, "r1")
    quarantine = accounting.quarantine_records(documents, result.rejects, "r1", NOW)
    for table, frame in (
        ("articles", result.articles),
        ("raw_documents", documents),
        ("quarantine", quarantine),
        ("text_repairs", repairs),
    ):
        to_arrow(table, frame)
        _check_text(frame)
    assert set(repairs["repair"]) <= {"surrogate", "c1_control", "control", "noncharacter"}
