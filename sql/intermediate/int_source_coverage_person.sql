-- What each person counts in mart_source_coverage: the combination of sources that
-- reported them (person.sources), in the province and the kabupaten/kota of their
-- golden record (intermediate/int_person_region.sql). The counts are the sums of
-- these rows (core/source_coverage_count.sql); a night subtracts the rows of the
-- persons it rebuilds before and adds them after (transforms/mart_counts_*.sql).
-- A TEMP view: built with the marts (and before the transforms), not stored.
CREATE OR REPLACE TEMP VIEW int_source_coverage_person AS
SELECT
    pr.tingkat,
    pr.kode,
    array_to_string(list_sort(p.sources), '+') AS sources,
    len(list_distinct(p.sources)) AS source_count,
    p.person_id
FROM person AS p
JOIN int_person_region AS pr
  ON pr.person_id = p.person_id AND pr.tingkat IN ('provinsi', 'kabupaten_kota');
