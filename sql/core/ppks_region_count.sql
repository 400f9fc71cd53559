-- Core: the counts of mart_ppks_region, kept up to date from the persons whose
-- rows changed (transforms/mart_counts_before.sql subtracts what they counted,
-- transforms/mart_counts_after.sql adds what they count now), so that a night's
-- cost follows what changed; the mart adds the names and rates to these counts.
-- What a person counts in: transforms/mart_counts_before.sql.
CREATE TABLE IF NOT EXISTS ppks_region_count (
    tingkat    VARCHAR,
    kode       VARCHAR,
    ppks_kode  VARCHAR,
    persons    BIGINT NOT NULL
);
COMMENT ON TABLE ppks_region_count IS 'Core. Distinct persons with a PPKS case per region (each level of their golden record''s place) and category, and in any category (ppks_kode = ''SEMUA''); only counts above 0. Kept up to date night by night from the persons whose rows changed; mart_ppks_region is built from it.';
COMMENT ON COLUMN ppks_region_count.tingkat IS 'Level of the region: provinsi, kabupaten_kota, kecamatan or desa_kelurahan.';
COMMENT ON COLUMN ppks_region_count.kode IS 'Code of the region (see region).';
COMMENT ON COLUMN ppks_region_count.ppks_kode IS 'PPKS category code, or ''SEMUA'' for persons in any category (each person once).';
COMMENT ON COLUMN ppks_region_count.persons IS 'Distinct persons placed in this region with a case in this category (any category for SEMUA).';
