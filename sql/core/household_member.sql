-- Core: the persons on each family card (No. KK of the golden record), one row
-- per person, oldest first; with the PPKS categories each member is reported in.
CREATE OR REPLACE TABLE household_member AS
WITH categories AS (
    SELECT person_id, list_sort(list_distinct(list(ppks_kode))) AS ppks_kode
    FROM source_record
    WHERE person_id IS NOT NULL AND ppks_kode IS NOT NULL
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
FROM person AS p
LEFT JOIN categories AS c ON c.person_id = p.person_id
WHERE p.kk IS NOT NULL
ORDER BY p.kk, urutan;
COMMENT ON TABLE household_member IS 'Core. Households: one row per person on a family card (the No. KK of the person''s golden record), oldest first. Only persons known to the warehouse are listed, not every member of the card.';
COMMENT ON COLUMN household_member.kk IS 'Family-card number (No. KK) of the household.';
COMMENT ON COLUMN household_member.person_id IS 'The member (see person).';
COMMENT ON COLUMN household_member.urutan IS 'Position in the household by birth date, 1 = oldest known member.';
COMMENT ON COLUMN household_member.members_known IS 'How many persons in the warehouse carry this family card.';
COMMENT ON COLUMN household_member.jenis_kelamin IS 'L (male) or P (female); null when unknown.';
COMMENT ON COLUMN household_member.tahun_lahir IS 'Birth year of the member.';
COMMENT ON COLUMN household_member.ppks_kode IS 'PPKS categories the member is reported in, sorted.';
COMMENT ON COLUMN household_member.kode_kabupaten IS 'Kabupaten/kota of the member (golden record).';
COMMENT ON COLUMN household_member.kode_kecamatan IS 'Kecamatan of the member (golden record).';
COMMENT ON COLUMN household_member.kode_desa IS 'Desa/kelurahan of the member (golden record).';
