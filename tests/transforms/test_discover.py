import pandas as pd

from transforms.discover import discover, iter_files, read_item

NOW = pd.Timestamp("2026-01-01", tz="UTC")


def test_walks_folders_in_stable_order_and_skips_hidden(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("a")
    (tmp_path / ".hidden").write_text("x")
    names = [p.name for p in iter_files([tmp_path])]
    assert names == ["b.txt", "a.txt"]


def test_known_items_are_skipped_before_parsing(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("hello")
    item = read_item(path, 1000)
    frame, skipped = discover([item], {(item.doc_id, item.source_uri)}, NOW)
    assert frame.empty and skipped == 1
    frame, skipped = discover([item], set(), NOW)
    assert len(frame) == 1 and skipped == 0
    assert frame.loc[0, "doc_id"] == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"


def test_oversized_file_is_hashed_not_kept(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    item = read_item(path, 100)
    assert item.content is None
    assert item.precheck_reason == "too_large"
    assert len(item.doc_id) == 64


def test_unreadable_file_has_a_stable_id_and_reason(tmp_path):
    missing = tmp_path / "gone.txt"
    first, second = read_item(missing, 1000), read_item(missing, 1000)
    assert first.precheck_reason == "unreadable"
    assert first.content is None
    assert first.doc_id == second.doc_id
