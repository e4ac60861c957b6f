-- run_ledger: one row per run with its counts unpacked from the JSON ledger.
CREATE OR REPLACE VIEW run_ledger AS
SELECT
    run_id,
    prefect_flow_run_id,
    started_at,
    finished_at,
    status,
    CAST(json_extract(counts, '$.discovered') AS BIGINT) AS discovered,
    CAST(json_extract(counts, '$.loaded') AS BIGINT) AS loaded,
    CAST(json_extract(counts, '$.duplicate') AS BIGINT) AS duplicate,
    CAST(json_extract(counts, '$.quarantined') AS BIGINT) AS quarantined,
    CAST(json_extract(counts, '$.articles') AS BIGINT) AS articles,
    -- what the run revised in what earlier runs concluded (absent: nothing)
    coalesce(CAST(json_extract(counts, '$.articles_revised') AS BIGINT), 0) AS articles_revised,
    coalesce(CAST(json_extract(counts, '$.stories_merged') AS BIGINT), 0) AS stories_merged,
    coalesce(CAST(json_extract(counts, '$.stories_split') AS BIGINT), 0) AS stories_split,
    coalesce(CAST(json_extract(counts, '$.articles_regrouped') AS BIGINT), 0) AS articles_regrouped,
    coalesce(CAST(json_extract(counts, '$.articles_reanchored') AS BIGINT), 0) AS articles_reanchored,
    coalesce(CAST(json_extract(counts, '$.entities_merged') AS BIGINT), 0) AS entities_merged,
    coalesce(CAST(json_extract(counts, '$.mentions_relinked') AS BIGINT), 0) AS mentions_relinked,
    counts,
    validation
FROM runs
ORDER BY started_at;
