-- Once the persons touched tonight are rebuilt: add what they count now (the
-- macros recounted_in_*() of transforms/mart_counts_before.sql) to what it took away, and apply the sum to the count
-- tables. Every count is a sum over persons, so the tables equal a count of every
-- person from scratch; counts that fall to 0 leave (a count from scratch has
-- none). Only the counts whose sum moved are written again (deleted, then inserted
-- when above 0): rewriting the 120,000 region counts whole was most of what a
-- 1%-new night wrote for them, and every count it rewrote was checkpointed again.
-- The keys whose counts moved are kept for the marts built from these tables
-- (mart_*_moved, read by the marts and ppks.warehouse.mart_delta, which drops them):
-- a night writes again only the mart rows they make.
INSERT INTO region_count_delta
SELECT tingkat, kode, ppks_kode, count(*)
FROM recounted_in_region()
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE count_moved AS
SELECT tingkat, kode, ppks_kode, sum(persons)::BIGINT AS persons
FROM region_count_delta
GROUP BY ALL
HAVING sum(persons) <> 0;
CREATE OR REPLACE TEMP TABLE count_summed AS
SELECT m.tingkat, m.kode, m.ppks_kode, m.persons + coalesce(c.persons, 0) AS persons
FROM count_moved AS m
LEFT JOIN ppks_region_count AS c
  ON c.tingkat IS NOT DISTINCT FROM m.tingkat AND c.kode IS NOT DISTINCT FROM m.kode
 AND c.ppks_kode IS NOT DISTINCT FROM m.ppks_kode;
CREATE OR REPLACE TEMP TABLE mart_ppks_region_moved AS
SELECT tingkat, kode, ppks_kode FROM count_moved;
DELETE FROM ppks_region_count AS c USING count_moved AS m
WHERE c.tingkat IS NOT DISTINCT FROM m.tingkat AND c.kode IS NOT DISTINCT FROM m.kode
  AND c.ppks_kode IS NOT DISTINCT FROM m.ppks_kode;
INSERT INTO ppks_region_count BY NAME SELECT * FROM count_summed WHERE persons <> 0;

INSERT INTO monthly_count_delta
SELECT
    tingkat, kode, bulan, ppks_kode,
    count(*),
    count(*) FILTER (WHERE first_month),
    CAST(sum(records) AS BIGINT)
FROM recounted_in_month()
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE count_moved AS
SELECT
    tingkat, kode, bulan, ppks_kode,
    sum(persons)::BIGINT AS persons,
    sum(persons_new)::BIGINT AS persons_new,
    sum(records)::BIGINT AS records
FROM monthly_count_delta
GROUP BY ALL
HAVING sum(persons) <> 0 OR sum(persons_new) <> 0 OR sum(records) <> 0;
CREATE OR REPLACE TEMP TABLE count_summed AS
SELECT
    m.tingkat, m.kode, m.bulan, m.ppks_kode,
    m.persons + coalesce(c.persons, 0) AS persons,
    m.persons_new + coalesce(c.persons_new, 0) AS persons_new,
    m.records + coalesce(c.records, 0) AS records
FROM count_moved AS m
LEFT JOIN ppks_monthly_count AS c
  ON c.tingkat IS NOT DISTINCT FROM m.tingkat AND c.kode IS NOT DISTINCT FROM m.kode
 AND c.bulan IS NOT DISTINCT FROM m.bulan AND c.ppks_kode IS NOT DISTINCT FROM m.ppks_kode;
-- A region and category whose month moved: its running total (persons_to_date) too.
CREATE OR REPLACE TEMP TABLE mart_ppks_monthly_moved AS
SELECT DISTINCT tingkat, kode, ppks_kode FROM count_moved;
DELETE FROM ppks_monthly_count AS c USING count_moved AS m
WHERE c.tingkat IS NOT DISTINCT FROM m.tingkat AND c.kode IS NOT DISTINCT FROM m.kode
  AND c.bulan IS NOT DISTINCT FROM m.bulan AND c.ppks_kode IS NOT DISTINCT FROM m.ppks_kode;
INSERT INTO ppks_monthly_count BY NAME SELECT * FROM count_summed WHERE persons <> 0;

INSERT INTO coverage_count_delta
SELECT tingkat, kode, sources, source_count, count(*)
FROM recounted_in_coverage()
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE count_moved AS
SELECT tingkat, kode, sources, source_count, sum(persons)::BIGINT AS persons
FROM coverage_count_delta
GROUP BY ALL
HAVING sum(persons) <> 0;
CREATE OR REPLACE TEMP TABLE count_summed AS
SELECT m.tingkat, m.kode, m.sources, m.source_count, m.persons + coalesce(c.persons, 0) AS persons
FROM count_moved AS m
LEFT JOIN source_coverage_count AS c
  ON c.tingkat IS NOT DISTINCT FROM m.tingkat AND c.kode IS NOT DISTINCT FROM m.kode
 AND c.sources IS NOT DISTINCT FROM m.sources AND c.source_count IS NOT DISTINCT FROM m.source_count;
-- A region whose combination moved: its shares (pct_of_region) too.
CREATE OR REPLACE TEMP TABLE mart_source_coverage_moved AS
SELECT DISTINCT tingkat, kode FROM count_moved;
DELETE FROM source_coverage_count AS c USING count_moved AS m
WHERE c.tingkat IS NOT DISTINCT FROM m.tingkat AND c.kode IS NOT DISTINCT FROM m.kode
  AND c.sources IS NOT DISTINCT FROM m.sources AND c.source_count IS NOT DISTINCT FROM m.source_count;
INSERT INTO source_coverage_count BY NAME SELECT * FROM count_summed WHERE persons <> 0;

DROP TABLE count_moved;
DROP TABLE count_summed;
DROP TABLE region_count_delta;
DROP TABLE monthly_count_delta;
DROP TABLE coverage_count_delta;
DROP TABLE person_recounted;
