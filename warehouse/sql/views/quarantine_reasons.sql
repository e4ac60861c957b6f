-- quarantine_reasons: what was rejected, from which table, why, and how often.
CREATE OR REPLACE VIEW quarantine_reasons AS
SELECT "table", reason, count(*) AS items, min(quarantined_at) AS first_seen, max(quarantined_at) AS last_seen
FROM quarantine
GROUP BY "table", reason
ORDER BY items DESC;
