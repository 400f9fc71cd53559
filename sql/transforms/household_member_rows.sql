-- Fills core/household_member.sql's table for the family cards of the persons
-- whose rows changed: the card they were on (the table as it was) and the card
-- their new golden record names. A card's rows depend on its members' golden
-- records and rows alone, so every other card is already what a rebuild gives.
CREATE OR REPLACE TEMP TABLE household_touched AS
SELECT kk FROM household_member WHERE person_id IN (SELECT person_id FROM person_touched)
UNION
SELECT kk FROM person WHERE person_id IN (SELECT person_id FROM person_changed) AND kk IS NOT NULL;
DELETE FROM household_member WHERE kk IN (SELECT kk FROM household_touched);
INSERT INTO household_member
WITH members AS (
    SELECT p.*
    FROM person AS p
    SEMI JOIN household_touched AS h USING (kk)
),
categories AS (
    SELECT person_id, list_sort(list_distinct(list(ppks_kode))) AS ppks_kode
    FROM source_record
    SEMI JOIN members USING (person_id)
    WHERE ppks_kode IS NOT NULL
    GROUP BY person_id
)
SELECT
    p.kk,
    p.person_id,
    row_number() OVER (
        PARTITION BY p.kk ORDER BY p.tanggal_lahir NULLS LAST, p.tahun_lahir NULLS LAST, p.person_id
    ) AS urutan,
    count(*) OVER (PARTITION BY p.kk) AS members_known,
    p.jenis_kelamin,
    p.tahun_lahir,
    c.ppks_kode,
    p.kode_kabupaten,
    p.kode_kecamatan,
    p.kode_desa
FROM members AS p
LEFT JOIN categories AS c ON c.person_id = p.person_id;
DROP TABLE household_touched;
