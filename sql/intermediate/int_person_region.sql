-- Each person in every region they count in: the province, and the
-- kabupaten/kota, kecamatan and desa/kelurahan of their golden record (person),
-- one place per person and level. The marts that count persons by region
-- (mart_ppks_region, mart_ppks_monthly, mart_source_coverage) place them here,
-- so "a person counts where their golden record says" is written once.
-- A TEMP view: built with the marts, not stored in the warehouse.
CREATE OR REPLACE TEMP VIEW int_person_region AS
SELECT 'provinsi' AS tingkat, (SELECT kode FROM region WHERE tingkat = 'provinsi') AS kode, person_id
FROM person
UNION ALL
SELECT 'kabupaten_kota', kode_kabupaten, person_id
FROM person WHERE kode_kabupaten IS NOT NULL
UNION ALL
SELECT 'kecamatan', kode_kecamatan, person_id
FROM person WHERE kode_kecamatan IS NOT NULL
UNION ALL
SELECT 'desa_kelurahan', kode_desa, person_id
FROM person WHERE kode_desa IS NOT NULL;
