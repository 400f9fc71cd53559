-- Before the persons touched tonight are rebuilt: what they count now in the
-- marts kept as counts (core/ppks_region_count.sql, ppks_monthly_count.sql,
-- source_coverage_count.sql), negated. transforms/mart_counts_after.sql adds what
-- they count once rebuilt and applies the sum, so a night's cost follows the
-- persons whose rows changed, not the whole warehouse.
-- A count table that is empty was never filled (a warehouse from before it) or
-- counts nobody: nothing to take away, and the after step counts every person.
CREATE OR REPLACE TEMP TABLE region_count_delta AS
SELECT tingkat, kode, ppks_kode, -count(*) AS persons
FROM int_ppks_region_person
WHERE person_id IN (SELECT person_id FROM person_touched)
  AND EXISTS (SELECT 1 FROM ppks_region_count)
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE monthly_count_delta AS
SELECT
    tingkat, kode, bulan, ppks_kode,
    -count(*) AS persons,
    -count(*) FILTER (WHERE first_month) AS persons_new,
    -CAST(sum(records) AS BIGINT) AS records
FROM int_ppks_monthly_person
WHERE person_id IN (SELECT person_id FROM person_touched)
  AND EXISTS (SELECT 1 FROM ppks_monthly_count)
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE coverage_count_delta AS
SELECT tingkat, kode, sources, source_count, -count(*) AS persons
FROM int_source_coverage_person
WHERE person_id IN (SELECT person_id FROM person_touched)
  AND EXISTS (SELECT 1 FROM source_coverage_count)
GROUP BY ALL;
