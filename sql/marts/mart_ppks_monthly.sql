-- Mart: month-by-month trend per region (province, kabupaten/kota) and category.
-- A month counts a person when one of their rows is dated in it (handling date,
-- service date or report month); PSM lists carry no date and do not appear here.
-- Regions: the person's golden record; what each person counts:
-- transforms/mart_counts_before.sql.
CREATE OR REPLACE TABLE mart_ppks_monthly AS
-- The counts are kept night by night (core/ppks_monthly_count.sql, from each
-- person's months in core/person_month.sql); here they get their names, running
-- totals and rates. A row depends on the counts of its region and category (the
-- running total): a night writes again only those whose counts moved
-- (mart_ppks_monthly_moved, made by transforms/mart_counts_after.sql,
-- see ppks.warehouse.mart_delta), a whole build (mart_whole()) every row.
WITH counted AS (
    SELECT tingkat, kode, bulan, ppks_kode, persons, persons_new, records
    FROM ppks_monthly_count AS c
    WHERE mart_whole() OR EXISTS (
        SELECT 1 FROM mart_ppks_monthly_moved AS m
        WHERE m.tingkat IS NOT DISTINCT FROM c.tingkat AND m.kode IS NOT DISTINCT FROM c.kode
          AND m.ppks_kode IS NOT DISTINCT FROM c.ppks_kode
    )
)
SELECT
    c.bulan,
    c.tingkat,
    c.kode,
    r.nama,
    c.ppks_kode,
    CASE WHEN c.ppks_kode = 'SEMUA' THEN 'Semua kategori' ELSE cat.nama END AS ppks_nama,
    c.persons,
    c.persons_new,
    CAST(sum(c.persons_new) OVER (
        PARTITION BY c.tingkat, c.kode, c.ppks_kode ORDER BY c.bulan
    ) AS BIGINT) AS persons_to_date,
    c.records,
    pop.total AS population,
    per_1000(c.persons, pop.total) AS per_1000
FROM counted AS c
LEFT JOIN region AS r ON r.kode = c.kode
LEFT JOIN ppks_category AS cat ON cat.kode = c.ppks_kode
LEFT JOIN population AS pop ON pop.kode = c.kode
ORDER BY c.tingkat = 'provinsi' DESC, c.kode, c.ppks_kode = 'SEMUA' DESC, c.ppks_kode, c.bulan;
COMMENT ON TABLE mart_ppks_monthly IS 'Mart. Monthly trend: PPKS persons seen each month per province and kabupaten/kota, per category and in total (ppks_kode = ''SEMUA'' counts each person once). A person is seen in a month when one of their rows is dated in it (TKSK handling date, SLRT service date, else the report month); PSM lists have no date and are not in this mart. Regions follow the person''s golden record.';
COMMENT ON COLUMN mart_ppks_monthly.bulan IS 'The month (first day of the month).';
COMMENT ON COLUMN mart_ppks_monthly.tingkat IS 'Region level: provinsi or kabupaten_kota.';
COMMENT ON COLUMN mart_ppks_monthly.kode IS 'Kemendagri code of the region.';
COMMENT ON COLUMN mart_ppks_monthly.nama IS 'Name of the region.';
COMMENT ON COLUMN mart_ppks_monthly.ppks_kode IS 'PPKS category code, or SEMUA for each person once whatever their categories.';
COMMENT ON COLUMN mart_ppks_monthly.ppks_nama IS 'Name of the PPKS category, or Semua kategori.';
COMMENT ON COLUMN mart_ppks_monthly.persons IS 'Distinct persons seen in the month (in this category, or in any for SEMUA).';
COMMENT ON COLUMN mart_ppks_monthly.persons_new IS 'Of these, persons seen for the first time (first dated row of the person in this category, or at all for SEMUA).';
COMMENT ON COLUMN mart_ppks_monthly.persons_to_date IS 'Distinct persons seen from the first month up to this one (running total of persons_new).';
COMMENT ON COLUMN mart_ppks_monthly.records IS 'Loaded rows dated in the month (a person can have several).';
COMMENT ON COLUMN mart_ppks_monthly.population IS 'Inhabitants of the region (see population).';
COMMENT ON COLUMN mart_ppks_monthly.per_1000 IS 'persons per 1,000 inhabitants, 4 decimals.';
