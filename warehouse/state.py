"""What a run needs to know about the warehouse so far (read before anything is written)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from warehouse.loader import open_with_retry
from warehouse.schemas import empty_frame


@dataclass
class WarehouseState:
    seen_inputs: set[tuple[str, str]] = field(default_factory=set)  # (doc_id, source_uri)
    known_doc_ids: set[str] = field(default_factory=set)  # docs whose bytes were already processed
    committed_run_ids: set[str] = field(default_factory=set)
    registry: pd.DataFrame = field(default_factory=lambda: empty_frame("entities"))
    signatures: pd.DataFrame = field(default_factory=lambda: empty_frame("article_signatures"))
    articles: pd.DataFrame = field(default_factory=pd.DataFrame)  # known articles (for stories)
    mentions: pd.DataFrame = field(default_factory=pd.DataFrame)  # their entity mentions
    story_redirects: pd.DataFrame = field(default_factory=lambda: empty_frame("story_redirects"))
    entity_redirects: pd.DataFrame = field(default_factory=lambda: empty_frame("entity_redirects"))


def read_state(database: Path, with_articles: bool = True) -> WarehouseState:
    """Everything the next run depends on; an absent database is an empty warehouse."""
    if not database.exists():
        return WarehouseState()
    con = open_with_retry(database, read_only=True)
    try:
        if not _has_table(con, "runs"):
            return WarehouseState()
        seen = con.execute("SELECT doc_id, source_uri FROM raw_documents").fetchall()
        state = WarehouseState(
            seen_inputs={(d, s) for d, s in seen},
            known_doc_ids={d for d, _ in seen},
            committed_run_ids={r for (r,) in con.execute("SELECT run_id FROM runs").fetchall()},
            registry=con.execute(
                "SELECT entity_id, canonical_name, type, aliases, country_code FROM entities ORDER BY entity_id"
            ).df(),
            signatures=con.execute("SELECT article_id, content_hash, minhash FROM article_signatures").df(),
        )
        if with_articles:
            # a warehouse from before story roles gains the column when this run loads
            role = "story_role" if _has_column(con, "articles", "story_role") else "NULL AS story_role"
            state.articles = con.execute(
                # An estimated time (lent by the story) is no evidence: later runs see what one run
                # over everything would have seen, an undated article ...
                "SELECT article_id, doc_id, title, body, outlet, language, "
                "CASE WHEN published_at_source = 'estimated' THEN NULL ELSE published_at END AS published_at, "
                "story_id, " + role + ", "
                # ... and the estimate it holds, so a run revises it only when the story's changes.
                "CASE WHEN published_at_source = 'estimated' THEN published_at END AS estimated_at, "
                "published_at_estimated_from AS estimated_from "
                "FROM articles WHERE duplicate_of IS NULL ORDER BY article_id"
            ).df()
            for redirects in ("story_redirects", "entity_redirects"):
                if _has_table(con, redirects):
                    setattr(state, redirects, con.execute(f"SELECT * FROM {redirects} ORDER BY 1").df())
            # every column: what entity linking reads of each mention, to link it again
            state.mentions = con.execute('SELECT * FROM mentions ORDER BY article_id, start, "end"').df()
        return state
    finally:
        con.close()


def read_article_rows(database: Path, article_ids: list[str]) -> pd.DataFrame:
    """The stored `articles` rows of these articles and of their duplicates (every column), for a
    run that revises them."""
    if not article_ids or not database.exists():
        return empty_frame("articles")
    con = open_with_retry(database, read_only=True)
    try:
        rows = con.execute(
            "SELECT * FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[])) "
            "OR duplicate_of IN (SELECT unnest(?::VARCHAR[])) ORDER BY article_id",
            [list(article_ids), list(article_ids)],
        ).df()
    finally:
        con.close()
    # List columns (byline) come back as numpy arrays; the run's own rows hold lists.
    rows["byline"] = rows["byline"].map(lambda v: list(v) if isinstance(v, np.ndarray) else v)
    return rows


def read_quotes_of_speakers(database: Path, entity_ids: list[str]) -> pd.DataFrame:
    """The stored quotes whose speaker is one of these entities (for a run that redirects them)."""
    if not entity_ids or not database.exists():
        return empty_frame("quotes")
    con = open_with_retry(database, read_only=True)
    try:
        return con.execute(
            "SELECT * FROM quotes WHERE speaker_entity_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(entity_ids)],
        ).df()
    finally:
        con.close()


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
            [table, column],
        ).fetchone()[0]
    )


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[
            0
        ]
    )


def read_known_children(
    database: Path,
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    redirects: pd.DataFrame | None = None,
    entity_redirects: pd.DataFrame | None = None,
):
    """Known articles and their mentions, and a reader of their sentences, timexes and quotes
    (for comparing new articles with the known members of their stories)."""
    from transforms.link import Known

    if articles.empty or not database.exists():
        return Known(articles, mentions, redirects=redirects, entity_redirects=entity_redirects)

    def read_children(ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        if not ids:
            return empty_frame("sentences"), empty_frame("timexes"), empty_frame("quotes")
        con = open_with_retry(database, read_only=True)
        try:
            return tuple(  # type: ignore[return-value]
                con.execute(
                    f"SELECT * FROM {table} WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
                ).df()
                for table in _CHILD_TABLES
            )
        finally:
            con.close()

    return Known(articles, mentions, read_children, redirects, entity_redirects)


_CHILD_TABLES = ("sentences", "timexes", "quotes")


def read_seen_inputs(database: Path) -> set[tuple[str, str]]:
    """Only the (doc_id, source_uri) pairs already recorded: the cheap check for "anything new?"."""
    if not database.exists():
        return set()
    con = duckdb.connect(str(database), read_only=True)
    try:
        if not _has_table(con, "raw_documents"):
            return set()
        return {(d, s) for d, s in con.execute("SELECT doc_id, source_uri FROM raw_documents").fetchall()}
    finally:
        con.close()
