-- Once the persons touched tonight are rebuilt: add what they count now (the
-- macros recounted_in_*() of transforms/mart_counts_before.sql) to what it took away, and apply the sum to the count
-- tables. Every count is a sum over persons, so the tables equal a count of every
-- person from scratch; counts that fall to 0 leave (a count from scratch has
-- none). The tables are small (regions x categories x months): rewritten whole.
INSERT INTO region_count_delta
SELECT tingkat, kode, ppks_kode, count(*)
FROM recounted_in_region()
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE count_summed AS
SELECT tingkat, kode, ppks_kode, sum(persons)::BIGINT AS persons
FROM (SELECT * FROM ppks_region_count UNION ALL BY NAME SELECT * FROM region_count_delta)
GROUP BY ALL
HAVING sum(persons) <> 0;
DELETE FROM ppks_region_count;
INSERT INTO ppks_region_count BY NAME SELECT * FROM count_summed;

INSERT INTO monthly_count_delta
SELECT
    tingkat, kode, bulan, ppks_kode,
    count(*),
    count(*) FILTER (WHERE first_month),
    CAST(sum(records) AS BIGINT)
FROM recounted_in_month()
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE count_summed AS
SELECT
    tingkat, kode, bulan, ppks_kode,
    sum(persons)::BIGINT AS persons,
    sum(persons_new)::BIGINT AS persons_new,
    sum(records)::BIGINT AS records
FROM (SELECT * FROM ppks_monthly_count UNION ALL BY NAME SELECT * FROM monthly_count_delta)
GROUP BY ALL
HAVING sum(persons) <> 0;
DELETE FROM ppks_monthly_count;
INSERT INTO ppks_monthly_count BY NAME SELECT * FROM count_summed;

INSERT INTO coverage_count_delta
SELECT tingkat, kode, sources, source_count, count(*)
FROM recounted_in_coverage()
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE count_summed AS
SELECT tingkat, kode, sources, source_count, sum(persons)::BIGINT AS persons
FROM (SELECT * FROM source_coverage_count UNION ALL BY NAME SELECT * FROM coverage_count_delta)
GROUP BY ALL
HAVING sum(persons) <> 0;
DELETE FROM source_coverage_count;
INSERT INTO source_coverage_count BY NAME SELECT * FROM count_summed;

DROP TABLE count_summed;
DROP TABLE region_count_delta;
DROP TABLE monthly_count_delta;
DROP TABLE coverage_count_delta;
DROP TABLE person_recounted;
