-- story_overview: each story with its outlets, first and last publication and article count.
CREATE OR REPLACE VIEW story_overview AS
SELECT
    s.story_id,
    s.title,
    count(a.article_id) AS article_count,
    list(DISTINCT a.outlet ORDER BY a.outlet) FILTER (WHERE a.outlet IS NOT NULL) AS outlets,
    min(a.published_at) AS first_published,
    max(a.published_at) AS last_published
FROM stories AS s
LEFT JOIN articles AS a ON a.story_id = s.story_id AND a.duplicate_of IS NULL
GROUP BY s.story_id, s.title;
