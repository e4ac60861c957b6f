"""Golden files: every input under tests/golden/parsing parses to its stored expectation.

After an intended change, run `python tests/golden/regenerate.py` and review the diff.
"""

from __future__ import annotations

import json

import pytest

from tests.golden.regenerate import expected_path, inputs, snapshot


@pytest.mark.parametrize("path", inputs(), ids=lambda p: p.name)
def test_golden(path):
    expected = json.loads(expected_path(path).read_text(encoding="utf-8"))
    assert snapshot(path) == expected
