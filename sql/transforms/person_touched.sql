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
CREATE OR REPLACE TEMP TABLE person_changed AS
SELECT n.person_id
FROM person_rows_now AS n
ANTI JOIN person_rows AS p
  ON p.person_id = n.person_id AND p.rows = n.rows AND p.fingerprint = n.fingerprint
 AND p.rules = golden_record_rules()
-- A record the table lost (e.g. a restored backup of person alone) is built again.
UNION
SELECT n.person_id FROM person_rows_now AS n ANTI JOIN person AS g USING (person_id);
-- Changed, or gone (no row left): the persons whose derived rows are built again.
CREATE OR REPLACE TEMP TABLE person_touched AS
SELECT person_id FROM person_changed
UNION
SELECT person_id FROM person_rows ANTI JOIN person_rows_now USING (person_id)
UNION
SELECT person_id FROM person ANTI JOIN person_rows_now USING (person_id);
