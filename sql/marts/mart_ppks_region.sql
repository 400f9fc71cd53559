-- Mart: PPKS persons per region and category, with population share and rate.
-- A person is placed in the region of their golden record (one place per person
-- and level); what each person counts: transforms/mart_counts_before.sql. This mart's per_1000 is the office's
-- "PPKS per 1,000 inhabitants": the HTML report reads it.
-- Total rows (ppks_kode = 'SEMUA') count distinct persons: a person in two
-- categories counts once there, and once in each of their category rows.
CREATE OR REPLACE TABLE mart_ppks_region AS
-- The counts are kept night by night (core/ppks_region_count.sql); here they get
-- their names and rates, and every kabupaten/kota and the province a total row,
-- also with 0 persons. A row depends on its own count alone: a night writes again
-- only the rows whose counts moved (mart_ppks_region_moved, made by
-- transforms/mart_counts_after.sql; ppks.warehouse.mart_delta), a whole build
-- (mart_whole()) every row.
WITH every_count AS (
    SELECT tingkat, kode, ppks_kode, persons
    FROM ppks_region_count
    WHERE ppks_kode <> 'SEMUA' OR tingkat IN ('kecamatan', 'desa_kelurahan')
    UNION ALL
    SELECT r.tingkat, r.kode, 'SEMUA', coalesce(n.persons, 0)
    FROM region AS r
    LEFT JOIN ppks_region_count AS n
      ON n.tingkat = r.tingkat AND n.kode = r.kode AND n.ppks_kode = 'SEMUA'
    WHERE r.tingkat IN ('provinsi', 'kabupaten_kota')
),
counted AS (
    SELECT * FROM every_count AS c
    WHERE mart_whole() OR EXISTS (
        SELECT 1 FROM mart_ppks_region_moved AS m
        WHERE m.tingkat IS NOT DISTINCT FROM c.tingkat AND m.kode IS NOT DISTINCT FROM c.kode
          AND m.ppks_kode IS NOT DISTINCT FROM c.ppks_kode
    )
)
SELECT
    c.tingkat,
    c.kode,
    r.nama,
    CASE WHEN c.tingkat = 'provinsi' THEN NULL ELSE left(c.kode, 5) END AS kode_kabupaten,
    CASE WHEN c.tingkat = 'provinsi' THEN NULL ELSE kab.nama END AS nama_kabupaten,
    c.ppks_kode,
    CASE WHEN c.ppks_kode = 'SEMUA' THEN 'Semua kategori' ELSE cat.nama END AS ppks_nama,
    CASE
        WHEN c.ppks_kode = 'SEMUA' THEN 'distinct persons in any category (each person once)'
        ELSE 'distinct persons in this category'
    END AS counting,
    c.persons,
    pop.total AS population,
    round(100.0 * c.persons / nullif(pop.total, 0), 6) AS pct_population,
    per_1000(c.persons, pop.total) AS per_1000
FROM counted AS c
LEFT JOIN region AS r ON r.kode = c.kode
LEFT JOIN region AS kab ON kab.kode = left(c.kode, 5)
LEFT JOIN ppks_category AS cat ON cat.kode = c.ppks_kode
LEFT JOIN population AS pop ON pop.kode = c.kode
ORDER BY
    CASE c.tingkat
        WHEN 'provinsi' THEN 1 WHEN 'kabupaten_kota' THEN 2 WHEN 'kecamatan' THEN 3 ELSE 4
    END,
    c.kode,
    c.ppks_kode = 'SEMUA' DESC,
    c.ppks_kode;
COMMENT ON TABLE mart_ppks_region IS 'Mart. PPKS persons per region (province, kabupaten/kota, kecamatan, desa/kelurahan) and PPKS category, with the share of the population and the rate per 1,000 inhabitants. Rows with ppks_kode = ''SEMUA'' count each person once (the office''s headline figure); the other rows count the persons in that category, so category rows add up to more than the total when persons are in several categories. A person is counted in the region of their golden record (person).';
COMMENT ON COLUMN mart_ppks_region.tingkat IS 'Region level: provinsi, kabupaten_kota, kecamatan or desa_kelurahan.';
COMMENT ON COLUMN mart_ppks_region.kode IS 'Kemendagri code of the region (see region).';
COMMENT ON COLUMN mart_ppks_region.nama IS 'Name of the region.';
COMMENT ON COLUMN mart_ppks_region.kode_kabupaten IS 'Kabupaten/kota the region lies in (itself for a kabupaten/kota row); null for the province.';
COMMENT ON COLUMN mart_ppks_region.nama_kabupaten IS 'Name of that kabupaten/kota.';
COMMENT ON COLUMN mart_ppks_region.ppks_kode IS 'PPKS category code, or SEMUA for the row that counts every person once whatever their categories.';
COMMENT ON COLUMN mart_ppks_region.ppks_nama IS 'Name of the PPKS category, or Semua kategori.';
COMMENT ON COLUMN mart_ppks_region.counting IS 'What persons counts, in words: each person once (SEMUA) or the persons in this category.';
COMMENT ON COLUMN mart_ppks_region.persons IS 'Number of distinct persons (person_id).';
COMMENT ON COLUMN mart_ppks_region.population IS 'Inhabitants of the region (see population); known for the province and kabupaten/kota only, null below.';
COMMENT ON COLUMN mart_ppks_region.pct_population IS 'persons as a percentage of the population (e.g. 1.59 means 1.59%), 6 decimals; null when the population is not known.';
COMMENT ON COLUMN mart_ppks_region.per_1000 IS 'persons per 1,000 inhabitants, 4 decimals; null when the population is not known.';
