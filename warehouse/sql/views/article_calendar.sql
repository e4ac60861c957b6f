-- article_calendar: each article's temporal expressions placed on the calendar.
-- A value covering an interval (a month, a year, a week) spans begin_date..end_date;
-- expressions with no calendar position (durations, sets, PAST_REF) are left out.
CREATE OR REPLACE VIEW article_calendar AS
SELECT
    t.article_id,
    a.outlet,
    a.title,
    a.published_at,
    t.text,
    t.type,
    t.value,
    t.anchor,
    t.begin_date,
    coalesce(t.end_date, t.begin_date) AS end_date,
    datediff('day', t.begin_date, coalesce(t.end_date, t.begin_date)) + 1 AS days_covered
FROM timexes AS t
JOIN articles AS a USING (article_id)
WHERE t.begin_date IS NOT NULL;
