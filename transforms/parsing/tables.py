"""The versioned pattern tables under `patterns/` (rules that differ by outlet or language are data)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

PATTERNS_DIR = Path(__file__).with_name("patterns")


@cache
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of `patterns/<name>.tsv` as dicts; lines starting with `#` are comments."""
    with (PATTERNS_DIR / f"{name}.tsv").open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
