-- Core: the counts of mart_ppks_monthly, kept up to date from the persons whose
-- rows changed (transforms/mart_counts_before.sql subtracts what they counted,
-- transforms/mart_counts_after.sql adds what they count now), so that a night does
-- not read every dated row again; the mart adds names, running totals and rates.
-- What a person counts in: transforms/mart_counts_before.sql.
CREATE TABLE IF NOT EXISTS ppks_monthly_count (
    tingkat      VARCHAR,
    kode         VARCHAR,
    bulan        DATE,
    ppks_kode    VARCHAR,
    persons      BIGINT NOT NULL,
    persons_new  BIGINT NOT NULL,
    records      BIGINT NOT NULL
);
COMMENT ON TABLE ppks_monthly_count IS 'Core. Persons seen per month, province or kabupaten/kota (of their golden record) and PPKS category, and in any category (ppks_kode = ''SEMUA''); only counts above 0. Kept up to date night by night from the persons whose rows changed (person_month); mart_ppks_monthly is built from it.';
COMMENT ON COLUMN ppks_monthly_count.tingkat IS 'Level of the region: provinsi or kabupaten_kota.';
COMMENT ON COLUMN ppks_monthly_count.kode IS 'Code of the region (see region).';
COMMENT ON COLUMN ppks_monthly_count.bulan IS 'First day of the month.';
COMMENT ON COLUMN ppks_monthly_count.ppks_kode IS 'PPKS category code, ''SEMUA'' for any category, null for rows that named no category.';
COMMENT ON COLUMN ppks_monthly_count.persons IS 'Distinct persons seen in this month (in this category).';
COMMENT ON COLUMN ppks_monthly_count.persons_new IS 'Of them, persons seen (in this category) for the first time in this month.';
COMMENT ON COLUMN ppks_monthly_count.records IS 'Loaded rows of these persons (in this category) dated in this month.';
