"""A hostile inbox built here: every item ends loaded or quarantined with a reason, the run succeeds,
nothing escapes the data directory, and memory stays bounded."""

import gzip
import json
import re
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest

from tests.reliability import harness
from warehouse.schemas import TABLES


class Expect(NamedTuple):
    statuses: frozenset[str]
    reasons: tuple[str, ...] = ()  # allowed reason prefixes when quarantined; () = any reason


Q = frozenset({"quarantined"})
# Many items carry the same news text, so a later one may end as a duplicate of an earlier one.
Q_OR_LOADED = frozenset({"quarantined", "loaded", "duplicate"})
HANDLED = frozenset({"quarantined", "loaded", "duplicate"})

# The one table to tighten as the parser grows. Rows marked "parser" accept today's text-only
# reading (loaded as text) until the parsing branch (formats, limits) lands; then narrow them to
# the reasons it gives (e.g. decompressed_too_large, too_deep, xml_entities, too_many_entries).
EXPECTED: dict[str, Expect] = {
    "empty.txt": Expect(Q, ("empty",)),
    "blank.txt": Expect(Q, ("empty",)),
    "unicode_space.txt": Expect(Q),  # only Unicode whitespace: no article, whatever step says so
    "binary.bin": Expect(Q, ("binary", "nul_bytes")),
    "nul_bytes.txt": Expect(Q, ("nul_bytes",)),
    # A legacy-charset guess may decode these; their text repeats another item's, so duplicate is fine.
    "invalid_utf8.txt": Expect(HANDLED, ("undecodable",)),
    "mixed_encoding.txt": Expect(HANDLED, ("undecodable",)),
    "huge.txt": Expect(Q, ("too_large",)),
    "bomb.html.gz": Expect(Q, ("decompression_bomb",)),
    "deep.html": Expect(Q, ("too_deep",)),
    "laughs.xml": Expect(Q, ("unsafe_xml",)),
    "wrong_types.json": Expect(Q, ("wrong_types", "all_items_rejected")),
    "wrong_types.jsonl": Expect(Q, ("all_items_rejected",)),
    "year_0001.json": Expect(Q_OR_LOADED),  # the impossible date is dropped; the text still loads
    "year_9999.rss": Expect(Q, ("articles_failed_validation",)),  # publication time out of range
    "german.txt": Expect(Q_OR_LOADED, ("language", "unsupported_language")),
    "chinese.txt": Expect(Q_OR_LOADED, ("language", "unsupported_language")),
    "passwd_feed.rss": Expect(Q, ("all_items_rejected",)),  # its only entry points at file://
    "x'); DROP TABLE articles; --.txt": Expect(frozenset({"loaded", "duplicate"})),
    # Valid JSON whose title escapes a lone surrogate: loaded, the title repaired (text_repairs).
    "surrogate.json": Expect(frozenset({"loaded"})),
    "escape%2F..%2F..%2Fpasswd.txt": Expect(frozenset({"loaded", "duplicate"})),
}
# Different faults must be told apart by their reason slug.
DISTINCT = [
    "empty.txt",
    "nul_bytes.txt",
    "huge.txt",
    "bomb.html.gz",
    "deep.html",
    "laughs.xml",
    "wrong_types.json",
    "unicode_space.txt",
]
PEAK_RSS_BOUND = 1_200 * 2**20  # the whole run's process tree (PSS); a 100 MB input must not be held twice

NEWS = (
    "Police in Lyon said on Tuesday that two men had been arrested after a fire at a warehouse "
    "near the river. The mayor, Gregory Doucet, thanked the fire brigade. "
)


def _write_huge(path: Path, size: int = 100 * 2**20) -> None:
    chunk = (NEWS.encode() * 200)[: 2**20]
    with path.open("wb") as handle:
        for _ in range(size // len(chunk)):
            handle.write(chunk)


def _write_gzip_bomb(path: Path, size: int = 512 * 2**20) -> None:
    zeros = b"\0" * 2**20
    with gzip.open(path, "wb", compresslevel=6) as handle:
        for _ in range(size // len(zeros)):
            handle.write(zeros)


def _rss(title: str, pub_date: str, link: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed</title>'
        f"<item><title>{title}</title><link>{link}</link><pubDate>{pub_date}</pubDate>"
        f"<description>{NEWS}</description>{extra}</item></channel></rss>"
    )


def build_hostile_inbox(folder: Path) -> Path:
    folder.mkdir(parents=True)
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\r\n  ",
        "unicode_space.txt": "\x1c\u2003\u3000\u00a0\n".encode(),
        "binary.bin": bytes(range(256)) * 64,
        "nul_bytes.txt": (NEWS.encode() + b"\0") * 20,
        "invalid_utf8.txt": b"Report \xc3\x28 from \xa0\xa1 the \xe2\x28\xa1 city " * 40,
        "mixed_encoding.txt": (NEWS + "Café in Zürich. ").encode() + "Müller sagte: «Ja».".encode("cp1252"),
        "deep.html": b"<html><body>"
        + b"<div>" * 200_000
        + NEWS.encode()
        + b"</div>" * 200_000
        + b"</body></html>",
        "laughs.xml": (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
            + "".join(
                f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
                for i in range(10)
            )
            + ']><rss version="2.0"><channel><item><title>&lol9;</title><description>&lol9;</description>'
            "</item></channel></rss>"
        ).encode(),
        "wrong_types.json": json.dumps(
            {
                "headline": 5,
                "articleBody": ["not", "a", "string"],
                "datePublished": {"year": 1},
                "author": None,
            }
        ).encode(),
        "wrong_types.jsonl": b"\n".join(
            json.dumps(v).encode() for v in [[1, 2], "text", {"articleBody": 3}, None, {"headline": {"x": 1}}]
        ),
        "year_0001.json": json.dumps(
            {
                "@type": "NewsArticle",
                "headline": "Ancient",
                "datePublished": "0001-01-01T00:00:00Z",
                "articleBody": NEWS,
            }
        ).encode(),
        "year_9999.rss": _rss(
            "Far future", "Fri, 31 Dec 9999 23:59:59 GMT", "https://example.org/9999"
        ).encode(),
        "german.txt": (
            "Die Polizei in Lyon teilte am Dienstag mit, dass zwei Männer nach einem Brand in einer Lagerhalle "
            "am Fluss festgenommen worden seien. Der Bürgermeister dankte der Feuerwehr.\n"
        ).encode(),
        "chinese.txt": "里昂警方周二表示，河边一座仓库发生火灾后，两名男子被捕。市长感谢消防队。\n".encode(),
        "passwd_feed.rss": _rss(
            "Local file",
            "Tue, 03 Mar 2026 10:00:00 GMT",
            "file:///etc/passwd",
            '<enclosure url="file:///etc/passwd" type="text/html"/><source url="file:///etc/passwd">x</source>',
        ).encode(),
        "x'); DROP TABLE articles; --.txt": ("Quote test. " + NEWS).encode(),
        "escape%2F..%2F..%2Fpasswd.txt": ("Path test. " + NEWS).encode(),
        "surrogate.json": b'{"title": "Lone \\ud800 surrogate", "body": "The council of Riga said on Monday '
        b'that the old bridge over the Daugava would close for repairs in May.\\u0000"}',
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    _write_huge(folder / "huge.txt")
    _write_gzip_bomb(folder / "bomb.html.gz")
    assert set(EXPECTED) == {p.name for p in folder.iterdir()}
    return folder


def _slug(reason: str | None) -> str:
    return (reason or "").split(":")[0].strip()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_hostile_inbox_is_accounted_for_and_bounded(prefect_url, tmp_path):
    inbox = build_hostile_inbox(tmp_path / "inbox")
    data = tmp_path / "data"
    env = harness.run_env(prefect_url, tmp_path / "prefect")
    child = harness.start_run([str(inbox), "--data-dir", str(data), "--json"], env, measure_memory=True)
    code = child.finish(480)
    output = child.output()
    assert code == 0, output[-4000:]
    print(
        f"\npeak memory (PSS) of the run: {child.peak_rss / 2**20:.0f} MiB (bound {PEAK_RSS_BOUND / 2**20:.0f} MiB)"
    )
    assert 0 < child.peak_rss < PEAK_RSS_BOUND

    con = duckdb.connect(str(data / "news.duckdb"), read_only=True)
    docs = con.execute(
        "select source_uri, status, coalesce(reason, '') as reason, run_id from raw_documents"
    ).df()
    docs["name"] = [_unquote_name(u) for u in docs["source_uri"]]

    # Every item exactly once, with an allowed outcome.
    assert sorted(docs["name"]) == sorted(EXPECTED)
    print(f"{'item':36} {'status':12} reason")
    for row in docs.sort_values("name").itertuples():
        print(f"{row.name:36} {row.status:12} {row.reason[:70]}")
    for row in docs.itertuples():
        expect = EXPECTED[row.name]
        assert row.status in expect.statuses, (row.name, row.status, row.reason)
        if row.status == "quarantined":
            assert row.reason, row.name
            if expect.reasons:
                assert row.reason.startswith(expect.reasons), (row.name, row.reason)
    slugs = {name: _slug(docs.loc[docs["name"] == name, "reason"].iloc[0]) for name in DISTINCT}
    assert len(set(slugs.values())) == len(DISTINCT), slugs

    # The run ledger adds up, and every quarantined item has its quarantine record.
    (counts,) = con.execute("select counts from runs").fetchone()
    counts = json.loads(counts)
    assert counts["discovered"] == len(EXPECTED)
    assert counts["loaded"] + counts["duplicate"] + counts["quarantined"] == counts["discovered"]
    quarantined = docs[docs["status"] == "quarantined"]
    records = con.execute("select reason from quarantine where \"table\" = 'raw_documents'").fetchall()
    assert sorted(r for (r,) in records) == sorted(quarantined["reason"])

    # Nothing from an input became a location: no local file read, no path outside the data directory.
    bodies = " ".join(b for (b,) in con.execute("select coalesce(body, '') from articles").fetchall())
    assert "root:x:0:0" not in bodies
    assert all(u.startswith(inbox.resolve().as_uri()) for u in docs["source_uri"])
    layout = re.compile(
        r"(?P<table>[a-z_]+)/ingest_date=\d{4}-\d{2}-\d{2}/(?P<run>[0-9T]+-[0-9a-f]+)\.parquet"
    )
    (run_id,) = set(docs["run_id"])
    for path in (data / "lake").rglob("*"):
        if path.is_file():
            match = layout.fullmatch(path.relative_to(data / "lake").as_posix())
            assert match and match["table"] in TABLES and match["run"] == run_id, path
    for path in data.rglob("*"):
        assert path.resolve().is_relative_to(data.resolve()), path

    # No impossible publication time reaches the warehouse.
    bad_dates = con.execute(
        "select count(*) from articles where published_at < TIMESTAMPTZ '1900-01-01' "
        "or published_at > now() + INTERVAL 2 DAY"
    ).fetchone()[0]
    assert bad_dates == 0
    repairs = con.execute("select field, repair from text_repairs order by all").fetchall()
    assert ("record", "control") in repairs and ("record", "surrogate") in repairs
    # The quoting file name is stored as data, the table is intact.
    assert con.execute("select count(*) from articles").fetchone()[0] >= 2
    con.close()


def _unquote_name(uri: str) -> str:
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(uri).path)).name
