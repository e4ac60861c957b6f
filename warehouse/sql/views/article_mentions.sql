-- article_mentions: every entity mention with its canonical entity and article context.
-- Use it for "every article that mentions X" whatever name variant the text used.
CREATE OR REPLACE VIEW article_mentions AS
SELECT
    m.article_id,
    a.outlet,
    a.title,
    a.published_at,
    m."start",
    m."end",
    m.text AS mention_text,
    m.label,
    m.sentence_index,
    e.entity_id,
    e.canonical_name,
    e.type AS entity_type,
    e.country_code
FROM mentions AS m
JOIN articles AS a USING (article_id)
LEFT JOIN entities AS e USING (entity_id);
