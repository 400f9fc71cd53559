-- Fills core/kecamatan_person.sql's table for the persons whose rows changed
-- (person_touched: transforms/person_touched.sql): which kecamatans a person has
-- rows in depends on their rows alone. Every person when the table is empty, as it
-- is in a warehouse from before it (it then counts nobody).
CREATE OR REPLACE TEMP TABLE kecamatan_person_recounted AS
SELECT person_id FROM person_touched
UNION
SELECT person_id FROM source_record
WHERE person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kecamatan_person);
CREATE OR REPLACE TEMP TABLE kecamatan_person_before AS
SELECT kode_kecamatan, person_id FROM kecamatan_person
WHERE person_id IN (SELECT person_id FROM kecamatan_person_recounted);
DELETE FROM kecamatan_person
WHERE person_id IN (SELECT person_id FROM kecamatan_person_recounted);
INSERT INTO kecamatan_person BY NAME
SELECT DISTINCT kode_kecamatan, person_id
FROM source_record SEMI JOIN kecamatan_person_recounted USING (person_id);
-- The kecamatans that gained or lost a person (a pair in the table before or after,
-- not both; a person rebuilt into the kecamatans they were in moves none): their row
-- of mart_quality_kecamatan is written again (with those of the files whose rows
-- came or left: transforms/quality_file_rows.sql; ppks.warehouse.mart_delta).
CREATE OR REPLACE TEMP TABLE mart_quality_kecamatan_moved AS
SELECT DISTINCT kode_kecamatan
FROM (
    SELECT kode_kecamatan, person_id FROM kecamatan_person_before
    UNION ALL
    SELECT kode_kecamatan, person_id FROM kecamatan_person
    WHERE person_id IN (SELECT person_id FROM kecamatan_person_recounted)
)
GROUP BY kode_kecamatan, person_id
HAVING count(*) = 1;
DROP TABLE kecamatan_person_before;
DROP TABLE kecamatan_person_recounted;
