-- What each person counts in mart_ppks_monthly: their months (core/person_month.sql)
-- in the province and the kabupaten/kota of their golden record
-- (intermediate/int_person_region.sql). The counts are the sums of these rows
-- (core/ppks_monthly_count.sql); a night subtracts the rows of the persons it
-- rebuilds before and adds them after (transforms/mart_counts_*.sql).
-- A TEMP view: built with the marts (and before the transforms), not stored.
CREATE OR REPLACE TEMP VIEW int_ppks_monthly_person AS
SELECT pr.tingkat, pr.kode, m.bulan, m.ppks_kode, m.person_id, m.records, m.first_month
FROM person_month AS m
JOIN int_person_region AS pr
  ON pr.person_id = m.person_id AND pr.tingkat IN ('provinsi', 'kabupaten_kota');
