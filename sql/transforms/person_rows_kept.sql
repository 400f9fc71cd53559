-- The last step: core/person_rows.sql says which rows each golden record (and the
-- cases, household rows and events built with it) now stands for. Only the
-- persons touched tonight are written: rewriting every row of the keyed table
-- was most of a quiet night's model stage.
DELETE FROM person_rows WHERE person_id IN (SELECT person_id FROM person_touched);
INSERT INTO person_rows BY NAME
SELECT person_id, rows, fingerprint, golden_record_rules() AS rules
FROM person_rows_now SEMI JOIN person_changed USING (person_id);
DROP TABLE person_rows_now;
DROP TABLE person_changed;
DROP TABLE person_touched;
