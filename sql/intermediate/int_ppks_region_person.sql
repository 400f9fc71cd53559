-- What each person counts in mart_ppks_region: one row per region the person is
-- placed in (intermediate/int_person_region.sql) and category of their cases
-- (ppks_case), and one row per region with ppks_kode 'SEMUA' when they have a
-- case at all (each person once, however many categories). The counts are the
-- sums of these rows (core/ppks_region_count.sql); a night subtracts the rows of
-- the persons it rebuilds before and adds them after (transforms/mart_counts_*.sql).
-- A TEMP view: built with the marts (and before the transforms), not stored.
CREATE OR REPLACE TEMP VIEW int_ppks_region_person AS
SELECT pr.tingkat, pr.kode, c.ppks_kode, c.person_id
FROM ppks_case AS c
JOIN int_person_region AS pr ON pr.person_id = c.person_id
UNION ALL
SELECT pr.tingkat, pr.kode, 'SEMUA', pr.person_id
FROM int_person_region AS pr
SEMI JOIN ppks_case AS c ON c.person_id = pr.person_id;
