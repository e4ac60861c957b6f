-- story_co_mentions: entity pairs per story, with how many articles of the story name both.
CREATE OR REPLACE VIEW story_co_mentions AS
SELECT
    story_id,
    entity_a,
    any_value(name_a) AS name_a,
    entity_b,
    any_value(name_b) AS name_b,
    count(DISTINCT article_id) AS article_count
FROM entity_co_mentions
WHERE story_id IS NOT NULL
GROUP BY story_id, entity_a, entity_b;
