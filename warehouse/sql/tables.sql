-- Loaded tables of the newsflow warehouse (the contract in warehouse/schemas.py).
-- Every table has a primary key: the loader upserts, so replaying a run is harmless.

CREATE TABLE IF NOT EXISTS raw_documents (
    doc_id VARCHAR NOT NULL,          -- sha256 of the bytes
    source_uri VARCHAR NOT NULL,
    media_type VARCHAR,
    size_bytes BIGINT,
    fetched_at TIMESTAMPTZ,
    run_id VARCHAR,
    status VARCHAR NOT NULL,          -- loaded / duplicate / quarantined
    reason VARCHAR,
    article_count INTEGER,
    PRIMARY KEY (doc_id, source_uri)
);

CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    item_index INTEGER,
    source_format VARCHAR,
    outlet VARCHAR,
    url VARCHAR,
    title VARCHAR,
    byline VARCHAR[],
    published_at TIMESTAMPTZ,
    published_tz VARCHAR,
    updated_at TIMESTAMPTZ,
    published_at_source VARCHAR,
    published_at_estimated_from VARCHAR,
    dateline VARCHAR,
    language VARCHAR,
    ner_model VARCHAR,
    ner_skip_reason VARCHAR,
    body VARCHAR,
    word_count INTEGER,
    content_hash VARCHAR,
    duplicate_of VARCHAR,
    story_id VARCHAR,
    run_id VARCHAR,
    metadata_sources VARCHAR,
    story_role VARCHAR
);
-- Warehouses created before these columns gain them in place.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS metadata_sources VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS story_role VARCHAR;

CREATE TABLE IF NOT EXISTS entities (
    entity_id VARCHAR PRIMARY KEY,
    canonical_name VARCHAR NOT NULL,
    type VARCHAR,
    aliases VARCHAR[],
    country_code VARCHAR,
    latitude DOUBLE,
    longitude DOUBLE,
    mention_count BIGINT,
    article_count BIGINT
);
-- Warehouses created before cities were located gain the columns in place.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS published_at_estimated_from VARCHAR;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS latitude DOUBLE;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS longitude DOUBLE;
-- ... and before each article recorded which NER model it went through (NULL in both for older rows).
ALTER TABLE articles ADD COLUMN IF NOT EXISTS ner_model VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS ner_skip_reason VARCHAR;

CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text VARCHAR,
    label VARCHAR,
    entity_id VARCHAR,
    sentence_index INTEGER,
    article_name VARCHAR,
    entity_type VARCHAR,
    country_code VARCHAR,
    PRIMARY KEY (article_id, "start", "end")
);
-- Mentions stored before these columns cannot be linked again (transforms/entities/relink.py).
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS article_name VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS entity_type VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS country_code VARCHAR;

CREATE TABLE IF NOT EXISTS entity_redirects (
    entity_id VARCHAR PRIMARY KEY,
    redirect_to VARCHAR NOT NULL,
    run_id VARCHAR
);

CREATE TABLE IF NOT EXISTS timexes (
    article_id VARCHAR NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text VARCHAR,
    type VARCHAR,
    value VARCHAR,
    begin_date DATE,
    end_date DATE,
    anchor VARCHAR,
    PRIMARY KEY (article_id, "start", "end")
);

CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text VARCHAR,
    speaker_entity_id VARCHAR,
    speaker_text VARCHAR,
    cue VARCHAR,
    PRIMARY KEY (article_id, "start", "end")
);

CREATE TABLE IF NOT EXISTS stories (
    story_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    first_published TIMESTAMPTZ,
    article_count INTEGER,
    outlets VARCHAR[]
);

CREATE TABLE IF NOT EXISTS story_redirects (
    story_id VARCHAR PRIMARY KEY,
    redirect_to VARCHAR NOT NULL,
    run_id VARCHAR
);

CREATE TABLE IF NOT EXISTS discrepancies (
    story_id VARCHAR NOT NULL,
    article_a VARCHAR NOT NULL,
    article_b VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    sentence_a VARCHAR,
    sentence_b VARCHAR,
    value_a VARCHAR NOT NULL,
    value_b VARCHAR NOT NULL,
    score DOUBLE,
    PRIMARY KEY (story_id, article_a, article_b, kind, value_a, value_b)
);

CREATE TABLE IF NOT EXISTS quarantine (
    run_id VARCHAR NOT NULL,
    "table" VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    payload VARCHAR,
    quarantined_at TIMESTAMPTZ,
    PRIMARY KEY (run_id, "table", key, reason)
);

-- What was changed in a value as it entered: lone surrogates, control characters (transforms/safe_text.py).
CREATE TABLE IF NOT EXISTS text_repairs (
    run_id VARCHAR NOT NULL,
    "table" VARCHAR NOT NULL,         -- articles / raw_documents
    key VARCHAR NOT NULL,             -- article_id / doc_id
    field VARCHAR NOT NULL,
    repair VARCHAR NOT NULL,          -- surrogate / c1_control / control
    count INTEGER,
    PRIMARY KEY ("table", key, field, repair)
);

CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    prefect_flow_run_id VARCHAR,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    status VARCHAR,
    counts VARCHAR,                   -- JSON
    validation VARCHAR                -- JSON
);

-- Internal: what duplicate detection needs to know about loaded articles.
CREATE TABLE IF NOT EXISTS article_signatures (
    article_id VARCHAR PRIMARY KEY,
    content_hash VARCHAR,
    minhash BLOB
);

-- Internal: sentence boundaries of loaded articles (discrepancy alignment across runs).
CREATE TABLE IF NOT EXISTS sentences (
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    "start" INTEGER,
    "end" INTEGER,
    PRIMARY KEY (article_id, sentence_index)
);

-- Ledger of requeued inputs (`newsflow requeue`): the raw_documents rows removed so that the next
-- run re-reads the items, kept here with when and by which filter.
CREATE TABLE IF NOT EXISTS raw_document_history (
    doc_id VARCHAR NOT NULL,
    source_uri VARCHAR NOT NULL,
    media_type VARCHAR,
    size_bytes BIGINT,
    fetched_at TIMESTAMPTZ,
    run_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    reason VARCHAR,
    article_count INTEGER,
    requeued_at TIMESTAMPTZ NOT NULL,
    requeue_filter VARCHAR,
    PRIMARY KEY (doc_id, source_uri, run_id, requeued_at)
);
