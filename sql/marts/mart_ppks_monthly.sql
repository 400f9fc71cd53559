-- Mart: month-by-month trend per region (province, kabupaten/kota) and category.
-- A month counts a person when one of their rows is dated in it (handling date,
-- service date or report month); PSM lists carry no date and do not appear here.
-- Regions: intermediate/int_person_region.sql (the person's golden record).
CREATE OR REPLACE TABLE mart_ppks_monthly AS
-- One row per person, category and month first, so that each count below is of
-- rows that are distinct persons already.
WITH dated AS (
    SELECT
        r.person_id,
        r.ppks_kode,
        CAST(date_trunc('month', coalesce(r.tanggal_kegiatan, r.bulan_laporan)) AS DATE) AS bulan,
        count(*) AS records
    FROM source_record AS r
    JOIN person AS p ON p.person_id = r.person_id
    WHERE coalesce(r.tanggal_kegiatan, r.bulan_laporan) IS NOT NULL
    GROUP BY ALL
),
first_category AS (
    SELECT person_id, ppks_kode, min(bulan) AS first_month_category
    FROM dated
    GROUP BY ALL
),
first_any AS (
    SELECT person_id, min(first_month_category) AS first_month_any
    FROM first_category
    GROUP BY ALL
),
in_category AS (
    SELECT pr.tingkat, pr.kode, d.*, fc.first_month_category
    FROM dated AS d
    JOIN first_category AS fc
      ON fc.person_id = d.person_id AND fc.ppks_kode IS NOT DISTINCT FROM d.ppks_kode
    JOIN int_person_region AS pr
      ON pr.person_id = d.person_id AND pr.tingkat IN ('provinsi', 'kabupaten_kota')
),
in_any AS (
    SELECT pr.tingkat, pr.kode, m.person_id, m.bulan, m.records, fa.first_month_any
    FROM (SELECT person_id, bulan, sum(records) AS records FROM dated GROUP BY ALL) AS m
    JOIN first_any AS fa ON fa.person_id = m.person_id
    JOIN int_person_region AS pr
      ON pr.person_id = m.person_id AND pr.tingkat IN ('provinsi', 'kabupaten_kota')
),
counted AS (
    SELECT
        tingkat, kode, bulan, ppks_kode,
        count(*) AS persons,
        count(*) FILTER (WHERE bulan = first_month_category) AS persons_new,
        CAST(sum(records) AS BIGINT) AS records
    FROM in_category
    GROUP BY ALL
    UNION ALL
    SELECT
        tingkat, kode, bulan, 'SEMUA',
        count(*),
        count(*) FILTER (WHERE bulan = first_month_any),
        CAST(sum(records) AS BIGINT)
    FROM in_any
    GROUP BY ALL
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
