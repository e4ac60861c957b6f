"""Page-text dumps and plain text: the seeds, and texts without furniture that must pass intact."""

from __future__ import annotations

import pandas as pd
import pytest

from transforms.ids import sha256_hex
from transforms.parsing import parse_documents

SEED_000 = "000_89779fb7a3461cee.txt"
SEED_001 = "001_221771e9a0a30a7f.txt"
FURNITURE = ("Advertisement", "Follow:", "Image:", "ALSO READ", "You might also be interested in")


def _parse(named: dict[str, str]) -> pd.DataFrame:
    raw = pd.DataFrame(
        {
            "doc_id": [sha256_hex(t.encode()) for t in named.values()],
            "source_uri": list(named),
            "content": [t.encode("utf-8") for t in named.values()],
        }
    )
    result = parse_documents(raw)
    assert result.rejects.empty, result.rejects
    return result.articles.set_index(pd.Index(list(named)))


@pytest.fixture(scope="module")
def seeds(seed_texts) -> pd.DataFrame:
    return _parse(seed_texts)


def test_seed_bodies_have_no_furniture(seeds):
    for body in seeds["body"]:
        for marker in FURNITURE:
            assert marker not in body
        assert "Vladimir Putin Tells Donald Trump" not in body
        assert "887-page law" not in body


def test_seed_001_metadata(seeds):
    row = seeds.loc[SEED_001]
    assert (
        row["title"]
        == "Russia Becomes First Country to Officially Recognize Taliban Government in Afghanistan"
    )
    assert row["byline"] == ["Bhawana Gariya"]
    assert row["published_at"] == pd.Timestamp("2025-07-03T18:51Z")
    assert row["updated_at"] == pd.Timestamp("2025-07-03T19:13Z")
    assert row["published_tz"] == "IST"
    assert row["published_at_source"] == "text"
    assert row["dateline"] == "Moscow"
    assert row["language"] == "en"
    assert row["title"] not in row["body"]
    assert "Reported by" not in row["body"] and "Published 4 July" not in row["body"]
    assert row["body"].count("Russia has officially recognized the Taliban as the legitimate government") == 1
    assert any("Image: X" in line for line in row["boilerplate"])


def test_seed_000_keeps_subheads_and_invents_no_time(seeds):
    row = seeds.loc[SEED_000]
    assert pd.isna(row["published_at"]) and row["published_at_source"] == "unknown"
    assert row["title"] is None or pd.isna(row["title"])
    assert row["body"].startswith("Russia has become the first country")
    assert "Taliban welcomes move, calls it a big moment" in row["body"]
    assert "Russia lifts terror label, aims for full engagement" in row["body"]


def test_plain_text_passes_intact():
    text = (
        "The city council approved the budget on Tuesday after a long debate.\n\n"
        "Short line\n\nMembers said the plan would fund new schools, and the mayor welcomed the vote.\n"
    )
    row = _parse({"plain.txt": text}).iloc[0]
    assert row["body"] == text
    assert row["boilerplate"] == []


def test_plain_text_with_url_headline_and_date_lines_keeps_them_in_its_body():
    """An archive text opening with its URL, headline and date line: metadata is read, nothing dropped."""
    text = (
        "http://articles.example.com/2005/jun/25/local/me-sheriff25\n"
        "Gunman Kills Deputy on Gang Duty\n"
        "June 25, 2005\n"
        "A sheriff's deputy was shot dead on Friday while questioning a man in Hawaiian Gardens.\n"
        "\u201c He doesn\u2019 t sleep.\n"
        "Joining Cooley at the news conference was Assistant Sheriff Doyle Campbell.\n"
    )
    row = _parse({"archive.txt": text}).iloc[0]
    assert row["body"] == text
    assert row["title"] == "Gunman Kills Deputy on Gang Duty"
    assert row["published_at"] == pd.Timestamp("2005-06-25", tz="UTC")
    assert row["boilerplate"] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "In other news, somewhere Manny Ramirez just punched something.",
        "Also on Saturday, a German military spokesman said a navy frigate had chased away pirates.",
    ],
)
def test_sentence_opening_like_a_teaser_is_body(sentence):
    text = f"Pirates seized a tanker off Somalia on Friday, officials said.\n{sentence}\nAdvertisement\n"
    row = _parse({"wire.txt": text}).iloc[0]
    assert sentence in row["body"]
    assert row["boilerplate"] == ["Advertisement"]


def test_every_ecbplus_dev_text_passes_intact(shared_data):
    """The ECB+ texts have no page furniture: as `.txt` files each body must equal its input."""
    from benchmarks.ecbplus import read_corpus

    documents = read_corpus(shared_data / "ecbplus-dev")
    named = {f"{d.doc_id.replace('/', '_')}.txt": d.text for d in documents}
    parsed = _parse(named)
    changed = [name for name, text in named.items() if parsed.loc[name, "body"] != text]
    assert len(named) == 413 and changed == []
