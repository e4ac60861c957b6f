-- story_discrepancies: where two articles of one story contradict each other,
-- readable as it stands: the story, both outlets, what each says, and the two sentences.
CREATE OR REPLACE VIEW story_discrepancies AS
SELECT
    d.story_id,
    s.title AS story_title,
    d.kind,
    coalesce(aa.outlet, aa.source_label) AS outlet_a,
    d.value_a,
    coalesce(ab.outlet, ab.source_label) AS outlet_b,
    d.value_b,
    round(d.score, 3) AS score,
    d.sentence_a,
    d.sentence_b,
    d.article_a,
    d.article_b
FROM discrepancies AS d
LEFT JOIN stories AS s USING (story_id)
LEFT JOIN (
    SELECT a.article_id, a.outlet, r.source_uri AS source_label
    FROM articles AS a
    LEFT JOIN (SELECT doc_id, any_value(source_uri) AS source_uri FROM raw_documents GROUP BY doc_id) AS r
        USING (doc_id)
) AS aa ON aa.article_id = d.article_a
LEFT JOIN (
    SELECT a.article_id, a.outlet, r.source_uri AS source_label
    FROM articles AS a
    LEFT JOIN (SELECT doc_id, any_value(source_uri) AS source_uri FROM raw_documents GROUP BY doc_id) AS r
        USING (doc_id)
) AS ab ON ab.article_id = d.article_b
ORDER BY d.story_id, d.kind, d.score DESC;
