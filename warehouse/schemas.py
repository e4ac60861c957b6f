"""The warehouse contract: one Arrow schema per table, shared by every step.

Transforms produce pandas DataFrames with (at least) these columns; the lake
writer casts to these schemas, so a column missing here never reaches DuckDB.
Offsets (`start`, `end`) index into `articles.body` (Python string offsets).
"""

from __future__ import annotations

import pyarrow as pa

UTC_TS = pa.timestamp("us", tz="UTC")
STR_LIST = pa.list_(pa.string())

RAW_DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),  # sha256 of the bytes
        ("source_uri", pa.string()),
        ("media_type", pa.string()),  # detected format: text, html, rss, atom, json, jsonl, warc, unknown
        ("size_bytes", pa.int64()),
        ("fetched_at", UTC_TS),
        ("run_id", pa.string()),
        ("status", pa.string()),  # loaded / duplicate / quarantined
        ("reason", pa.string()),
        ("article_count", pa.int32()),
    ]
)

ARTICLES = pa.schema(
    [
        ("article_id", pa.string()),
        ("doc_id", pa.string()),
        ("item_index", pa.int32()),  # position of the article inside its raw document
        ("source_format", pa.string()),
        ("outlet", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("byline", STR_LIST),
        ("published_at", UTC_TS),
        ("published_tz", pa.string()),
        ("updated_at", UTC_TS),
        ("published_at_source", pa.string()),  # text / metadata / estimated / unknown
        # estimated: the article of its story whose publication time it was given (the earliest)
        ("published_at_estimated_from", pa.string()),
        ("dateline", pa.string()),
        ("language", pa.string()),  # ISO 639-1 (639-3 where none), 'und' = undetermined
        # the spaCy pipeline its entities come from; None: no NER ran, ner_skip_reason says why
        ("ner_model", pa.string()),
        ("ner_skip_reason", pa.string()),  # no_model_for_language / language_undetermined
        ("body", pa.string()),
        ("word_count", pa.int32()),
        ("content_hash", pa.string()),  # sha256 of the normalised body
        ("duplicate_of", pa.string()),
        ("story_id", pa.string()),
        ("run_id", pa.string()),
        # Where title, byline, published_at and updated_at came from, as a JSON object
        # ({"title": "json-ld", "byline": "meta:author", ...}); fields not found are absent.
        ("metadata_sources", pa.string()),
        # the article's place in its story: core (grouped by the linkage), attached (joined on its
        # own closeness to the core), alone (a story of one); None for a duplicate
        ("story_role", pa.string()),
    ]
)

ENTITIES = pa.schema(
    [
        ("entity_id", pa.string()),
        ("canonical_name", pa.string()),
        ("type", pa.string()),
        ("aliases", STR_LIST),
        ("country_code", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("mention_count", pa.int64()),
        ("article_count", pa.int64()),
    ]
)

MENTIONS = pa.schema(
    [
        ("article_id", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text", pa.string()),
        ("label", pa.string()),
        ("entity_id", pa.string()),
        ("sentence_index", pa.int32()),
        # What entity linking reads, kept so that a later run can link the mention again: the name
        # the article gives the entity ("Muttaqi" -> "Amir Khan Muttaqi"), its type and country.
        ("article_name", pa.string()),
        ("entity_type", pa.string()),
        ("country_code", pa.string()),
    ]
)

TIMEXES = pa.schema(
    [
        ("article_id", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text", pa.string()),
        ("type", pa.string()),  # DATE / TIME / DURATION / SET
        ("value", pa.string()),  # TIMEX3 value
        ("begin_date", pa.date32()),
        ("end_date", pa.date32()),
        ("anchor", pa.string()),  # publication / absolute / timex / estimated / unresolved
    ]
)

QUOTES = pa.schema(
    [
        ("article_id", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text", pa.string()),
        ("speaker_entity_id", pa.string()),
        ("speaker_text", pa.string()),
        ("cue", pa.string()),
    ]
)

STORIES = pa.schema(
    [
        ("story_id", pa.string()),
        ("title", pa.string()),
        ("first_published", UTC_TS),
        ("article_count", pa.int32()),
        ("outlets", STR_LIST),
    ]
)

# Entity ids that went away when later mentions showed two entities to be one.
ENTITY_REDIRECTS = pa.schema(
    [
        ("entity_id", pa.string()),  # the id that went away
        ("redirect_to", pa.string()),  # the current entity
        ("run_id", pa.string()),
    ]
)

# Story ids that went away when a later article showed two stories to be one: every id ever
# published resolves to the story holding its articles now.
STORY_REDIRECTS = pa.schema(
    [
        ("story_id", pa.string()),  # the id that went away
        ("redirect_to", pa.string()),  # the current story
        ("run_id", pa.string()),
    ]
)

DISCREPANCIES = pa.schema(
    [
        ("story_id", pa.string()),
        ("article_a", pa.string()),
        ("article_b", pa.string()),
        ("kind", pa.string()),  # date / number / attribution / name
        ("sentence_a", pa.string()),
        ("sentence_b", pa.string()),
        ("value_a", pa.string()),
        ("value_b", pa.string()),
        ("score", pa.float64()),
    ]
)

QUARANTINE = pa.schema(
    [
        ("run_id", pa.string()),
        ("table", pa.string()),
        ("key", pa.string()),
        ("reason", pa.string()),
        ("payload", pa.string()),  # JSON of the rejected row, or a short description of the item
        ("quarantined_at", UTC_TS),
    ]
)

# What `transforms.safe_text` changed in a value as it entered (lone surrogates, control characters).
TEXT_REPAIRS = pa.schema(
    [
        ("run_id", pa.string()),
        ("table", pa.string()),  # articles / raw_documents
        ("key", pa.string()),  # article_id / doc_id
        ("field", pa.string()),
        ("repair", pa.string()),  # surrogate / c1_control / control
        ("count", pa.int32()),  # characters changed
    ]
)

RUNS = pa.schema(
    [
        ("run_id", pa.string()),
        ("prefect_flow_run_id", pa.string()),
        ("started_at", UTC_TS),
        ("finished_at", UTC_TS),
        ("status", pa.string()),
        ("counts", pa.string()),  # JSON: discovered / loaded / duplicate / quarantined and rows per table
        ("validation", pa.string()),  # JSON: per suite success and failed expectations
    ]
)

# Internal: what duplicate detection needs to know about every loaded article.
ARTICLE_SIGNATURES = pa.schema(
    [
        ("article_id", pa.string()),
        ("content_hash", pa.string()),
        ("minhash", pa.binary()),  # serialised MinHash of the body's shingles
    ]
)

# Internal: sentence boundaries, so later runs can compare new articles with known ones.
SENTENCES = pa.schema(
    [
        ("article_id", pa.string()),
        ("sentence_index", pa.int32()),
        ("start", pa.int32()),
        ("end", pa.int32()),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "raw_documents": RAW_DOCUMENTS,
    "articles": ARTICLES,
    "entities": ENTITIES,
    "entity_redirects": ENTITY_REDIRECTS,
    "mentions": MENTIONS,
    "timexes": TIMEXES,
    "quotes": QUOTES,
    "stories": STORIES,
    "story_redirects": STORY_REDIRECTS,
    "discrepancies": DISCREPANCIES,
    "quarantine": QUARANTINE,
    "text_repairs": TEXT_REPAIRS,
    "runs": RUNS,
    "article_signatures": ARTICLE_SIGNATURES,
    "sentences": SENTENCES,
}

# Primary keys; the loader upserts on them so that replaying a run is harmless.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "raw_documents": ("doc_id", "source_uri"),
    "articles": ("article_id",),
    "entities": ("entity_id",),
    "entity_redirects": ("entity_id",),
    "mentions": ("article_id", "start", "end"),
    "timexes": ("article_id", "start", "end"),
    "quotes": ("article_id", "start", "end"),
    "stories": ("story_id",),
    "story_redirects": ("story_id",),
    "discrepancies": ("story_id", "article_a", "article_b", "kind", "value_a", "value_b"),
    "quarantine": ("run_id", "table", "key", "reason"),
    "text_repairs": ("table", "key", "field", "repair"),
    "runs": ("run_id",),
    "article_signatures": ("article_id",),
    "sentences": ("article_id", "sentence_index"),
}


def empty_frame(table: str):
    """An empty DataFrame with the table's columns (and Arrow-backed dtypes)."""
    return TABLES[table].empty_table().to_pandas()


# Ledger of requeued inputs: the raw_documents rows `newsflow requeue` removed so that the next run
# re-reads them, with when and why; nothing about an input's past is lost.
RAW_DOCUMENT_HISTORY = pa.schema(
    [
        *RAW_DOCUMENTS,
        ("requeued_at", UTC_TS),
        ("requeue_filter", pa.string()),  # the reason prefix asked for, or "*" for --all
    ]
)
TABLES["raw_document_history"] = RAW_DOCUMENT_HISTORY
PRIMARY_KEYS["raw_document_history"] = ("doc_id", "source_uri", "run_id", "requeued_at")
