-- language_coverage: articles per language, and whether newsflow analysed them: the NER model
-- their entities come from, or why none ran (no_model_for_language, language_undetermined; an
-- article loaded before languages were routed to models shows 'not recorded'). Articles without a
-- model have no mentions, quotes or temporal expressions; stories and duplicates still cover them.
CREATE OR REPLACE VIEW language_coverage AS
SELECT
    coalesce(language, 'und') AS language,
    ner_model IS NOT NULL AS analysed,
    ner_model,
    CASE WHEN ner_model IS NULL THEN coalesce(ner_skip_reason, 'not recorded') END AS skip_reason,
    count(*) AS articles,
    count(*) FILTER (WHERE duplicate_of IS NULL) AS originals,
    sum(word_count)::BIGINT AS words
FROM articles
GROUP BY ALL
ORDER BY articles DESC, language, ner_model;
