-- The first step: which persons a night rebuilds (core/person_rows.sql). A
-- person's derived rows (golden record, cases, household rows, events, months)
-- depend on that person's rows alone, and rows are never edited once loaded,
-- only moved between persons, so a person whose rows are the ones the last build
-- saw (count and fingerprint of record ids, same golden_record_rules()) is left
-- as it is. The temp tables person_rows_now, person_changed and person_touched are
-- read by the steps after this one; person_rows_kept drops them.
-- Before anything is rebuilt: transforms/mart_counts_before.sql reads the old
-- rows of the persons touched.
CREATE OR REPLACE TEMP TABLE person_rows_now AS
SELECT person_id, count(*)::INTEGER AS rows, bit_xor(hash(record_id)) AS fingerprint
FROM source_record
WHERE person_id IS NOT NULL
GROUP BY person_id;
-- Changed (rows other than the last build saw, or built under other rules) or gone
-- (no row left): one pass over what the rows say now against person_rows, and one
-- against person (a record the table lost, e.g. a restored backup of person alone,
-- is built again; a record left without rows goes). Three anti joins and their
-- unions each hashed every person before.
CREATE OR REPLACE TEMP TABLE person_touched AS
SELECT coalesce(n.person_id, p.person_id) AS person_id, n.person_id IS NOT NULL AS has_rows
FROM person_rows_now AS n
FULL JOIN person_rows AS p ON p.person_id = n.person_id
WHERE n.person_id IS NULL OR p.person_id IS NULL
   OR p.rows <> n.rows OR p.fingerprint <> n.fingerprint OR p.rules <> golden_record_rules()
UNION
SELECT coalesce(n.person_id, g.person_id), n.person_id IS NOT NULL
FROM person_rows_now AS n
FULL JOIN person AS g ON g.person_id = n.person_id
WHERE n.person_id IS NULL OR g.person_id IS NULL;
-- Changed: the persons whose derived rows are built again (the others touched are gone).
CREATE OR REPLACE TEMP TABLE person_changed AS
SELECT person_id FROM person_touched WHERE has_rows;
