-- entity_co_mentions: pairs of distinct entities named in the same article
-- ("which countries appear with the Taliban"), one row per pair and article.
CREATE OR REPLACE VIEW entity_co_mentions AS
WITH per_article AS (
    SELECT DISTINCT m.article_id, m.entity_id
    FROM mentions AS m
    WHERE m.entity_id IS NOT NULL
)
SELECT
    x.article_id,
    a.story_id,
    x.entity_id AS entity_a,
    ea.canonical_name AS name_a,
    ea.type AS type_a,
    ea.country_code AS country_a,
    y.entity_id AS entity_b,
    eb.canonical_name AS name_b,
    eb.type AS type_b,
    eb.country_code AS country_b
FROM per_article AS x
JOIN per_article AS y ON x.article_id = y.article_id AND x.entity_id < y.entity_id
JOIN entities AS ea ON ea.entity_id = x.entity_id
JOIN entities AS eb ON eb.entity_id = y.entity_id
JOIN articles AS a ON a.article_id = x.article_id;
