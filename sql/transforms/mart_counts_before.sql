-- Before the persons touched tonight are rebuilt: what they count now in the
-- marts kept as counts (core/ppks_region_count.sql, ppks_monthly_count.sql,
-- source_coverage_count.sql), negated. transforms/mart_counts_after.sql adds what
-- they count once rebuilt and applies the sum, so a night's cost follows the
-- persons whose rows changed, not the whole warehouse.
-- The persons recounted: those touched (transforms/person_touched.sql); every
-- person when a count table is empty, as it is in a warehouse from before it (an
-- empty table has nothing to take away: it counts nobody).
CREATE OR REPLACE TEMP TABLE person_recounted AS
SELECT person_id FROM person_touched
UNION
SELECT person_id FROM person
WHERE NOT EXISTS (SELECT 1 FROM ppks_region_count)
   OR NOT EXISTS (SELECT 1 FROM ppks_monthly_count)
   OR NOT EXISTS (SELECT 1 FROM source_coverage_count);
-- What a person counts, written once and read before and after the rebuild. A
-- person counts in the regions of their golden record (person): the province and
-- their kabupaten/kota, kecamatan and desa/kelurahan, one place per level.
CREATE OR REPLACE TEMP MACRO recounted_place() AS TABLE
WITH p AS (SELECT * FROM person SEMI JOIN person_recounted USING (person_id))
SELECT 'provinsi' AS tingkat, (SELECT kode FROM region WHERE tingkat = 'provinsi') AS kode, person_id
FROM p
UNION ALL
SELECT 'kabupaten_kota', kode_kabupaten, person_id FROM p WHERE kode_kabupaten IS NOT NULL
UNION ALL
SELECT 'kecamatan', kode_kecamatan, person_id FROM p WHERE kode_kecamatan IS NOT NULL
UNION ALL
SELECT 'desa_kelurahan', kode_desa, person_id FROM p WHERE kode_desa IS NOT NULL;
-- mart_ppks_region: each region of the person and category of their cases
-- (ppks_case), and each region once with ppks_kode 'SEMUA' when they have a case.
CREATE OR REPLACE TEMP MACRO recounted_in_region() AS TABLE
WITH c AS (SELECT * FROM ppks_case SEMI JOIN person_recounted USING (person_id))
SELECT pr.tingkat, pr.kode, c.ppks_kode, c.person_id
FROM c JOIN recounted_place() AS pr ON pr.person_id = c.person_id
UNION ALL
SELECT pr.tingkat, pr.kode, 'SEMUA', pr.person_id
FROM recounted_place() AS pr SEMI JOIN c ON c.person_id = pr.person_id;
-- mart_ppks_monthly: the person's months (core/person_month.sql) in the province
-- and their kabupaten/kota.
CREATE OR REPLACE TEMP MACRO recounted_in_month() AS TABLE
SELECT pr.tingkat, pr.kode, m.bulan, m.ppks_kode, m.person_id, m.records, m.first_month
FROM (SELECT * FROM person_month SEMI JOIN person_recounted USING (person_id)) AS m
JOIN recounted_place() AS pr
  ON pr.person_id = m.person_id AND pr.tingkat IN ('provinsi', 'kabupaten_kota');
-- mart_source_coverage: the combination of sources that reported the person, in
-- the province and their kabupaten/kota.
CREATE OR REPLACE TEMP MACRO recounted_in_coverage() AS TABLE
SELECT
    pr.tingkat,
    pr.kode,
    array_to_string(list_sort(p.sources), '+') AS sources,
    len(list_distinct(p.sources)) AS source_count,
    p.person_id
FROM (SELECT * FROM person SEMI JOIN person_recounted USING (person_id)) AS p
JOIN recounted_place() AS pr
  ON pr.person_id = p.person_id AND pr.tingkat IN ('provinsi', 'kabupaten_kota');
CREATE OR REPLACE TEMP TABLE region_count_delta AS
SELECT tingkat, kode, ppks_kode, -count(*) AS persons
FROM recounted_in_region()
WHERE EXISTS (SELECT 1 FROM ppks_region_count)
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE monthly_count_delta AS
SELECT
    tingkat, kode, bulan, ppks_kode,
    -count(*) AS persons,
    -count(*) FILTER (WHERE first_month) AS persons_new,
    -CAST(sum(records) AS BIGINT) AS records
FROM recounted_in_month()
WHERE EXISTS (SELECT 1 FROM ppks_monthly_count)
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE coverage_count_delta AS
SELECT tingkat, kode, sources, source_count, -count(*) AS persons
FROM recounted_in_coverage()
WHERE EXISTS (SELECT 1 FROM source_coverage_count)
GROUP BY ALL;
