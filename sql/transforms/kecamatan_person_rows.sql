-- Fills core/kecamatan_person.sql's table for the persons whose rows changed
-- (person_touched: transforms/person_touched.sql): which kecamatans a person has
-- rows in depends on their rows alone. Every person when the table is empty, as it
-- is in a warehouse from before it (it then counts nobody).
CREATE OR REPLACE TEMP TABLE kecamatan_person_recounted AS
SELECT person_id FROM person_touched
UNION
SELECT person_id FROM source_record
WHERE person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kecamatan_person);
DELETE FROM kecamatan_person
WHERE person_id IN (SELECT person_id FROM kecamatan_person_recounted);
INSERT INTO kecamatan_person BY NAME
SELECT DISTINCT kode_kecamatan, person_id
FROM source_record SEMI JOIN kecamatan_person_recounted USING (person_id);
DROP TABLE kecamatan_person_recounted;
